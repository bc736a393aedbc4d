"""The `joinedup` command (and `python -m joinedup`): Django's management commands under the
project's own name, without manage.py: `joinedup backup`, `joinedup restore FILE`,
`joinedup migrate`, … `joinedup demo-data` is an alias of `load_demo_data`."""

import os
import sys

ALIASES = {"demo-data": "load_demo_data"}


def main(program: str = "joinedup") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    from django.core.management import execute_from_command_line

    argv = [program, *sys.argv[1:]]
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)
