"""What the directory tells the partnership about its provision as a whole (issue 6, point 4):
where services overlap (the same need, the same ages, the same area) and which services lose
their funding soon, with how many children in open plans use them.

Each read is a fixed number of queries, whatever the size of the directory: the grouping and
the counting are done in Python over a few flat lists. Nothing here names a child; the counts
of children follow the partnership's small-number rule for strategic managers
(joinedup/dashboards/figures.py)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.dashboards.figures import Figure, figure
from joinedup.directory.models import (
    AGE_RANGE,
    Funding,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceTerm,
    TaxonomyTerm,
)
from joinedup.organisations.models import Locality
from joinedup.plans.models import OPEN_INTERVENTIONS, Intervention, PlanStatus

WINDOWS = (3, 6, 12)
DEFAULT_WINDOW = 6
# Who may see the exact number of children using a service; anyone else (strategic managers)
# sees small numbers suppressed, as on the steering group's figures.
EXACT_COUNTS = (Role.PANEL_COORDINATOR, Role.PANEL_CHAIR, Role.SYSTEM_ADMIN)


def service_url(service_id: Any) -> str:
    return reverse("directory:service", args=[service_id])


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ages(service: Service) -> tuple[int, int]:
    # No age given means the service takes any age the directory covers.
    low = AGE_RANGE[0] if service.minimum_age is None else service.minimum_age
    high = AGE_RANGE[1] if service.maximum_age is None else service.maximum_age
    return low, high


# Overlap.


@dataclass(frozen=True)
class OverlapService:
    service: Service
    url: str
    ages: tuple[int, int]
    city_wide: bool
    # The nearest end of a funding stream still running, if any stream has an end date.
    funding_ends_on: date | None

    @property
    def has_waiting_list(self) -> bool:
        return bool(self.service.waiting_list_count)


@dataclass(frozen=True)
class OverlapGroup:
    need: TaxonomyTerm
    # None: the group is the services that cover the whole city.
    locality: Locality | None
    services: list[OverlapService]

    @property
    def area(self) -> str:
        return self.locality.name if self.locality else "the whole city"

    @property
    def shared_ages(self) -> tuple[int, int] | None:
        """The ages every service in the group works with, when there are such ages."""
        low = max(entry.ages[0] for entry in self.services)
        high = min(entry.ages[1] for entry in self.services)
        return (low, high) if low <= high else None

    @property
    def ages_covered(self) -> tuple[int, int]:
        return (
            min(entry.ages[0] for entry in self.services),
            max(entry.ages[1] for entry in self.services),
        )

    @property
    def providers(self) -> int:
        return len({entry.service.provider_id for entry in self.services})

    @property
    def waiting(self) -> int:
        return sum(entry.service.waiting_list_count or 0 for entry in self.services)

    @property
    def with_waiting_list(self) -> int:
        return sum(1 for entry in self.services if entry.has_waiting_list)

    @property
    def waiting_unknown(self) -> int:
        return sum(1 for entry in self.services if entry.service.waiting_list_count is None)

    @property
    def demand(self) -> str:
        """What the waiting lists suggest, in plain words."""
        if self.with_waiting_list:
            return "waiting"
        if self.waiting_unknown:
            return "unknown"
        return "spare"


@dataclass(frozen=True)
class Overlap:
    groups: list[OverlapGroup]
    locality: Locality | None
    need: TaxonomyTerm | None

    @property
    def services(self) -> int:
        return len({entry.service.pk for group in self.groups for entry in group.services})


def _age_chains(entries: list[OverlapService]) -> list[list[OverlapService]]:
    """Split services into runs whose age ranges overlap one another in a chain: sorted by
    youngest age, a service joins the run while it starts at or before the oldest age so far."""
    chains: list[list[OverlapService]] = []
    oldest = -1
    for entry in sorted(entries, key=lambda e: (e.ages, e.service.name)):
        if chains and entry.ages[0] <= oldest:
            chains[-1].append(entry)
            oldest = max(oldest, entry.ages[1])
        else:
            chains.append([entry])
            oldest = entry.ages[1]
    return [chain for chain in chains if len(chain) > 1]


@audit.audit_exempt(reason="Directory entries only: services, providers and their funding.")
def overlaps(*, locality: Locality | None = None, need: TaxonomyTerm | None = None) -> Overlap:
    """Running services that share a need, take children of overlapping ages and work in the
    same area, grouped by need and locality. A city-wide service overlaps with every locality's
    services; the city-wide services of a need also form a group of their own. Four queries."""
    services = Service.objects.filter(status=ServiceStatus.ACTIVE)
    if need is not None:
        services = services.filter(service_terms__term=need)
    by_id = {service.pk: service for service in services.select_related("provider")}

    links = ServiceTerm.objects.filter(service__in=services).select_related("term")
    if need is not None:
        links = links.filter(term=need)
    terms: dict[Any, TaxonomyTerm] = {}
    needs_of: dict[Any, set[Any]] = defaultdict(set)
    for link in links:
        terms[link.term_id] = link.term
        needs_of[link.service_id].add(link.term_id)

    localities: dict[Any, Locality] = {}
    areas_of: dict[Any, set[Any]] = defaultdict(set)
    city_wide: set[Any] = set()
    for area in ServiceArea.objects.filter(service__in=services).select_related("locality"):
        if area.locality is None:
            city_wide.add(area.service_id)
        else:
            localities[area.locality_id] = area.locality
            areas_of[area.service_id].add(area.locality_id)

    today = timezone.localdate()
    next_end: dict[Any, date] = {}
    for service_id, ends_on in Funding.objects.filter(
        service__in=services, ends_on__gte=today
    ).values_list("service_id", "ends_on"):
        if ends_on is not None and (service_id not in next_end or ends_on < next_end[service_id]):
            next_end[service_id] = ends_on

    entries = {
        pk: OverlapService(
            service=service,
            url=service_url(pk),
            ages=_ages(service),
            city_wide=pk in city_wide,
            funding_ends_on=next_end.get(pk),
        )
        for pk, service in by_id.items()
        # A service with no area recorded cannot be placed, so it overlaps with nothing.
        if pk in city_wide or areas_of.get(pk)
    }

    # (need, locality or None) -> services there.
    buckets: dict[tuple[Any, Any], list[OverlapService]] = defaultdict(list)
    for pk, entry in entries.items():
        for term_id in needs_of.get(pk, ()):
            if entry.city_wide:
                buckets[(term_id, None)].append(entry)
            for locality_id in areas_of.get(pk, ()):
                buckets[(term_id, locality_id)].append(entry)

    groups = []
    for (term_id, locality_id), found in buckets.items():
        if locality_id is None:
            # The city-wide services work in every locality, the one asked for included.
            members = found
        else:
            if locality is not None and locality_id != locality.pk:
                continue
            # A locality's services overlap with the city-wide ones too; a group of city-wide
            # services alone is shown once, as the whole city's.
            here = {entry.service.pk for entry in found}
            members = found + [
                entry for entry in buckets.get((term_id, None), []) if entry.service.pk not in here
            ]
        for chain in _age_chains(members):
            if locality_id is not None and all(entry.city_wide for entry in chain):
                continue
            groups.append(
                OverlapGroup(
                    need=terms[term_id],
                    locality=localities.get(locality_id) if locality_id else None,
                    services=sorted(chain, key=lambda e: (e.service.name.lower(), str(e.ages))),
                )
            )
    groups.sort(
        key=lambda g: (
            g.need.name.lower(),
            g.locality is not None,
            g.area.lower(),
            g.ages_covered,
        )
    )
    return Overlap(groups=groups, locality=locality, need=need)


# Funding cliffs.


@dataclass(frozen=True)
class Stream:
    funding: Funding
    # Whether this stream ends inside the window asked for.
    ends_in_window: bool

    @property
    def ended(self) -> bool:
        return self.funding.ends_on is not None and self.funding.ends_on < timezone.localdate()


@dataclass(frozen=True)
class CliffService:
    service: Service
    url: str
    # The first of its streams to end inside the window.
    ends_on: date
    streams: list[Stream]
    children: Figure

    @property
    def amount_ending(self) -> Decimal | None:
        amounts = [s.funding.amount for s in self.streams if s.ends_in_window]
        known = [amount for amount in amounts if amount is not None]
        return sum(known, Decimal(0)) if known else None


@dataclass(frozen=True)
class CliffMonth:
    starts_on: date
    streams: int
    services: int
    amount: Decimal
    amount_unknown: int
    children: Figure

    @property
    def label(self) -> str:
        return f"{self.starts_on:%B %Y}"


@dataclass(frozen=True)
class FundingCliffs:
    months: int
    starts_on: date
    ends_on: date
    services: list[CliffService]
    by_month: list[CliffMonth]
    children: Figure
    exact: bool
    amount: Decimal = field(default=Decimal(0))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def children_figure(count: int, *, exact: bool) -> Figure:
    return Figure(value=count) if exact else figure(count)


def children_total(parts: Iterable[Figure], distinct: int, *, exact: bool) -> Figure:
    """A count of children over several services. Not the sum of the parts (a child may use
    two of them), but it could still give a suppressed part away, so it is held back whenever
    one of its parts is (the same rule as dashboards.figures.with_total)."""
    total = children_figure(distinct, exact=exact)
    if any(part.suppressed for part in parts) and not total.suppressed:
        return Figure(value=distinct, held_back=True)
    return total


def children_in_open_plans(service_ids: Any) -> dict[Any, set[Any]]:
    """Service id -> the children with support from it planned or started in an open plan,
    for the services in `service_ids` (ids or a query of them). One query; shared with the
    funding timeline (joinedup/funding/selectors.py)."""
    children_of: dict[Any, set[Any]] = defaultdict(set)
    for service_id, child_id in (
        Intervention.objects.filter(
            directory_service_id__in=service_ids,
            status__in=OPEN_INTERVENTIONS,
            plan__status=PlanStatus.OPEN,
        )
        .values_list("directory_service_id", "plan__child_id")
        .distinct()
    ):
        children_of[service_id].add(child_id)
    return children_of


def sees_exact_counts(viewer: Any) -> bool:
    return has_role(viewer, *EXACT_COUNTS)


@audit.audit_exempt(
    reason="Directory funding and counts of children per service (never who they are); "
    "counts from 1 to 4 suppressed for strategic managers."
)
def funding_cliffs(*, viewer: Any, months: int = DEFAULT_WINDOW) -> FundingCliffs:
    """Services (not closed for good) with a funding stream that ends between today and
    `months` months from today, nearest first, each with all its streams and how many
    children in open plans have support from it planned or started. Two queries, plus the
    viewer's roles."""
    if months not in WINDOWS:
        raise ValueError(f"months must be one of {WINDOWS}")
    exact = sees_exact_counts(viewer)
    today = timezone.localdate()
    until = add_months(today, months)
    in_window = Q(ends_on__gte=today, ends_on__lte=until)
    on_cliff = (
        Funding.objects.filter(in_window)
        .exclude(service__status=ServiceStatus.DEFUNCT)
        .values("service_id")
    )

    streams_of: dict[Any, list[Stream]] = defaultdict(list)
    services: dict[Any, Service] = {}
    for funding in Funding.objects.filter(service_id__in=on_cliff).select_related(
        "service__provider"
    ):
        services[funding.service_id] = funding.service
        ends = funding.ends_on
        streams_of[funding.service_id].append(
            Stream(funding=funding, ends_in_window=ends is not None and today <= ends <= until)
        )

    children_of = children_in_open_plans(on_cliff)

    rows = []
    for pk, service in services.items():
        streams = sorted(
            streams_of[pk],
            key=lambda s: (s.funding.ends_on or date.max, s.funding.source.lower()),
        )
        rows.append(
            CliffService(
                service=service,
                url=service_url(pk),
                ends_on=min(s.funding.ends_on or date.max for s in streams if s.ends_in_window),
                streams=streams,
                children=children_figure(len(children_of[pk]), exact=exact),
            )
        )
    rows.sort(key=lambda row: (row.ends_on, row.service.name.lower()))

    by_month = []
    month = _month_start(today)
    while month <= until:
        ending = [
            (row, stream)
            for row in rows
            for stream in row.streams
            if stream.ends_in_window and _month_start(stream.funding.ends_on or date.max) == month
        ]
        month_rows = {row.service.pk: row for row, _ in ending}
        amounts = [stream.funding.amount for _, stream in ending]
        by_month.append(
            CliffMonth(
                starts_on=month,
                streams=len(ending),
                services=len(month_rows),
                amount=sum((a for a in amounts if a is not None), Decimal(0)),
                amount_unknown=sum(1 for a in amounts if a is None),
                children=children_total(
                    (row.children for row in month_rows.values()),
                    len(set().union(*(children_of[pk] for pk in month_rows))),
                    exact=exact,
                ),
            )
        )
        month = add_months(month, 1)

    return FundingCliffs(
        months=months,
        starts_on=today,
        ends_on=until,
        services=rows,
        by_month=by_month,
        children=children_total(
            (row.children for row in rows),
            len(set().union(*children_of.values())),
            exact=exact,
        ),
        exact=exact,
        amount=sum((month.amount for month in by_month), Decimal(0)),
    )


@audit.audit_exempt(reason="A count of directory services, not personal data.")
def services_with_funding_ending(*, months: int = DEFAULT_WINDOW) -> int:
    """How many services (not closed for good) have a stream ending in the next `months`
    months: the figure on the coordinator's dashboard. One query."""
    today = timezone.localdate()
    return (
        Service.objects.exclude(status=ServiceStatus.DEFUNCT)
        .filter(
            fundings__ends_on__gte=today,
            fundings__ends_on__lte=add_months(today, months),
        )
        .distinct()
        .count()
    )
