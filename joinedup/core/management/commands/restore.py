"""Restore a backup into an empty database and prove it whole: `joinedup restore FILE
[--database-url URL]` (docs/operations.md, "Backups"). Fails, naming each table, if any table's
rows or checksum differ from the backup's manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.backups import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `joinedup backup` into an empty database, then check every "
        "table's rows and checksum against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup file (its .manifest.json beside it).")
        parser.add_argument(
            "--database-url",
            help="The empty database to restore into (postgres://… or sqlite:////path). By "
            "default the one the app is configured with (DATABASE_URL, or var/ for SQLite).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            database = (
                Database.from_url(options["database_url"])
                if options["database_url"]
                else Database.from_django()
            )
            if database.vendor == "sqlite" and not options["database_url"]:
                # The app's own connection would hold the file open while it is replaced.
                from django.db import connections

                connections.close_all()
            result = restore(Path(options["backup"]), database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {options['backup']} into {database.describe()}: {result.tables} tables "
            f"and {result.rows} rows, each table's rows and checksum the same as when it was "
            "backed up."
        )
