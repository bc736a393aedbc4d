from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.dateparse import parse_date

from joinedup.actions.services import chase_due_actions


class Command(BaseCommand):
    help = (
        "Remind the owner of every open action due today or overdue (in JoinedUp and by email), "
        "once per stage: on the due date, then every 7 days. Safe to run as often as you like."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Chase as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_date(options["today"]) if options.get("today") else None
        result = chase_due_actions(today=today)
        self.stdout.write(
            f"{result.due} actions due or overdue: {result.notified} notices, "
            f"{result.emailed} emails sent, {result.no_email} owners without email, "
            f"{result.failed} failed (tried again next run)."
        )
        for error in result.errors:
            self.stderr.write(f"Failed: {error}")
