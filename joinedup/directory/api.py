"""The Open Referral UK API: the directory, read-only and public, under /api/oruk/, as the ORUK
profile's OpenAPI file defines it (docs/directory-api.md).

Plain Django views returning JSON: every answer, errors included, carries
`Access-Control-Allow-Origin: *` as ORUK asks, so that other councils' and partners' web pages
can read the directory from a browser. Only GET, HEAD and OPTIONS are answered.

A bad query parameter answers 400 with a JSON body naming the parameter; an unknown or malformed
id answers 404 in JSON. Directory data is published information about services, never about a
child, so these reads leave no audit entries.

Services closed for good (status "defunct") are left out of `/services` unless asked for with
`status=defunct`; `/services/{id}` still answers for them, so a link or a feed that holds one
learns that it closed.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime, time
from functools import wraps
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from joinedup.directory import oruk
from joinedup.directory.models import (
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTerm,
    Weekday,
)

DEFAULT_PER_PAGE = 50
# Larger requests are cut to this, so that one request cannot ask for the whole directory
# fully nested; a feed reader pages through instead.
MAX_PER_PAGE = 200
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
DAY_NAMES = {label.lower(): code for code, label in Weekday.choices}


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class NotFound(Exception):
    pass


def _with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    return response


def _json(data: Any, *, status: int = 200) -> HttpResponse:
    return _with_cors(
        JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    )


def oruk_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Answers the methods the API allows, in JSON with CORS; turns BadParameter into 400 and
    NotFound into 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            return _with_cors(response)
        if request.method not in ("GET", "HEAD"):
            response = _json(
                {"error": "This API is read-only: use GET.", "method": request.method},
                status=405,
            )
            response["Allow"] = ALLOWED_METHODS
            return response
        try:
            return _json(view(request, *args, **kwargs))
        except BadParameter as error:
            return _json({"error": error.message, "parameter": error.parameter}, status=400)
        except NotFound:
            return _json({"error": "Nothing here has that id."}, status=404)

    return wrapper


# --- Parameters -----------------------------------------------------------------------------


def _text(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _integer(request: HttpRequest, name: str, *, minimum: int = 0) -> int | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number.") from None
    if number < minimum:
        raise BadParameter(name, f"{name} must be {minimum} or more.")
    return number


def _number(request: HttpRequest, name: str) -> float | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadParameter(name, f"{name} must be a number.") from None
    if not math.isfinite(number) or number < 0:
        raise BadParameter(name, f"{name} must be a number, 0 or more.")
    return number


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameter(name, f"{name} must be a UUID.") from None


def _time(request: HttpRequest, name: str) -> time | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        parsed = parse_time(value.removesuffix("Z"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(name, f"{name} must be a time such as 09:30.")
    return parsed.replace(tzinfo=None)


def _day(request: HttpRequest) -> str | None:
    value = _text(request, "day")
    if value is None:
        return None
    code = value.upper() if value.upper() in Weekday.values else DAY_NAMES.get(value.lower())
    if code is None:
        raise BadParameter("day", "day must be a day such as MO or Monday.")
    return code


def _datetime(request: HttpRequest, name: str) -> datetime | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))
        if parsed is None:
            day = parse_date(value)
            parsed = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(name, f"{name} must be a date-time such as 2025-01-31T09:00:00Z.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound from None


# --- Paging ---------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    to_dicts: Callable[[QuerySet[Any]], list[dict[str, Any]]],
    *,
    narrowed: bool = False,
    dicts_by_id: Callable[[list[Any]], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The ORUK `Page` wrapper around one page of `queryset`, counted before `to_dicts` reads
    the page's columns, so that the count joins nothing.

    A `narrowed` queryset (filtered down to a part of the table) is read once for the ids of
    all its matches in order, which gives the count and the page: the database would
    otherwise work out the filters twice, once to count and once for the page, each time for
    every candidate row. A whole table is counted, and its page read through the order's
    index, instead, as listing every id of it would cost more. With `dicts_by_id`, a narrowed
    page is made from its ids, in their order, rather than from a query for them."""
    page = _integer(request, "page", minimum=1) or 1
    per_page = _integer(request, "per_page", minimum=1) or DEFAULT_PER_PAGE
    per_page = min(per_page, MAX_PER_PAGE)
    offset = (page - 1) * per_page
    contents: list[dict[str, Any]] = []
    if narrowed:
        ids = oruk.raw_ids(queryset)
        total = len(ids)
        page_ids = ids[offset : offset + per_page]
        if page_ids and dicts_by_id is not None:
            contents = dicts_by_id(page_ids)
        elif page_ids:
            contents = to_dicts(
                queryset.model.objects.filter(pk__in=page_ids).order_by(*queryset.query.order_by)
            )
    else:
        total = queryset.count()
        if total:
            contents = to_dicts(queryset[offset : offset + per_page])
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _single(found: list[dict[str, Any]]) -> dict[str, Any]:
    if not found:
        raise NotFound
    return found[0]


# --- Views ----------------------------------------------------------------------------------


@oruk_view
def api_root(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": oruk.VERSION,
        "profile": oruk.PROFILE_URL,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/uk-profile/main/openapi.json",
        "services_url": request.build_absolute_uri(reverse("oruk:services")),
    }


