"""Import services into the directory from a CSV file, or only check it with --check, and print
the report: every rejected row with its line number and what to correct."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.directory.csv_import import MAX_BYTES, CsvFileError, import_csv
from joinedup.directory.imports import ImportReport


class Command(BaseCommand):
    help = "Import services into the directory from a CSV file (docs/directory-import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, one row a service.")
        parser.add_argument(
            "--check", action="store_true", help="Check every row and report; save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path}: bigger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files"
            )
        try:
            report = import_csv(
                path.read_bytes(), actor=None, save=not options["check"], source=path.name
            )
        except CsvFileError as error:
            raise CommandError(f"{path}: {error.message}") from error
        self._print(report, checking=options["check"])

    def _print(self, report: ImportReport, *, checking: bool) -> None:
        verb = "can be imported" if checking else "imported"
        self.stdout.write(
            f"{report.source}: {len(report.accepted)} {verb} ({report.created} new, "
            f"{report.updated} updates), {len(report.rejected)} rejected"
        )
        for row in report.rejected:
            self.stdout.write(f"Rejected: {row.label}")
            for reason in row.reasons:
                self.stdout.write(f"  {reason}")
        if checking:
            self.stdout.write("Nothing was saved (--check).")
