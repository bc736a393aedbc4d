"""Shared personas: one person per role, each in their own organisation, like Healthchecks'
named test users. `sign_in` logs a persona in with two-factor already passed."""

import os
from typing import Any

import pytest
from django.test import Client

from joinedup.accounts.models import User
from joinedup.core.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory, UserFactory


def make_person(role: Role | None, **user_fields: Any) -> User:
    user = UserFactory(**user_fields)
    if role is not None:
        MembershipFactory(user=user, role=role, organisation=OrganisationFactory())
        TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def person_with_role(db):
    return make_person


@pytest.fixture
def admin_user(db) -> User:
    return make_person(Role.SYSTEM_ADMIN, full_name="Ada Admin")


@pytest.fixture
def ig_officer(db) -> User:
    return make_person(Role.IG_OFFICER, full_name="Ira Governance")


@pytest.fixture
def keyworker(db) -> User:
    return make_person(Role.KEYWORKER, full_name="Kit Keyworker")


@pytest.fixture
def strategic_manager(db) -> User:
    return make_person(Role.STRATEGIC_MANAGER, full_name="Sam Strategic")


def sign_in_client(client: Client, user: User) -> Client:
    """Log in and mark the session as having passed two-factor, as django-otp does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def sign_in(client):
    def _sign_in(user: User) -> Client:
        return sign_in_client(client, user)

    return _sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a password; the tests are about behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    from django.conf import settings

    # WhiteNoise lists the static files of every app whenever a request handler is built, and
    # the test client builds one for every test (a twentieth of the suite's time); its
    # development mode looks a file up when it is asked for instead. The browser journeys
    # fetch the static files through the live server either way.
    settings.WHITENOISE_AUTOREFRESH = True

    from tests import database_template, demo_replay, log_watch

    demo_replay.install()
    database_template.install()
    log_watch.configure()


def _runs_tests(config) -> bool:
    """Whether this process runs tests (not the xdist controller handing them out)."""
    return hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None)


def pytest_sessionstart(session):
    if _runs_tests(session.config):
        from tests import log_watch

        log_watch.start()


def pytest_sessionfinish(session, exitstatus):
    """A log line naming a child fails the run (tests/log_watch.py), once every worker is done."""
    from tests import log_watch

    if _runs_tests(session.config):
        log_watch.finish()
    if hasattr(session.config, "workerinput"):
        return
    leaks = log_watch.leaks()
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_sep(
            "=", "a child's name was written to the logs (tests/log_watch.py)", red=True
        )
        for line in leaks[:20]:
            reporter.write_line(line, red=True)
        if len(leaks) > 20:
            reporter.write_line(f"... and {len(leaks) - 20} more lines", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# The slowest tests run first within each of pytest-django's groups (tests in a transaction,
# then tests that flush the database, such as the browser journeys, then tests with no
# database: a flush removes the rows the migrations seed, so that order must stay). Spread over
# the workers from the start, they do not leave one worker finishing a long journey while the
# other waits (the Makefile hands tests out four at a time with --maxschedchunk).
SLOW_FIRST = (
    "tests/browser/test_panel_acceptance_journey.py",
    "tests/browser/",
    "tests/core/test_access_policy.py",
    "tests/children/test_pseudonym_everywhere.py",
    "tests/demo/",
    "tests/core/test_query_budgets.py",
)


def _django_group(item) -> int:
    """pytest-django's order: 0 in a transaction, 1 flushing the database, 2 no database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    flushes = "live_server" in fixtures or "transactional_db" in fixtures
    if marker is not None:
        flushes = flushes or bool(
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        )
    if flushes:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


def _slowness(item) -> int:
    path = item.path.as_posix()
    for rank, part in enumerate(SLOW_FIRST):
        if f"/{part}" in path:
            return rank
    return len(SLOW_FIRST)


# Left out of the PostgreSQL run, as tests about the code rather than the database (prefixes of
# node ids): that every form has a row in the bad-input table; and the access-policy matrix,
# whose answers come from the policy table and the middleware. On PostgreSQL every page about a
# child, and every page that takes no record, is still opened by nine personas in
# tests/children/test_pseudonym_everywhere.py, which checks the need-to-know reads behind them;
# the pages about people, organisations and services have their own view tests on both.
SAME_ON_EVERY_DATABASE = (
    "tests/accounts/test_bad_input.py::test_every_form_in_the_app_has_a_row_in_the_table",
    "tests/core/test_access_policy.py::test_each_persona_gets_what_the_policy_says_on_every_page[",
)


def _repeats_on_second_database(item) -> bool:
    return _django_group(item) != 2 and not item.nodeid.startswith(SAME_ON_EVERY_DATABASE)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: (_django_group(item), _slowness(item)))
    # The PostgreSQL run (make test-postgres) repeats only what can differ by database: a test
    # that uses none runs the same code either way, and has already run on SQLite.
    if os.environ.get("JOINEDUP_SECOND_DATABASE_RUN") == "1":
        kept = [item for item in items if _repeats_on_second_database(item)]
        dropped = [item for item in items if not _repeats_on_second_database(item)]
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
