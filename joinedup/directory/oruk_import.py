"""Import an Open Referral UK feed into the directory, and export the directory as one.

A feed is what the ORUK API (api.py) answers: one fully nested service, a list of them, a
`Page` ({"contents": [...]}) or a list of pages. The export (`export_feed`) is one page holding
every service, closed ones included, plus every organization and taxonomy under `x_organizations`
and `x_taxonomies`, so that an export imported into an empty directory gives the same ORUK JSON
back (tests/directory/test_oruk_import.py).

Records are upserted by their ids, all in one transaction per import. Each record (a taxonomy,
an organization, a service with everything nested in it) is accepted or rejected on its own, with
the reasons named by field path ("service_at_locations/0/location/id: ..."); a rejected record
saves nothing of itself, because it is written inside its own savepoint after it has been
checked. A check (`save=False`) runs everything and then rolls the whole import back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from jsonschema import Draft202012Validator, FormatChecker

from joinedup.core import audit
from joinedup.core.models import AuditVerb
from joinedup.directory import oruk
from joinedup.directory.imports import ImportReport
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
from joinedup.directory.search_text import search_text_refresh
from joinedup.organisations.models import Locality, Organisation

Json = dict[str, Any]

# What the import needs of each record, in JSON Schema (draft 2020-12): the ORUK requirements
# (ids are UUIDs; a service has a name and a status) and the types of the fields it reads.
# Lengths and choices are checked by the models' own field validation afterwards.
_UUID = {"type": "string", "format": "uuid"}
_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_AGE = {"type": "integer", "minimum": 0, "maximum": 120}
_COUNT = {"type": ["integer", "null"], "minimum": 0}


def _object(required: list[str], **properties: Any) -> Json:
    return {"type": "object", "required": required, "properties": properties}


def _array(item: Json) -> Json:
    return {"type": "array", "items": item}


_TERM = _object(
    ["id", "name"],
    id=_UUID,
    name=_TEXT,
    description=_TEXT,
    parent_id=_UUID,
    taxonomy=_TEXT,
    taxonomy_id=_UUID,
    term_uri=_TEXT,
    term=_TEXT,
    x_purpose=_TEXT,
)
_TAXONOMY = _object(
    ["id", "name"],
    id=_UUID,
    name=_TEXT,
    description=_TEXT,
    uri=_TEXT,
    version=_TEXT,
    taxonomy_terms=_array(_TERM),
)
_ORGANIZATION = _object(
    ["id", "name"],
    id=_UUID,
    name=_TEXT,
    description=_TEXT,
    email=_TEXT,
    website=_TEXT,
    logo=_TEXT,
    uri=_TEXT,
    parent_organization_id=_UUID,
    organization_identifiers=_array(
        _object(["identifier"], identifier=_TEXT, identifier_scheme=_TEXT, identifier_type=_TEXT)
    ),
    x_maintained_by=_TEXT,
)
_SCHEDULE = _object(
    ["id"],
    id=_UUID,
    service_at_location_id=_UUID,
    freq={"enum": ["WEEKLY", "MONTHLY"]},
    byday=_TEXT,
    opens_at=_TEXT,
    closes_at=_TEXT,
    valid_from=_DATE,
    valid_to=_DATE,
    description=_TEXT,
    notes=_TEXT,
)
_LOCATION = _object(
    ["id"],
    id=_UUID,
    location_type={"enum": ["physical", "postal", "virtual"]},
    name=_TEXT,
    description=_TEXT,
    latitude={"type": "number", "minimum": -90, "maximum": 90},
    longitude={"type": "number", "minimum": -180, "maximum": 180},
    addresses=_array(
        _object(
            ["id"],
            id=_UUID,
            address_1=_TEXT,
            city=_TEXT,
            state_province=_TEXT,
            postal_code=_TEXT,
            country=_TEXT,
        )
    ),
    accessibility=_array(_object([], description=_TEXT)),
)
SERVICE_SCHEMA = _object(
    ["id", "name", "status"],
    id=_UUID,
    organization_id=_UUID,
    organization=_ORGANIZATION,
    name=_TEXT,
    description=_TEXT,
    url=_TEXT,
    email=_TEXT,
    status={"enum": ["active", "inactive", "defunct", "temporarily closed"]},
    fees=_TEXT,
    accreditations=_TEXT,
    eligibility_description=_TEXT,
    minimum_age=_AGE,
    maximum_age=_AGE,
    assured_date=_DATE,
    assurer_email=_TEXT,
    alert=_TEXT,
    last_modified=_TEXT,
    x_referral_route=_TEXT,
    x_how_to_refer=_TEXT,
    x_capacity=_COUNT,
    x_waiting_list_count=_COUNT,
    x_waiting_weeks=_COUNT,
    x_faith_based={"type": "boolean"},
    x_culturally_specific_for=_TEXT,
    x_is_free={"type": "boolean"},
    x_reviewed_at=_TEXT,
    service_areas=_array(
        _object(
            ["id"],
            id=_UUID,
            name=_TEXT,
            extent=_TEXT,
            extent_type=_TEXT,
            uri=_TEXT,
            x_locality=_TEXT,
        )
    ),
    service_at_locations=_array(
        _object(
            ["id", "location"],
            id=_UUID,
            description=_TEXT,
            location=_LOCATION,
            schedules=_array(_SCHEDULE),
        )
    ),
    languages=_array(_object(["id"], id=_UUID, name=_TEXT, code=_TEXT, note=_TEXT)),
    cost_options=_array(
        _object(
            ["id"],
            id=_UUID,
            option=_TEXT,
            amount={"type": "number", "minimum": 0},
            amount_description=_TEXT,
            currency=_TEXT,
            valid_from=_DATE,
            valid_to=_DATE,
        )
    ),
    funding=_array(
        _object(
            ["id", "source"],
            id=_UUID,
            source=_TEXT,
            x_amount={"type": "number", "minimum": 0},
            x_starts_on=_DATE,
            x_ends_on=_DATE,
        )
    ),
    contacts=_array(
        _object(
            ["id"],
            id=_UUID,
            name=_TEXT,
            title=_TEXT,
            department=_TEXT,
            email=_TEXT,
            phones=_array(_object(["id", "number"], id=_UUID, number=_TEXT)),
        )
    ),
    schedules=_array(_SCHEDULE),
    attributes=_array(_object(["id", "taxonomy_term"], id=_UUID, taxonomy_term=_TERM)),
)
_validators = {
    name: Draft202012Validator(schema, format_checker=FormatChecker())
    for name, schema in (
        ("service", SERVICE_SCHEMA),
        ("organization", _ORGANIZATION),
        ("taxonomy", _TAXONOMY),
    )
}


class Rejected(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class _Feed:
    taxonomies: list[Any] = field(default_factory=list)
    organizations: list[Any] = field(default_factory=list)
    services: list[Any] = field(default_factory=list)


# --- Export ---------------------------------------------------------------------------------

EXPORT_CHUNK = 500


def _all_services() -> Iterator[Json]:
    # In chunks, so that each related table's list of ids stays within the database's limits.
    ids = list(oruk.service_queryset().values_list("id", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        yield from oruk.service_dicts(oruk.service_queryset().filter(id__in=chunk))


def export_feed() -> Json:
    """The whole directory as one ORUK `Page` of fully nested services (closed ones too), with
    every organization and taxonomy alongside."""
    services = list(_all_services())
    return {
        "version": oruk.VERSION,
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
        "x_organizations": oruk.organization_dicts(oruk.organization_queryset()),
        "x_taxonomies": oruk.taxonomy_dicts(oruk.taxonomy_queryset()),
    }


# --- Reading the feed -----------------------------------------------------------------------


def _read(data: bytes | str | Json | list[Any], report: ImportReport) -> _Feed | None:
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            report.reject(line=None, label="feed", reasons=[f"The file is not JSON: {error}"])
            return None
    feed = _Feed()
    pages = data if isinstance(data, list) else [data]
    for index, page in enumerate(pages):
        if isinstance(page, dict) and isinstance(page.get("contents"), list):
            feed.services.extend(page["contents"])
            feed.organizations.extend(_list(page.get("x_organizations")))
            feed.taxonomies.extend(_list(page.get("x_taxonomies")))
        elif isinstance(page, dict) and "id" in page:
            feed.services.append(page)
        else:
            report.reject(
                line=None,
                label=f"feed item {index + 1}" if isinstance(data, list) else "feed",
                reasons=["Expected an ORUK service, a list of services or a page with `contents`."],
            )
    return feed


def _ids(records: list[Any]) -> list[uuid.UUID]:
    found = []
    for record in records:
        try:
            found.append(uuid.UUID(str(record.get("id"))))
        except (AttributeError, ValueError):
            continue
    return found


def _terms_of(feed: _Feed) -> list[Any]:
    """Every taxonomy term the feed carries: in its taxonomies and in its services' attributes."""
    terms = [
        term
        for taxonomy in feed.taxonomies
        if isinstance(taxonomy, dict)
        for term in _list(taxonomy.get("taxonomy_terms"))
    ]
    for service in feed.services:
        if isinstance(service, dict):
            for attribute in _list(service.get("attributes")):
                if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict):
                    terms.append(attribute["taxonomy_term"])
    return terms


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _label(kind: str, record: Any) -> str:
    if isinstance(record, dict):
        name = record.get("name")
        if isinstance(name, str) and name:
            return f"{kind} {name!r}"
        if isinstance(record.get("id"), str):
            return f"{kind} {record['id']}"
    return kind


