from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from joinedup.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Give every reminder that is due (plan reviews, consent coming to an end, referrals "
        "waiting, actions due and overdue) in JoinedUp and by email as each person prefers, "
        "then send the daily and weekly digests. Safe to run as often as you like, and twice "
        "at once: nothing is sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("today"):
            try:
                parsed = parse_date(options["today"])
            except ValueError:
                parsed = None
            if parsed is None:
                raise CommandError("--today must be a real date, like 2027-03-01")
            today = parsed
        result = send_reminders(today=today)
        lines = [
            f"Reminders for {today:%-d %B %Y}:",
            f"  plan reviews: {result.reviews.considered} due or overdue, "
            f"{result.reviews.notified} new notices",
            f"  consent coming to an end: {result.consents.considered} to renew, "
            f"{result.consents.notified} new notices",
            f"  referrals waiting: {result.referrals.considered} waiting, "
            f"{result.referrals.notified} new notices",
            f"  actions: {result.actions.due} due or overdue, {result.actions.notified} new "
            f"notices, {result.actions.emailed} emails sent",
            f"  emails straight away: {result.immediate.sent} sent",
            f"  directory entries to check: {result.directory.considered} people told, "
            f"{result.directory.notified} new notices",
            f"  digests: {result.digests.sent} sent",
            f"  failed: {result.failed} (tried again next run)",
        ]
        self.stdout.write("\n".join(lines))
        for error in result.errors:
            self.stderr.write(f"Failed: {error}")
