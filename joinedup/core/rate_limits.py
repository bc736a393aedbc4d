"""Rate limits on the actions someone could repeat to harvest data: the child search, the
directory search and the referral API (docs/security.md). Sign-in has its own lock-out
(django-axes).

Each limit allows so many uses a minute to each client: a person when signed in, an API token,
or else an address. The counts are kept in the database, so that every server process (and
every server) shares them, and are counted with one atomic statement, so that concurrent
requests cannot slip past the limit together."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.models import RateLimitHits

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# Counts not used for this long are deleted by the nightly retention run (forget_old_counts).
KEPT_SECONDS = 24 * 60 * 60

CHILD_SEARCH = "child-search"
DIRECTORY_SEARCH = "directory-search"
REFERRAL_API = "referral-api"

# What each limit protects, in the words the refusal page uses.
WHAT = {
    CHILD_SEARCH: "searches for a child",
    DIRECTORY_SEARCH: "searches of the directory",
    REFERRAL_API: "referrals through the API",
}


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    limit: int
    hits: int
    retry_after: int  # seconds until the next window, when refused


def per_minute(scope: str) -> int:
    """The limit in force for a scope; 0 means no limit."""
    return int(settings.RATE_LIMITS.get(scope, 0))


def _client_hash(client: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{client}".encode()).hexdigest()


def hit(scope: str, client: str, *, now: float | None = None) -> Outcome:
    """Count one use of `scope` by `client`, and say whether it is within the limit."""
    limit = per_minute(scope)
    if limit <= 0:
        return Outcome(allowed=True, limit=0, hits=0, retry_after=0)
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS) * WINDOW_SECONDS
    table = RateLimitHits._meta.db_table
    with connection.cursor() as cursor:
        # One statement, one row per client: two requests at once both count, on SQLite and
        # PostgreSQL alike, and a new window starts the count again.
        cursor.execute(
            f"INSERT INTO {table} (scope, client, window_start, hits) VALUES (%s, %s, %s, 1) "  # noqa: S608 - the table name is ours
            "ON CONFLICT (scope, client) DO UPDATE SET "
            f"hits = CASE WHEN {table}.window_start = excluded.window_start "
            f"THEN {table}.hits + 1 ELSE 1 END, "
            "window_start = excluded.window_start "
            "RETURNING hits",
            [scope, _client_hash(client), window],
        )
        hits = cursor.fetchone()[0]
    allowed = hits <= limit
    if hits == limit + 1:
        # Once per window and client: someone may be harvesting. Never the person's name.
        logger.warning("Rate limit reached: %s, %s a minute, client %s", scope, limit, client)
    retry_after = max(1, int(window + WINDOW_SECONDS - moment))
    return Outcome(allowed=allowed, limit=limit, hits=hits, retry_after=retry_after)


def forget_old_counts(*, now: float | None = None) -> int:
    """Delete the counts of clients not seen for KEPT_SECONDS; how many were deleted."""
    moment = time.time() if now is None else now
    deleted, _ = RateLimitHits.objects.filter(window_start__lt=moment - KEPT_SECONDS).delete()
    return deleted


def client_of(request: HttpRequest) -> str:
    """Who is asking: the person when signed in, else the address the request came from."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def client_address(request: HttpRequest) -> str:
    """The address of the person's browser. Behind a proxy (BEHIND_PROXY=1) every request
    comes from the proxy, which adds the real address last to X-Forwarded-For."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def refused(request: HttpRequest, scope: str, outcome: Outcome) -> HttpResponse:
    """The page a person sees over the limit: what happened, and when they can go on."""
    response = render(
        request,
        "core/rate_limited.html",
        {
            "what": WHAT.get(scope, "requests"),
            "limit": outcome.limit,
            "retry_after": outcome.retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(outcome.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    scope: str, *, counts: Callable[[HttpRequest], bool]
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a view: each request for which `counts(request)` is true is one use."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if counts(request):
                outcome = hit(scope, client_of(request))
                if not outcome.allowed:
                    return refused(request, scope, outcome)
            return view(request, *args, **kwargs)

        return limited

    return decorate
