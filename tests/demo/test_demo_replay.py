"""tests/demo_replay.py replays a recorded demo load instead of loading it again: these tests
show that a replay leaves the database exactly as a real load does, and that anything but the
same starting point gets a real load."""

import os

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from joinedup.demo import loader
from joinedup.demo.loader import DEFAULT_SEED, load_demo_data
from tests import demo_replay
from tests.conftest import make_person

pytestmark = pytest.mark.skipif(
    os.environ.get("JOINEDUP_DEMO_REPLAY", "1") == "0", reason="JOINEDUP_DEMO_REPLAY=0"
)


@pytest.fixture
def fresh_recordings(monkeypatch):
    """No recording from earlier tests in this worker, and counts for this test alone."""
    monkeypatch.setattr(demo_replay, "RECORDINGS", {})
    monkeypatch.setattr(demo_replay, "STATS", {"real": 0, "replayed": 0})


def _everything(*, ids_of_post_migrate_rows: bool = True) -> dict[str, list[str]]:
    """Every row of every table, ids and times included: a replay writes the recorded values.
    A flush makes the content types and permissions again with new ids."""
    return {
        model._meta.db_table: sorted(map(repr, rows.values()))
        for model, rows in demo_replay._state().items()
        if ids_of_post_migrate_rows or model._meta.db_table not in demo_replay.WITHOUT_IDS
    }


def _emails() -> list[tuple[str, str, list[str]]]:
    return [(m.subject, m.body, m.to) for m in mail.outbox]


def _load_and_look(**kwargs):
    """Load inside a savepoint that is then rolled back, so the next load starts afresh."""
    sent = len(mail.outbox)
    with transaction.atomic():
        logins = load_demo_data(**kwargs)
        seen = (logins, _everything(), _emails()[sent:])
        transaction.set_rollback(True)
    return seen


def test_the_tests_load_the_demo_through_the_replaying_loader():
    assert getattr(loader.load_demo_data, "replays_recordings", False)
    assert load_demo_data is loader.load_demo_data


def test_a_replay_writes_exactly_what_the_real_load_wrote(db, fresh_recordings):
    before = _everything()
    real = _load_and_look()
    assert demo_replay.STATS == {"real": 1, "replayed": 0}
    assert _everything() == before
    replayed = _load_and_look()
    assert demo_replay.STATS == {"real": 1, "replayed": 1}
    assert replayed == real
    assert sum(map(len, real[1].values())) > sum(map(len, before.values()))
    # The command passes the seed: the same load as a plain call, so replayed too.
    with transaction.atomic():
        call_command("load_demo_data", verbosity=0)
        transaction.set_rollback(True)
    assert demo_replay.STATS == {"real": 1, "replayed": 2}
    # Loading again over a replay adds nothing, as test_demo_data.py shows for a real load.
    first = load_demo_data()
    counts = {table: len(rows) for table, rows in _everything().items()}
    second = load_demo_data()
    assert demo_replay.STATS == {"real": 2, "replayed": 3}
    assert first == second
    assert {table: len(rows) for table, rows in _everything().items()} == counts


def test_anything_but_the_same_starting_point_gets_a_real_load(db, settings, monkeypatch):
    def key(**arguments):
        return demo_replay._key(demo_replay._state(), sorted(arguments.items()))

    start = key(seed=DEFAULT_SEED)
    assert key(seed=DEFAULT_SEED) == start
    assert key(seed=7) != start
    site = settings.JOINEDUP_SITE_URL
    settings.JOINEDUP_SITE_URL = "https://elsewhere.example"
    assert key(seed=DEFAULT_SEED) != start
    settings.JOINEDUP_SITE_URL = site
    assert key(seed=DEFAULT_SEED) == start
    # Outside a test's transaction the load commits, and sends what it sends on commit.
    with monkeypatch.context() as patched:
        patched.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", False)
        assert key(seed=DEFAULT_SEED) != start
    make_person(None, full_name="Someone Already Here")
    assert key(seed=DEFAULT_SEED) != start


@pytest.mark.django_db(transaction=True)
def test_a_committed_replay_matches_a_committed_load_and_its_emails(fresh_recordings):
    """Outside a test's transaction (as in a browser journey) the load commits, and the
    emails it sends on commit are replayed too. A flushed database is the starting point."""
    call_command("flush", verbosity=0, interactive=False)
    mail.outbox.clear()
    real_logins = load_demo_data()
    real = (_everything(ids_of_post_migrate_rows=False), _emails())
    call_command("flush", verbosity=0, interactive=False)
    mail.outbox.clear()
    replayed_logins = load_demo_data()
    assert demo_replay.STATS == {"real": 1, "replayed": 1}
    assert replayed_logins == real_logins
    assert (_everything(ids_of_post_migrate_rows=False), _emails()) == real
    assert real[1]
