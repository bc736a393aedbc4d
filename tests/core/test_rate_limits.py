"""Rate limits (issue 10, docs/security.md): the child search, the directory search and the
referral API each allow so many uses a minute to each person, token or address, then refuse
with 429 and say when to try again; the counts are shared by every server process and cannot be
raced past."""

from __future__ import annotations

import json
import logging
import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from joinedup.core import rate_limits
from joinedup.core.models import RateLimitHits
from joinedup.core.roles import Role
from joinedup.records.services import retention_apply
from joinedup.referrals.models import Referral
from tests.conftest import make_person, sign_in_client
from tests.referrals.journey import easton_partner_token
from tests.referrals.test_api import payload, send

LIMIT = 3


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        rate_limits.CHILD_SEARCH: LIMIT,
        rate_limits.DIRECTORY_SEARCH: LIMIT,
        rate_limits.REFERRAL_API: LIMIT,
    }
    return settings


def _search_children(client: Client, words: str = "Okafor"):
    return client.post(reverse("children:search"), {"q": words})


def test_a_person_searching_for_children_too_often_is_told_to_wait(db, limits, caplog):
    keyworker = sign_in_client(Client(), make_person(Role.KEYWORKER, full_name="Kit Keyworker"))
    # Opening the search page is not a search.
    for _ in range(LIMIT + 2):
        assert keyworker.get(reverse("children:search")).status_code == 200
    for _ in range(LIMIT):
        assert _search_children(keyworker).status_code == 200

    with caplog.at_level(logging.WARNING, logger="joinedup.core.rate_limits"):
        refused = _search_children(keyworker)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    page = refused.content.decode()
    assert "Too many searches for a child in a minute" in page
    assert f"allows {LIMIT} searches for a child a minute" in page
    assert f"Wait {refused['Retry-After']} second" in page
    # Someone may be harvesting records: said once, by account number, never by name.
    said = [r.getMessage() for r in caplog.records if r.name == "joinedup.core.rate_limits"]
    assert said == [
        f"Rate limit reached: child-search, {LIMIT} a minute, client user:"
        f"{keyworker.session['_auth_user_id']}"
    ]
    assert _search_children(keyworker).status_code == 429
    assert len([r for r in caplog.records if r.name == "joinedup.core.rate_limits"]) == 1

    # Each person has their own allowance.
    colleague = sign_in_client(Client(), make_person(Role.KEYWORKER))
    assert _search_children(colleague).status_code == 200


def test_the_public_directory_is_limited_by_address_and_behind_a_proxy_by_the_real_one(db, limits):
    url = reverse("directory:search")
    first_visitor = Client(REMOTE_ADDR="203.0.113.7")
    assert all(first_visitor.get(url).status_code == 200 for _ in range(LIMIT + 1))
    for number in range(LIMIT):
        assert first_visitor.get(url, {"q": f"football {number}"}).status_code == 200
    refused = first_visitor.get(url, {"q": "football"})
    assert refused.status_code == 429
    assert "Too many searches of the directory in a minute" in refused.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.8").get(url, {"q": "football"}).status_code == 200

    # Behind a proxy every request comes from the proxy: the visitor is the last address the
    # proxy added, not whatever the browser claimed before it.
    limits.BEHIND_PROXY = True
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(LIMIT):
        assert (
            proxy.get(url, {"q": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1").status_code
            == 200
        )
    assert (
        proxy.get(url, {"q": "x"}, HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.1").status_code == 429
    )
    assert (
        proxy.get(url, {"q": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.2").status_code == 200
    )


@pytest.fixture
def tokens(db) -> tuple[str, str]:
    """Two organisations' systems, and the Easton panel they refer to."""
    return easton_partner_token("Easton Youth Project"), easton_partner_token("Easton Academy")


def test_a_token_sending_too_many_referrals_is_told_when_to_retry(client, limits, tokens):
    first, second = tokens
    for number in range(LIMIT):
        made = send(client, payload(), key=first, idempotency_key=f"key-{number}")
        assert made.status_code == 201, made.content

    refused = send(client, payload(), key=first, idempotency_key="key-over")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    problem = json.loads(refused.content)
    assert problem["status"] == 429
    assert problem["title"] == "Too many requests in a minute"
    assert "same Idempotency-Key" in problem["detail"]
    # Refused before anything was made.
    assert Referral.objects.count() == LIMIT

    assert send(client, payload(), key=second, idempotency_key="other").status_code == 201
    # No token, or a wrong one, is told so first: the limit is each token's.
    assert send(client, payload(), key=None, idempotency_key="none").status_code == 401


def test_the_api_document_describes_the_refusal(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/referrals"]["post"]["responses"]
    assert "Retry-After" in responses["429"]["description"]


def test_a_limit_of_zero_is_no_limit(db, limits):
    limits.RATE_LIMITS = {rate_limits.CHILD_SEARCH: 0}
    keyworker = sign_in_client(Client(), make_person(Role.KEYWORKER))
    assert all(_search_children(keyworker).status_code == 200 for _ in range(LIMIT + 3))
    assert not RateLimitHits.objects.exists()


def test_each_minute_starts_afresh_and_counts_unused_for_a_day_are_forgotten(db, limits):
    start = 1_700_000_040  # a whole minute, in 2023
    outcomes = [rate_limits.hit(rate_limits.CHILD_SEARCH, "user:1", now=start + 5) for _ in "1234"]
    assert [outcome.allowed for outcome in outcomes] == [True, True, True, False]
    assert outcomes[-1].retry_after == 55
    again = rate_limits.hit(rate_limits.CHILD_SEARCH, "user:1", now=start + 60)
    assert again.allowed and again.hits == 1
    # One row a client, whose count starts again each minute; who asked is not kept in clear.
    count = RateLimitHits.objects.get()
    assert (count.hits, count.window_start) == (1, start + 60)
    assert "user:1" not in count.client

    day = rate_limits.KEPT_SECONDS
    assert rate_limits.forget_old_counts(now=start + 60 + day) == 0
    assert rate_limits.forget_old_counts(now=start + 61 + day) == 1
    # The nightly retention run forgets them.
    rate_limits.hit(rate_limits.DIRECTORY_SEARCH, "address:203.0.113.7", now=start)
    retention_apply(today=date.today())
    assert not RateLimitHits.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_are_each_counted(limits):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; PostgreSQL is where requests race")
    callers = 8
    barrier = threading.Barrier(callers)
    allowed: list[bool] = []

    def search() -> None:
        try:
            barrier.wait()
            outcome = rate_limits.hit(rate_limits.CHILD_SEARCH, "user:7", now=1_800_000_010)
            allowed.append(outcome.allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=search) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert RateLimitHits.objects.get().hits == callers
    assert sorted(allowed) == [False] * (callers - LIMIT) + [True] * LIMIT
