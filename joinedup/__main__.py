"""`python -m joinedup <command>`: the same as the `joinedup` command (joinedup/cli.py)."""

from joinedup.cli import main

if __name__ == "__main__":
    main("python -m joinedup")
