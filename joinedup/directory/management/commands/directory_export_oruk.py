"""Write the whole directory as an Open Referral UK feed (docs/directory-api.md)."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.directory.oruk_import import export_feed


class Command(BaseCommand):
    help = "Write the whole directory as an ORUK feed (JSON) to FILE, or to standard output (-)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the feed; - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(export_feed(), ensure_ascii=False, indent=1)
        if options["file"] == "-":
            sys.stdout.write(text + "\n")
            return
        try:
            with open(options["file"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise CommandError(f"Could not write {options['file']}: {error}") from error
        feed = json.loads(text)
        self.stdout.write(f"Wrote {feed['total_items']} services to {options['file']}.")
