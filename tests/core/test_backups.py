"""`joinedup backup` and `joinedup restore` (issue 10): a backup restored into a fresh
database gives back every table with the same rows and checksums, on SQLite and on PostgreSQL;
a restore that does not is refused, naming the table; nothing is ever restored over data."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from joinedup.children.models import Child
from joinedup.core.backups import (
    BackupError,
    Database,
    backup,
    postgresql_connection,
    restore,
    summarise,
)
from joinedup.core.models import AuditEntry, AuditVerb
from tests.factories import ChildFactory, ReferralFactory

REPO_ROOT = Path(__file__).resolve().parents[2]


def _joinedup(*arguments: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """The `joinedup` command, as an operator runs it, against the database at the URL."""
    return subprocess.run(
        [sys.executable, "-m", "joinedup", *arguments],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=False,
    )


def _postgres_url(settings: dict[str, Any], name: str) -> str:
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{settings['USER']}{password}@{host}{port}/{name}"


@pytest.fixture
def world(transactional_db) -> dict[str, int]:
    """Rows of many kinds, with the awkward values a checksum must carry: accents, Welsh and
    Arabic names, apostrophes, empty text, nulls, dates and JSON."""
    for given, family in (("Siân", "O'Connor"), ("Zoë", "Ḥusayn"), ("Émile", "")):
        ReferralFactory(child=ChildFactory(given_name=given, family_name=family or "Smith"))
    return {"children": Child.objects.count()}


@pytest.fixture
def source(world, tmp_path) -> tuple[Database, str]:
    """The test database as an operator's database: on SQLite a file (the test database lives
    in memory), on PostgreSQL the test database itself."""
    if connection.vendor == "sqlite":
        path = tmp_path / "live.sqlite3"
        with closing(sqlite3.connect(path)) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
        return Database("sqlite", path=path), f"sqlite:///{path}"
    settings = connection.settings_dict
    return Database.from_django(), _postgres_url(settings, settings["NAME"])


@pytest.fixture
def fresh(tmp_path) -> Iterator[tuple[Database, str]]:
    """A new, empty database to restore into."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield Database("sqlite", path=path), f"sqlite:///{path}"
        return
    name = f"joinedup_restore_{uuid.uuid4().hex[:12]}"
    server = Database.from_url(_postgres_url(connection.settings_dict, "postgres"))
    with postgresql_connection(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = _postgres_url(connection.settings_dict, name)
            yield Database.from_url(url), url
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_gives_back_every_row(
    world, source, fresh, tmp_path
):
    live, live_url = source
    target, target_url = fresh
    before = summarise(live)
    backup_file = tmp_path / "backups" / "nightly.backup"

    made = _joinedup("backup", "--output", str(backup_file), database_url=live_url)
    assert made.returncode == 0, made.stderr
    assert f"{len(before)} tables" in made.stdout
    assert "encrypt it" in made.stdout
    # It holds every child's record: readable by its owner only.
    assert backup_file.stat().st_mode & 0o777 == 0o600
    manifest = json.loads(backup_file.with_name("nightly.backup.manifest.json").read_text())
    assert manifest["tables"] == before
    assert manifest["tables"]["children_child"]["rows"] == world["children"]

    restored = _joinedup(
        "restore", str(backup_file), "--database-url", target_url, database_url=live_url
    )
    assert restored.returncode == 0, restored.stderr
    assert "each table's rows and checksum the same" in restored.stdout
    assert summarise(target) == before
    # The live database's audit trail says a full copy was made, after the copy itself.
    if connection.vendor == "postgresql":
        entry = AuditEntry.objects.filter(
            verb=AuditVerb.EXPORT, actor_label="joinedup backup"
        ).get()
        assert entry.detail["backup"] == "nightly.backup"
    else:
        with closing(sqlite3.connect(live.path)) as database:
            labels = database.execute(
                "SELECT actor_label, detail FROM core_auditentry WHERE verb = 'export'"
            ).fetchall()
        assert [label for label, _ in labels] == ["joinedup backup"]


def test_a_restore_that_differs_from_the_manifest_fails_naming_the_table(
    world, source, fresh, tmp_path
):
    live, _ = source
    target, _ = fresh
    backup_file = tmp_path / "copy.backup"
    backup(live, backup_file)
    manifest_file = backup_file.with_name("copy.backup.manifest.json")
    manifest = json.loads(manifest_file.read_text())
    # As if a row were lost between the backup and the restore.
    manifest["tables"]["children_child"]["rows"] += 1
    manifest["tables"]["referrals_referral"]["checksum"] = "0" * 64
    manifest_file.write_text(json.dumps(manifest))

    with pytest.raises(BackupError) as refused:
        restore(backup_file, target)
    message = str(refused.value)
    assert (
        f"children_child: {world['children']} rows restored, {world['children'] + 1} backed up"
        in message
    )
    assert "referrals_referral: the rows restored are not the rows backed up" in message


def test_nothing_is_restored_over_a_database_that_holds_data(world, source, tmp_path):
    live, _ = source
    backup_file = tmp_path / "copy.backup"
    backup(live, backup_file)
    before = summarise(live)
    with pytest.raises(BackupError, match="already holds tables: restore into a new, empty"):
        restore(backup_file, live)
    assert summarise(live) == before


def test_a_backup_never_overwrites_a_file_and_a_restore_needs_its_manifest(
    world, source, fresh, tmp_path
):
    live, _ = source
    target, _ = fresh
    existing = tmp_path / "yesterday.backup"
    existing.write_text("yesterday's backup")
    with pytest.raises(BackupError, match="already exists: choose a new file name"):
        backup(live, existing)
    assert existing.read_text() == "yesterday's backup"

    backup_file = tmp_path / "today.backup"
    backup(live, backup_file)
    backup_file.with_name("today.backup.manifest.json").unlink()
    with pytest.raises(
        BackupError, match=r"There is no manifest at .*today\.backup\.manifest\.json"
    ):
        restore(backup_file, target)
    with pytest.raises(BackupError, match="There is no backup at"):
        restore(tmp_path / "no-such.backup", target)


def test_the_command_says_what_is_wrong_in_plain_words(tmp_path):
    # A CommandError is printed as its message alone, without a traceback.
    with pytest.raises(CommandError, match="There is no backup at"):
        call_command("restore", str(tmp_path / "no-such.backup"))
    with pytest.raises(CommandError, match="Not a database address: 'mysql://somewhere/db'"):
        call_command("restore", str(tmp_path / "x.backup"), database_url="mysql://somewhere/db")
    with pytest.raises(CommandError, match="A SQLite address names a file"):
        call_command("restore", str(tmp_path / "x.backup"), database_url="sqlite:///")
