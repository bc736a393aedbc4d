"""The `joinedup` command: Django's management commands for this project, without manage.py
(`joinedup backup`, `joinedup restore FILE`, `joinedup migrate`, …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["joinedup", *sys.argv[1:]])
