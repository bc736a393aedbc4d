"""Reads of the partnership's funding. Funders, streams, services and posts are not personal
data; the only figures about children are counts per service, taken from the directory's own
count (joinedup/directory/insight.py) with its small-number rule for strategic managers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from joinedup.core import audit
from joinedup.dashboards.figures import Figure
from joinedup.directory.insight import (
    WINDOWS,
    add_months,
    children_figure,
    children_in_open_plans,
    children_total,
    sees_exact_counts,
)
from joinedup.funding.models import FundedPost, FundedService, Funder, FundingStream
from joinedup.organisations.models import Locality

__all__ = ["WINDOWS"]

SEARCH_MAX = 100


@audit.audit_exempt(reason="Funders of the partnership: organisations, not people.")
def funders() -> list[Funder]:
    return list(
        Funder.objects.select_related("organisation").annotate(stream_count=Count("streams"))
    )


@audit.audit_exempt(reason="Funding streams: money and dates, no personal data.")
def stream_list(
    *,
    viewer: Any,
    funder: Funder | None = None,
    locality: Locality | None = None,
    months: int | None = None,
    query: str = "",
) -> list[FundingStream]:
    """Streams, the soonest to end first, with how many services and posts each pays for.
    `months`: only the streams ending between today and that many months ahead. One query."""
    streams: QuerySet[FundingStream] = FundingStream.objects.select_related(
        "funder", "locality"
    ).annotate(
        service_count=Count("funded_services", distinct=True),
        post_count=Count("funded_posts", distinct=True),
    )
    if funder is not None:
        streams = streams.filter(funder=funder)
    if locality is not None:
        streams = streams.filter(locality=locality)
    if months is not None:
        today = timezone.localdate()
        streams = streams.filter(ends_on__gte=today, ends_on__lte=add_months(today, months))
    for word in query.split()[:10]:
        streams = streams.filter(
            Q(name__icontains=word) | Q(purpose__icontains=word) | Q(funder__name__icontains=word)
        )
    return list(streams.order_by("ends_on", "name"))


@dataclass(frozen=True)
class ServiceLine:
    link: FundedService
    children: Figure


@dataclass(frozen=True)
class StreamEntry:
    stream: FundingStream
    services: list[ServiceLine]
    posts: list[FundedPost]
    children: Figure

    @property
    def ended(self) -> bool:
        return self.stream.ends_on < timezone.localdate()

    @property
    def hours(self) -> Decimal:
        return sum((link.post.hours_per_week for link in self.posts), Decimal(0))


def _entries(
    streams: list[FundingStream], *, exact: bool
) -> tuple[list[StreamEntry], dict[Any, set[Any]], dict[Any, list[Any]]]:
    """Each stream with its services, posts and children: three queries, whatever the number
    of streams. Also gives back the children of each service and the services of each stream,
    for totals that count each child once."""
    ids = [stream.pk for stream in streams]
    services_of: dict[Any, list[FundedService]] = defaultdict(list)
    for link in (
        FundedService.objects.filter(stream_id__in=ids)
        .select_related("service__provider")
        .order_by("service__name")
    ):
        services_of[link.stream_id].append(link)
    posts_of: dict[Any, list[FundedPost]] = defaultdict(list)
    for post_link in (
        FundedPost.objects.filter(stream_id__in=ids)
        .select_related("post__organisation")
        .order_by("post__title")
    ):
        posts_of[post_link.stream_id].append(post_link)
    service_ids = {link.service_id for links in services_of.values() for link in links}
    children_of = children_in_open_plans(service_ids) if service_ids else {}
    entries = []
    stream_services: dict[Any, list[Any]] = {}
    for stream in streams:
        lines = [
            ServiceLine(
                link=link,
                children=children_figure(len(children_of.get(link.service_id, ())), exact=exact),
            )
            for link in services_of[stream.pk]
        ]
        stream_services[stream.pk] = [line.link.service_id for line in lines]
        entries.append(
            StreamEntry(
                stream=stream,
                services=lines,
                posts=posts_of[stream.pk],
                children=children_total(
                    (line.children for line in lines),
                    _distinct(children_of, stream_services[stream.pk]),
                    exact=exact,
                ),
            )
        )
    return entries, children_of, stream_services


def _distinct(children_of: dict[Any, set[Any]], service_ids: list[Any]) -> int:
    return len(set().union(*(children_of.get(pk, set()) for pk in service_ids)))


@audit.audit_exempt(
    reason="A funding stream and counts of children per service (never who they are); "
    "counts from 1 to 4 suppressed for strategic managers."
)
def stream_detail(*, viewer: Any, stream_id: Any) -> StreamEntry:
    stream = get_object_or_404(
        FundingStream.objects.select_related("funder__organisation", "locality"), pk=stream_id
    )
    entries, _, _ = _entries([stream], exact=sees_exact_counts(viewer))
    return entries[0]


@dataclass(frozen=True)
class Quarter:
    starts_on: date
    entries: list[StreamEntry]
    amount: Decimal
    services: int
    posts: int
    hours: Decimal
    children: Figure

    @property
    def label(self) -> str:
        ends = add_months(self.starts_on, 2)
        return f"{self.starts_on:%B} to {ends:%B %Y}"


@dataclass(frozen=True)
class Timeline:
    starts_on: date
    # None: every stream still running, however far ahead it ends.
    months: int | None
    quarters: list[Quarter]
    exact: bool

    @property
    def streams(self) -> int:
        return sum(len(quarter.entries) for quarter in self.quarters)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@audit.audit_exempt(
    reason="Funding streams and counts of children per service (never who they are); "
    "counts from 1 to 4 suppressed for strategic managers."
)
def funding_timeline(*, viewer: Any, months: int | None = None) -> Timeline:
    """The streams still running (ending today or later), the soonest to end first, grouped by
    the calendar quarter they end in, each with the services and posts it pays for and the
    children in open plans using those services. Four queries plus the viewer's roles."""
    exact = sees_exact_counts(viewer)
    today = timezone.localdate()
    streams = FundingStream.objects.select_related("funder", "locality").filter(ends_on__gte=today)
    if months is not None:
        streams = streams.filter(ends_on__lte=add_months(today, months))
    entries, children_of, services_of = _entries(
        list(streams.order_by("ends_on", "name")), exact=exact
    )
    grouped: dict[date, list[StreamEntry]] = defaultdict(list)
    for entry in entries:
        grouped[_quarter_start(entry.stream.ends_on)].append(entry)
    quarters = []
    for starts_on, found in grouped.items():
        posts = {link.post_id: link.post for entry in found for link in entry.posts}
        service_ids = sorted(
            {pk for entry in found for pk in services_of[entry.stream.pk]}, key=str
        )
        quarters.append(
            Quarter(
                starts_on=starts_on,
                entries=found,
                amount=sum((entry.stream.amount for entry in found), Decimal(0)),
                services=len(service_ids),
                posts=len(posts),
                # A post paid for by two streams ending in the quarter counts once.
                hours=sum((post.hours_per_week for post in posts.values()), Decimal(0)),
                children=children_total(
                    (line.children for entry in found for line in entry.services),
                    _distinct(children_of, service_ids),
                    exact=exact,
                ),
            )
        )
    return Timeline(starts_on=today, months=months, quarters=quarters, exact=exact)