def _schema_errors(kind: str, record: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(record)'}: {error.message}"
        for error in sorted(_validators[kind].iter_errors(record), key=lambda e: list(e.path))
    ]


# --- Values ---------------------------------------------------------------------------------


def _s(record: Json, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _time(value: Any, path: str, reasons: list[str]) -> time | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.removesuffix("Z")
    try:
        return time.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        reasons.append(f"{path}: {value!r} is not a time such as 09:30")
        return None


def _datetime(value: Any, path: str, reasons: list[str]) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        reasons.append(f"{path}: {value!r} is not a date-time")
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _postcode_district(postal_code: str) -> str:
    code = postal_code.strip().upper()
    outward = code.split()[0] if " " in code else code[:-3]
    return outward[:4]


def _check(
    instance: models.Model, path: str, reasons: list[str], exclude: tuple[str, ...] = ()
) -> None:
    """The model's own field validation (lengths, choices, emails, addresses), named by path."""
    try:
        instance.clean_fields(exclude=list(exclude))
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                reasons.append(f"{path}{name}: {message}")


# --- Records --------------------------------------------------------------------------------


@dataclass
class _Context:
    """What the records of one import share: lookups made once, parents set at the end."""

    localities: dict[str, Locality]
    partners: dict[str, Organisation]
    provider_parents: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    term_parents: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)


