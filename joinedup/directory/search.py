"""Searching the directory, for practitioners and families alike: by words, need, age,
locality or distance from a postcode, language, cost, opening times and referral route.

One function, `service_search`, takes a `SearchCriteria` (validated when it is made: a bad
value raises a FieldError naming the field) and answers one page of results with the total.
Filters run in SQL; distance is narrowed to a bounding box in SQL and worked out exactly in
Python only for the places inside it. Directory entries describe services, never people.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.directory.models import (
    AGE_RANGE,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    Weekday,
)
from joinedup.directory.postcodes import (
    EARTH_RADIUS_MILES,
    Postcode,
    bounding_box,
    distance_words,
    district_centre,
    haversine_miles,
    parse_postcode,
)

PAGE_SIZE = 20
# Alphabetical whatever the capitals, as the index on the lower-case name has it (Service.Meta).
NAME_ORDER = (Lower("name"), "pk")
# Up to this many matches are sorted in Python rather than by following the name index.
SORTED_HERE_UP_TO = 2_000
MAX_DISTANCE_MILES = 50
MAX_WORDS = 8
DAY_CODES = [day.value for day in Weekday]


@dataclass(frozen=True)
class SearchCriteria:
    """What someone is looking for. Every filter is optional; an empty criteria lists every
    running service by name."""

    words: str = ""
    need: uuid.UUID | None = None
    age: int | None = None
    locality: uuid.UUID | None = None
    postcode: str = ""
    distance: float | None = None
    language: str = ""
    free_only: bool = False
    open_now: bool = False
    referral_route: str = ""
    include_inactive: bool = False
    page: int = 1

    def __post_init__(self) -> None:
        low, high = AGE_RANGE
        if self.age is not None and not low <= self.age <= high:
            raise FieldError(f"Age must be between {low} and {high}", field="age")
        if self.distance is not None and not 0 < self.distance <= MAX_DISTANCE_MILES:
            raise FieldError(
                f"Distance must be more than 0 and at most {MAX_DISTANCE_MILES} miles",
                field="distance",
            )
        if self.distance is not None and not self.postcode:
            raise FieldError("Enter a postcode to search by distance", field="postcode")
        if self.postcode:
            parse_postcode(self.postcode, field="postcode")
        if self.referral_route and self.referral_route not in ReferralRoute.values:
            raise FieldError("Select how to get support from the list", field="referral_route")
        if len(self.words) > 200:
            raise FieldError("Words must be 200 characters or fewer", field="words")
        if self.page < 1:
            raise FieldError("Page must be 1 or more", field="page")

    @property
    def parsed_postcode(self) -> Postcode | None:
        return parse_postcode(self.postcode) if self.postcode else None


@dataclass
class Result:
    """One service found, with what the results list shows about it."""

    service: Service
    miles: float | None = None
    needs: list[str] = field(default_factory=list)
    opening_times: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def distance(self) -> str:
        return distance_words(self.miles) if self.miles is not None else ""


@dataclass
class SearchResults:
    """One page of results, shaped like a Django Page for core/includes/pagination.html."""

    results: list[Result]
    count: int
    number: int
    per_page: int = PAGE_SIZE
    origin: Postcode | None = None
    now: datetime | None = field(default=None, repr=False)

    @property
    def object_list(self) -> list[Result]:
        return self.results

    @property
    def paginator(self) -> SearchResults:
        return self

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def unknown_district(outward: str) -> FieldError:
    return FieldError(
        f"We do not know where {outward} is; try a full postcode or choose a locality",
        field="postcode",
    )


@audit.audit_exempt(reason="The directory lists services and their providers, never people.")
def service_search(criteria: SearchCriteria, *, now: datetime | None = None) -> SearchResults:
    """One page of services matching `criteria`: nearest first when a postcode is given,
    otherwise by name. `now` is for tests of "open now" (default: the time in London)."""
    origin = criteria.parsed_postcode
    centre = None
    if origin is not None:
        centre = district_centre(origin.outward)
        if centre is None:
            raise unknown_district(origin.outward)
    services = _filtered(criteria, now=now)
    if centre is None:
        return _by_name(services, criteria.page, now=now)
    narrowed = replace(criteria, postcode="", distance=None, page=1) != SearchCriteria(
        include_inactive=criteria.include_inactive
    )
    nearest = _nearest(
        services if narrowed else None, centre, criteria.distance, criteria.include_inactive
    )
    number = _page_in_range(criteria.page, len(nearest))
    start = (number - 1) * PAGE_SIZE
    wanted = [uuid.UUID(service_id) for service_id in nearest[start : start + PAGE_SIZE]]
    return SearchResults(
        results=_results(wanted, centre=centre),
        count=len(nearest),
        number=number,
        origin=origin,
        now=now,
    )


def _by_name(services: QuerySet[Service], page: int, *, now: datetime | None) -> SearchResults:
    """One page in alphabetical order. When few services match, the names of them all are
    read in one pass and sorted here, which also counts them. When many match, they are
    counted (reading the table straight through) and the page follows the index on the
    lower-case name, stopping at the page's last row; following the index for a few matches
    would pass over most of the table to find them."""
    few = list(
        services.order_by()
        .annotate(sort_name=Lower("name"))
        .values_list("sort_name", "pk")[: SORTED_HERE_UP_TO + 1]
    )
    if len(few) <= SORTED_HERE_UP_TO:
        count = len(few)
        number = _page_in_range(page, count)
        start = (number - 1) * PAGE_SIZE
        page_ids = [pk for _, pk in sorted(few)[start : start + PAGE_SIZE]]
    else:
        count = services.count()
        number = _page_in_range(page, count)
        start = (number - 1) * PAGE_SIZE
        page_ids = list(
            services.order_by(*NAME_ORDER).values_list("pk", flat=True)[start : start + PAGE_SIZE]
        )
    return SearchResults(results=_results(page_ids), count=count, number=number, now=now)


def _page_in_range(page: int, count: int) -> int:
    return max(1, min(page, math.ceil(count / PAGE_SIZE) or 1))


def _filtered(criteria: SearchCriteria, *, now: datetime | None) -> QuerySet[Service]:
    services = Service.objects.all()
    if not criteria.include_inactive:
        services = services.filter(status=ServiceStatus.ACTIVE)
    services = with_every_word(services, criteria.words)
    if criteria.need is not None:
        services = services.filter(
            pk__in=ServiceTerm.objects.filter(
                Q(term_id=criteria.need) | Q(term__parent_id=criteria.need)
            ).values("service_id")
        )
    if criteria.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=criteria.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=criteria.age),
        )
    if criteria.locality is not None:
        # Checked per candidate (an index on service), rather than listing every service of
        # the locality and the city first.
        services = services.filter(
            Exists(
                ServiceArea.objects.filter(service=OuterRef("pk")).filter(
                    Q(locality_id=criteria.locality) | Q(locality__isnull=True)
                )
            )
        )
    if criteria.language:
        services = services.filter(
            Exists(ServiceLanguage.objects.filter(service=OuterRef("pk"), name=criteria.language))
        )
    if criteria.free_only:
        services = services.filter(is_free=True)
    if criteria.referral_route:
        services = services.filter(referral_route=criteria.referral_route)
    if criteria.open_now:
        # One pass over the schedules, whether a schedule belongs to the service or to one of
        # its places.
        open_services = (
            Schedule.objects.filter(open_at(now or timezone.now()))
            .annotate(open_service=Coalesce("service_id", "service_at_location__service_id"))
            .values("open_service")
        )
        services = services.filter(pk__in=open_services)
    return services


def with_every_word(services: QuerySet[Service], words: str) -> QuerySet[Service]:
    """The services whose name, description, provider or needs hold every word (up to
    MAX_WORDS of them), whatever the capitals: one pattern per word over the lower-case
    search text kept with each service (search_text.py)."""
    for word in words.lower().split()[:MAX_WORDS]:
        services = services.filter(search_text__contains=word)
    return services


def open_at(moment: datetime) -> Q:
    """Schedules open at `moment` (in London time): open today and not yet closed, or open
    overnight from yesterday (a schedule whose closing time is before its opening time)."""
    local = timezone.localtime(moment)
    today, now = local.date(), local.time().replace(tzinfo=None)
    yesterday = today - timedelta(days=1)
    # Ordinary hours: opens and closes on the same day.
    ordinary = _on_day(today) & Q(opens_at__lte=now, closes_at__gt=now)
    # Overnight hours, say 20:00 to 02:00: open from opening time today until midnight, and
    # from midnight until closing time on the day after each listed day.
    overnight_today = _on_day(today) & Q(opens_at__lte=now) & _overnight()
    overnight_since_yesterday = _on_day(yesterday) & Q(closes_at__gt=now) & _overnight()
    return ordinary | overnight_today | overnight_since_yesterday


def _overnight() -> Q:
    return Q(closes_at__lte=F("opens_at"))


def _on_day(day: date) -> Q:
    code = DAY_CODES[day.weekday()]
    return (
        (Q(byday__contains=code) | Q(freq="DAILY"))
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )


def _nearest(
    services: QuerySet[Service] | None,
    centre: tuple[float, float],
    miles: float | None,
    include_inactive: bool,
) -> list[str]:
    """The ids (as text) of the services with a place within `miles` of `centre`, nearest
    first, each service at its nearest place: of `services` when the search has filters other
    than the services' status, otherwise of every service that is running (or every service).

    The places in the box are read without their services (following thousands of places to
    their service rows one by one is what costs most); the services that may be shown are
    read separately in one pass over the services table: the ones that match when the search
    has other filters, otherwise the few that are not running.
    Distances are the flat-earth (equirectangular) approximation, within a few feet of the
    great-circle distance over a city and far cheaper over thousands of places; the services
    shown get their exact distance (_exact_miles). Ids stay text until the page is chosen,
    because turning thousands into UUIDs costs more than the query."""
    places = ServiceAtLocation.objects.filter(
        location__latitude__isnull=False, location__longitude__isnull=False
    )
    if miles is not None:
        south, north, west, east = bounding_box(*centre, miles)
        places = places.filter(
            location__latitude__range=(south, north), location__longitude__range=(west, east)
        )
    rows = places.annotate(place_of=Cast("service_id", output_field=CharField())).values_list(
        "place_of", "location__latitude", "location__longitude"
    )
    as_text = Cast("pk", output_field=CharField())
    allowed: set[str] | None = None
    excluded: set[str] = set()
    if services is not None:
        allowed = set(services.annotate(text_id=as_text).values_list("text_id", flat=True))
    elif not include_inactive:
        not_running = Service.objects.exclude(status=ServiceStatus.ACTIVE)
        excluded = set(not_running.annotate(text_id=as_text).values_list("text_id", flat=True))
    lat0, lng0 = centre
    # Miles per degree of latitude, and of longitude at the centre's latitude.
    per_lat = math.radians(EARTH_RADIUS_MILES)
    per_lng = per_lat * math.cos(math.radians(lat0))
    limit = math.inf if miles is None else miles * miles
    best: dict[str, float] = {}
    for service_id, lat, lng in rows:
        if service_id in excluded or (allowed is not None and service_id not in allowed):
            continue
        # The query asks for places with coordinates, so neither is None here.
        squared = ((lat - lat0) * per_lat) ** 2 + ((lng - lng0) * per_lng) ** 2  # type: ignore[operator]
        if squared <= limit and squared < best.get(service_id, math.inf):
            best[service_id] = squared
    return sorted(best, key=lambda service_id: (best[service_id], service_id))


def _results(ids: list[uuid.UUID], *, centre: tuple[float, float] | None = None) -> list[Result]:
    """The page's services in the order of `ids`, with their needs, opening times, languages
    and (from `centre`) the exact distance to their nearest place: one read per kind of detail,
    grouped here, rather than Django's prefetching, which costs more than the reads for a page
    of results."""
    services = Service.objects.filter(pk__in=ids).select_related("provider").in_bulk()
    results = {pk: Result(service) for pk, service in services.items()}
    for service_id, need in (
        ServiceTerm.objects.filter(service_id__in=ids)
        .order_by("term__name")
        .values_list("service_id", "term__name")
    ):
        results[service_id].needs.append(need)
    for schedule in Schedule.objects.filter(service_id__in=ids).order_by("opens_at", "pk"):
        results[schedule.service_id].opening_times.append(schedule_words(schedule))
    for service_id, language in (
        ServiceLanguage.objects.filter(service_id__in=ids)
        .order_by("name")
        .values_list("service_id", "name")
        .distinct()
    ):
        results[service_id].languages.append(language)
    if centre is not None:
        lat0, lng0 = centre
        places = ServiceAtLocation.objects.filter(
            service_id__in=ids, location__latitude__isnull=False, location__longitude__isnull=False
        ).values_list("service_id", "location__latitude", "location__longitude")
        for service_id, lat, lng in places:
            away = haversine_miles(lat0, lng0, lat, lng)  # type: ignore[arg-type]
            result = results[service_id]
            result.miles = away if result.miles is None else min(result.miles, away)
    return [results[pk] for pk in ids if pk in results]


# Words for opening times, shared by the results and the service page.

_DAY_NAMES = dict(Weekday.choices)


def time_words(value: time) -> str:
    """GOV.UK style: 9am, 5:30pm, midday, midnight."""
    if value == time(0):
        return "midnight"
    if value == time(12):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if not value.minute else f"{hour}:{value.minute:02d}{suffix}"


def schedule_words(schedule: Schedule) -> str:
    """ "Monday and Wednesday, 9am to midday"; the schedule's own description when it has no
    times."""
    days = [_DAY_NAMES[code] for code in DAY_CODES if code in schedule.byday.split(",")]
    if schedule.freq == "DAILY":
        day_text = "Every day"
    elif len(days) > 1:
        day_text = f"{', '.join(days[:-1])} and {days[-1]}"
    else:
        day_text = days[0] if days else ""
    hours = ""
    if schedule.opens_at and schedule.closes_at:
        hours = f"{time_words(schedule.opens_at)} to {time_words(schedule.closes_at)}"
    text = ", ".join(part for part in (day_text, hours) if part)
    return text or schedule.description
