"""What every JoinedUp API shares: problem responses (RFC 9457) and idempotent POSTs."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView, exception_handler

from joinedup.core.models import IdempotencyRecord
from joinedup.core.rate_limits import Outcome, client_address, hit

PROBLEM = "application/problem+json"


def problem(
    status_code: int, title: str, detail: str = "", errors: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM)


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a flat list of {"field": "child.date_of_birth", ...}."""
    if isinstance(detail, dict):
        return [
            error
            for name, inner in detail.items()
            for error in _field_errors(inner, _path(prefix, str(name)))
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"field": prefix or "request", "message": str(item)} for item in detail]
        return [
            error
            for index, inner in enumerate(detail)
            for error in _field_errors(inner, f"{prefix}[{index}]")
        ]
    return [{"field": prefix or "request", "message": str(detail)}]


def _path(prefix: str, name: str) -> str:
    if name in {"non_field_errors", "__all__"}:
        return prefix or "request"
    return f"{prefix}.{name}" if prefix else name


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "The request body is not valid JSON",
            str(exc.detail),
            [{"field": "request", "message": "Send a JSON object."}],
        )
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "The request has errors",
            "Correct each field named in errors and send the request again.",
            _field_errors(exc.detail),
        )
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        limited = problem(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many requests in a minute",
            f"This token has sent as many requests as it may this minute. Wait {wait} "
            "seconds, then send the request again with the same Idempotency-Key.",
        )
        limited["Retry-After"] = str(wait)
        return limited
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    titled = problem(response.status_code, str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            titled[header] = response[header]
    return titled


def _request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(
    *, client: str, key: str | None, data: Any, perform: Callable[[], Response]
) -> Response:
    """Run `perform` once per (client, key). The change and its saved answer commit together;
    a retry with the same key and body gets the saved answer, a different body gets 422."""
    if not key:
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "Idempotency-Key header is missing",
            "Send a unique Idempotency-Key (for example a UUID) with every POST, and the same "
            "key when you retry it.",
        )
    if len(key) > 255:
        return problem(
            status.HTTP_400_BAD_REQUEST, "Idempotency-Key must be 255 characters or fewer"
        )
    digest = _request_hash(data)

    def replay(record: IdempotencyRecord) -> Response:
        if record.request_hash != digest:
            return problem(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                "Idempotency-Key already used for a different request",
                "Use a new key for a new request.",
            )
        response = Response(record.body, status=record.status_code)
        response["Idempotent-Replayed"] = "true"
        return response

    existing = IdempotencyRecord.objects.filter(client=client, key=key).first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            response = perform()
            # Only successes are kept: a refused request changed nothing, so the client may
            # correct it and send it again with the same key.
            if response.status_code < 300:
                IdempotencyRecord.objects.create(
                    client=client,
                    key=key,
                    request_hash=digest,
                    status_code=response.status_code,
                    body=response.data,
                )
    except IntegrityError:
        # The same key arrived twice at once: the other request's answer stands.
        return replay(IdempotencyRecord.objects.get(client=client, key=key))
    return response


class RateLimitThrottle(BaseThrottle):
    """An API's share of joinedup/core/rate_limits.py: each token's requests a minute."""

    scope = ""

    def allow_request(self, request: Request, view: APIView) -> bool:
        token = request.auth
        client = (
            f"api-token:{token.pk}"
            if token is not None
            else f"address:{client_address(request._request)}"
        )
        self.outcome: Outcome = hit(self.scope, client)
        return self.outcome.allowed

    def wait(self) -> float:
        return float(self.outcome.retry_after)
