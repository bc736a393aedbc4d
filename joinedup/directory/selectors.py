"""Reads for the people who keep directory entries. Directory entries are published
information about services, not personal data, so these reads are exempt from the audit of
reads; who may change an entry is decided in services.may_maintain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.timesince import timesince

from joinedup.accounts.models import Membership
from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.directory.models import STALE_AFTER_DAYS, Provider, Service, ServiceStatus
from joinedup.directory.services import may_maintain

_EXEMPT = "Directory entries are published information about services, not personal data"


@audit.audit_exempt(reason=_EXEMPT)
def stale_before(now: datetime | None = None) -> datetime:
    """Entries last checked before this moment are stale."""
    return (now or timezone.now()) - timedelta(days=STALE_AFTER_DAYS)


@audit.audit_exempt(reason=_EXEMPT)
def stale_filter(now: datetime | None = None) -> Q:
    """Services needing a check: not closed for good, and not confirmed by their owner for
    STALE_AFTER_DAYS (one never confirmed counts from when it entered the directory).
    Needs the `last_checked` annotation from `with_last_checked`."""
    return Q(last_checked__lt=stale_before(now)) & ~Q(status=ServiceStatus.DEFUNCT)


@audit.audit_exempt(reason=_EXEMPT)
def with_last_checked(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.annotate(last_checked=Coalesce("reviewed_at", "created_at"))


@audit.audit_exempt(reason=_EXEMPT)
def maintained_organisation_ids(user: Any) -> list[Any]:
    return list(
        Membership.objects.active()
        .filter(user=user)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class MaintainedEntries:
    providers: list[Provider]
    services: list[Service]  # each with .last_checked and .is_stale, stale first
    stale_count: int


@audit.audit_exempt(reason=_EXEMPT)
def services_maintained_by(viewer: Any, *, now: datetime | None = None) -> MaintainedEntries:
    """The providers whose entries the viewer's organisations keep, and their services, stale
    ones first (longest unchecked first), then by name. Three queries however many."""
    organisation_ids = maintained_organisation_ids(viewer)
    providers = list(
        Provider.objects.filter(maintained_by_id__in=organisation_ids)
        .select_related("maintained_by")
        .order_by("name")
    )
    cutoff = stale_before(now)
    services = list(
        with_last_checked(Service.objects.filter(provider__in=[p.pk for p in providers]))
        .select_related("provider")
        .order_by("last_checked", "name")
    )
    stale = 0
    for service in services:
        last_checked: datetime = service.last_checked  # type: ignore[attr-defined]
        is_stale = service.status != ServiceStatus.DEFUNCT and last_checked < cutoff
        stale += is_stale
        service.is_stale = is_stale  # type: ignore[attr-defined]
        service.last_checked_words = timesince(last_checked, now, depth=1).replace("\xa0", " ")  # type: ignore[attr-defined]
    services.sort(key=lambda s: (not getattr(s, "is_stale", False), s.name.lower()))
    return MaintainedEntries(providers=providers, services=services, stale_count=stale)


@audit.audit_exempt(reason=_EXEMPT)
def maintains_any(viewer: Any) -> bool:
    """Whether any of the viewer's organisations keeps a provider's entries (one query)."""
    if has_role(viewer, Role.SYSTEM_ADMIN):
        return True
    return Provider.objects.filter(
        maintained_by__memberships__in=Membership.objects.active().filter(user=viewer)
    ).exists()


@audit.audit_exempt(reason=_EXEMPT)
def provider_to_maintain(viewer: Any, *, provider_id: Any) -> Provider:
    """A provider the viewer keeps the entries of: 404 if there is none such, 403 if it is
    someone else's."""
    provider = Provider.objects.select_related("maintained_by").filter(pk=provider_id).first()
    if provider is None:
        raise Http404("No such provider")
    if not may_maintain(viewer, provider):
        raise PermissionDenied("Only the organisation that maintains these entries can change them")
    return provider


@audit.audit_exempt(reason=_EXEMPT)
def service_to_maintain(viewer: Any, *, service_id: Any) -> Service:
    """A service the viewer keeps the entry of, with its lists: 404 if there is none such,
    403 if it is someone else's."""
    service = (
        Service.objects.select_related("provider", "provider__maintained_by")
        .prefetch_related(
            "service_terms",
            "service_areas",
            "languages",
            "cost_options",
            "contacts",
            "schedules",
            "fundings",
            "service_at_locations__location",
        )
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise Http404("No such service")
    if not may_maintain(viewer, service.provider):
        raise PermissionDenied("Only the organisation that maintains this entry can change it")
    return service
