"""Recompute every child record's matching keys: run it after the matching code's keys change
(a new release's notes say so), or after loading records by other means than the services."""

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.children.models import Child
from joinedup.children.services import match_keys_refresh

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the matching keys of every child record."

    def handle(self, *args: Any, **options: Any) -> None:
        children = (
            Child.objects.filter(merged_into__isnull=True)
            .select_related("school")
            .prefetch_related("addresses")
            .order_by("pk")
        )
        done = 0
        for child in children.iterator(chunk_size=BATCH):
            match_keys_refresh(child)
            done += 1
            if options["verbosity"] > 1 and done % BATCH == 0:
                self.stdout.write(f"{done} records")
        self.stdout.write(self.style.SUCCESS(f"Matching keys recomputed for {done} records."))