def _upsert(model: type[models.Model], instance: models.Model) -> bool:
    """Saves `instance` by its id; True when it was new."""
    if not model._default_manager.filter(pk=instance.pk).exists():
        instance.save(force_insert=True)
        return True
    # Keep what the feed does not carry: when the row was first made, and who last reviewed a
    # service.
    kept = {"id", "created_at", "reviewed_by"}
    # Otherwise Django inserts, since the id field has a default and the instance is new to it.
    instance._state.adding = False
    instance.save(
        update_fields=[
            f.name for f in model._meta.concrete_fields if f.name not in kept and not f.primary_key
        ]
    )
    return False


def _build_provider(record: Json, path: str, reasons: list[str], context: _Context) -> Provider:
    identifiers = _list(record.get("organization_identifiers"))
    first = identifiers[0] if identifiers and isinstance(identifiers[0], dict) else {}
    slug = _s(record, "x_maintained_by")
    provider = Provider(
        id=uuid.UUID(record["id"]),
        name=_s(record, "name"),
        description=_s(record, "description"),
        email=_s(record, "email"),
        website=_s(record, "website"),
        logo=_s(record, "logo"),
        uri=_s(record, "uri"),
        maintained_by=context.partners.get(slug) if slug else None,
        identifier_scheme=_s(first, "identifier_scheme") or _s(first, "identifier_type"),
        identifier=_s(first, "identifier"),
    )
    if provider.identifier_scheme == "identifier":
        provider.identifier_scheme = ""
    _check(provider, path, reasons, exclude=("parent", "maintained_by"))
    if record.get("parent_organization_id"):
        context.provider_parents[provider.id] = uuid.UUID(record["parent_organization_id"])
    return provider


