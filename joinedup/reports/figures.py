"""The counting queries behind each figure (joinedup/reports/catalogue.py FIGURES): each returns
a `Table` of whole numbers (or measures with their bases) for a scope and a period, counted in
the database with a fixed number of queries however many records there are. Nothing here
knows who is asking: joinedup/reports/selectors.py checks that, then protects each table.

Periods count by the date something happened: a referral by when it was received, a plan by
when it opened or closed, a service by when it started, an action by when it was due, a
meeting by when it was held. Times to a decision or a service follow the referrals received
in the period (a cohort), however long after the period the decision came."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Case, CharField, Count, Min, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.assessments.models import Assessment, AssessmentStatus, Domain, DomainRating
from joinedup.children.models import Ethnicity, Religion, Sex
from joinedup.organisations.models import (
    SECTOR_OF_KIND,
    Locality,
    Organisation,
    OrganisationKind,
    Sector,
)
from joinedup.panels.models import Attendance, AttendanceStatus, Decision, DecisionOutcome
from joinedup.plans.models import Intervention, Outcome, Plan, PlanStatus, Purpose
from joinedup.referrals.models import Referral
from joinedup.reports.catalogue import FIGURE_TITLES
from joinedup.reports.tables import Period, Scope, Table

NOT_RECORDED = "Not recorded"
# Age at referral, in whole years.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 8", 0, 7),
    ("8 to 9", 8, 9),
    ("10 to 11", 10, 11),
    ("12 to 13", 12, 13),
    ("14 to 15", 14, 15),
    ("16 and over", 16, 200),
)


# Scope and period.


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as moments: from the start of its first day to the start of the day after."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return start, end


def months(period: Period) -> list[date]:
    found = []
    day = period.start.replace(day=1)
    while day <= period.end:
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


# Reads shared by several figures (the decisions per referral, the assessment changes), made
# once per report: build_report counts its figures inside `sharing()`. Outside it each figure
# reads for itself.
_SHARED: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("_SHARED", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Within this block, figures for the same scope and period share their reads."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(name: str, scope: Scope, period: Period, read: Callable[[], Any]) -> Any:
    cache = _SHARED.get()
    if cache is None:
        return read()
    key = (
        name,
        scope.kind,
        getattr(scope.panel, "pk", None),
        getattr(scope.locality, "pk", None),
        period.start,
        period.end,
    )
    if key not in cache:
        cache[key] = read()
    return cache[key]


def _local_days() -> Callable[[datetime], date]:
    """The day a stored moment fell on, in the project's time zone (as TruncDate gives). The
    zone is looked up once per read: looked up per row (timezone.localtime), it cost more than
    the rest of the row's work, seconds at national scale."""
    zone = timezone.get_current_timezone()
    return lambda moment: moment.astimezone(zone).date()


def referrals(scope: Scope, period: Period) -> QuerySet[Referral]:
    """The referrals received in the period, for the scope: a panel's own referrals, the
    referrals of children living in a locality, or every referral."""
    start, end = _bounds(period)
    found = Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if scope.kind == "panel":
        found = found.filter(panel=scope.panel)
    elif scope.kind == "locality":
        found = found.filter(child__locality=scope.locality)
    return found


def _plans(scope: Scope) -> QuerySet[Plan]:
    found = Plan.objects.all()
    if scope.kind == "panel":
        found = found.filter(panel=scope.panel)
    elif scope.kind == "locality":
        found = found.filter(child__locality=scope.locality)
    return found


def _by_panel(queryset: QuerySet[Any], scope: Scope, panel_field: str) -> QuerySet[Any]:
    """Panel business (meetings, actions): a panel's own, or the panels serving a locality."""
    if scope.kind == "panel":
        return queryset.filter(**{panel_field: scope.panel})
    if scope.kind == "locality":
        return queryset.filter(**{f"{panel_field}__localities": scope.locality})
    return queryset


def _table(key: str, explanation: str, row_heading: str, **fields: Any) -> Table:
    return Table(
        key=key,
        title=FIGURE_TITLES[key],
        explanation=explanation,
        row_heading=row_heading,
        **fields,
    )


def _one_way(
    key: str,
    explanation: str,
    row_heading: str,
    counts: Iterable[tuple[str, int]],
    column: str = "Referrals",
    chart: str = "bar",
) -> Table:
    return _table(
        key,
        explanation,
        row_heading,
        columns=(column,),
        rows=tuple((label, (count,)) for label, count in counts),
        chart=chart,
    )


