"""The audit trail: one call records who did what to which personal data, from which request.

Services call `record()` inside the same transaction as the change, so a change and its audit
entry are saved together or not at all. Selectors that read personal data are wrapped in
`audited_read`, so a read cannot happen without leaving an entry.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.db import models

from joinedup.core.models import AuditEntry, AuditVerb


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    ip_address: str | None = None
    method: str = ""
    path: str = ""


_request_context: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def set_request_context(context: RequestContext | None) -> Any:
    return _request_context.set(context)


def reset_request_context(token: Any) -> None:
    _request_context.reset(token)


def current_request_context() -> RequestContext:
    return _request_context.get() or RequestContext(request_id="")


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None:
        # A command or job acting on its own, such as loading the demo data.
        return {"actor": None, "actor_label": "system"}
    if not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "anonymous"}
    return {"actor": actor, "actor_label": actor.get_username()}


def _target_fields(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": ""}
    return {"target_type": target._meta.label_lower, "target_id": str(target.pk)}


def record(
    *,
    actor: Any,
    verb: AuditVerb,
    target: models.Model | None = None,
    fields: Sequence[str] = (),
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry. `detail` must never hold personal data itself: ids and codes only."""
    context = current_request_context()
    actor_data = _actor_fields(actor)
    if actor_label is not None:
        actor_data["actor_label"] = actor_label
    return AuditEntry.objects.create(
        **actor_data,
        **_target_fields(target),
        verb=verb,
        fields=list(fields),
        purpose=purpose[:500],
        detail=detail or {},
        request_id=context.request_id,
        ip_address=context.ip_address,
        method=context.method,
        path=context.path[:500],
    )


def record_reads(
    *, actor: Any, targets: Iterable[models.Model], fields: Sequence[str] = (), purpose: str = ""
) -> None:
    context = current_request_context()
    actor_data = _actor_fields(actor)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            **actor_data,
            **_target_fields(target),
            verb=AuditVerb.READ,
            fields=list(fields),
            purpose=purpose[:500],
            request_id=context.request_id,
            ip_address=context.ip_address,
            method=context.method,
            path=context.path[:500],
        )
        for target in targets
    )


P = ParamSpec("P")
R = TypeVar("R")

# Every selector in the project is registered here as audited or as exempt with a reason;
# a test fails when a selector is neither, so a new selector cannot skip the decision.
AUDITED_SELECTORS: dict[str, Sequence[str]] = {}
AUDIT_EXEMPT_SELECTORS: dict[str, str] = {}


def _qualified_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def audited_read(*, fields: Sequence[str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record a READ entry for every model instance a selector returns.

    The selector must take the acting user as the keyword argument `viewer` and may take a
    `purpose`; it returns one instance, None, or a list/tuple of instances (already paged:
    we audit what was shown, not what could have been).
    """

    def decorate(selector: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(selector)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            result = selector(*args, **kwargs)
            if result is None:
                return result
            targets = list(result) if isinstance(result, list | tuple) else [result]
            record_reads(
                actor=kwargs.get("viewer"),
                targets=[t for t in targets if isinstance(t, models.Model)],
                fields=fields,
                purpose=str(kwargs.get("purpose") or ""),
            )
            return result

        AUDITED_SELECTORS[_qualified_name(selector)] = tuple(fields)
        return wrapper

    return decorate


def audit_exempt(reason: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a selector whose reads need no per-record entry, with the reason for reviewers."""

    def decorate(selector: Callable[P, R]) -> Callable[P, R]:
        AUDIT_EXEMPT_SELECTORS[_qualified_name(selector)] = reason
        return selector

    return decorate