# The `/services` parameters that filter it down to a part of the directory (status alone
# keeps nearly all of it).
NARROWING = (
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "minimum_age",
    "maximum_age",
    "age",
    "modified_after",
    "day",
    "start_time",
    "end_time",
)


def filter_services(request: HttpRequest, queryset: QuerySet[Service]) -> QuerySet[Service]:
    """Applies the ORUK `/services` filters (and HSDS's organization_id and modified_after)."""
    status = _text(request, "status")
    if status is None:
        queryset = queryset.exclude(status=ServiceStatus.DEFUNCT)
    elif status in ServiceStatus.values:
        queryset = queryset.filter(status=status)
    else:
        raise BadParameter("status", "status must be one of: " + ", ".join(ServiceStatus.values))
    search = _text(request, "search")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    term_id = _uuid(request, "taxonomy_term_id")
    if term_id:
        queryset = queryset.filter(
            id__in=ServiceTerm.objects.filter(term_id=term_id).values("service_id")
        )
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id:
        queryset = queryset.filter(
            id__in=ServiceTerm.objects.filter(term__taxonomy_id=taxonomy_id).values("service_id")
        )
    organization_id = _uuid(request, "organization_id")
    if organization_id:
        queryset = queryset.filter(provider_id=organization_id)
    # As ORUK defines them: a minimum age of at least the value, a maximum age of at most it.
    minimum_age = _number(request, "minimum_age")
    if minimum_age is not None:
        queryset = queryset.filter(minimum_age__gte=minimum_age)
    maximum_age = _number(request, "maximum_age")
    if maximum_age is not None:
        queryset = queryset.filter(maximum_age__lte=maximum_age)
    # JoinedUp's own: services open to a child of this age (no limit counts as open).
    age = _number(request, "age")
    if age is not None:
        queryset = queryset.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
        )
    modified_after = _datetime(request, "modified_after")
    if modified_after:
        queryset = queryset.filter(last_modified__gte=modified_after)
    day, start, end = _day(request), _time(request, "start_time"), _time(request, "end_time")
    if day or start or end:
        # One schedule must match all three: open that day, from that time, until that time.
        schedules = Schedule.objects.all()
        if day:
            schedules = schedules.filter(byday__contains=day)
        if start:
            schedules = schedules.filter(opens_at__gte=start)
        if end:
            schedules = schedules.filter(closes_at__lte=end)
        # Correlated, so that each candidate service looks up its own schedules by index;
        # `id IN (subquery)` listed every matching schedule first, reading the whole table
        # (the day is matched with LIKE, which no index serves).
        queryset = queryset.filter(
            Exists(schedules.filter(service_id=OuterRef("pk")))
            | Exists(
                ServiceAtLocation.objects.filter(
                    Exists(schedules.filter(service_at_location_id=OuterRef("pk"))),
                    service_id=OuterRef("pk"),
                )
            )
        )
    return queryset


@oruk_view
def services(request: HttpRequest) -> dict[str, Any]:
    return _page(
        request,
        filter_services(request, oruk.service_queryset()),
        oruk.service_dicts,
        narrowed=any(_text(request, name) is not None for name in NARROWING),
        dicts_by_id=oruk.service_dicts_by_id,
    )


@oruk_view
def service_detail(request: HttpRequest, oruk_id: str) -> dict[str, Any]:
    return _single(oruk.service_dicts(oruk.service_queryset().filter(id=_id(oruk_id))))


@oruk_view
def organizations(request: HttpRequest) -> dict[str, Any]:
    queryset = oruk.organization_queryset()
    search = _text(request, "search")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return _page(request, queryset, oruk.organization_dicts)


@oruk_view
def organization_detail(request: HttpRequest, oruk_id: str) -> dict[str, Any]:
    providers = oruk.organization_queryset().filter(id=_id(oruk_id))
    return _single(oruk.organization_dicts(providers, with_services=True))


@oruk_view
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    return _page(request, oruk.taxonomy_queryset(), oruk.taxonomy_dicts)


@oruk_view
def taxonomy_detail(request: HttpRequest, oruk_id: str) -> dict[str, Any]:
    return _single(oruk.taxonomy_dicts(oruk.taxonomy_queryset().filter(id=_id(oruk_id))))


@oruk_view
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    queryset = oruk.taxonomy_term_queryset()
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_id=taxonomy_id)
    search = _text(request, "search")
    if search:
        queryset = queryset.filter(name__icontains=search)
    return _page(request, queryset, oruk.taxonomy_term_dicts)


@oruk_view
def taxonomy_term_detail(request: HttpRequest, oruk_id: str) -> dict[str, Any]:
    terms = oruk.taxonomy_term_queryset().filter(id=_id(oruk_id))
    return _single(oruk.taxonomy_term_dicts(terms))


def _place_queryset() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.exclude(service__status=ServiceStatus.DEFUNCT).order_by(
        "service__name", "id"
    )


@oruk_view
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    return _page(request, _place_queryset(), oruk.service_at_location_dicts)


@oruk_view
def service_at_location_detail(request: HttpRequest, oruk_id: str) -> dict[str, Any]:
    places = ServiceAtLocation.objects.filter(id=_id(oruk_id))
    return _single(oruk.service_at_location_dicts(places, full_service=True))