def _grouped(queryset: QuerySet[Any], field: str) -> dict[Any, int]:
    return {
        row[field]: row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("pk")).order_by()
    }


# Referrals.


def _referral_counts(scope: Scope, period: Period) -> dict[str, Counter[Any]]:
    """The period's referrals counted by each thing the referral figures show, from one read
    of the referrals joined to their children (shared by those figures within a report):
    a join per figure costs a second or more at national scale."""

    def read() -> dict[str, Counter[Any]]:
        counts: dict[str, Counter[Any]] = defaultdict(Counter)
        local_day = _local_days()
        rows = referrals(scope, period).values_list(
            "submitted_at",
            "child__date_of_birth",
            "child__sex",
            "child__ethnicity",
            "child__religion",
            _text("child__locality_id"),
            _text("referring_organisation_id"),
        )
        by = [counts[name] for name in ("sex", "ethnicity", "religion", "locality", "org")]
        age = counts["age"]
        for submitted_at, born, *values in rows.order_by():
            referred = local_day(submitted_at)
            age[
                _band(
                    referred.year
                    - born.year
                    - ((born.month, born.day) > (referred.month, referred.day))
                )
            ] += 1
            for counter, value in zip(by, values, strict=True):
                counter[value] += 1
        if counts["org"]:
            organisations = {
                pk: (name, kind)
                for pk, name, kind in Organisation.objects.values_list(_text("pk"), "name", "kind")
            }
            for pk, n in counts["org"].items():
                name, kind = organisations[pk]
                counts["org_name"][name] += n
                counts["org_kind"][kind] += n
        if counts["locality"]:
            localities = dict(Locality.objects.values_list(_text("pk"), "name"))
            for pk, n in counts["locality"].items():
                counts["locality_name"][localities.get(pk)] += n
        return counts

    found: dict[str, Counter[Any]] = _shared("referral_counts", scope, period, read)
    return found


def referrals_by_month(scope: Scope, period: Period) -> Table:
    # One range count per month (the submitted_at index), not a time-zone conversion per row.
    # COUNT(submitted_at), not COUNT(id): the index alone answers it, without reading each
    # referral.
    starts = months(period)
    bounds = [
        timezone.make_aware(datetime.combine(max(month, period.start), time.min))
        for month in starts
    ] + [_bounds(period)[1]]
    counts = referrals(scope, period).aggregate(
        **{
            f"m{i}": Count(
                "submitted_at",
                filter=Q(submitted_at__gte=bounds[i], submitted_at__lt=bounds[i + 1]),
            )
            for i in range(len(starts))
        }
    )
    by_month = {month: counts[f"m{i}"] for i, month in enumerate(starts)}
    return _one_way(
        "referrals_by_month",
        "How many referrals were received in each month.",
        "Month",
        ((f"{month:%B %Y}", by_month[month]) for month in starts),
        chart="line",
    )


def referrals_by_organisation(scope: Scope, period: Period) -> Table:
    counts = dict(_referral_counts(scope, period)["org_name"])
    return _one_way(
        "referrals_by_organisation",
        "Which organisations the referrals received in the period came from.",
        "Referring organisation",
        sorted(counts.items()),
    )


def referrals_by_sector(scope: Scope, period: Period) -> Table:
    counts = _referral_counts(scope, period)["org_kind"]
    by_sector: Counter[str] = Counter()
    for kind, n in counts.items():
        by_sector[SECTOR_OF_KIND.get(kind, Sector.STATUTORY)] += n
    return _one_way(
        "referrals_by_sector",
        "Referrals by the sector of the organisation that made them: statutory services, or "
        "voluntary, community and faith groups.",
        "Sector",
        ((str(label), by_sector[value]) for value, label in Sector.choices),
    )


def referrals_by_locality(scope: Scope, period: Period) -> Table:
    counts = dict(_referral_counts(scope, period)["locality_name"])
    not_recorded = counts.pop(None, 0)
    return _one_way(
        "referrals_by_locality",
        "Where the children and young people referred live, by locality.",
        "Locality",
        [*sorted(counts.items()), (NOT_RECORDED, not_recorded)],
    )


def _band(age: int) -> str:
    for label, _, high in AGE_BANDS:
        if age <= high:
            return label
    return AGE_BANDS[-1][0]


