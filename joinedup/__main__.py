"""`python -m joinedup <command>`: the management commands, under the project's own name.

`python -m joinedup demo-data` is an alias of `manage.py load_demo_data`.
"""

import os
import sys

ALIASES = {"demo-data": "load_demo_data"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    argv[0] = "python -m joinedup"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
