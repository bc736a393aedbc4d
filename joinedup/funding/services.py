"""Writes to the partnership's funding records. System administrators and strategic managers
keep them; panel coordinators read them (joinedup/core/permissions.py). Each write is one
transaction with its audit entry, and a refusal names the field at fault."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.directory.models import Funding, Service, ServiceStatus
from joinedup.funding.models import (
    FundedPost,
    FundedService,
    Funder,
    FunderKind,
    FundingStream,
    Post,
)
from joinedup.organisations.models import Locality, Organisation

MANAGERS = (Role.SYSTEM_ADMIN, Role.STRATEGIC_MANAGER)


class FundingError(FieldError):
    pass


def may_manage(user: Any) -> bool:
    return has_role(user, *MANAGERS)


def _check(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied("Only system administrators and strategic managers change funding")


def _clean_name(value: str, *, field: str, label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise FundingError(f"Enter {label}", field=field, code="required")
    return text


def _not_negative(amount: Decimal | None, *, field: str, label: str) -> None:
    if amount is not None and amount < 0:
        raise FundingError(f"{label} must be £0 or more", field=field, code="negative")


# Funders.


def _funder_save(
    *, actor: Any, funder: Funder, name: str, kind: str, organisation: Organisation | None
) -> Funder:
    _check(actor)
    name = _clean_name(name, field="name", label="the funder's name")
    if kind not in FunderKind.values:
        raise FundingError("Select the kind of funder", field="kind", code="invalid")
    clash = Funder.objects.filter(name__iexact=name)
    if funder.pk:
        clash = clash.exclude(pk=funder.pk)
    if clash.exists():
        raise FundingError(f"There is already a funder called {name}", field="name", code="taken")
    created = funder._state.adding
    funder.name, funder.kind, funder.organisation = name, kind, organisation
    with transaction.atomic():
        funder.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=funder,
            fields=["name", "kind", "organisation"],
        )
    return funder


def funder_create(
    *, actor: Any, name: str, kind: str, organisation: Organisation | None = None
) -> Funder:
    return _funder_save(
        actor=actor, funder=Funder(), name=name, kind=kind, organisation=organisation
    )


def funder_update(
    *, actor: Any, funder: Funder, name: str, kind: str, organisation: Organisation | None = None
) -> Funder:
    return _funder_save(actor=actor, funder=funder, name=name, kind=kind, organisation=organisation)


# Streams.

STREAM_FIELDS = (
    "funder",
    "name",
    "purpose",
    "amount",
    "starts_on",
    "ends_on",
    "locality",
    "is_renewable",
    "renewal_decision_on",
    "notes",
)


def _sync_directory(stream: FundingStream) -> None:
    """Keep the directory's funding lines that name this stream in step with it, so the
    directory's own funding pages (directory/insight.py) agree with the partnership's record."""
    Funding.objects.filter(stream=stream).update(
        source=str(stream)[:250], starts_on=stream.starts_on, ends_on=stream.ends_on
    )


def _stream_save(
    *,
    actor: Any,
    stream: FundingStream,
    funder: Funder | None,
    name: str,
    amount: Decimal | None,
    starts_on: date | None,
    ends_on: date | None,
    purpose: str = "",
    locality: Locality | None = None,
    is_renewable: bool = False,
    renewal_decision_on: date | None = None,
    notes: str = "",
) -> FundingStream:
    _check(actor)
    if funder is None:
        raise FundingError("Select the funder", field="funder", code="required")
    name = _clean_name(name, field="name", label="the stream's name")
    if amount is None:
        raise FundingError("Enter the amount", field="amount", code="required")
    _not_negative(amount, field="amount", label="The amount")
    if starts_on is None:
        raise FundingError("Enter the date it starts", field="starts_on", code="required")
    if ends_on is None:
        raise FundingError("Enter the date it ends", field="ends_on", code="required")
    if ends_on < starts_on:
        raise FundingError(
            "The date it ends must be the same as or after the date it starts",
            field="ends_on",
            code="before_start",
        )
    if not is_renewable and renewal_decision_on is not None:
        raise FundingError(
            "Leave the renewal decision date empty, or say the stream can be renewed",
            field="renewal_decision_on",
            code="not_renewable",
        )
    created = stream._state.adding
    stream.funder, stream.name, stream.amount = funder, name, amount
    stream.starts_on, stream.ends_on = starts_on, ends_on
    stream.purpose, stream.locality, stream.notes = purpose.strip(), locality, notes.strip()
    stream.is_renewable, stream.renewal_decision_on = is_renewable, renewal_decision_on
    with transaction.atomic():
        stream.save()
        if not created:
            _sync_directory(stream)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=stream,
            fields=list(STREAM_FIELDS),
        )
    return stream


def stream_create(*, actor: Any, **fields: Any) -> FundingStream:
    return _stream_save(actor=actor, stream=FundingStream(), **fields)


def stream_update(*, actor: Any, stream: FundingStream, **fields: Any) -> FundingStream:
    return _stream_save(actor=actor, stream=stream, **fields)


def stream_end(
    *, actor: Any, stream: FundingStream, ends_on: date | None, reason: str
) -> FundingStream:
    """End a stream earlier than agreed (the money was cut or withdrawn): it then ends on
    `ends_on`, and the reason is kept with it."""
    _check(actor)
    if ends_on is None:
        raise FundingError("Enter the date it ends", field="ends_on", code="required")
    if ends_on < stream.starts_on:
        raise FundingError(
            f"The date it ends must be on or after the day it started, "
            f"{stream.starts_on:%-d %B %Y}",
            field="ends_on",
            code="before_start",
        )
    if ends_on > stream.ends_on:
        raise FundingError(
            f"The date it ends must be on or before {stream.ends_on:%-d %B %Y}: to make a "
            "stream longer, change it",
            field="ends_on",
            code="later",
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise FundingError("Enter why the stream ends early", field="reason", code="required")
    stream.ends_on, stream.end_reason = ends_on, reason
    with transaction.atomic():
        stream.save(update_fields=["ends_on", "end_reason", "updated_at"])
        _sync_directory(stream)
        audit.record(
            actor=actor, verb=AuditVerb.UPDATE, target=stream, fields=["ends_on", "end_reason"]
        )
    return stream


# What a stream pays for.


def service_attach(
    *, actor: Any, stream: FundingStream, service: Service | None, amount: Decimal | None = None
) -> FundedService:
    """Say that `stream` funds a directory service (attaching it again changes its amount,
    and puts back a service removed by mistake). The service's directory entry gets a funding
    line naming the stream."""
    _check(actor)
    if service is None:
        raise FundingError("Select a service from the directory", field="service", code="required")
    if service.status == ServiceStatus.DEFUNCT:
        raise FundingError(
            f"{service.name} has closed for good: choose a service that is still running",
            field="service",
            code="closed",
        )
    _not_negative(amount, field="amount", label="The amount")
    if amount is not None and amount > stream.amount:
        raise FundingError(
            f"The amount must be no more than the stream's £{stream.amount:,.0f}",
            field="amount",
            code="too_much",
        )
    with transaction.atomic():
        link, created = FundedService.objects.update_or_create(
            stream=stream, service=service, defaults={"amount": amount}
        )
        Funding.objects.update_or_create(
            service=service,
            stream=stream,
            defaults={
                "source": str(stream)[:250],
                "amount": amount,
                "starts_on": stream.starts_on,
                "ends_on": stream.ends_on,
            },
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=link,
            fields=["stream", "service", "amount"],
        )
    return link


def service_detach(*, actor: Any, stream: FundingStream, service: Service) -> None:
    _check(actor)
    with transaction.atomic():
        link = FundedService.objects.filter(stream=stream, service=service).first()
        if link is None:
            raise FundingError(
                f"{service.name} is not funded by this stream", field="service", code="absent"
            )
        audit.record(actor=actor, verb=AuditVerb.DELETE, target=link, fields=["stream", "service"])
        link.delete()
        Funding.objects.filter(stream=stream, service=service).delete()


def post_attach(
    *,
    actor: Any,
    stream: FundingStream,
    post: Post | None = None,
    title: str = "",
    organisation: Organisation | None = None,
    hours_per_week: Decimal | None = None,
    share: Decimal | None = None,
) -> FundedPost:
    """Say that `stream` pays for a staff post: one already known (`post`, as when putting
    back a post removed by mistake) or one described by its title, employer and hours."""
    _check(actor)
    _not_negative(share, field="share", label="The amount")
    if share is not None and share > stream.amount:
        raise FundingError(
            f"The amount must be no more than the stream's £{stream.amount:,.0f}",
            field="share",
            code="too_much",
        )
    with transaction.atomic():
        if post is None:
            title = _clean_name(title, field="title", label="the post's title")
            if organisation is None:
                raise FundingError(
                    "Select the organisation that employs the post",
                    field="organisation",
                    code="required",
                )
            if hours_per_week is None:
                raise FundingError(
                    "Enter the post's hours each week", field="hours_per_week", code="required"
                )
            if not Decimal("0.5") <= hours_per_week <= 60:
                raise FundingError(
                    "Hours each week must be between 0.5 and 60",
                    field="hours_per_week",
                    code="range",
                )
            post = Post.objects.filter(
                title__iexact=title, organisation=organisation, hours_per_week=hours_per_week
            ).first() or Post.objects.create(
                title=title, organisation=organisation, hours_per_week=hours_per_week
            )
        link, created = FundedPost.objects.update_or_create(
            stream=stream, post=post, defaults={"share": share}
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
            target=link,
            fields=["stream", "post", "share"],
        )
    return link


def post_detach(*, actor: Any, stream: FundingStream, post: Post) -> None:
    _check(actor)
    with transaction.atomic():
        link = FundedPost.objects.filter(stream=stream, post=post).first()
        if link is None:
            raise FundingError(
                "That post is not funded by this stream", field="post", code="absent"
            )
        audit.record(actor=actor, verb=AuditVerb.DELETE, target=link, fields=["stream", "post"])
        link.delete()