def referrals_by_age(scope: Scope, period: Period) -> Table:
    # Banded here from the referral's day and the date of birth: on SQLite the date parts of
    # an SQL age are Python functions per row, repeated in each band's branch.
    counts = _referral_counts(scope, period)["age"]
    return _one_way(
        "referrals_by_age",
        "How old the children and young people were when they were referred, in whole years.",
        "Age at referral",
        ((label, counts.get(label, 0)) for label, _, _ in AGE_BANDS),
    )


def _by_choice(
    key: str,
    explanation: str,
    row_heading: str,
    counts: dict[Any, int],
    choices: list[tuple[str, str]],
    missing: Iterable[Any],
) -> Table:
    not_recorded = sum(counts.pop(value, 0) for value in missing)
    rows = [(str(label), counts.get(value, 0)) for value, label in choices]
    return _one_way(key, explanation, row_heading, [*rows, (NOT_RECORDED, not_recorded)])


def referrals_by_sex(scope: Scope, period: Period) -> Table:
    counts = dict(_referral_counts(scope, period)["sex"])
    return _by_choice(
        "referrals_by_sex",
        "The sex of the children and young people referred, as recorded.",
        "Sex",
        counts,
        [(v, label) for v, label in Sex.choices if v != Sex.NOT_KNOWN],
        (Sex.NOT_KNOWN, "", None),
    )


def referrals_by_ethnicity(scope: Scope, period: Period) -> Table:
    counts = dict(_referral_counts(scope, period)["ethnicity"])
    choices = [(v, label) for v, label in Ethnicity.choices if v != Ethnicity.NOT_RECORDED]
    return _by_choice(
        "referrals_by_ethnicity",
        "The ethnicity of the children and young people referred (2021 Census groups), for "
        "equalities monitoring. Groups with no referrals are shown as 0.",
        "Ethnic group",
        counts,
        choices,
        (Ethnicity.NOT_RECORDED, "", None),
    )


def referrals_by_religion(scope: Scope, period: Period) -> Table:
    counts = dict(_referral_counts(scope, period)["religion"])
    return _by_choice(
        "referrals_by_religion",
        "The religion or faith of the children and young people referred, for equalities "
        "monitoring.",
        "Religion or faith",
        counts,
        list(Religion.choices),
        ("", None),
    )


# From referral to decision, plan and service.


def _decided(scope: Scope, period: Period) -> dict[Any, tuple[date, date, bool, date | None]]:
    """Per referral received in the period with a standing panel decision (not a deferral):
    the day it was received, the day of the earliest meeting that decided, whether a decision
    opened a support plan, and the earliest start of a service on such a plan. One join
    grouped by referral, shared by the figures."""

    def read() -> dict[Any, tuple[date, date, bool, date | None]]:
        local_day = _local_days()
        rows = (
            _standing_decisions(scope, period)
            .values_list(_text("item__referral_id"), "item__referral__submitted_at")
            .annotate(
                first=Min("item__meeting__starts_at"),
                plans=Count("plan"),
                first_service=Min("plan__interventions__starts_on"),
            )
            .order_by()
        )
        return {
            referral: (local_day(received), local_day(first), plans > 0, first_service)
            for referral, received, first, plans, first_service in rows
        }

    return _shared("decided", scope, period, read)


def _standing_decisions(scope: Scope, period: Period) -> QuerySet[Decision]:
    """The standing panel decisions (not deferrals) on the referrals received in the period.
    The referrals are joined, not looked up in a subquery: from the period's referrals the
    database follows indexes to their agenda items and decisions, rather than reading every
    decision there has ever been."""
    start, end = _bounds(period)
    found = Decision.objects.filter(
        item__referral__submitted_at__gte=start,
        item__referral__submitted_at__lt=end,
        superseded_at__isnull=True,
    ).exclude(outcome=DecisionOutcome.DEFER)
    if scope.kind == "panel":
        found = found.filter(item__referral__panel=scope.panel)
    elif scope.kind == "locality":
        found = found.filter(item__referral__child__locality=scope.locality)
    return found


