"""No child's name in the logs (issue 10, docs/security.md).

Over a whole test run, every log record at the level production logs (INFO and above, with
tracebacks) is written to `test-artifacts/logs/<run>/<process>.log`, and the full name of
every child any test saves (the demo data's and the factories') is noted beside it. When the
run ends, any log line that names one of those children fails the run, with the line.

It watches what the tests do, so it sees what the suite exercises: every page, every form's
bad input, the API, the jobs, the errors. Installed by tests/conftest.py."""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
LOGS = REPO_ROOT / "test-artifacts" / "logs"
RUN = "JOINEDUP_LOG_WATCH_RUN"
_KEPT_SECONDS = 6 * 60 * 60
_names: set[str] = set()
# Words as names are written: letters, with an apostrophe or hyphen inside (O'Connor, Smith-Jones).
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_LONGEST_NAME = 5  # words


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _process() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _folder() -> Path:
    return LOGS / os.environ[RUN]


def configure() -> None:
    """In the process that starts the run, before any worker: a folder of the run's own (a
    second run beside it, as on PostgreSQL, keeps its own)."""
    if RUN not in os.environ:
        os.environ[RUN] = uuid.uuid4().hex[:12]
        # Earlier runs' logs, but not those of a run going on beside this one.
        for old in LOGS.glob("*/") if LOGS.exists() else ():
            if time.time() - old.stat().st_mtime > _KEPT_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
    _folder().mkdir(parents=True, exist_ok=True)


def start() -> None:
    """In every process that runs tests, after Django has configured its logging."""
    from django.db.models.signals import post_save

    from joinedup.children.models import Child

    handler = logging.FileHandler(_folder() / f"{_process()}.log", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)

    def note_name(sender: Any, instance: Child, **kwargs: Any) -> None:
        words = _words(f"{instance.given_name} {instance.family_name}")
        if 2 <= len(words) <= _LONGEST_NAME:
            _names.add(" ".join(words))

    post_save.connect(note_name, sender=Child, weak=False, dispatch_uid="log_watch")


def finish() -> None:
    """In every process that ran tests: the names it saw, for the check."""
    if _names:
        (_folder() / f"{_process()}.names").write_text("\n".join(sorted(_names)) + "\n")


def leaks() -> list[str]:
    """In the process that started the run, after every worker finished: each log line that
    names a child, as `file:line: text`."""
    folder = _folder()
    names = {
        name
        for path in folder.glob("*.names")
        for name in path.read_text(encoding="utf-8").splitlines()
        if name
    }
    found = []
    for log in sorted(folder.glob("*.log")):
        with log.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                named = _named_in(_words(line), names)
                if named:
                    found.append(f"{log.name}:{number}: {line.rstrip()[:300]} (names {named})")
    return found


def _named_in(words: list[str], names: set[str]) -> str | None:
    """The first full name that appears in the words, as consecutive words."""
    for length in range(2, _LONGEST_NAME + 1):
        for start in range(len(words) - length + 1):
            candidate = " ".join(words[start : start + length])
            if candidate in names:
                return candidate
    return None
