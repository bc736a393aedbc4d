from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from joinedup.directory.search_text import search_text_refresh


class Command(BaseCommand):
    help = (
        "Work out again the words each directory service is found by. The directory keeps "
        "them up to date; run this after restoring a backup or changing entries by hand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            changed = search_text_refresh()
        self.stdout.write(f"{changed} services' search words brought up to date.")