def referral_conversion(scope: Scope, period: Period) -> Table:
    decided = _decided(scope, period)
    total = referrals(scope, period).count()
    planned = sum(1 for _, _, has_plan, _ in decided.values() if has_plan)
    counts = {
        "planned": planned,
        "decided": len(decided) - planned,
        "waiting": total - len(decided),
    }
    return _one_way(
        "referral_conversion",
        "What has happened so far to the referrals received in the period: a support plan "
        "opened, the panel decided on something else (signposting, no further action, "
        "safeguarding), or no panel decision yet.",
        "Where the referral is now",
        (
            ("Support plan opened", counts["planned"]),
            ("Panel decided, no support plan", counts["decided"]),
            ("No panel decision yet", counts["waiting"]),
        ),
    )


def _rank(histogram: dict[int, int], fraction: float) -> float:
    """The nearest-rank percentile of the values counted in `histogram`."""
    total = sum(histogram.values())
    wanted = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= wanted:
            return value
    return 0  # pragma: no cover - an empty histogram has no base to show it


def _days_table(
    key: str,
    explanation: str,
    pairs: Iterable[tuple[date, date | None, int]],
    period: Period,
) -> Table:
    """Median and 90th percentile days, by month received and for the whole period, from
    (received on, happened on, how many) counts."""
    by_month: dict[date, Counter[int]] = defaultdict(Counter)
    overall: Counter[int] = Counter()
    for received, happened, n in pairs:
        if happened is None:
            continue
        days = (happened - received).days
        if days < 0:
            continue  # recorded before the referral: left out (the data-quality page lists it)
        by_month[received.replace(day=1)][days] += n
        overall[days] += n
    rows: list[tuple[str, tuple[float, ...]]] = []
    bases: list[tuple[int, ...]] = []
    groups = [(f"{month:%B %Y}", by_month[month]) for month in months(period)]
    if len(groups) > 1:
        groups.append(("The whole period", overall))
    for label, histogram in groups:
        base = sum(histogram.values())
        rows.append((label, (_rank(histogram, 0.5), _rank(histogram, 0.9)) if base else (0, 0)))
        bases.append((base, base))
    return _table(
        key,
        explanation,
        "Month received",
        columns=("Median days", "90th percentile days"),
        rows=tuple(rows),
        kind="measure",
        bases=tuple(bases),
        totals=False,
    )


def time_to_decision(scope: Scope, period: Period) -> Table:
    return _days_table(
        "time_to_decision",
        "For the referrals received in each month that the panel has decided on: how many "
        "days from the referral to the panel meeting that decided. Half were decided within "
        "the median; nine in ten within the 90th percentile.",
        ((received, decided, 1) for received, decided, _, _ in _decided(scope, period).values()),
        period,
    )


def time_to_first_service(scope: Scope, period: Period) -> Table:
    # Per referral: the earliest start of a service on a plan its standing decisions opened.
    return _days_table(
        "time_to_first_service",
        "For the referrals received in each month that led to a support plan with a service "
        "started or planned: how many days from the referral to the first service's start.",
        (
            (received, first_service, 1)
            for received, _, has_plan, first_service in _decided(scope, period).values()
            if has_plan
        ),
        period,
    )


# Plans.


def plans_open_closed(scope: Scope, period: Period) -> Table:
    # Three range counts, each on an index, rather than one pass over every plan opened
    # before the period's end: open at the end = opened by the end less closed by then.
    plans = _plans(scope)
    by_end = plans.filter(opened_on__lte=period.end)
    counts = {
        "opened": plans.filter(opened_on__gte=period.start, opened_on__lte=period.end).count(),
        "closed": _closed_plans(scope, period).count(),
        "open_at_end": by_end.count() - by_end.filter(closed_on__lte=period.end).count(),
    }
    return _table(
        "plans_open_closed",
        "Support plans opened and closed in the period, and how many were open on its last day.",
        "Plans",
        columns=("Plans",),
        rows=(
            ("Opened", (counts["opened"],)),
            ("Closed", (counts["closed"],)),
            ("Open at the end of the period", (counts["open_at_end"],)),
        ),
        totals=False,
    )


def _closed_plans(scope: Scope, period: Period) -> QuerySet[Plan]:
    return _plans(scope).filter(
        status=PlanStatus.CLOSED, closed_on__gte=period.start, closed_on__lte=period.end
    )


def plan_outcomes(scope: Scope, period: Period) -> Table:
    counts = _grouped(_closed_plans(scope, period), "outcome")
    return _by_choice(
        "plan_outcomes",
        "The support plans closed in the period, by the outcome recorded when each closed.",
        "Outcome",
        counts,
        list(Outcome.choices),
        ("", None),
    )


