"""Import an Open Referral UK feed into the directory (docs/directory-api.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.directory.oruk_import import import_feed


class Command(BaseCommand):
    help = (
        "Import an ORUK feed (a service, a list of services, or pages of them, as JSON) into "
        "the directory, upserting by id. With --check, report what would happen and save nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the feed, a JSON file")
        parser.add_argument("--check", action="store_true", help="check only; save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        report = import_feed(data, actor=None, save=not options["check"], source=path.name)
        for row in report.rejected:
            self.stdout.write(f"Rejected {row.label}:")
            for reason in row.reasons:
                self.stdout.write(f"  - {reason}")
        verb = "Saved" if report.saved else "Checked (nothing saved)"
        self.stdout.write(
            f"{verb}: {len(report.accepted)} accepted ({report.created} new, "
            f"{report.updated} updated), {len(report.rejected)} rejected."
        )
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} records were rejected.")
