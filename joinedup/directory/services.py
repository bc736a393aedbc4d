"""Writes to the directory by the people who keep its entries (docs/directory-editing.md).

Each organisation maintains its own entries: a person may change a provider and its services
while they hold an active membership in the provider's `maintained_by` organisation; system
administrators may change any. Everyone else is refused with PermissionDenied, however they
reached the write. Saving a service also records that its owner checked it (`reviewed_at`),
which is what keeps an entry from being flagged as stale.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.accounts.models import Membership
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.directory.models import (
    AGE_RANGE,
    Contact,
    CostOption,
    Funding,
    Location,
    PostcodeDistrict,
    Provider,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    TaxonomyTerm,
    Weekday,
)
from joinedup.directory.search_text import search_text_refresh
from joinedup.organisations.models import Locality, Organisation

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
CITY_WIDE = "Whole city"
CLOSED_STATUSES = (ServiceStatus.DEFUNCT, ServiceStatus.TEMPORARILY_CLOSED)


class DirectoryError(FieldError):
    """A directory entry could not be saved; `field` names the answer at fault."""


# Who may change what.


def may_maintain(user: Any, provider: Provider) -> bool:
    """Whether `user` keeps `provider`'s entries: an active membership in the organisation
    that maintains it, or a system administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if has_role(user, Role.SYSTEM_ADMIN):
        return True
    if provider.maintained_by_id is None:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, organisation_id=provider.maintained_by_id)
        .exists()
    )


def _require_maintainer(actor: Any, provider: Provider) -> None:
    if not may_maintain(actor, provider):
        raise PermissionDenied("Only the organisation that maintains these entries can change them")


# The answers a service is saved from.


@dataclass(frozen=True)
class FundingStream:
    source: str
    amount: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class ServiceDetails:
    """Everything a maintainer says about a service. Fundings are numbered from 1 in error
    fields ("funding_2_ends_on"), as the form shows them."""

    name: str
    description: str = ""
    needs: list[TaxonomyTerm] = field(default_factory=list)
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_description: str = ""
    referral_route: str = ReferralRoute.REFERRAL
    how_to_refer: str = ""
    status: str = ServiceStatus.ACTIVE
    # No localities: the service works across the whole city.
    localities: list[Locality] = field(default_factory=list)
    location_name: str = ""
    address_1: str = ""
    city: str = ""
    postal_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    url: str = ""
    languages: list[str] = field(default_factory=list)
    is_free: bool = True
    cost_amount: Decimal | None = None
    cost_description: str = ""
    days: list[str] = field(default_factory=list)
    opens_at: time | None = None
    closes_at: time | None = None
    capacity: int | None = None
    waiting_list_count: int | None = None
    waiting_weeks: int | None = None
    faith_based: bool = False
    culturally_specific_for: str = ""
    fundings: list[FundingStream] = field(default_factory=list)