# Assessments.

CHANGES = (("improved", "Improved"), ("same", "Same"), ("worse", "Worse"))


def _assessment_changes(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Per domain and direction: how many children's ratings moved, and by how much in all.
    For each plan closed in the period, its child's last completed assessment on or before
    the day it closed is compared, domain by domain, with the first rating the child was
    given in that domain (ratings are lower when the area is less linked with the concerns,
    so a fall is an improvement). Two flat reads (the closed plans, then their children's
    completed ratings); the first and last are found here, once per report."""
    return _shared(
        "assessment_changes", scope, period, lambda: _read_assessment_changes(scope, period)
    )


def _text(field: str) -> Cast:
    return Cast(field, output_field=CharField())


# The first and last ratings, compared in the database: at national scale the period's closed
# plans bring over a million ratings, too many to carry into Python. For each closed plan the
# child's last rated assessment on or before the day it closed, and the child's first rated
# assessment, are each found by one walk down the assessments' (child, status, date, version)
# index: correlated subqueries against the tables, which both SQLite and PostgreSQL run from
# that index, rather than joins between intermediate results, for which SQLite's planner may
# choose to compare every row with every other. The first assessment's rating in each area is
# likewise one lookup in the (assessment, domain) index: as a join, PostgreSQL hashed all 16
# million ratings for it at national scale. An area's first rating is almost always on the
# child's first assessment; only an area that it left unrated is looked for later.
_ASSESSMENT_CHANGES_SQL = """
WITH closed AS ({closed}),
lasts AS (
    SELECT DISTINCT child_id, assessment_id, (
        SELECT f.id FROM {assessment} f
        WHERE f.child_id = picked.child_id AND f.status = %s
          AND EXISTS (SELECT 1 FROM {rating} x WHERE x.assessment_id = f.id)
        ORDER BY f.assessed_on, f.version
        LIMIT 1
    ) AS first_id
    FROM (
        SELECT c.child_id, (
            SELECT a.id FROM {assessment} a
            WHERE a.child_id = c.child_id AND a.status = %s AND a.assessed_on <= c.closed_on
              AND EXISTS (SELECT 1 FROM {rating} x WHERE x.assessment_id = a.id)
            ORDER BY a.assessed_on DESC, a.version DESC
            LIMIT 1
        ) AS assessment_id
        FROM closed c
    ) picked
    WHERE assessment_id IS NOT NULL
),
compared AS (
    SELECT l.child_id, l.assessment_id, x.domain_id, x.rating, l.first_id, (
        SELECT y.rating FROM {rating} y
        WHERE y.assessment_id = l.first_id AND y.domain_id = x.domain_id
    ) AS first_rating
    FROM lasts l
    JOIN {rating} x ON x.assessment_id = l.assessment_id AND x.rating IS NOT NULL
),
later AS (
    SELECT c.domain_id, c.assessment_id, c.rating, (
        SELECT a.id FROM {assessment} a
        JOIN {rating} y ON y.assessment_id = a.id
        WHERE a.child_id = c.child_id AND a.status = %s
          AND y.domain_id = c.domain_id AND y.rating IS NOT NULL
        ORDER BY a.assessed_on, a.version
        LIMIT 1
    ) AS first_id
    FROM compared c
    WHERE c.first_rating IS NULL
),
changes AS (
    SELECT domain_id, rating - first_rating AS change
    FROM compared
    WHERE first_rating IS NOT NULL AND first_id <> assessment_id
    UNION ALL
    SELECT l.domain_id, l.rating - y.rating
    FROM later l
    JOIN {rating} y ON y.assessment_id = l.first_id AND y.domain_id = l.domain_id
    WHERE l.first_id <> l.assessment_id
)
SELECT domain_id,
       CASE WHEN change < 0 THEN 'improved' WHEN change > 0 THEN 'worse' ELSE 'same' END
           AS direction,
       COUNT(*),
       SUM(change)
FROM changes
GROUP BY domain_id, direction
"""


def _read_assessment_changes(scope: Scope, period: Period) -> list[dict[str, Any]]:
    closed = _closed_plans(scope, period).values("child_id", "closed_on").order_by()
    closed_sql, closed_params = closed.query.sql_with_params()
    sql = _ASSESSMENT_CHANGES_SQL.format(
        closed=closed_sql,
        assessment=connection.ops.quote_name(Assessment._meta.db_table),
        rating=connection.ops.quote_name(DomainRating._meta.db_table),
    )
    with connection.cursor() as cursor:
        completed = AssessmentStatus.COMPLETED.value
        cursor.execute(sql, [*closed_params, completed, completed, completed])
        found = cursor.fetchall()
    # Keys as UUIDs: SQLite gives the stored hex, PostgreSQL a UUID.
    domains = {
        pk: (order, name) for pk, order, name in Domain.objects.values_list("pk", "order", "name")
    }
    rows = []
    for domain, direction, n, change in found:
        order, name = domains[domain if isinstance(domain, UUID) else UUID(str(domain))]
        rows.append(
            {
                "domain__name": name,
                "domain__order": order,
                "direction": direction,
                "n": n,
                "change": change,
            }
        )
    rows.sort(key=lambda row: (row["domain__order"], row["domain__name"]))
    return rows


def assessment_change(scope: Scope, period: Period) -> Table:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(dict(CHANGES), 0))
    for row in _assessment_changes(scope, period):
        counts[row["domain__name"]][row["direction"]] += row["n"]
    return _table(
        "assessment_change",
        "For the children and young people whose support plans closed in the period: in each "
        "area of their lives, whether the rating at their last assessment was better, the "
        "same or worse than at their first. A better rating means the area is less linked "
        "with the concerns.",
        "Area of the child's life",
        columns=tuple(label for _, label in CHANGES),
        rows=tuple(
            (domain, tuple(by_direction[key] for key, _ in CHANGES))
            for domain, by_direction in counts.items()
        ),
    )


def assessment_mean_change(scope: Scope, period: Period) -> Table:
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in _assessment_changes(scope, period):
        found[row["domain__name"]][0] += row["n"]
        found[row["domain__name"]][1] += row["change"] or 0
    return _table(
        "assessment_mean_change",
        "The average change in each area's rating from the first assessment to the last, on "
        "the 0 to 4 scale. Below 0 means the area became less linked with the concerns.",
        "Area of the child's life",
        columns=("Average change",),
        rows=tuple(
            (domain, (round(change / n, 1) if n else 0,)) for domain, (n, change) in found.items()
        ),
        kind="measure",
        bases=tuple((n,) for n, _ in found.values()),
        totals=False,
    )


# Agencies.

ATTENDANCE = (("attended", "Attended"), ("apologies", "Sent apologies"), ("absent", "Absent"))
ATTENDED = {
    AttendanceStatus.PRESENT: "attended",
    AttendanceStatus.DEPUTY: "attended",
    AttendanceStatus.APOLOGIES: "apologies",
    AttendanceStatus.ABSENT: "absent",
}


def _two_way(
    rows: Iterable[dict[str, Any]],
    agency: str,
    column: str,
    columns: tuple[tuple[str, str], ...],
    sort: Callable[[str], Any] = str,
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[row[agency]][row[column]] += row["n"]
    return tuple(
        (name, tuple(counts[name][key] for key, _ in columns)) for name in sorted(counts, key=sort)
    )


def _agency_field(scope: Scope, organisation: str) -> tuple[str, str]:
    """What an agency row is: for a panel, the agency by name (its members know who holds
    each seat); for a locality or the city, the kind of agency. About a thousand agencies
    each with a handful of seats or actions tell a steering group little, and nearly every
    cell would be hidden as a small number; police, schools and health as wholes are what it
    asks about. Returns the field to count by and the row heading."""
    if scope.kind == "panel":
        return f"{organisation}__name", "Agency"
    return f"{organisation}__kind", "Kind of agency"


def _agency_label(scope: Scope, value: str) -> str:
    if scope.kind == "panel":
        return value
    return str(OrganisationKind(value).label) if value in OrganisationKind.values else value


def _agency_rows(
    scope: Scope,
    rows: Iterable[dict[str, Any]],
    agency: str,
    column: str,
    columns: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    labelled = [{**row, agency: _agency_label(scope, row[agency])} for row in rows]
    return _two_way(labelled, agency, column, columns)


def attendance_by_agency(scope: Scope, period: Period) -> Table:
    start, end = _bounds(period)
    agency, heading = _agency_field(scope, "member__organisation")
    entries = (
        _by_panel(Attendance.objects.all(), scope, "meeting__panel")
        .filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
        .values(agency, "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [{**row, "status": ATTENDED.get(row["status"], "absent")} for row in entries]
    return _table(
        "attendance_by_agency",
        "At the panel meetings held in the period: for each seat an agency holds, whether "
        "someone attended (the member or a deputy), sent apologies or was absent. For a "
        "locality or the whole city, agencies are counted together by kind (police, schools, "
        "health and so on); a panel's report names each agency.",
        heading,
        columns=tuple(label for _, label in ATTENDANCE),
        rows=_agency_rows(scope, rows, agency, "status", ATTENDANCE),
    )


ACTIONS = (("done", "Done"), ("not_done", "Not done"))


def actions_by_agency(scope: Scope, period: Period) -> Table:
    agency, heading = _agency_field(scope, "organisation")
    rows = (
        _by_panel(Action.objects.all(), scope, "panel")
        .filter(due_on__gte=period.start, due_on__lte=period.end)
        .exclude(status=ActionStatus.CANCELLED)
        .annotate(
            done=Case(When(status=ActionStatus.DONE, then=Value("done")), default=Value("not_done"))
        )
        .values(agency, "done")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _table(
        "actions_by_agency",
        "The panel actions due in the period (cancelled ones left out), by the agency that "
        "owns each: how many are done. For a locality or the whole city, agencies are counted "
        "together by kind; a panel's report names each agency.",
        heading,
        columns=tuple(label for _, label in ACTIONS),
        rows=_agency_rows(scope, rows, agency, "done", ACTIONS),
    )


# Services.


def _interventions(scope: Scope, period: Period) -> QuerySet[Intervention]:
    found = Intervention.objects.filter(starts_on__gte=period.start, starts_on__lte=period.end)
    if scope.kind == "panel":
        return found.filter(plan__panel=scope.panel)
    if scope.kind == "locality":
        return found.filter(plan__child__locality=scope.locality)
    return found


def services_used(scope: Scope, period: Period) -> Table:
    counts = _grouped(_interventions(scope, period), "purpose")
    return _one_way(
        "services_used",
        "The services that started (or were due to start) in the period as part of support "
        "plans, by what each is for.",
        "What the service is for",
        [(str(label), counts.get(value, 0)) for value, label in Purpose.choices],
        column="Services",
    )


def services_waiting(scope: Scope, period: Period) -> Table:
    rows = (
        _interventions(scope, period)
        .values("purpose", "plan__opened_on", "starts_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    histograms: dict[str, Counter[int]] = defaultdict(Counter)
    for row in rows:
        days = (row["starts_on"] - row["plan__opened_on"]).days
        if days >= 0:
            histograms[row["purpose"]][days] += row["n"]
    table_rows = []
    bases = []
    for value, label in Purpose.choices:
        histogram = histograms[value]
        base = sum(histogram.values())
        table_rows.append(
            (str(label), (_rank(histogram, 0.5), _rank(histogram, 0.9)) if base else (0, 0))
        )
        bases.append((base, base))
    return _table(
        "services_waiting",
        "How long children and young people waited for each kind of service: days from the "
        "support plan opening to the service starting, for the services that started in the "
        "period.",
        "What the service is for",
        columns=("Median days", "90th percentile days"),
        rows=tuple(table_rows),
        kind="measure",
        bases=tuple(bases),
        totals=False,
    )


# Every figure's counting function, by key.
COUNTERS: dict[str, Callable[[Scope, Period], Table]] = {
    "referrals_by_month": referrals_by_month,
    "referrals_by_organisation": referrals_by_organisation,
    "referrals_by_sector": referrals_by_sector,
    "referrals_by_locality": referrals_by_locality,
    "referrals_by_age": referrals_by_age,
    "referrals_by_sex": referrals_by_sex,
    "referrals_by_ethnicity": referrals_by_ethnicity,
    "referrals_by_religion": referrals_by_religion,
    "referral_conversion": referral_conversion,
    "time_to_decision": time_to_decision,
    "time_to_first_service": time_to_first_service,
    "plans_open_closed": plans_open_closed,
    "plan_outcomes": plan_outcomes,
    "assessment_change": assessment_change,
    "assessment_mean_change": assessment_mean_change,
    "attendance_by_agency": attendance_by_agency,
    "actions_by_agency": actions_by_agency,
    "services_used": services_used,
    "services_waiting": services_waiting,
}
