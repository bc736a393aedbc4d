"""The test database, migrated once and copied.

Migrating an empty database costs about 25 seconds, almost all of it Django working out the
models' state migration by migration (squashing the migrations does not help). Each pytest
worker used to pay it, on each database. Instead the migrations run once into a template,
named after a fingerprint of the code, and each worker's test database starts as a copy:

- SQLite: `var/test-templates/<fingerprint>.sqlite3`, copied into the worker's in-memory
  database with SQLite's backup API (as Django's own parallel test runner does);
- PostgreSQL: a database `joinedup_template_<fingerprint>` on the test server, copied with
  `CREATE DATABASE ... TEMPLATE` (as Django's parallel runner does).

`make test` builds the SQLite template on the core that mypy leaves free, and the PostgreSQL
one before its workers start (scripts/pytest-postgres.sh). With no template for the current
code, a worker migrates as before, so a stale template can never be used: any change to a
Python file under joinedup/ or to pyproject.toml gives another fingerprint.

    python -m tests.database_template sqlite     # build the SQLite template if missing
    python -m tests.database_template postgres   # the same on the server at DATABASE_URL
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
SQLITE_TEMPLATES = REPO_ROOT / "var" / "test-templates"


@cache
def fingerprint() -> str:
    """What the migrated database depends on: the app's code (its migrations, and what their
    data steps import) and the pinned packages (Django's own migrations and the apps')."""
    digest = hashlib.sha256()
    sources = [*sorted((REPO_ROOT / "joinedup").rglob("*.py")), REPO_ROOT / "pyproject.toml"]
    for path in sources:
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def sqlite_template() -> Path:
    return SQLITE_TEMPLATES / f"{fingerprint()}.sqlite3"


def postgres_template() -> str:
    return f"joinedup_template_{fingerprint()}"


def _migrate(**environment: str) -> None:
    env = {**os.environ, **environment}
    if "SQLITE_PATH" in environment:
        env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
    )


def build_sqlite() -> Path:
    """Migrate a fresh SQLite file into the template, unless it is already there. Written
    under another name and renamed when complete, so a half-built template is never used."""
    template = sqlite_template()
    if template.exists():
        return template
    SQLITE_TEMPLATES.mkdir(parents=True, exist_ok=True)
    for old in SQLITE_TEMPLATES.glob("*.sqlite3*"):
        old.unlink(missing_ok=True)
    building = template.with_name(f"{template.stem}.{os.getpid()}.building")
    _migrate(SQLITE_PATH=str(building))
    with sqlite3.connect(building) as connection:
        # A rollback journal, not WAL: the copies are in memory.
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    for leftover in SQLITE_TEMPLATES.glob(f"{building.name}-*"):
        leftover.unlink(missing_ok=True)
    os.replace(building, template)
    return template


def _postgres_admin() -> Any:
    """An autocommit connection to the server's maintenance database, as DATABASE_URL's user."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    return psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    )


def build_postgres() -> str:
    """Migrate a fresh database on the server at DATABASE_URL into the template, unless it is
    there already; renamed into place when complete."""
    template = postgres_template()
    building = f"{template}_building"
    with _postgres_admin() as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            return template
        admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
        admin.execute(f'CREATE DATABASE "{building}"')
    # The same server and credentials, another database: only the URL's path changes.
    _migrate(
        DATABASE_URL=urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{building}").geturl()
    )
    with _postgres_admin() as admin:
        admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    return template


# Creating a worker's test database from the template.


def install() -> None:
    """Make Django create test databases from the template when one exists for this code."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.create_test_db
    if getattr(original, "from_template", False):
        return

    def create_test_db(
        self: Any,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        vendor = self.connection.vendor
        if keepdb or not _template_exists(self.connection):
            return original(self, verbosity, autoclobber, serialize, keepdb)
        return _create_from_template(self, vendor, serialize)

    create_test_db.from_template = True  # type: ignore[attr-defined]
    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]


def _template_exists(connection: Any) -> bool:
    if connection.vendor == "sqlite":
        return (
            connection.creation.is_in_memory_db(connection.creation._get_test_db_name())
            and sqlite_template().exists()
        )
    if connection.vendor == "postgresql":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [postgres_template()])
            return cursor.fetchone() is not None
    return False


def _create_from_template(creation: Any, vendor: str, serialize: bool) -> str:
    """Django's create_test_db with a copy of the template in place of `migrate`."""
    from django.conf import settings
    from django.core.management import call_command

    connection = creation.connection
    name = creation._get_test_db_name()
    if vendor == "postgresql":
        quoted = connection.ops.quote_name(name)
        template = connection.ops.quote_name(postgres_template())
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE {template}")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(sqlite_template())
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return name


if __name__ == "__main__":
    kinds = {"sqlite": build_sqlite, "postgres": build_postgres}
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.exit(f"usage: python -m tests.database_template {'|'.join(kinds)}")
    print(f"Test database template: {kinds[sys.argv[1]]()}")
