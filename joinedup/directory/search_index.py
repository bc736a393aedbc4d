"""The directory held in memory for searching: what each search filters on, for every service,
read from the database once and kept until the directory changes.

A search over 20,000 services in SQL reads thousands of rows whatever the filters (every
service of a need, every schedule open today, every place in a box) and then orders them;
here the same filters are set operations and short loops over lists already in memory, and
only the page shown is read from the database (search.py).

Knowing when to read again: database triggers (migration directory/0005) give the one row of
SearchIndexState a new random token whenever a row of a table read here is added, changed or
deleted, however it was written (the editing pages, the imports, a bulk load, raw SQL), in the
same transaction as the change. Each search reads the token (one indexed row) and builds the
index again when it differs from the token the index was built at. The token is random rather
than a counter so that a rolled-back change, which puts the old token back, can never be
mistaken for a later change that happened to reach the same number.

The token is read before the tables, so a change committed while the index is being built
gives a new token, and the next search builds again. Directory entries describe services,
never people: nothing here is personal data.
"""

from __future__ import annotations

import bisect
import math
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from joinedup.directory.models import (
    Location,
    Schedule,
    SearchIndexState,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    TaxonomyTerm,
    Weekday,
)
from joinedup.directory.postcodes import EARTH_RADIUS_MILES

DAY_CODES = [day.value for day in Weekday]


@dataclass(frozen=True)
class _Opening:
    """One schedule, as the "open now" filter needs it."""

    position: int
    byday: str
    daily: bool
    opens_at: time | None
    closes_at: time | None
    valid_from: date | None
    valid_to: date | None

    def _on(self, day: date) -> bool:
        return (
            (self.daily or DAY_CODES[day.weekday()] in self.byday)
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or self.valid_to >= day)
        )

    def open_at(self, today: date, now: time) -> bool:
        """Open on `today` and not yet closed; or open overnight (closing at or before its
        opening time, say 20:00 to 02:00): from opening time on a listed day until midnight,
        and from midnight until closing time on the day after a listed day. A schedule
        without both times is never open at a given moment."""
        opens, closes = self.opens_at, self.closes_at
        if opens is None or closes is None:
            return False
        overnight = closes <= opens
        if self._on(today) and opens <= now and (closes > now or overnight):
            return True
        return overnight and closes > now and self._on(today - timedelta(days=1))


@dataclass
class DirectoryIndex:
    """Services by position: position 0 is the first by name (lower-case, then id), so the
    positions of any set of matches, sorted, are the matches in alphabetical order."""

    token: str | None
    # Each service's id as the database's text for it (see _text).
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    minimum_ages: list[int | None] = field(default_factory=list)
    maximum_ages: list[int | None] = field(default_factory=list)
    active: set[int] = field(default_factory=set)
    free: set[int] = field(default_factory=set)
    by_route: dict[str, set[int]] = field(default_factory=dict)
    # A need finds the services with the term itself or a narrower term (one level down).
    by_need: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    by_locality: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    city_wide: set[int] = field(default_factory=set)
    by_language: dict[str, set[int]] = field(default_factory=dict)
    openings: list[_Opening] = field(default_factory=list)
    # Places with coordinates, sorted by latitude: (latitude, longitude, position).
    places: list[tuple[float, float, int]] = field(default_factory=list)

    def service_id(self, position: int) -> uuid.UUID:
        return uuid.UUID(self.ids[position])

    @property
    def languages(self) -> list[str]:
        return sorted(self.by_language)

    def everything(self, include_inactive: bool) -> set[int]:
        return set(range(len(self.ids))) if include_inactive else set(self.active)

    def with_every_word(self, positions: set[int], words: Iterable[str]) -> set[int]:
        texts = self.texts
        for word in words:
            positions = {p for p in positions if word in texts[p]}
        return positions

    def for_age(self, positions: set[int], age: int) -> set[int]:
        low, high = self.minimum_ages, self.maximum_ages
        return {
            p
            for p in positions
            if (low[p] is None or low[p] <= age) and (high[p] is None or high[p] >= age)  # type: ignore[operator]
        }

    def open_at(self, positions: set[int], moment: datetime) -> set[int]:
        """Those of `positions` with a schedule of their own or of one of their places open at
        `moment`, in London time."""
        local = timezone.localtime(moment)
        today, now = local.date(), local.time().replace(tzinfo=None)
        return {
            opening.position
            for opening in self.openings
            if opening.position in positions and opening.open_at(today, now)
        }

    def nearest(
        self, positions: set[int], centre: tuple[float, float], miles: float | None
    ) -> list[int]:
        """The positions among `positions` with a place within `miles` of `centre` (any
        distance when None), nearest first, each service at its nearest place; ties by id.

        Distances are the flat-earth (equirectangular) approximation, within a few feet of
        the great-circle distance over a city; the services shown get their exact distance
        (search._results)."""
        lat0, lng0 = centre
        per_lat = math.radians(EARTH_RADIUS_MILES)
        per_lng = per_lat * math.cos(math.radians(lat0))
        places = self.places
        if miles is None:
            start, stop, limit = 0, len(places), math.inf
        else:
            reach = miles / per_lat
            start = bisect.bisect_left(places, (lat0 - reach,))
            stop = bisect.bisect_right(places, (lat0 + reach, math.inf))
            limit = miles * miles
        best: dict[int, float] = {}
        for lat, lng, position in places[start:stop]:
            if position not in positions:
                continue
            squared = ((lat - lat0) * per_lat) ** 2 + ((lng - lng0) * per_lng) ** 2
            if squared <= limit and squared < best.get(position, math.inf):
                best[position] = squared
        ids = self.ids
        return sorted(best, key=lambda position: (best[position], ids[position]))


