"""Crash safety (issue 10, docs/security.md): a process killed with SIGKILL in the middle of a
referral, an import or a merge leaves nothing half-written, and the same work done again once
it is back is whole.

"In the middle" is made certain rather than hoped for: the test holds a lock on the audit trail
from a connection of its own, so the process's transaction, which writes its audit entries
alongside its records, stops part way with its first rows already written (the test checks
this in PostgreSQL's lock table). The process is then killed, the lock let go, and the database
looked at.

On PostgreSQL only: the test server and the commands connect to the test database from other
processes, which an in-memory SQLite database cannot allow. SQLite's own journal makes the
same promise for a killed writer."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from joinedup.children.models import Child, ChildMerge
from joinedup.core.backups import Database, postgresql_connection
from joinedup.directory.models import Service
from joinedup.referrals.models import Referral
from tests.directory.test_csv_import import row, sheet
from tests.factories import (
    ChildFactory,
    LocalityFactory,
    ReferralFactory,
)
from tests.referrals.journey import easton_partner_token
from tests.referrals.test_api import payload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="other processes cannot reach the in-memory SQLite test database",
    ),
]

REPO_ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"


def _environment() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1", "LOG_LEVEL": "WARNING"}


def _other_connection() -> Any:
    """A connection of the test's own to the test database, outside Django's."""
    return postgresql_connection(Database.from_django())


@contextmanager
def audit_trail_held() -> Iterator[None]:
    """Hold the audit trail so that nobody can add to it until the block ends: reading it, and
    everything else, goes on."""
    with _other_connection() as holder:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE core_auditentry IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.execute("COMMIT")


def written_before_stopping(process: subprocess.Popen[Any], timeout: float = 60) -> set[str]:
    """Wait for another connection to stop at the held audit trail, part way through its
    transaction; the tables it has already written rows to. (Watched from a connection outside
    any transaction: inside one, PostgreSQL shows the same picture of its activity throughout.)"""
    deadline = time.monotonic() + timeout
    with _other_connection() as watcher:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.communicate()
                connected = watcher.execute("SELECT count(*) FROM pg_stat_activity").fetchone()
                raise AssertionError(
                    f"It finished without stopping at the audit trail: {output}; "
                    f"{connected[0]} connections to the server"
                )
            waiting = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            ).fetchall()
            if waiting:
                (pid,) = waiting[0]
                rows = watcher.execute(
                    "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND granted "
                    "AND mode = 'RowExclusiveLock' AND locktype = 'relation'",
                    [pid],
                ).fetchall()
                return {name for (name,) in rows}
            time.sleep(0.05)
    raise AssertionError("Nothing stopped at the audit trail: the work never started")


def kill(process: subprocess.Popen[Any]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def gone_quiet(timeout: float = 30) -> None:
    """Wait until no other connection to the test database is left working."""
    with _other_connection() as watcher:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle' "
                "AND backend_type = 'client backend'"
            ).fetchone()[0]
            if not busy:
                return
            time.sleep(0.05)
    raise AssertionError("A killed process's work was still going on")


# The referral API, served by a real server process.


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server() -> Iterator[tuple[subprocess.Popen[Any], str]]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO_ROOT,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("The server did not start") from None
                time.sleep(0.1)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _refer(base: str, key: str, idempotency_key: str, *, timeout: float = 60) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/referrals",
        data=json.dumps(payload()).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {key}",
            "Idempotency-Key": idempotency_key,
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_server_killed_in_the_middle_of_a_referral_leaves_no_part_of_it():
    key = easton_partner_token()
    with server() as (process, base):
        with audit_trail_held():
            sending = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1], "
                    "data=sys.argv[2].encode(), method='POST', headers={'Authorization': "
                    "'Token ' + sys.argv[3], 'Idempotency-Key': 'first-try', "
                    "'Content-Type': 'application/json'}), timeout=120)",
                    f"{base}/api/v1/referrals",
                    json.dumps(payload()),
                    key,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            written = written_before_stopping(sending)
            # The child and their family are written; the referral is still to come.
            assert {"children_child", "children_householdmember"} <= written, written
            kill(process)
        sending.kill()
        sending.wait(timeout=30)
    gone_quiet()
    assert not Child.objects.exists()
    assert not Referral.objects.exists()

    # Back up, the partner's system retries with the same key: one whole referral.
    with server() as (_, base):
        assert _refer(base, key, "first-try") == 201
        assert _refer(base, key, "first-try") == 201
    referral = Referral.objects.get()
    assert referral.child == Child.objects.get()
    assert list(referral.concerns.all())


# A directory import, run as a command.


def test_an_import_killed_part_way_through_imports_nothing(tmp_path):
    csv_file = tmp_path / "services.csv"
    csv_file.write_bytes(
        sheet(*(row(**{"Service name": f"Friday football {n}", "Needs": ""}) for n in range(20)))
    )
    LocalityFactory(name="Easton", slug="easton")
    command = [sys.executable, "manage.py", "directory_import_csv", str(csv_file)]

    with audit_trail_held():
        importing = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        written = written_before_stopping(importing)
        assert "directory_service" in written, written
        kill(importing)
    gone_quiet()
    assert not Service.objects.exists()

    again = subprocess.run(
        command, cwd=REPO_ROOT, env=_environment(), capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert Service.objects.count() == 20


# Merging two records of one child, as the service does it.


def test_a_merge_killed_part_way_through_leaves_both_records_as_they_were():
    survivor, merged = ChildFactory(), ChildFactory()
    ReferralFactory(child=merged)
    script = (
        "import django, sys; django.setup(); "
        "from joinedup.children.models import Child; "
        "from joinedup.children.services import child_merge; "
        "child_merge(actor=None, survivor=Child.objects.get(pk=sys.argv[1]), "
        "merged=Child.objects.get(pk=sys.argv[2]), reason='The same child, twice')"
    )
    command = [sys.executable, "-c", script, str(survivor.pk), str(merged.pk)]
    environment = {**_environment(), "DJANGO_SETTINGS_MODULE": "joinedup.settings"}

    with audit_trail_held():
        merging = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        written = written_before_stopping(merging)
        assert written & {"children_child", "referrals_referral"}, written
        kill(merging)
    gone_quiet()
    assert not ChildMerge.objects.exists()
    assert Referral.objects.get().child_id == merged.pk
    assert Child.objects.get(pk=merged.pk).merged_into_id is None

    again = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert ChildMerge.objects.count() == 1
    assert Referral.objects.get().child_id == survivor.pk