def _build_term(record: Json, path: str, reasons: list[str], context: _Context) -> TaxonomyTerm:
    term = TaxonomyTerm(
        id=uuid.UUID(record["id"]),
        name=_s(record, "name"),
        description=_s(record, "description"),
        code=_s(record, "term"),
        term_uri=_s(record, "term_uri"),
        purpose=_s(record, "x_purpose"),
        taxonomy_id=uuid.UUID(record["taxonomy_id"]) if record.get("taxonomy_id") else None,
    )
    _check(term, path, reasons, exclude=("taxonomy", "parent"))
    if record.get("parent_id"):
        context.term_parents[term.id] = uuid.UUID(record["parent_id"])
    return term


def _save_term(term: TaxonomyTerm, record: Json) -> None:
    if term.taxonomy_id and not Taxonomy.objects.filter(pk=term.taxonomy_id).exists():
        # A term that names a taxonomy the feed does not describe brings the taxonomy's name.
        Taxonomy.objects.create(
            id=term.taxonomy_id,
            name=_s(record, "taxonomy") or "Imported taxonomy",
            description="",
        )
    _upsert(TaxonomyTerm, term)


def _import_taxonomy(record: Json, context: _Context) -> bool:
    reasons = _schema_errors("taxonomy", record)
    if reasons:
        raise Rejected(reasons)
    taxonomy = Taxonomy(
        id=uuid.UUID(record["id"]),
        name=_s(record, "name"),
        description=_s(record, "description"),
        uri=_s(record, "uri"),
        version=_s(record, "version"),
    )
    _check(taxonomy, "", reasons)
    terms = []
    for index, item in enumerate(_list(record.get("taxonomy_terms"))):
        term = _build_term(item, f"taxonomy_terms/{index}/", reasons, context)
        term.taxonomy_id = taxonomy.id
        terms.append((term, item))
    if reasons:
        raise Rejected(reasons)
    created = _upsert(Taxonomy, taxonomy)
    for term, item in terms:
        _save_term(term, item)
    return created


def _import_organization(record: Json, context: _Context) -> bool:
    reasons = _schema_errors("organization", record)
    if reasons:
        raise Rejected(reasons)
    provider = _build_provider(record, "", reasons, context)
    if reasons:
        raise Rejected(reasons)
    return _upsert(Provider, provider)


