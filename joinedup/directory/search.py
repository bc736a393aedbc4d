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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
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
    Postcode,
    bounding_box,
    distance_words,
    district_centre,
    haversine_miles,
    parse_postcode,
)

PAGE_SIZE = 20
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
    service: Service
    miles: float | None = None

    @property
    def distance(self) -> str:
        return distance_words(self.miles) if self.miles is not None else ""

    @property
    def opening_times(self) -> list[str]:
        return [schedule_words(schedule) for schedule in self.service.schedules.all()]

    @property
    def languages(self) -> list[str]:
        return language_names(self.service)


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
        count = services.count()
        number = _page_in_range(criteria.page, count)
        start = (number - 1) * PAGE_SIZE
        page = list(_with_details(services.order_by("name", "pk")[start : start + PAGE_SIZE]))
        return SearchResults(
            results=[Result(service) for service in page], count=count, number=number, now=now
        )
    nearest = _nearest(services, centre, criteria.distance)
    number = _page_in_range(criteria.page, len(nearest))
    start = (number - 1) * PAGE_SIZE
    wanted = nearest[start : start + PAGE_SIZE]
    found = {s.pk: s for s in _with_details(Service.objects.filter(pk__in=[p for _, p in wanted]))}
    return SearchResults(
        results=[Result(found[pk], miles) for miles, pk in wanted if pk in found],
        count=len(nearest),
        number=number,
        origin=origin,
        now=now,
    )


def _page_in_range(page: int, count: int) -> int:
    return max(1, min(page, math.ceil(count / PAGE_SIZE) or 1))


def _filtered(criteria: SearchCriteria, *, now: datetime | None) -> QuerySet[Service]:
    services = Service.objects.all()
    if not criteria.include_inactive:
        services = services.filter(status=ServiceStatus.ACTIVE)
    for word in criteria.words.split()[:MAX_WORDS]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(
                Exists(
                    ServiceTerm.objects.filter(service=OuterRef("pk"), term__name__icontains=word)
                )
            )
        )
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
        services = services.filter(
            pk__in=ServiceArea.objects.filter(
                Q(locality_id=criteria.locality) | Q(locality__isnull=True)
            ).values("service_id")
        )
    if criteria.language:
        services = services.filter(
            pk__in=ServiceLanguage.objects.filter(name=criteria.language).values("service_id")
        )
    if criteria.free_only:
        services = services.filter(is_free=True)
    if criteria.referral_route:
        services = services.filter(referral_route=criteria.referral_route)
    if criteria.open_now:
        open_schedules = Schedule.objects.filter(open_at(now or timezone.now()))
        services = services.filter(
            Q(pk__in=open_schedules.filter(service__isnull=False).values("service_id"))
            | Q(
                pk__in=open_schedules.filter(service_at_location__isnull=False).values(
                    "service_at_location__service_id"
                )
            )
        )
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
    services: QuerySet[Service], centre: tuple[float, float], miles: float | None
) -> list[tuple[float, uuid.UUID]]:
    """(miles, service id) of each matching service with a place within `miles` of `centre`,
    nearest first (then by name), each service once at its nearest place."""
    # One query joining service, place and location, so the database starts from the places
    # in the box (an index on their coordinates) and checks each one's service.
    box = Q(
        service_at_locations__location__latitude__isnull=False,
        service_at_locations__location__longitude__isnull=False,
    )
    if miles is not None:
        south, north, west, east = bounding_box(*centre, miles)
        box &= Q(
            service_at_locations__location__latitude__range=(south, north),
            service_at_locations__location__longitude__range=(west, east),
        )
    places = (
        services.filter(box)
        .order_by()
        .values_list(
            "pk",
            "name",
            "service_at_locations__location__latitude",
            "service_at_locations__location__longitude",
        )
    )
    best: dict[uuid.UUID, tuple[float, str]] = {}
    lat0, lng0 = centre
    for service_id, name, lat, lng in places:
        away = haversine_miles(lat0, lng0, float(lat or 0), float(lng or 0))
        if miles is not None and away > miles:
            continue
        if service_id not in best or away < best[service_id][0]:
            best[service_id] = (away, name)
    ordered = sorted(best.items(), key=lambda item: (round(item[1][0], 3), item[1][1]))
    return [(away, service_id) for service_id, (away, _) in ordered]


def _with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("provider").prefetch_related(
        "terms",
        "languages",
        "cost_options",
        "service_areas",
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location"),
        ),
    )


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


def language_names(service: Any) -> list[str]:
    return sorted({language.name for language in service.languages.all()})
