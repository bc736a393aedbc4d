"""Anonymise closed cases past their retention period: `manage.py apply_retention
[--today YYYY-MM-DD] [--dry-run]`. Safe to run twice: what was done is not done again."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from joinedup.records.services import retention_apply


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2031-04-30, not {value!r}") from error


class Command(BaseCommand):
    help = "Anonymise closed cases past their retention period, with a report of what was done."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Apply the periods as of this day (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        run = retention_apply(today=today, dry_run=options["dry_run"], started_by="command")
        report = run.report
        verb = "Would anonymise" if run.dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} records of {len(report['children'])} children as of {today.isoformat()}."
        )
        for record_type, count in report["counts"].items():
            if count or run.dry_run:
                self.stdout.write(f"  {record_type}: {count}")
        for failure in report["failures"]:
            self.stderr.write(f"  Failed: {failure['reference']} ({failure['error']})")
        self.stdout.write(
            f"Notifications {'to delete' if run.dry_run else 'deleted'}: "
            f"{report['notifications_deleted']}. Audit entries past their period (kept, "
            f"append-only): {report['audit_entries_past_period']}. Run {run.pk}."
        )
