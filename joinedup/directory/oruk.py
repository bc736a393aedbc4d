"""The directory in the shape of Open Referral UK (the UK profile of HSDS 3.0): each model to
the dict the ORUK API publishes and the feed export writes.

Field names are HSDS's. Ids are the models' UUIDs; where HSDS wants a row the directory keeps
flattened (a contact's phone, a location's address and accessibility, a provider's identifier),
the stored id is used, or one derived from the parent's id with uuid5 so it stays the same from
one request to the next and survives an export and import.

What this field needs beyond the standard goes in extra properties whose names start with `x_`
(the ORUK schemas allow additional properties): see EXTENSIONS and docs/directory-api.md.
Empty optional values are left out rather than sent as "" or null, because the schemas type
them as strings with formats (an empty email is not an email).

Nothing here is about a child: the directory holds published information about services.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from joinedup.directory.models import (
    Contact,
    CostOption,
    Funding,
    Location,
    Provider,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
PREFIX = "x_"

# The extension properties, by the HSDS object that carries them (documented for consumers).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "service": (
        "x_referral_route",
        "x_how_to_refer",
        "x_capacity",
        "x_waiting_list_count",
        "x_waiting_weeks",
        "x_faith_based",
        "x_culturally_specific_for",
        "x_is_free",
        "x_reviewed_at",
    ),
    "organization": ("x_maintained_by",),
    "funding": ("x_amount", "x_starts_on", "x_ends_on"),
    "service_area": ("x_locality",),
    "taxonomy_term": ("x_purpose",),
}

Json = dict[str, Any]


def derived_id(parent: uuid.UUID, part: str) -> str:
    """A stable id for a row HSDS has and the directory keeps inside its parent."""
    return str(uuid.uuid5(parent, part))


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        # JSON numbers: ORUK types amounts as numbers, not strings.
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _clean(data: Json, *, keep: Iterable[str] = ()) -> Json:
    """Drop empty optional values (None and ""), keeping the required ones named in `keep`."""
    kept = set(keep)
    return {
        key: _value(value)
        for key, value in data.items()
        if key in kept or (value is not None and value != "")
    }


# --- Taxonomies -----------------------------------------------------------------------------


def taxonomy_term_dict(term: TaxonomyTerm) -> Json:
    """Needs `term.taxonomy` loaded (select_related) to avoid a query per term."""
    return _clean(
        {
            "id": term.id,
            "name": term.name,
            "description": term.description,
            "parent_id": term.parent_id,
            "taxonomy": term.taxonomy.name if term.taxonomy else None,
            "taxonomy_id": term.taxonomy_id,
            "term_uri": term.term_uri,
            "term": term.code,
            "x_purpose": term.purpose,
        },
        keep=("id", "name", "description"),
    )


def taxonomy_dict(taxonomy: Taxonomy, *, with_terms: bool = True) -> Json:
    """With terms, needs `terms` prefetched (taxonomy_queryset does it)."""
    data = _clean(
        {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        },
        keep=("id", "name", "description"),
    )
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term_dict(term) for term in taxonomy.terms.all()]
    return data


def taxonomy_queryset() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.prefetch_related(
        Prefetch(
            "terms",
            queryset=TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id"),
        )
    ).order_by("name", "id")


def taxonomy_term_queryset() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id")


# --- Organizations --------------------------------------------------------------------------


def organization_dict(provider: Provider) -> Json:
    """Needs `maintained_by` loaded (select_related) to avoid a query per provider."""
    data = _clean(
        {
            "id": provider.id,
            "name": provider.name,
            "description": provider.description,
            "email": provider.email,
            "website": provider.website,
            "logo": provider.logo,
            "uri": provider.uri,
            "parent_organization_id": provider.parent_id,
            "x_maintained_by": provider.maintained_by.slug if provider.maintained_by else None,
        },
        keep=("id", "name", "description"),
    )
    if provider.identifier:
        data["organization_identifiers"] = [
            _clean(
                {
                    "id": derived_id(provider.id, "organization_identifier"),
                    "organization_id": provider.id,
                    "identifier_scheme": provider.identifier_scheme,
                    # Required by ORUK; the scheme says what kind of identifier it is.
                    "identifier_type": provider.identifier_scheme or "identifier",
                    "identifier": provider.identifier,
                },
                keep=("identifier_type",),
            )
        ]
    return data


def organization_queryset() -> QuerySet[Provider]:
    return Provider.objects.select_related("maintained_by").order_by("name", "id")


def organization_with_services_dict(provider: Provider) -> Json:
    """The organization with its services' one-to-one fields (HSDS `services`); needs
    `services` prefetched."""
    data = organization_dict(provider)
    data["services"] = [
        service_summary_dict(service, organization=False) for service in provider.services.all()
    ]
    return data


# --- Services -------------------------------------------------------------------------------


def _attribute_dict(link: ServiceTerm, service: Service) -> Json:
    return {
        "id": str(link.id),
        "link_id": str(service.id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(link.term_id),
        "taxonomy_term": taxonomy_term_dict(link.term),
    }


def _schedule_dict(schedule: Schedule) -> Json:
    return _clean(
        {
            "id": schedule.id,
            "service_id": schedule.service_id,
            "service_at_location_id": schedule.service_at_location_id,
            "valid_from": schedule.valid_from,
            "valid_to": schedule.valid_to,
            "freq": schedule.freq,
            "byday": schedule.byday,
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "description": schedule.description,
            "notes": schedule.notes,
        }
    )


def _location_dict(location: Location) -> Json:
    data = _clean(
        {
            "id": location.id,
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
        },
        keep=("id", "location_type"),
    )
    if location.address_1 or location.postal_code:
        data["addresses"] = [
            _clean(
                {
                    "id": location.address_id or derived_id(location.id, "address"),
                    "location_id": location.id,
                    "address_1": location.address_1,
                    "city": location.city,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": location.country,
                    "address_type": "physical",
                },
                keep=("address_1", "city", "state_province", "postal_code", "country"),
            )
        ]
    if location.accessibility:
        data["accessibility"] = [
            {
                "id": derived_id(location.id, "accessibility"),
                "location_id": str(location.id),
                "description": location.accessibility,
            }
        ]
    return data


def _contact_dict(contact: Contact) -> Json:
    data = _clean(
        {
            "id": contact.id,
            "service_id": contact.service_id,
            "name": contact.name,
            "title": contact.title,
            "department": contact.department,
            "email": contact.email,
        }
    )
    if contact.phone:
        data["phones"] = [
            {
                "id": str(contact.phone_id or derived_id(contact.id, "phone")),
                "contact_id": str(contact.id),
                "number": contact.phone,
            }
        ]
    return data


def _rows(instance: Any, relation: str) -> Any:
    """The rows service_queryset prefetched into plain lists (`to_attr`: reading them costs no
    related-manager per service, which at 50 services a page is most of the time), or a query
    when they were not prefetched."""
    prefetched = getattr(instance, f"prefetched_{relation}", None)
    return prefetched if prefetched is not None else getattr(instance, relation).all()


def service_summary_dict(service: Service, *, organization: bool = True) -> Json:
    """The service's one-to-one fields (HSDS `service_list`), with its extensions."""
    data = _clean(
        {
            "id": service.id,
            "organization_id": service.provider_id,
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date,
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": service.last_modified,
            "x_referral_route": service.referral_route,
            "x_how_to_refer": service.how_to_refer,
            "x_capacity": service.capacity,
            "x_waiting_list_count": service.waiting_list_count,
            "x_waiting_weeks": service.waiting_weeks,
            "x_faith_based": service.faith_based,
            "x_culturally_specific_for": service.culturally_specific_for,
            "x_is_free": service.is_free,
            "x_reviewed_at": service.reviewed_at,
        },
        keep=("id", "name", "status"),
    )
    if organization:
        data["organization"] = organization_dict(service.provider)
    return data


