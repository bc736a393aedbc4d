"""The demo data, loaded once per test worker and replayed after that.

About forty tests (most browser journeys) start from `load_demo_data()` on an empty test
database, and a real load costs seconds. The first load from a given starting point is real;
what it wrote (every row added, changed or removed, and the emails sent, including those sent
when it commits) is kept, and a later call from exactly the same starting point writes those
rows again in one transaction, which takes a fraction of the time. Every test still gets its
own copy of the data, in its own transaction or its own flushed database, so tests stay as
isolated as before.

The starting point is the whole content of the database (every table the app's models own,
row by row), whether the call runs inside a transaction (a test's, whose on-commit emails never
go) or not (a browser journey's, whose do), the settings, the day, and the arguments. Anything
else (a test that made a person first, loads twice, or changed a setting) gets a real load.
The loader itself stays tested by tests/demo/, which see the first, real, load of each worker,
and tests/demo/test_demo_replay.py shows that a replay writes exactly what a real load does.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

# After a flush, post_migrate makes these again with new ids: they are compared without ids.
# A load that changed them, or wrote rows pointing at them, is not replayed.
WITHOUT_IDS = {"django_content_type", "auth_permission"}
# Database triggers put a new random token here whenever the directory changes; they do so
# when a replay writes the directory's rows too.
LEFT_TO_TRIGGERS = {"directory_searchindexstate"}
# The audit log refuses updates and deletes (a trigger); a load only ever adds to it.
APPEND_ONLY = {"core_auditentry"}


@dataclass
class Recording:
    """What one real load wrote, model by model."""

    logins: Any
    removed: dict[type[models.Model], list[Any]] = field(default_factory=dict)
    written: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    emails: list[Any] = field(default_factory=list)


# Starting point's key -> the recording, or None where a load from there cannot be replayed.
RECORDINGS: dict[str, Recording | None] = {}
STATS = {"real": 0, "replayed": 0}


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _rows(model: type[models.Model]) -> dict[Any, tuple[Any, ...]]:
    meta = model._meta
    columns = [f.column for f in meta.concrete_fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(meta.db_table)}")
        rows = cursor.fetchall()
    pk_index = columns.index(meta.pk.column)
    return {row[pk_index]: tuple(row) for row in rows}


def _state() -> dict[type[models.Model], dict[Any, tuple[Any, ...]]]:
    return {
        model: _rows(model) for model in _models() if model._meta.db_table not in LEFT_TO_TRIGGERS
    }


def _key(state: dict[type[models.Model], dict[Any, tuple[Any, ...]]], call: Any) -> str:
    digest = hashlib.sha256()
    by_table = {model._meta.db_table: (model, rows) for model, rows in state.items()}
    content_types = {pk: row[1:] for pk, row in by_table["django_content_type"][1].items()}
    for table, (model, rows) in sorted(by_table.items()):
        digest.update(table.encode())
        if table in WITHOUT_IDS:
            columns = [f.attname for f in model._meta.concrete_fields]
            natural = sorted(
                repr(
                    tuple(
                        content_types.get(value) if column == "content_type_id" else value
                        for column, value in zip(columns, row, strict=True)
                        if column != "id"
                    )
                )
                for row in rows.values()
            )
            digest.update(repr(natural).encode())
        else:
            digest.update(repr(sorted(map(repr, rows.values()))).encode())
    # A set: with settings overridden, dir() names an overridden setting more than once.
    user_settings = sorted(
        {(name, repr(getattr(settings, name))) for name in dir(settings) if name.isupper()}
    )
    digest.update(repr((call, user_settings, timezone.localdate())).encode())
    digest.update(repr(connection.in_atomic_block).encode())
    return digest.hexdigest()


def _points_at_ids_a_flush_changes(model: type[models.Model]) -> bool:
    return any(
        f.is_relation
        and f.related_model is not None
        and f.related_model._meta.db_table in WITHOUT_IDS
        for f in model._meta.concrete_fields
    )


def _record(
    before: dict[type[models.Model], dict[Any, tuple[Any, ...]]],
    after: dict[type[models.Model], dict[Any, tuple[Any, ...]]],
    logins: Any,
    emails: list[Any],
) -> Recording | None:
    recording = Recording(logins=copy.deepcopy(logins), emails=emails)
    for model, rows in after.items():
        old = before[model]
        removed = [pk for pk in old if pk not in rows]
        changed = {pk for pk, row in rows.items() if old.get(pk) != row}
        if not removed and not changed:
            continue
        table = model._meta.db_table
        if table in WITHOUT_IDS or model._meta.parents or _points_at_ids_a_flush_changes(model):
            return None
        if table in APPEND_ONLY and (removed or any(pk in old for pk in changed)):
            return None
        recording.removed[model] = removed + [pk for pk in changed if pk in old]
        pk = model._meta.pk
        recording.written[model] = [
            obj
            for obj in model._base_manager.all()
            if pk.get_db_prep_value(obj.pk, connection) in changed
        ]
        if len(recording.written[model]) != len(changed):
            return None
    return recording


def _replay(recording: Recording) -> Any:
    with transaction.atomic():
        for model, pks in recording.removed.items():
            if pks:
                model._base_manager.filter(pk__in=pks)._raw_delete(connection.alias)
        for model, objs in recording.written.items():
            fields = [f for f in model._meta.local_concrete_fields if not f.generated]
            batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), batch):
                # raw: the values as recorded, not what auto_now or defaults would give now.
                model._base_manager._insert(objs[start : start + batch], fields=fields, raw=True)
        statements = connection.ops.sequence_reset_sql(no_style(), list(recording.written))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    outbox = getattr(mail, "outbox", None)
    if outbox is not None:
        outbox.extend(copy.deepcopy(recording.emails))
    return copy.deepcopy(recording.logins)


def replaying(load: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(load)

    @functools.wraps(load)
    def load_demo_data(*args: Any, **kwargs: Any) -> Any:
        # load_demo_data() and load_demo_data(seed=DEFAULT_SEED) (the command's call) are one.
        call = signature.bind(*args, **kwargs)
        call.apply_defaults()
        before = _state()
        key = _key(before, sorted(call.arguments.items()))
        if key in RECORDINGS and RECORDINGS[key] is not None:
            STATS["replayed"] += 1
            return _replay(RECORDINGS[key])  # type: ignore[arg-type]
        outbox = getattr(mail, "outbox", None)
        sent = len(outbox) if outbox is not None else 0
        logins = load(*args, **kwargs)
        STATS["real"] += 1
        if key not in RECORDINGS:
            emails = copy.deepcopy(outbox[sent:]) if outbox is not None else []
            RECORDINGS[key] = _record(before, _state(), logins, emails)
        return logins

    load_demo_data.replays_recordings = True  # type: ignore[attr-defined]
    load_demo_data.real = load  # type: ignore[attr-defined]
    return load_demo_data


def install() -> None:
    """Before the test modules are imported, so that `from joinedup.demo.loader import
    load_demo_data` (and the management command) get the replaying loader."""
    from joinedup.demo import loader

    # JOINEDUP_DEMO_REPLAY=0 loads for real every time (to compare, or to rule the replay out).
    if os.environ.get("JOINEDUP_DEMO_REPLAY", "1") == "0":
        return

    if not getattr(loader.load_demo_data, "replays_recordings", False):
        loader.load_demo_data = replaying(loader.load_demo_data)
