"""`python -m joinedup …`: the same as the `joinedup` command (joinedup/cli.py)."""

from joinedup.cli import main

main()