def service_dict(service: Service) -> Json:
    """The fully nested service (HSDS compiled `service`). Needs service_queryset's prefetches:
    without them it costs a query per related table per service."""
    data = service_summary_dict(service)
    data["service_areas"] = [
        _clean(
            {
                "id": area.id,
                "service_id": service.id,
                "name": area.name,
                "extent": area.extent,
                "extent_type": area.extent_type,
                "uri": area.uri,
                "x_locality": area.locality.slug if area.locality else None,
            }
        )
        for area in _rows(service, "service_areas")
    ]
    data["service_at_locations"] = [
        _clean(
            {
                "id": place.id,
                "service_id": service.id,
                "location_id": place.location_id,
                "description": place.description,
                "location": _location_dict(place.location),
                "schedules": [
                    _schedule_dict(schedule)
                    for schedule in _rows(place, "schedules")
                    if schedule.service_id is None
                ]
                or None,
            }
        )
        for place in _rows(service, "service_at_locations")
    ]
    data["languages"] = [
        _clean(
            {
                "id": language.id,
                "service_id": service.id,
                "name": language.name,
                "code": language.code,
                "note": language.note,
            }
        )
        for language in _rows(service, "languages")
    ]
    data["cost_options"] = [
        _clean(
            {
                "id": cost.id,
                "service_id": service.id,
                "option": cost.option,
                "amount": cost.amount,
                "amount_description": cost.amount_description,
                "currency": cost.currency,
                "valid_from": cost.valid_from,
                "valid_to": cost.valid_to,
            }
        )
        for cost in _rows(service, "cost_options")
    ]
    data["funding"] = [
        _clean(
            {
                "id": funding.id,
                "service_id": service.id,
                "source": funding.source,
                "x_amount": funding.amount,
                "x_starts_on": funding.starts_on,
                "x_ends_on": funding.ends_on,
            }
        )
        for funding in _rows(service, "fundings")
    ]
    data["contacts"] = [_contact_dict(contact) for contact in _rows(service, "contacts")]
    data["schedules"] = [_schedule_dict(schedule) for schedule in _rows(service, "schedules")]
    data["attributes"] = [
        _attribute_dict(link, service) for link in _rows(service, "service_terms")
    ]
    return data


