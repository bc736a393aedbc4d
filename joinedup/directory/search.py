"""Searching the directory, for practitioners and families alike: by words, need, age,
locality or distance from a postcode, language, cost, opening times and referral route.

One function, `service_search`, takes a `SearchCriteria` (validated when it is made: a bad
value raises a FieldError naming the field) and answers one page of results with the total.
The filters run over the index of the directory held in memory (search_index.py); the page's
services are then read from the database. Directory entries describe services, never people.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.directory.models import (
    AGE_RANGE,
    ReferralRoute,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTerm,
    Weekday,
)
from joinedup.directory.postcodes import (
    Postcode,
    distance_words,
    district_centre,
    haversine_miles,
    parse_postcode,
)
from joinedup.directory.search_index import DAY_CODES, DirectoryIndex, directory_index

PAGE_SIZE = 20
# Alphabetical whatever the capitals, as the index on the lower-case name has it (Service.Meta).
NAME_ORDER = (Lower("name"), "pk")
MAX_DISTANCE_MILES = 50
MAX_WORDS = 8


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
    otherwise by name. `now` is for tests of "open now" (default: the time in London).

    The matches are worked out from the index of the directory held in memory
    (search_index.py); only the page's services are read from the database."""
    origin = criteria.parsed_postcode
    centre = None
    if origin is not None:
        centre = district_centre(origin.outward)
        if centre is None:
            raise unknown_district(origin.outward)
    index = directory_index()
    positions = _matching(index, criteria, now=now)
    ordered = (
        sorted(positions) if centre is None else index.nearest(positions, centre, criteria.distance)
    )
    number = _page_in_range(criteria.page, len(ordered))
    start = (number - 1) * PAGE_SIZE
    wanted = [index.service_id(position) for position in ordered[start : start + PAGE_SIZE]]
    return SearchResults(
        results=_results(wanted, centre=centre),
        count=len(ordered),
        number=number,
        origin=origin,
        now=now,
    )


def _page_in_range(page: int, count: int) -> int:
    return max(1, min(page, math.ceil(count / PAGE_SIZE) or 1))


def _matching(index: DirectoryIndex, criteria: SearchCriteria, *, now: datetime | None) -> set[int]:
    """The index positions of the services that meet every filter: the filters that are
    sets first, then the ones that look at each remaining service."""
    positions = index.everything(criteria.include_inactive)
    if criteria.need is not None:
        positions &= index.by_need.get(criteria.need, set())
    if criteria.locality is not None:
        positions &= index.by_locality.get(criteria.locality, set()) | index.city_wide
    if criteria.language:
        positions &= index.by_language.get(criteria.language, set())
    if criteria.free_only:
        positions &= index.free
    if criteria.referral_route:
        positions &= index.by_route.get(criteria.referral_route, set())
    if criteria.age is not None:
        positions = index.for_age(positions, criteria.age)
    if criteria.open_now:
        positions = index.open_at(positions, now or timezone.now())
    return index.with_every_word(positions, criteria.words.lower().split()[:MAX_WORDS])


def with_every_word(services: QuerySet[Service], words: str) -> QuerySet[Service]:
    """The services whose name, description, provider or needs hold every word (up to
    MAX_WORDS of them), whatever the capitals: one pattern per word over the lower-case
    search text kept with each service (search_text.py)."""
    for word in words.lower().split()[:MAX_WORDS]:
        services = services.filter(search_text__contains=word)
    return services


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
