from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from joinedup.panels.pipeline import cases_rebuild


class Command(BaseCommand):
    help = (
        "Work out again where every case stands in the coordinators' pipelines. The services "
        "keep it up to date; run this after restoring a backup or changing records by hand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            total = cases_rebuild()
        self.stdout.write(f"{total} cases worked out.")