def service_queryset() -> QuerySet[Service]:
    """Services with everything service_dict reads, in a fixed number of queries whatever the
    number of services (one per related table)."""
    ordered = ("id",)
    return (
        Service.objects.select_related("provider__maintained_by")
        .prefetch_related(
            Prefetch(
                "service_areas",
                to_attr="prefetched_service_areas",
                queryset=ServiceArea.objects.select_related("locality").order_by(*ordered),
            ),
            Prefetch(
                "service_at_locations",
                to_attr="prefetched_service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location")
                .prefetch_related(
                    Prefetch(
                        "schedules",
                        to_attr="prefetched_schedules",
                        queryset=Schedule.objects.order_by("id"),
                    )
                )
                .order_by(*ordered),
            ),
            Prefetch(
                "languages",
                to_attr="prefetched_languages",
                queryset=ServiceLanguage.objects.order_by(*ordered),
            ),
            Prefetch(
                "cost_options",
                to_attr="prefetched_cost_options",
                queryset=CostOption.objects.order_by(*ordered),
            ),
            Prefetch(
                "fundings",
                to_attr="prefetched_fundings",
                queryset=Funding.objects.order_by(*ordered),
            ),
            Prefetch(
                "contacts",
                to_attr="prefetched_contacts",
                queryset=Contact.objects.order_by(*ordered),
            ),
            Prefetch(
                "schedules",
                to_attr="prefetched_schedules",
                queryset=Schedule.objects.order_by("id"),
            ),
            Prefetch(
                "service_terms",
                to_attr="prefetched_service_terms",
                queryset=ServiceTerm.objects.select_related("term__taxonomy").order_by("id"),
            ),
        )
        .order_by("name", "id")
    )


def service_at_location_dict(place: ServiceAtLocation, *, service: Json | None = None) -> Json:
    """A service at a location with its location and its service: the service's one-to-one
    fields unless the full `service` dict is given. Needs `location` and `service__provider`
    loaded."""
    return _clean(
        {
            "id": place.id,
            "service_id": place.service_id,
            "location_id": place.location_id,
            "description": place.description,
            "location": _location_dict(place.location),
            "service": service if service is not None else service_summary_dict(place.service),
        }
    )
