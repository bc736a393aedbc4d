"""Load the centres of postcode districts for distance search:
`manage.py directory_postcodes [--from-locations] [--csv ONS_FILE]`.

With neither option it loads Bristol's built-in district centres where they are missing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.errors import FieldError
from joinedup.directory.postcodes import (
    centres_from_locations,
    centres_from_ons_csv,
    postcode_districts_ensure_defaults,
    postcode_districts_load,
)


class Command(BaseCommand):
    help = "Load postcode district centres from the ONS postcode directory or the directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv",
            metavar="ONS_FILE",
            help="An ONS postcode directory CSV (columns pcd, lat, long): averaged per district.",
        )
        parser.add_argument(
            "--from-locations",
            action="store_true",
            help="Average the positions of the directory's own places in each district.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = 0
        if options["csv"]:
            path = Path(options["csv"])
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            try:
                centres = centres_from_ons_csv(path)
            except (FieldError, UnicodeDecodeError) as error:
                raise CommandError(f"{path}: {error}") from error
            loaded += postcode_districts_load(actor=None, centres=centres, source="ONS CSV")
        if options["from_locations"]:
            centres = centres_from_locations()
            loaded += postcode_districts_load(
                actor=None, centres=centres, source="directory locations"
            )
        if not options["csv"] and not options["from_locations"]:
            loaded = postcode_districts_ensure_defaults()
        self.stdout.write(f"Loaded the centres of {loaded} postcode districts.")