_built: dict[str, DirectoryIndex] = {}
_building = threading.Lock()


def current_token(using: str = "default") -> str | None:
    return (
        SearchIndexState.objects.using(using)
        .filter(pk=SearchIndexState.ONLY)
        .values_list("token", flat=True)
        .first()
    )


def directory_index(using: str = "default") -> DirectoryIndex:
    """The index of the directory as it is now in the database `using`: the one built before
    when nothing has changed since, otherwise a new one."""
    token = current_token(using)
    held = _built.get(using)
    if token is not None and held is not None and held.token == token:
        return held
    with _building:
        held = _built.get(using)
        if token is not None and held is not None and held.token == token:
            return held
        index = build_index(token, using)
        # With no token (a database emptied without its triggers firing, as a test database
        # is between tests) nothing says when the index goes out of date, so it is not kept.
        if token is not None:
            _built[using] = index
        else:
            _built.pop(using, None)
        return index


def _text(column: str | Coalesce) -> Cast:
    """A UUID column as the database's own text for it, which costs nothing to read: making
    a uuid.UUID of each of the index's 200,000 or so ids was most of the time to build it."""
    return Cast(column, output_field=CharField())


def build_index(token: str | None, using: str = "default") -> DirectoryIndex:
    services = list(
        Service.objects.using(using)
        .order_by()
        .values_list(
            _text("pk"),
            "name",
            "search_text",
            "status",
            "minimum_age",
            "maximum_age",
            "is_free",
            "referral_route",
        )
    )
    # The text of an id sorts as the id does, so ties go the way the database's order has them.
    services.sort(key=lambda row: (row[1].lower(), row[0]))
    index = DirectoryIndex(token=token)
    position_of: dict[str, int] = {}
    by_route: dict[str, set[int]] = defaultdict(set)
    for position, (pk, _, text, status, low, high, free, route) in enumerate(services):
        position_of[pk] = position
        index.ids.append(pk)
        index.texts.append(text)
        index.minimum_ages.append(low)
        index.maximum_ages.append(high)
        if status == ServiceStatus.ACTIVE:
            index.active.add(position)
        if free:
            index.free.add(position)
        by_route[route].add(position)
    index.by_route = dict(by_route)

    parents = dict(TaxonomyTerm.objects.using(using).values_list(_text("pk"), _text("parent_id")))
    links = list(
        ServiceTerm.objects.using(using).values_list(_text("service_id"), _text("term_id"))
    )
    # A service with a narrower term is found by its broader one too.
    index.by_need = _by_uuid(
        _positions_by(position_of, [*links, *((s, parents[t]) for s, t in links if parents.get(t))])
    )
    areas = _positions_by(
        position_of,
        ServiceArea.objects.using(using).values_list(_text("service_id"), _text("locality_id")),
    )
    index.city_wide = areas.pop(None, set())
    index.by_locality = _by_uuid(areas)
    index.by_language = _positions_by(
        position_of,
        ServiceLanguage.objects.using(using).values_list(_text("service_id"), "name"),
    )

    schedules = (
        Schedule.objects.using(using)
        .annotate(of_service=_text(Coalesce("service_id", "service_at_location__service_id")))
        .values_list(
            "of_service", "byday", "freq", "opens_at", "closes_at", "valid_from", "valid_to"
        )
    )
    index.openings = [
        _Opening(position_of[service_id], byday, freq == "DAILY", opens, closes, start, end)
        for service_id, byday, freq, opens, closes, start, end in schedules
        if service_id in position_of
    ]

    # The filter leaves no place without both coordinates.
    coordinates: dict[str, tuple[float, float]] = {
        pk: (lat, lng)
        for pk, lat, lng in Location.objects.using(using)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list(_text("pk"), "latitude", "longitude")
    }
    index.places = sorted(
        (*coordinates[location_id], position_of[service_id])
        for service_id, location_id in ServiceAtLocation.objects.using(using).values_list(
            _text("service_id"), _text("location_id")
        )
        if service_id in position_of and location_id in coordinates
    )
    return index


def _positions_by(
    position_of: dict[str, int], pairs: Iterable[tuple[str, Any]]
) -> dict[Any, set[int]]:
    """(service id, key) pairs as the positions of the services with each key."""
    grouped: dict[Any, set[int]] = defaultdict(set)
    for service_id, key in pairs:
        position = position_of.get(service_id)
        if position is not None:
            grouped[key].add(position)
    return dict(grouped)


def _by_uuid(grouped: dict[str, set[int]]) -> dict[uuid.UUID, set[int]]:
    """Keys that are ids (needs, areas: a few hundred) as uuid.UUID, as searches give them."""
    return {uuid.UUID(key): positions for key, positions in grouped.items()}