def normalise_postcode(value: str) -> tuple[str, str]:
    """("BS5 0AA", "BS5") from any spacing or case; DirectoryError if it is no UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise DirectoryError(
            "Enter a real postcode, like BS5 0HE", field="postal_code", code="postcode"
        )
    return f"{match.group(1)} {match.group(2)}", match.group(1)


def _validate(details: ServiceDetails) -> None:
    if not details.name.strip():
        raise DirectoryError("Enter the name of the service", field="name", code="required")
    low, high = AGE_RANGE
    for name, age in (("minimum_age", details.minimum_age), ("maximum_age", details.maximum_age)):
        if age is not None and not low <= age <= high:
            which = "Youngest" if name == "minimum_age" else "Oldest"
            raise DirectoryError(
                f"{which} age must be between {low} and {high}", field=name, code="age_range"
            )
    if (
        details.minimum_age is not None
        and details.maximum_age is not None
        and details.minimum_age > details.maximum_age
    ):
        raise DirectoryError(
            "Oldest age must be the same as or more than the youngest age",
            field="maximum_age",
            code="age_order",
        )
    if details.referral_route not in ReferralRoute.values:
        raise DirectoryError("Select how people are referred", field="referral_route")
    if details.status not in ServiceStatus.values:
        raise DirectoryError("Select whether the service is running", field="status")
    wrong_days = [day for day in details.days if day not in Weekday.values]
    if wrong_days:
        raise DirectoryError("Select days from the list", field="days")
    times = (details.opens_at, details.closes_at)
    if any(times) and not details.days:
        raise DirectoryError("Select the days it is open", field="days", code="required")
    if details.days and not all(times):
        missing = "opens_at" if details.opens_at is None else "closes_at"
        raise DirectoryError(
            "Enter the time it opens" if missing == "opens_at" else "Enter the time it closes",
            field=missing,
            code="required",
        )
    if details.opens_at and details.closes_at and details.opens_at >= details.closes_at:
        raise DirectoryError(
            "The closing time must be after the opening time", field="closes_at", code="times"
        )
    if not details.is_free:
        if details.cost_amount is None:
            raise DirectoryError(
                "Enter how much it costs, or say it is free", field="cost_amount", code="required"
            )
        if details.cost_amount <= 0:
            raise DirectoryError(
                "Cost must be more than £0, or say it is free", field="cost_amount"
            )
    for number, stream in enumerate(details.fundings, start=1):
        if not stream.source.strip():
            raise DirectoryError(
                f"Enter where funding stream {number} comes from",
                field=f"funding_{number}_source",
                code="required",
            )
        if stream.amount is not None and stream.amount < 0:
            raise DirectoryError(
                f"Amount of funding stream {number} cannot be less than £0",
                field=f"funding_{number}_amount",
            )
        if stream.starts_on and stream.ends_on and stream.ends_on < stream.starts_on:
            raise DirectoryError(
                f"End date of funding stream {number} must be the same as or after its start",
                field=f"funding_{number}_ends_on",
                code="funding_dates",
            )
    if details.postal_code.strip():
        normalise_postcode(details.postal_code)
    elif details.address_1.strip():
        raise DirectoryError(
            "Enter the postcode of the address", field="postal_code", code="required"
        )


_SERVICE_FIELDS = (
    "name",
    "description",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "referral_route",
    "how_to_refer",
    "status",
    "url",
    "capacity",
    "waiting_list_count",
    "waiting_weeks",
    "faith_based",
    "culturally_specific_for",
    "is_free",
)


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _apply(service: Service, details: ServiceDetails, actor: Any) -> None:
    for name in _SERVICE_FIELDS:
        setattr(service, name, _stripped(getattr(details, name)))
    service.email = details.contact_email.strip()
    service.fees = "" if details.is_free else details.cost_description.strip()
    service.reviewed_at = timezone.now()
    service.reviewed_by = actor
    service.save()
    _replace_children(service, details)
    search_text_refresh(Service.objects.filter(pk=service.pk))


def _replace_children(service: Service, details: ServiceDetails) -> None:
    """The lists hanging off a service are replaced whole: the form always shows them all."""
    ServiceTerm.objects.filter(service=service).delete()
    ServiceTerm.objects.bulk_create(
        ServiceTerm(service=service, term=term)
        for term in {t.pk: t for t in details.needs}.values()
    )
    ServiceArea.objects.filter(service=service).delete()
    if details.localities:
        ServiceArea.objects.bulk_create(
            ServiceArea(service=service, name=locality.name, locality=locality)
            for locality in details.localities
        )
    else:
        ServiceArea.objects.create(service=service, name=CITY_WIDE)
    ServiceLanguage.objects.filter(service=service).delete()
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, name=name.strip())
        for name in dict.fromkeys(details.languages)
        if name.strip()
    )
    CostOption.objects.filter(service=service).delete()
    if not details.is_free:
        CostOption.objects.create(
            service=service,
            option=details.cost_description.strip()[:250],
            amount=details.cost_amount,
            amount_description=details.cost_description.strip()[:250],
        )
    Contact.objects.filter(service=service).delete()
    if details.contact_name.strip() or details.contact_phone.strip() or details.contact_email:
        Contact.objects.create(
            service=service,
            name=details.contact_name.strip(),
            phone=details.contact_phone.strip(),
            phone_id=uuid.uuid4() if details.contact_phone.strip() else None,
            email=details.contact_email.strip(),
        )
    Schedule.objects.filter(service=service).delete()
    if details.days:
        order = list(Weekday.values)
        Schedule.objects.create(
            service=service,
            freq="WEEKLY",
            byday=",".join(sorted(set(details.days), key=order.index)),
            opens_at=details.opens_at,
            closes_at=details.closes_at,
        )
    Funding.objects.filter(service=service).delete()
    Funding.objects.bulk_create(
        Funding(
            service=service,
            source=stream.source.strip(),
            amount=stream.amount,
            starts_on=stream.starts_on,
            ends_on=stream.ends_on,
        )
        for stream in details.fundings
    )
    _save_location(service, details)


def _save_location(service: Service, details: ServiceDetails) -> None:
    link = (
        ServiceAtLocation.objects.filter(service=service)
        .select_related("location")
        .order_by("created_at")
        .first()
    )
    if not details.postal_code.strip():
        if link is not None:
            location = link.location
            link.delete()
            if not ServiceAtLocation.objects.filter(location=location).exists():
                location.delete()
        return
    postcode, district = normalise_postcode(details.postal_code)
    place = PostcodeDistrict.objects.filter(code=district).first()
    values = {
        "name": details.location_name.strip(),
        "address_1": details.address_1.strip(),
        "city": details.city.strip(),
        "postal_code": postcode,
        "postcode_district": district,
        # Distance search works from the district until someone places the building exactly.
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
    }
    if link is None:
        location = Location.objects.create(address_id=uuid.uuid4(), **values)
        ServiceAtLocation.objects.create(service=service, location=location)
        return
    location = link.location
    unchanged_postcode = location.postal_code == postcode and location.latitude is not None
    for name, value in values.items():
        if unchanged_postcode and name in ("latitude", "longitude"):
            continue
        setattr(location, name, value)
    location.save()


# Providers.


def provider_create(
    *,
    actor: Any,
    maintained_by: Organisation,
    name: str,
    description: str,
    email: str = "",
    website: str = "",
) -> Provider:
    if not has_role(actor, Role.SYSTEM_ADMIN) and not (
        Membership.objects.active().filter(user=actor, organisation=maintained_by).exists()
    ):
        raise PermissionDenied("Only the organisation itself can add providers it maintains")
    if not name.strip():
        raise DirectoryError("Enter the name of the provider", field="name", code="required")
    with transaction.atomic():
        provider = Provider.objects.create(
            name=name.strip(),
            description=description.strip(),
            email=email.strip(),
            website=website.strip(),
            maintained_by=maintained_by,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=provider,
            fields=["name", "description", "email", "website", "maintained_by"],
        )
    return provider


def provider_update(
    *,
    actor: Any,
    provider: Provider,
    name: str,
    description: str,
    email: str = "",
    website: str = "",
) -> Provider:
    _require_maintainer(actor, provider)
    if not name.strip():
        raise DirectoryError("Enter the name of the provider", field="name", code="required")
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        answers = {
            "name": name.strip(),
            "description": description.strip(),
            "email": email.strip(),
            "website": website.strip(),
        }
        changed = [key for key, value in answers.items() if getattr(locked, key) != value]
        for key, value in answers.items():
            setattr(locked, key, value)
        locked.save()
        search_text_refresh(locked.services.all())
        audit.record(actor=actor, verb=AuditVerb.UPDATE, target=locked, fields=changed)
    return locked


# Services.


def service_create(*, actor: Any, provider: Provider, details: ServiceDetails) -> Service:
    _require_maintainer(actor, provider)
    _validate(details)
    with transaction.atomic():
        service = Service(provider=provider)
        _apply(service, details, actor)
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=service,
            fields=list(_SERVICE_FIELDS),
            detail={"provider": str(provider.pk)},
        )
    return service


def service_update(*, actor: Any, service: Service, details: ServiceDetails) -> Service:
    """Saves every answer; saving also counts as the owner checking the entry."""
    _require_maintainer(actor, service.provider)
    _validate(details)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        changed = [
            name
            for name in _SERVICE_FIELDS
            if getattr(locked, name) != _stripped(getattr(details, name))
        ]
        _apply(locked, details, actor)
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=changed,
            detail={"reviewed": True},
        )
    return locked


def service_review(*, actor: Any, service: Service) -> Service:
    """The owner confirms the entry is still right, as it stands."""
    _require_maintainer(actor, service.provider)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        # Not save(): confirming changes none of the entry's content, so HSDS last_modified
        # (auto_now) stays as it was.
        Service.objects.filter(pk=locked.pk).update(
            reviewed_at=locked.reviewed_at, reviewed_by=actor
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["reviewed_at", "reviewed_by"],
            purpose="Confirmed the directory entry is still correct",
        )
    return locked


def service_close(*, actor: Any, service: Service, status: str, alert: str) -> Service:
    """Close a service for good or for a while, with a message people see on its page."""
    _require_maintainer(actor, service.provider)
    if status not in CLOSED_STATUSES:
        raise DirectoryError("Select whether it is closed for good or for a while", field="status")
    if not alert.strip():
        raise DirectoryError(
            "Enter a message for people who find the service", field="alert", code="required"
        )
    return _set_status(actor, service, status, alert.strip())


def service_reopen(*, actor: Any, service: Service) -> Service:
    """Undo a closure: the service is running again and its message goes."""
    _require_maintainer(actor, service.provider)
    return _set_status(actor, service, ServiceStatus.ACTIVE, "")


def _set_status(actor: Any, service: Service, status: str, alert: str) -> Service:
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = locked.status
        locked.status = status
        locked.alert = alert
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        locked.save()
        audit.record(
            actor=actor,
            verb=AuditVerb.UPDATE,
            target=locked,
            fields=["status", "alert"],
            detail={"from": before, "to": status},
        )
    return locked
