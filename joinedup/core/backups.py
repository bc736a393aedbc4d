"""Backing the database up and restoring it, proven by a manifest (docs/operations.md).

A backup is two files: the database's own copy (SQLite's online backup; `pg_dump`'s custom
format on PostgreSQL) and beside it `<backup>.manifest.json`, which lists every table with its
number of rows and a checksum of its rows. A restore writes the copy into an empty database,
then counts and checksums every table again and compares: a restore that does not give back
exactly what was backed up says which tables differ and fails.

The manifest describes the same moment as the copy. SQLite's copy is checksummed itself, once
written. On PostgreSQL the checksums are read inside one transaction whose snapshot `pg_dump`
is handed (`--snapshot`), so both see the database as it was at one instant, however much is
written meanwhile.

A table's checksum is the sum, modulo 2^256, of the SHA-256 of each row: it does not depend on
the order rows are read in, so no table needs sorting, and unlike an exclusive-or a row
present twice does not cancel itself out."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

MANIFEST_FORMAT = 1
_MODULUS = 2**256
_BATCH = 5_000


class BackupError(Exception):
    """A backup or restore that cannot be done or did not give back what was backed up; the
    message says what to do."""


@dataclass(frozen=True)
class Database:
    """Where a database is: a SQLite file, or a PostgreSQL server's database."""

    vendor: str  # "sqlite" or "postgresql"
    path: Path | None = None  # SQLite
    settings: dict[str, Any] | None = None  # PostgreSQL: NAME, USER, PASSWORD, HOST, PORT

    @classmethod
    def from_django(cls, alias: str = "default") -> Database:
        from django.db import connections

        settings = connections[alias].settings_dict
        vendor = connections[alias].vendor
        if vendor == "sqlite":
            return cls("sqlite", path=Path(settings["NAME"]))
        if vendor == "postgresql":
            return cls("postgresql", settings=dict(settings))
        raise BackupError(f"Backups work on SQLite and PostgreSQL, not {vendor}.")

    @classmethod
    def from_url(cls, url: str) -> Database:
        """A database named as DATABASE_URL names one: postgres://… or sqlite:///path."""
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            # sqlite:////var/db.sqlite3 is the absolute path /var/db.sqlite3.
            path = "/" + unquote(parsed.path).lstrip("/")
            if path == "/":
                raise BackupError("A SQLite address names a file: sqlite:////full/path.sqlite3")
            return cls("sqlite", path=Path(path))
        if parsed.scheme in ("postgres", "postgresql"):
            return cls(
                "postgresql",
                settings={
                    "NAME": unquote(parsed.path.lstrip("/")),
                    "USER": unquote(parsed.username or ""),
                    "PASSWORD": unquote(parsed.password or ""),
                    "HOST": parsed.hostname or "",
                    "PORT": str(parsed.port or ""),
                },
            )
        raise BackupError(f"Not a database address: {url!r} (postgres://… or sqlite:///…)")

    def describe(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite file {self.path}"
        assert self.settings is not None
        host = self.settings.get("HOST") or "the local socket"
        return f"PostgreSQL database {self.settings['NAME']!r} on {host}"

    def libpq_environment(self) -> dict[str, str]:
        """The PG* variables that point pg_dump, pg_restore and psycopg at this database, so
        that no password ever appears on a command line (where `ps` would show it)."""
        assert self.settings is not None
        wanted = {
            "PGDATABASE": self.settings.get("NAME"),
            "PGUSER": self.settings.get("USER"),
            "PGPASSWORD": self.settings.get("PASSWORD"),
            "PGHOST": self.settings.get("HOST"),
            "PGPORT": self.settings.get("PORT"),
        }
        return {key: str(value) for key, value in wanted.items() if value}


# Checksums.


def _row_digest(row: tuple[Any, ...]) -> int:
    return int.from_bytes(hashlib.sha256(repr(row).encode()).digest(), "big")


def _table_summary(cursor: Any, table: str) -> dict[str, Any]:
    """The table's rows and checksum, read in batches through `cursor` (on PostgreSQL a
    server-side cursor, so that a table of millions of rows is never held in memory)."""
    cursor.execute(f"SELECT * FROM {_quoted(table)}")  # noqa: S608 - a name from the catalogue
    rows = 0
    total = 0
    while batch := cursor.fetchmany(_BATCH):
        rows += len(batch)
        for row in batch:
            total = (total + _row_digest(tuple(row))) % _MODULUS
    return {"rows": rows, "checksum": f"{total:064x}"}


def _sqlite_tables(cursor: Any) -> list[str]:
    # Virtual tables (full-text indexes) are read through the shadow tables that hold them.
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


def _postgresql_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _read_only(path: Path) -> str:
    """A URI opening the SQLite file read-only (any character in its name escaped)."""
    return path.resolve().as_uri() + "?mode=ro"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def summarise_sqlite(path: Path) -> dict[str, dict[str, Any]]:
    """Every table of a SQLite file with its rows and checksum."""
    with closing(sqlite3.connect(_read_only(path), uri=True)) as database:
        cursor = database.cursor()
        return {table: _table_summary(cursor, table) for table in _sqlite_tables(cursor)}


def _summarise_postgresql(connection: Any) -> dict[str, dict[str, Any]]:
    found = {}
    for table in _postgresql_tables(connection.cursor()):
        with connection.cursor(name="joinedup_checksum") as rows:
            found[table] = _table_summary(rows, table)
    return found


@contextmanager
def postgresql_connection(database: Database) -> Iterator[Any]:
    """A psycopg connection to the PostgreSQL database, in autocommit mode."""
    import psycopg

    environment = database.libpq_environment()
    with psycopg.connect(
        dbname=environment.get("PGDATABASE", ""),
        user=environment.get("PGUSER"),
        password=environment.get("PGPASSWORD"),
        host=environment.get("PGHOST"),
        port=environment.get("PGPORT"),
        autocommit=True,
    ) as connection:
        yield connection


def summarise(database: Database) -> dict[str, dict[str, Any]]:
    """Every table of the database with its number of rows and checksum, as a manifest lists
    them."""
    if database.vendor == "sqlite":
        assert database.path is not None
        return summarise_sqlite(database.path)
    with postgresql_connection(database) as connection, _one_snapshot(connection):
        return _summarise_postgresql(connection)


@contextmanager
def _one_snapshot(connection: Any) -> Iterator[None]:
    """A read-only transaction that sees the database as it was at its start, throughout."""
    connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        yield
    finally:
        connection.execute("COMMIT")


# Backing up.


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest_path: Path
    tables: int
    rows: int


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def default_backup_path(database: Database, folder: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3" if database.vendor == "sqlite" else ".dump"
    return folder / f"joinedup-{stamp}{suffix}"


def _write_manifest(path: Path, database: Database, tables: dict[str, Any]) -> Path:
    manifest = {
        "format": MANIFEST_FORMAT,
        "vendor": database.vendor,
        "backup": path.name,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }
    target = manifest_path_for(path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    os.replace(partial, target)
    return target


def backup(database: Database, path: Path) -> BackupResult:
    """Copy the database to `path` (which must not exist) and write its manifest beside it.
    Safe while the app runs. Nothing is left at `path` if the backup fails part way."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name for the backup.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _private_file(partial)
        if database.vendor == "sqlite":
            tables = _backup_sqlite(database, partial)
        else:
            tables = _backup_postgresql(database, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    manifest = _write_manifest(path, database, tables)
    return BackupResult(
        path=path,
        manifest_path=manifest,
        tables=len(tables),
        rows=sum(table["rows"] for table in tables.values()),
    )


def _private_file(path: Path) -> None:
    """An empty file only its owner can read, made before anything is written into it: the
    copy holds every child's record, and must never be readable by other users of the server,
    not even while it is being written."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _backup_sqlite(database: Database, target: Path) -> dict[str, Any]:
    assert database.path is not None
    if not database.path.exists():
        raise BackupError(f"There is no database at {database.path}.")
    # SQLite's online backup: a consistent copy even while the app writes.
    with (
        closing(sqlite3.connect(database.path)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    with closing(sqlite3.connect(target)) as copy:
        # The copy keeps no write-ahead log beside it: one file is the whole backup.
        copy.execute("PRAGMA journal_mode=DELETE")
    return summarise_sqlite(target)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools "
            "(apt-get install postgresql-client)."
        )
    return found


def _run(command: list[str], database: Database) -> None:
    environment = {**os.environ, **database.libpq_environment()}
    finished = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        command, env=environment, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()}")


def _backup_postgresql(database: Database, target: Path) -> dict[str, Any]:
    pg_dump = _tool("pg_dump")
    with postgresql_connection(database) as connection, _one_snapshot(connection):
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the snapshot this transaction exported, while it stays open.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
            ],
            database,
        )
        return _summarise_postgresql(connection)


# Restoring.


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = manifest_path_for(path)
    if not path.exists():
        raise BackupError(f"There is no backup at {path}.")
    if not manifest_path.exists():
        raise BackupError(
            f"There is no manifest at {manifest_path}: without it the restore cannot be "
            "checked. Keep each backup's .manifest.json beside it."
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"The manifest {manifest_path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{manifest_path} is not a JoinedUp backup manifest.")
    return manifest


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between two summaries, a line per table, empty when they match."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            lines.append(f"{table}: missing from the restored database")
        elif table not in expected:
            lines.append(f"{table}: in the restored database but not in the backup")
        elif expected[table]["rows"] != found[table]["rows"]:
            lines.append(
                f"{table}: {found[table]['rows']} rows restored, {expected[table]['rows']} "
                "backed up"
            )
        elif expected[table]["checksum"] != found[table]["checksum"]:
            lines.append(f"{table}: the rows restored are not the rows backed up (checksum)")
    return lines


def restore(path: Path, database: Database) -> RestoreResult:
    """Write the backup at `path` into `database`, which must be empty, then check every
    table's rows and checksum against the manifest. Raises BackupError naming each table that
    differs."""
    manifest = read_manifest(path)
    if manifest["vendor"] != database.vendor:
        raise BackupError(
            f"This is a {manifest['vendor']} backup; it cannot be restored into "
            f"{database.describe()}."
        )
    if database.vendor == "sqlite":
        found = _restore_sqlite(path, database)
    else:
        found = _restore_postgresql(path, database)
    wrong = differences(manifest["tables"], found)
    if wrong:
        raise BackupError(
            "The restored database does not match the backup's manifest:\n  " + "\n  ".join(wrong)
        )
    return RestoreResult(tables=len(found), rows=sum(t["rows"] for t in found.values()))


def _restore_sqlite(path: Path, database: Database) -> dict[str, Any]:
    assert database.path is not None
    target = database.path
    if target.exists() and target.stat().st_size > 0:
        with closing(sqlite3.connect(_read_only(target), uri=True)) as existing:
            if _sqlite_tables(existing.cursor()):
                raise BackupError(
                    f"{database.describe()} already holds tables: restore into a new, empty "
                    "database, so that nothing is overwritten by mistake."
                )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    try:
        _private_file(partial)
        with (
            closing(sqlite3.connect(_read_only(path), uri=True)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
        found = summarise_sqlite(partial)
        with closing(sqlite3.connect(partial)) as copy:
            # The app runs SQLite with its write-ahead log (joinedup/settings.py).
            copy.execute("PRAGMA journal_mode=WAL")
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return found


def _restore_postgresql(path: Path, database: Database) -> dict[str, Any]:
    pg_restore = _tool("pg_restore")
    with postgresql_connection(database) as connection:
        if _postgresql_tables(connection.cursor()):
            raise BackupError(
                f"{database.describe()} already holds tables: restore into a new, empty "
                "database (createdb), so that nothing is overwritten by mistake."
            )
    # One transaction: a restore that fails part way leaves the database empty, not half.
    _run(
        [
            pg_restore,
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            database.libpq_environment().get("PGDATABASE", ""),
            str(path),
        ],
        database,
    )
    with postgresql_connection(database) as connection:
        # pg_restore brings no planner statistics; the reports need them (docs/operations.md).
        connection.execute("ANALYZE")
    return summarise(database)
