"""Back the database up: `joinedup backup [--output FILE]` (docs/operations.md, "Backups").
Writes the copy and its manifest (joinedup/core/backups.py); safe while the app runs."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core import audit
from joinedup.core.backups import BackupError, Database, backup, default_backup_path
from joinedup.core.models import AuditVerb


class Command(BaseCommand):
    help = "Copy the database to a backup file, with a manifest of every table's rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="The backup file to write (it must not exist). By default a new file named "
            "after the time, in var/backups/.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            database = Database.from_django()
            path = (
                Path(options["output"])
                if options["output"]
                else default_backup_path(database, Path(settings.BASE_DIR) / "var" / "backups")
            )
            result = backup(database, path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # In the live database's audit trail: a full copy of every child's record was made.
        audit.record(
            actor=None,
            actor_label="joinedup backup",
            verb=AuditVerb.EXPORT,
            purpose="Backup of the whole database",
            detail={"backup": result.path.name, "tables": result.tables, "rows": result.rows},
        )
        self.stdout.write(
            f"Backed up {database.describe()}: {result.tables} tables, {result.rows} rows.\n"
            f"  Backup:   {result.path}\n"
            f"  Manifest: {result.manifest_path}\n"
            "It holds children's personal data: encrypt it and keep it as securely as the "
            "database."
        )
