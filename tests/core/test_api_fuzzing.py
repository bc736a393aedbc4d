"""API fuzzing (issue 10, docs/security.md): schemathesis sends generated requests, valid and
invalid, to every operation of both APIs, through the real WSGI application.

- The referral API (`/api/v1/`), against its own OpenAPI document: no request gets a server
  error, and every answer is one the document describes (status, content type, headers, body).
- The Open Referral UK API (`/api/oruk/`), against the official ORUK OpenAPI document read from
  ../shared/standards: no request gets a server error, and every answer is JSON. (The official
  document lists only the 200 answers; a bad parameter's 400 and an unknown id's 404 are
  checked by tests/directory/test_oruk_api.py. Its bodies are checked there too, against the
  official schemas.)

The number of examples is bounded, and the examples are derived from the test's name rather
than chosen at random, so that every run sends the same requests: a failure found once is
found again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.directory.oruk_support import SCHEMAS, full_service
from tests.referrals.journey import easton_partner_token

EXAMPLES = 30
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi(db) -> Iterator[Any]:
    """The application as a server runs it, inside the test's transaction. Django's test client
    keeps its connection open across requests in the same way: a request's end would otherwise
    close the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def referral_api(wsgi) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)


@pytest.fixture
def partner_token(db) -> str:
    return easton_partner_token()


@pytest.fixture
def oruk_api(wsgi) -> Any:
    """The official ORUK document, served from the ORUK API's root. Its answers' bodies refer
    to the official schemas by their GitHub addresses; these tests check only that no answer is
    a server error and that each is JSON, so those references are left out rather than
    fetched."""
    document = json.loads((SCHEMAS / "openapi.json").read_text())

    def without_remote_references(node: Any) -> Any:
        if isinstance(node, dict):
            if str(node.get("$ref", "")).startswith("http"):
                return {}
            if node.get("type") == "time":
                # The official document gives start_time and end_time the type "time", which
                # OpenAPI has not got: they are strings in the format HH:MM.
                return {**node, "type": "string", "format": "time"}
            return {key: without_remote_references(value) for key, value in node.items()}
        if isinstance(node, list):
            return [without_remote_references(value) for value in node]
        return node

    document = without_remote_references(document)
    document["servers"] = [{"url": "/api/oruk"}]
    schema = schemathesis.openapi.from_dict(document)
    schema.app = wsgi
    return schema


def fuzz(schema: Any, examine: Callable[[Any], None]) -> None:
    """Send EXAMPLES requests of each kind to the schema's operations: requests the document
    allows, then requests it forbids (wrong types, missing fields, values out of range)."""
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=schema.as_strategy(generation_mode=mode))
        @FUZZ_SETTINGS
        def send(case: Any) -> None:
            examine(case)

        send()


def test_the_referral_api_answers_every_request_as_its_document_says(referral_api, partner_token):
    def examine(case: Any) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Token {partner_token}"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_headers_conformance,
                response_schema_conformance,
            ],
        )

    fuzz(referral_api, examine)


@pytest.fixture
def directory(db) -> None:
    """A service with every table of the directory filled, for the requests to find."""
    full_service()


def test_the_open_referral_api_never_fails_whatever_it_is_asked(oruk_api, directory):
    def examine(case: Any) -> None:
        response = case.call_and_validate(checks=[not_a_server_error])
        content_type = {name.lower(): value for name, value in response.headers.items()}.get(
            "content-type", [""]
        )[0]
        assert content_type.startswith("application/json"), (
            f"{response.status_code} {content_type!r}: {case.as_curl_command()}"
        )

    fuzz(oruk_api, examine)