def _import_service(record: Json, context: _Context, known_orgs: set[uuid.UUID]) -> bool:
    reasons = _schema_errors("service", record)
    if reasons:
        raise Rejected(reasons)
    organization = record.get("organization")
    provider = (
        _build_provider(organization, "organization/", reasons, context) if organization else None
    )
    provider_id = provider.id if provider else None
    if record.get("organization_id"):
        named = uuid.UUID(record["organization_id"])
        if provider_id and named != provider_id:
            reasons.append("organization_id: does not match organization/id")
        provider_id = provider_id or named
    if provider_id is None:
        raise Rejected([*reasons, "organization: the service names no organization"])
    if (
        provider is None
        and provider_id not in known_orgs
        and not Provider.objects.filter(pk=provider_id).exists()
    ):
        reasons.append("organization_id: no organization with this id in the directory or the feed")
    minimum, maximum = record.get("minimum_age"), record.get("maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        reasons.append("minimum_age: is more than maximum_age")

    costs = [c for c in _list(record.get("cost_options"))]
    is_free = record.get("x_is_free")
    if not isinstance(is_free, bool):
        is_free = not any((c.get("amount") or 0) > 0 for c in costs)
    service = Service(
        id=uuid.UUID(record["id"]),
        provider_id=provider_id,
        name=_s(record, "name"),
        description=_s(record, "description"),
        url=_s(record, "url"),
        email=_s(record, "email"),
        status=record["status"],
        fees=_s(record, "fees"),
        accreditations=_s(record, "accreditations"),
        minimum_age=minimum,
        maximum_age=maximum,
        eligibility_description=_s(record, "eligibility_description"),
        assured_date=_date(record.get("assured_date")),
        assurer_email=_s(record, "assurer_email"),
        alert=_s(record, "alert"),
        referral_route=_s(record, "x_referral_route") or Service.referral_route.field.default,
        how_to_refer=_s(record, "x_how_to_refer"),
        capacity=record.get("x_capacity"),
        waiting_list_count=record.get("x_waiting_list_count"),
        waiting_weeks=record.get("x_waiting_weeks"),
        faith_based=bool(record.get("x_faith_based", False)),
        culturally_specific_for=_s(record, "x_culturally_specific_for"),
        is_free=is_free,
        reviewed_at=_datetime(record.get("x_reviewed_at"), "x_reviewed_at", reasons),
    )
    last_modified = _datetime(record.get("last_modified"), "last_modified", reasons)
    _check(service, "", reasons, exclude=("provider", "reviewed_by", "last_modified"))

    rows: dict[str, list[Any]] = {"terms": [], "links": []}
    term_records = []
    for index, item in enumerate(_list(record.get("attributes"))):
        term = _build_term(
            item["taxonomy_term"], f"attributes/{index}/taxonomy_term/", reasons, context
        )
        term_records.append((term, item["taxonomy_term"]))
        rows["links"].append(ServiceTerm(id=uuid.UUID(item["id"]), service=service, term=term))
    for name, key, build in (
        ("areas", "service_areas", _area),
        ("languages", "languages", _language),
        ("costs", "cost_options", _cost),
        ("fundings", "funding", _funding),
        ("contacts", "contacts", _contact),
    ):
        rows[name] = []
        for index, item in enumerate(_list(record.get(key))):
            row = build(item, service, context)
            _check(row, f"{key}/{index}/", reasons, exclude=("service", "locality"))
            rows[name].append(row)
    locations, places, schedules = [], [], []
    place_ids = set()
    for index, item in enumerate(_list(record.get("service_at_locations"))):
        location = _location(item["location"])
        _check(location, f"service_at_locations/{index}/location/", reasons)
        place = ServiceAtLocation(
            id=uuid.UUID(item["id"]),
            service=service,
            location=location,
            description=_s(item, "description"),
        )
        place_ids.add(place.id)
        locations.append(location)
        places.append(place)
        for n, schedule in enumerate(_list(item.get("schedules"))):
            path = f"service_at_locations/{index}/schedules/{n}/"
            schedules.append(_schedule(schedule, path, reasons, service=None, place_id=place.id))
    for index, item in enumerate(_list(record.get("schedules"))):
        place_id = item.get("service_at_location_id")
        place_uuid = uuid.UUID(place_id) if place_id else None
        if place_uuid and place_uuid not in place_ids:
            reasons.append(
                f"schedules/{index}/service_at_location_id: names no service_at_location "
                "of this service"
            )
        schedules.append(
            _schedule(item, f"schedules/{index}/", reasons, service=service, place_id=place_uuid)
        )
    if reasons:
        raise Rejected(reasons)

    if provider is not None:
        _upsert(Provider, provider)
    for term, term_record in term_records:
        _save_term(term, term_record)
    created = _upsert(Service, service)
    if last_modified:
        # The feed's own date: an import is not a change to the service's content.
        Service.objects.filter(pk=service.pk).update(last_modified=last_modified)
    # The feed describes the whole service: what it no longer lists goes.
    for model in (ServiceTerm, ServiceArea, ServiceLanguage, CostOption, Funding, Contact):
        model._default_manager.filter(service=service).delete()
    Schedule.objects.filter(service=service).delete()
    ServiceAtLocation.objects.filter(service=service).delete()
    for location in locations:
        _upsert(Location, location)
    ServiceAtLocation.objects.bulk_create(places)
    Schedule.objects.bulk_create(schedules)
    for name, model in (
        ("links", ServiceTerm),
        ("areas", ServiceArea),
        ("languages", ServiceLanguage),
        ("costs", CostOption),
        ("fundings", Funding),
        ("contacts", Contact),
    ):
        model._default_manager.bulk_create(rows[name])
    return created


def _area(item: Json, service: Service, context: _Context) -> ServiceArea:
    slug = _s(item, "x_locality")
    return ServiceArea(
        id=uuid.UUID(item["id"]),
        service=service,
        name=_s(item, "name") or "Area",
        locality=context.localities.get(slug) if slug else None,
        extent=_s(item, "extent"),
        extent_type=_s(item, "extent_type"),
        uri=_s(item, "uri"),
    )


def _language(item: Json, service: Service, context: _Context) -> ServiceLanguage:
    return ServiceLanguage(
        id=uuid.UUID(item["id"]),
        service=service,
        name=_s(item, "name") or _s(item, "code"),
        code=_s(item, "code"),
        note=_s(item, "note"),
    )


def _cost(item: Json, service: Service, context: _Context) -> CostOption:
    return CostOption(
        id=uuid.UUID(item["id"]),
        service=service,
        option=_s(item, "option"),
        amount=_decimal(item.get("amount")),
        amount_description=_s(item, "amount_description"),
        currency=_s(item, "currency") or "GBP",
        valid_from=_date(item.get("valid_from")),
        valid_to=_date(item.get("valid_to")),
    )


def _funding(item: Json, service: Service, context: _Context) -> Funding:
    return Funding(
        id=uuid.UUID(item["id"]),
        service=service,
        source=_s(item, "source"),
        amount=_decimal(item.get("x_amount")),
        starts_on=_date(item.get("x_starts_on")),
        ends_on=_date(item.get("x_ends_on")),
    )


def _contact(item: Json, service: Service, context: _Context) -> Contact:
    phones = _list(item.get("phones"))
    phone = phones[0] if phones else {}
    return Contact(
        id=uuid.UUID(item["id"]),
        service=service,
        name=_s(item, "name"),
        title=_s(item, "title"),
        department=_s(item, "department"),
        email=_s(item, "email"),
        phone=_s(phone, "number"),
        phone_id=uuid.UUID(phone["id"]) if phone else None,
    )


def _location(item: Json) -> Location:
    addresses = _list(item.get("addresses"))
    address = addresses[0] if addresses else {}
    access = [_s(a, "description") for a in _list(item.get("accessibility"))]
    postal_code = _s(address, "postal_code")
    return Location(
        id=uuid.UUID(item["id"]),
        location_type=_s(item, "location_type") or "physical",
        name=_s(item, "name"),
        description=_s(item, "description"),
        latitude=item.get("latitude"),
        longitude=item.get("longitude"),
        address_id=uuid.UUID(address["id"]) if address else None,
        address_1=_s(address, "address_1"),
        city=_s(address, "city"),
        state_province=_s(address, "state_province"),
        postal_code=postal_code,
        country=_s(address, "country") or "GB",
        postcode_district=_postcode_district(postal_code) if postal_code else "",
        accessibility="\n".join(a for a in access if a),
    )


def _schedule(
    item: Json,
    path: str,
    reasons: list[str],
    *,
    service: Service | None,
    place_id: uuid.UUID | None,
) -> Schedule:
    schedule = Schedule(
        id=uuid.UUID(item["id"]),
        service=service,
        service_at_location_id=place_id,
        freq=_s(item, "freq") or "WEEKLY",
        byday=_s(item, "byday"),
        opens_at=_time(item.get("opens_at"), f"{path}opens_at", reasons),
        closes_at=_time(item.get("closes_at"), f"{path}closes_at", reasons),
        valid_from=_date(item.get("valid_from")),
        valid_to=_date(item.get("valid_to")),
        description=_s(item, "description"),
        notes=_s(item, "notes"),
    )
    _check(schedule, path, reasons, exclude=("service", "service_at_location"))
    return schedule


# --- The import -----------------------------------------------------------------------------


def _one(report: ImportReport, kind: str, record: Any, work: Any) -> None:
    label = _label(kind, record)
    if not isinstance(record, dict):
        report.reject(line=None, label=label, reasons=["(record): expected a JSON object"])
        return
    try:
        with transaction.atomic():
            created = work(record)
    except Rejected as rejected:
        report.reject(line=None, label=label, reasons=rejected.reasons)
    except (DatabaseError, ValidationError, ValueError) as error:
        # A clash the checks could not see, such as an id already used by another record.
        report.reject(line=None, label=label, reasons=[f"(record): could not be saved: {error}"])
    else:
        report.accept(line=None, label=label, created=created)


def import_feed(
    data: bytes | str | Json | list[Any],
    *,
    actor: Any,
    save: bool = True,
    source: str = "ORUK feed",
) -> ImportReport:
    """Upserts every taxonomy, organization and service of an ORUK feed by id, in one
    transaction; with `save=False`, checks everything and saves nothing."""
    report = ImportReport(source=source, row_noun="record")
    feed = _read(data, report)
    if feed is None:
        return report
    with transaction.atomic():
        context = _Context(
            localities={locality.slug: locality for locality in Locality.objects.all()},
            partners={partner.slug: partner for partner in Organisation.objects.all()},
        )
        for record in feed.taxonomies:
            _one(report, "taxonomy", record, lambda r: _import_taxonomy(r, context))
        for record in feed.organizations:
            _one(report, "organization", record, lambda r: _import_organization(r, context))
        known = set(Provider.objects.values_list("id", flat=True))
        for record in feed.services:
            _one(report, "service", record, lambda r: _import_service(r, context, known))
        # Parents last, once every record that could be one is in; an unknown parent is left
        # out rather than failing the record.
        existing = set(
            Provider.objects.filter(id__in=context.provider_parents.values()).values_list(
                "id", flat=True
            )
        )
        for child, parent in context.provider_parents.items():
            if parent in existing and parent != child:
                Provider.objects.filter(pk=child).update(parent_id=parent)
        existing = set(
            TaxonomyTerm.objects.filter(id__in=context.term_parents.values()).values_list(
                "id", flat=True
            )
        )
        for child, parent in context.term_parents.items():
            if parent in existing and parent != child:
                TaxonomyTerm.objects.filter(pk=child).update(parent_id=parent)
        # The feed may rename a provider or a need as well as change its own services.
        search_text_refresh(
            Service.objects.filter(
                Q(pk__in=_ids(feed.services))
                | Q(provider_id__in=_ids(feed.organizations))
                | Q(service_terms__term_id__in=_ids(_terms_of(feed)))
            ).distinct()
        )
        if save:
            audit.record(
                actor=actor,
                verb=AuditVerb.UPDATE,
                purpose="Imported an Open Referral UK feed into the directory",
                detail={
                    "source": source[:200],
                    "created": report.created,
                    "updated": report.updated,
                    "rejected": len(report.rejected),
                },
            )
        else:
            transaction.set_rollback(True)
    report.saved = save and bool(report.accepted)
    return report
