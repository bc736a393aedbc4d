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

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    DateField,
    DecimalField,
    Field,
    ForeignKey,
    Q,
    QuerySet,
    TimeField,
    UUIDField,
)

from joinedup.directory.models import (
    Contact,
    CostOption,
    Funding,
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
from joinedup.directory.search import NAME_ORDER

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
# One row of a `.values()` query: the dicts below are built from rows, never from model
# instances, because making and prefetching instances was most of the time of a page.
Row = Mapping[str, Any]
# (HSDS property, column of the row), in the order the JSON lists them.
Fields = tuple[tuple[str, str], ...]


def derived_id(parent: uuid.UUID | str, part: str) -> str:
    """A stable id for a row HSDS has and the directory keeps inside its parent: uuid5 of the
    parent's id, worked out from the text without making uuid.UUID objects (a page derives
    hundreds)."""
    namespace = (
        parent.bytes if isinstance(parent, uuid.UUID) else bytes.fromhex(parent.replace("-", ""))
    )
    digest = bytearray(hashlib.sha1(namespace + part.encode(), usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _decimal(value: Decimal) -> int | float:
    # JSON numbers: ORUK types amounts as numbers, not strings.
    return int(value) if value == value.to_integral_value() else float(value)


def _uuid_text(value: Any) -> str | None:
    """A UUID column's value as the database gives it, in the canonical hyphenated form.

    SQLite keeps a UUID as its 32 hex digits and PostgreSQL answers uuid objects; either way the
    JSON wants text, and making a uuid.UUID of every id of a page only to turn it back into text
    was the largest part of a page's time."""
    if value is None:
        return None
    if type(value) is str:
        if len(value) == 32:
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
        return value
    return str(value)


def _time_text(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _number(value: Decimal | None) -> int | float | None:
    return None if value is None else _decimal(value)


def _json_value(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of `field`, once Django has converted it, becomes a JSON value."""
    if isinstance(field, DateField):  # DateTimeField is a DateField
        return _iso
    if isinstance(field, TimeField):
        return _time_text
    if isinstance(field, DecimalField):
        return _number
    return None


def _converter(
    field: Field[Any, Any],
    converters: Sequence[Callable[..., Any]],
    expression: Any,
    connection: Any,
) -> Callable[[Any], Any] | None:
    while isinstance(field, ForeignKey):
        field = field.target_field
    if isinstance(field, UUIDField):
        return _uuid_text
    to_json = _json_value(field)
    if not converters:
        return to_json

    def convert(value: Any) -> Any:
        for converter in converters:
            value = converter(value, expression, connection)
        return value if to_json is None else to_json(value)

    return convert


@dataclass(frozen=True)
class _Compiled:
    """A query's SQL and parameters, with how each selected value becomes a JSON value."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    conversions: tuple[tuple[int, Callable[[Any], Any]], ...]
    alias: str

    def rows(self, params: Sequence[Any] | None = None) -> list[Json]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.params if params is None else params)
            raw = cursor.fetchall()
        found = []
        for values in raw:
            row = list(values)
            for index, convert in self.conversions:
                row[index] = convert(row[index])
            found.append(dict(zip(self.names, row, strict=True)))
        return found


def _compiled(queryset: QuerySet[Any], columns: Sequence[str]) -> _Compiled | None:
    """`queryset.values(*columns)` compiled, or None when it can match nothing."""
    query = queryset.values(*columns).query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
    django_converters = {
        index: found for index, (found, _) in compiler.get_converters(selected).items()
    }
    connection = connections[queryset.db]
    conversions = []
    for index, expression in enumerate(selected):
        convert = _converter(
            expression.output_field, django_converters.get(index, ()), expression, connection
        )
        if convert is not None:
            conversions.append((index, convert))
    return _Compiled(sql, tuple(params), tuple(columns), tuple(conversions), queryset.db)


def _rows(queryset: QuerySet[Any], columns: Sequence[str]) -> list[Json]:
    """The `.values(*columns)` of `queryset` with every value already as the JSON has it: ids
    as text, dates and times as ISO text, amounts as numbers.

    The query is Django's own; only the conversion of each value is done here, in one step,
    instead of Django making uuid.UUID, datetime and Decimal objects that the JSON then turns
    into text again."""
    compiled = _compiled(queryset, columns)
    return [] if compiled is None else compiled.rows()


@lru_cache(maxsize=512)
def _query_by_ids(
    model: Any,
    columns: tuple[str, ...],
    lookups: tuple[tuple[str, int], ...],
    order_by: tuple[str, ...],
    alias: str,
) -> _Compiled:
    """The query for the rows of `model` whose `field` is among `count` ids, for each
    (field, count) of `lookups` (any of them), compiled once: building and compiling a query
    is most of the cost of reading a page's rows, and only the ids change from one page to
    the next. `_rows_by_ids` runs it with the ids."""
    condition = Q()
    stand_ins: list[uuid.UUID] = []
    for field_name, count in lookups:
        these = [uuid.UUID(int=len(stand_ins) + number) for number in range(count)]
        stand_ins += these
        condition |= Q(**{f"{field_name}__in": these})
    queryset = model.objects.using(alias).filter(condition).order_by(*order_by)
    compiled = _compiled(queryset, columns)
    # The ids must be the query's only parameters, in order, for others to take their place:
    # checked here, so that a change in how Django writes the query cannot go unseen.
    if compiled is None or compiled.params != _prepared(model, lookups, stand_ins, alias):
        raise RuntimeError(f"Unexpected parameters in the query of {model.__name__} by ids")
    return compiled


def _prepared(
    model: Any, lookups: tuple[tuple[str, int], ...], ids: Sequence[Any], alias: str
) -> tuple[Any, ...]:
    connection = connections[alias]
    prepared: list[Any] = []
    start = 0
    for field_name, count in lookups:
        field = model._meta.get_field(field_name)
        prepared += [
            field.get_db_prep_value(value, connection) for value in ids[start : start + count]
        ]
        start += count
    return tuple(prepared)


def _rows_by_ids(
    model: Any,
    columns: Sequence[str],
    by: Mapping[str, Sequence[Any]],
    order_by: tuple[str, ...] = ("id",),
) -> list[Json]:
    """The rows of `model` whose field is among the given ids, for any field of `by` (field
    name to ids), with `columns` as JSON values (as `_rows` gives them)."""
    lookups = tuple((name, len(ids)) for name, ids in by.items() if ids)
    if not lookups:
        return []
    alias = model.objects.db
    compiled = _query_by_ids(model, tuple(columns), lookups, order_by, alias)
    every_id = [value for name, _ in lookups for value in by[name]]
    return compiled.rows(_prepared(model, lookups, every_id, alias))


def raw_ids(queryset: QuerySet[Any]) -> list[Any]:
    """The primary keys of `queryset`, in its order, as the database gives them (a filter on
    the same column takes them back as they are)."""
    compiler = queryset.values_list("pk").query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _clean(data: Json, *, keep: Iterable[str] = ()) -> Json:
    """Drop empty optional values (None and ""), keeping the required ones named in `keep`.
    The values are already JSON values (they come from `_rows`)."""
    if keep:
        kept = set(keep)
        return {
            key: value
            for key, value in data.items()
            if key in kept or (value is not None and value != "")
        }
    return {key: value for key, value in data.items() if value is not None and value != ""}


def _pick(row: Row, fields: Fields, prefix: str = "") -> Json:
    return {key: row[prefix + column] for key, column in fields}


def _columns(fields: Fields, *extra: str, prefix: str = "") -> tuple[str, ...]:
    """The `.values()` lookups a dict needs: its fields' columns and the `extra` ones it reads
    itself, under `prefix` when it comes through a foreign key."""
    return tuple(prefix + column for column in (*(c for _, c in fields), *extra))


def _prefixed(columns: Sequence[str], prefix: str) -> tuple[str, ...]:
    return tuple(prefix + column for column in columns)


def _grouped(rows: Iterable[Row], key: str = "service_id") -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


# --- Taxonomies -----------------------------------------------------------------------------

TAXONOMY_TERM: Fields = (
    ("id", "id"),
    ("name", "name"),
    ("description", "description"),
    ("parent_id", "parent_id"),
    ("taxonomy", "taxonomy__name"),
    ("taxonomy_id", "taxonomy_id"),
    ("term_uri", "term_uri"),
    ("term", "code"),
    ("x_purpose", "purpose"),
)
TAXONOMY_TERM_COLUMNS = _columns(TAXONOMY_TERM)
TAXONOMY: Fields = (
    ("id", "id"),
    ("name", "name"),
    ("description", "description"),
    ("uri", "uri"),
    ("version", "version"),
)
REQUIRED = ("id", "name", "description")


def taxonomy_term_dict(row: Row) -> Json:
    return _clean(_pick(row, TAXONOMY_TERM), keep=REQUIRED)


def taxonomy_term_dicts(terms: QuerySet[TaxonomyTerm]) -> list[Json]:
    return [taxonomy_term_dict(row) for row in _rows(terms, TAXONOMY_TERM_COLUMNS)]


def taxonomy_dicts(taxonomies: QuerySet[Taxonomy], *, with_terms: bool = True) -> list[Json]:
    """Each taxonomy with its terms, in two queries whatever the number of taxonomies."""
    rows = _rows(taxonomies, _columns(TAXONOMY))
    terms: dict[Any, list[Row]] = {}
    if with_terms and rows:
        terms = _grouped(
            _rows(
                taxonomy_term_queryset().filter(taxonomy_id__in=[row["id"] for row in rows]),
                TAXONOMY_TERM_COLUMNS,
            ),
            key="taxonomy_id",
        )
    found = []
    for row in rows:
        data = _clean(_pick(row, TAXONOMY), keep=REQUIRED)
        if with_terms:
            data["taxonomy_terms"] = [taxonomy_term_dict(t) for t in terms.get(row["id"], ())]
        found.append(data)
    return found


def taxonomy_queryset() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "id")


def taxonomy_term_queryset() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.order_by("name", "id")


# --- Organizations --------------------------------------------------------------------------

ORGANIZATION: Fields = (
    ("id", "id"),
    ("name", "name"),
    ("description", "description"),
    ("email", "email"),
    ("website", "website"),
    ("logo", "logo"),
    ("uri", "uri"),
    ("parent_organization_id", "parent_id"),
    ("x_maintained_by", "maintained_by__slug"),
)
ORGANIZATION_COLUMNS = _columns(ORGANIZATION, "identifier_scheme", "identifier")


def organization_dict(row: Row, prefix: str = "") -> Json:
    """From a row with ORGANIZATION_COLUMNS (under `prefix` when read through a service)."""
    data = _clean(_pick(row, ORGANIZATION, prefix), keep=REQUIRED)
    identifier = row[prefix + "identifier"]
    if identifier:
        provider_id = row[prefix + "id"]
        scheme = row[prefix + "identifier_scheme"]
        data["organization_identifiers"] = [
            _clean(
                {
                    "id": derived_id(provider_id, "organization_identifier"),
                    "organization_id": provider_id,
                    "identifier_scheme": scheme,
                    # Required by ORUK; the scheme says what kind of identifier it is.
                    "identifier_type": scheme or "identifier",
                    "identifier": identifier,
                },
                keep=("identifier_type",),
            )
        ]
    return data


def organization_dicts(providers: QuerySet[Provider], *, with_services: bool = False) -> list[Json]:
    """Organizations, with their services' one-to-one fields (HSDS `services`) if asked."""
    rows = _rows(providers, ORGANIZATION_COLUMNS)
    services: dict[Any, list[Row]] = {}
    if with_services and rows:
        services = _grouped(
            _rows(
                service_queryset().filter(provider_id__in=[row["id"] for row in rows]),
                SERVICE_SUMMARY_COLUMNS,
            ),
            key="provider_id",
        )
    found = []
    for row in rows:
        data = organization_dict(row)
        if with_services:
            data["services"] = [
                service_summary_dict(service, organization=False)
                for service in services.get(row["id"], ())
            ]
        found.append(data)
    return found


def organization_queryset() -> QuerySet[Provider]:
    return Provider.objects.order_by("name", "id")


# --- Services -------------------------------------------------------------------------------

SERVICE: Fields = (
    ("id", "id"),
    ("organization_id", "provider_id"),
    ("name", "name"),
    ("description", "description"),
    ("url", "url"),
    ("email", "email"),
    ("status", "status"),
    ("fees", "fees"),
    ("accreditations", "accreditations"),
    ("eligibility_description", "eligibility_description"),
    ("minimum_age", "minimum_age"),
    ("maximum_age", "maximum_age"),
    ("assured_date", "assured_date"),
    ("assurer_email", "assurer_email"),
    ("alert", "alert"),
    ("last_modified", "last_modified"),
    ("x_referral_route", "referral_route"),
    ("x_how_to_refer", "how_to_refer"),
    ("x_capacity", "capacity"),
    ("x_waiting_list_count", "waiting_list_count"),
    ("x_waiting_weeks", "waiting_weeks"),
    ("x_faith_based", "faith_based"),
    ("x_culturally_specific_for", "culturally_specific_for"),
    ("x_is_free", "is_free"),
    ("x_reviewed_at", "reviewed_at"),
)
SERVICE_SUMMARY_COLUMNS = _columns(SERVICE)
# With its organization, through the join on the provider.
SERVICE_COLUMNS = SERVICE_SUMMARY_COLUMNS + _prefixed(ORGANIZATION_COLUMNS, "provider__")
SERVICE_AREA: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("name", "name"),
    ("extent", "extent"),
    ("extent_type", "extent_type"),
    ("uri", "uri"),
    ("x_locality", "locality__slug"),
)
LANGUAGE: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("name", "name"),
    ("code", "code"),
    ("note", "note"),
)
COST_OPTION: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("option", "option"),
    ("amount", "amount"),
    ("amount_description", "amount_description"),
    ("currency", "currency"),
    ("valid_from", "valid_from"),
    ("valid_to", "valid_to"),
)
FUNDING: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("source", "source"),
    ("x_amount", "amount"),
    ("x_starts_on", "starts_on"),
    ("x_ends_on", "ends_on"),
)
CONTACT: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("name", "name"),
    ("title", "title"),
    ("department", "department"),
    ("email", "email"),
)
SCHEDULE: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("service_at_location_id", "service_at_location_id"),
    ("valid_from", "valid_from"),
    ("valid_to", "valid_to"),
    ("freq", "freq"),
    ("byday", "byday"),
    ("opens_at", "opens_at"),
    ("closes_at", "closes_at"),
    ("description", "description"),
    ("notes", "notes"),
)
LOCATION: Fields = (
    ("id", "id"),
    ("location_type", "location_type"),
    ("name", "name"),
    ("description", "description"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
)
ADDRESS: Fields = (
    ("address_1", "address_1"),
    ("city", "city"),
    ("state_province", "state_province"),
    ("postal_code", "postal_code"),
    ("country", "country"),
)
LOCATION_COLUMNS = _columns(LOCATION, "address_id", *(c for _, c in ADDRESS), "accessibility")
SERVICE_AT_LOCATION: Fields = (
    ("id", "id"),
    ("service_id", "service_id"),
    ("location_id", "location_id"),
    ("description", "description"),
)
SERVICE_AT_LOCATION_COLUMNS = _columns(SERVICE_AT_LOCATION) + _prefixed(
    LOCATION_COLUMNS, "location__"
)
# The service's tables whose rows are listed under it as they are, each as (HSDS property,
# model, fields); places, contacts, schedules and attributes have more to them.
LISTS: tuple[tuple[str, Any, Fields], ...] = (
    ("service_areas", ServiceArea, SERVICE_AREA),
    ("languages", ServiceLanguage, LANGUAGE),
    ("cost_options", CostOption, COST_OPTION),
    ("funding", Funding, FUNDING),
)


def service_summary_dict(row: Row, prefix: str = "", *, organization: bool = True) -> Json:
    """The service's one-to-one fields (HSDS `service_list`), with its extensions, from a row
    with SERVICE_COLUMNS (SERVICE_SUMMARY_COLUMNS without the organization)."""
    data = _clean(_pick(row, SERVICE, prefix), keep=("id", "name", "status"))
    if organization:
        data["organization"] = organization_dict(row, prefix + "provider__")
    return data


def _location_dict(row: Row, prefix: str) -> Json:
    location_id = row[prefix + "id"]
    data = _clean(_pick(row, LOCATION, prefix), keep=("id", "location_type"))
    if row[prefix + "address_1"] or row[prefix + "postal_code"]:
        data["addresses"] = [
            _clean(
                {
                    "id": row[prefix + "address_id"] or derived_id(location_id, "address"),
                    "location_id": location_id,
                    **_pick(row, ADDRESS, prefix),
                    "address_type": "physical",
                },
                keep=("address_1", "city", "state_province", "postal_code", "country"),
            )
        ]
    if row[prefix + "accessibility"]:
        data["accessibility"] = [
            {
                "id": derived_id(location_id, "accessibility"),
                "location_id": str(location_id),
                "description": row[prefix + "accessibility"],
            }
        ]
    return data


def _place_dict(row: Row, **nested: Any) -> Json:
    """A service at a location from a row with SERVICE_AT_LOCATION_COLUMNS, with its location
    and `nested` (its schedules, or its service); an empty one is left out."""
    return _clean(
        {
            **_pick(row, SERVICE_AT_LOCATION),
            "location": _location_dict(row, "location__"),
            **nested,
        }
    )


def _contact_dict(row: Row) -> Json:
    data = _clean(_pick(row, CONTACT))
    if row["phone"]:
        data["phones"] = [
            {
                "id": str(row["phone_id"] or derived_id(row["id"], "phone")),
                "contact_id": str(row["id"]),
                "number": row["phone"],
            }
        ]
    return data


def _attribute_dict(row: Row, term: Json) -> Json:
    return {
        "id": str(row["id"]),
        "link_id": str(row["service_id"]),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(row["term_id"]),
        "taxonomy_term": term,
    }


def _rows_of(model: Any, ids: list[Any], columns: Sequence[str]) -> dict[Any, list[Row]]:
    """The rows of one table of the services `ids`, by service, in one query."""
    return _grouped(_rows_by_ids(model, columns, {"service_id": ids}))


def service_dicts(services: QuerySet[Service]) -> list[Json]:
    """The fully nested services (HSDS compiled `service`) of `services`, in its order: the
    one way a service becomes ORUK JSON, for the API's pages and single services and for the
    feed export. One query for the services with their organizations, then one per related
    table whatever the number of services."""
    return _nested(_rows(services, SERVICE_COLUMNS))


def service_dicts_by_id(ids: Sequence[Any]) -> list[Json]:
    """The fully nested services with these ids, in the order of `ids` (a page of the API)."""
    rows = {
        row["id"]: row for row in _rows_by_ids(Service, SERVICE_COLUMNS, {"id": ids}, order_by=())
    }
    return _nested([rows[key] for key in map(_uuid_text, ids) if key in rows])


def _nested(rows: Sequence[Row]) -> list[Json]:
    if not rows:
        return []
    # Parsed once for the queries below, rather than once by each of them.
    ids = [uuid.UUID(row["id"]) for row in rows]
    lists = {
        name: (fields, _rows_of(model, ids, _columns(fields))) for name, model, fields in LISTS
    }
    places = _rows_of(ServiceAtLocation, ids, SERVICE_AT_LOCATION_COLUMNS)
    place_ids = [place["id"] for group in places.values() for place in group]
    # A schedule of the service and one of its places come in the same query; one kept on
    # both belongs to the service.
    own_schedules: dict[Any, list[Row]] = defaultdict(list)
    place_schedules: dict[Any, list[Row]] = defaultdict(list)
    for schedule in _rows_by_ids(
        Schedule, _columns(SCHEDULE), {"service_id": ids, "service_at_location_id": place_ids}
    ):
        if schedule["service_id"] is not None:
            own_schedules[schedule["service_id"]].append(schedule)
        else:
            place_schedules[schedule["service_at_location_id"]].append(schedule)
    contacts = _rows_of(Contact, ids, _columns(CONTACT, "phone", "phone_id"))
    links = _rows_of(ServiceTerm, ids, ("id", "service_id", "term_id"))
    # Each term once, however many services of the page carry it.
    term_ids = sorted({link["term_id"] for group in links.values() for link in group})
    terms = {
        term["id"]: taxonomy_term_dict(term)
        for term in _rows_by_ids(TaxonomyTerm, TAXONOMY_TERM_COLUMNS, {"id": term_ids})
    }

    def listed(name: str, service_id: Any) -> list[Json]:
        fields, grouped = lists[name]
        return [_clean(_pick(item, fields)) for item in grouped.get(service_id, ())]

    found = []
    for row in rows:
        service_id = row["id"]
        data = service_summary_dict(row)
        data["service_areas"] = listed("service_areas", service_id)
        data["service_at_locations"] = [
            _place_dict(
                place,
                schedules=[
                    _clean(_pick(schedule, SCHEDULE))
                    for schedule in place_schedules.get(place["id"], ())
                ]
                or None,
            )
            for place in places.get(service_id, ())
        ]
        data["languages"] = listed("languages", service_id)
        data["cost_options"] = listed("cost_options", service_id)
        data["funding"] = listed("funding", service_id)
        data["contacts"] = [_contact_dict(contact) for contact in contacts.get(service_id, ())]
        data["schedules"] = [
            _clean(_pick(schedule, SCHEDULE)) for schedule in own_schedules.get(service_id, ())
        ]
        data["attributes"] = [
            _attribute_dict(link, terms[link["term_id"]]) for link in links.get(service_id, ())
        ]
        found.append(data)
    return found


def service_queryset() -> QuerySet[Service]:
    """Services in the directory's alphabetical order, as search lists them (one index)."""
    return Service.objects.order_by(*NAME_ORDER)


def service_at_location_dicts(
    places: QuerySet[ServiceAtLocation], *, full_service: bool = False
) -> list[Json]:
    """Services at locations, each with its location and its service: the service's
    one-to-one fields, or the fully nested service with `full_service`."""
    if full_service:
        rows = _rows(places, SERVICE_AT_LOCATION_COLUMNS)
        services = {
            service["id"]: service
            for service in service_dicts(
                Service.objects.filter(id__in={row["service_id"] for row in rows})
            )
        }
        return [_place_dict(row, service=services[row["service_id"]]) for row in rows]
    columns = SERVICE_AT_LOCATION_COLUMNS + _prefixed(SERVICE_COLUMNS, "service__")
    return [
        _place_dict(row, service=service_summary_dict(row, "service__"))
        for row in _rows(places, columns)
    ]
