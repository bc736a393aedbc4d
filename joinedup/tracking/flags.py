"""Duplication and gaps, worked out from the record (the research: several projects "working
with the same group of children"; children who "fall between two stools"). Three kinds of flag:

- overlap: two or more different organisations give the child open support (planned or
  started, on an open plan) with the same purpose. Support for "Something else" never counts;
  a partner organisation is one organisation however many pieces of support it gives; a
  provider that is not a partner is known by its name as typed (ignoring case and spaces).
- gap: the child was referred (a referral not found ineligible, with no closed plan and no
  decision that ended the panel's part since) or has an open plan, no support has started,
  the case is not on an upcoming agenda, and nothing has been recorded for the panel's number
  of weeks. What counts as "recorded" is CONTACT_SOURCES below.
- repeat: referrals (not found ineligible) from at least the panel's number of different
  organisations within its number of months.

Which children: a coordinator's are those referred to, or with a plan from, the panels they
coordinate; a keyworker's are those in their caseload (a current involvement of theirs, or an
open plan they lead). A record merged into another is never flagged: its referrals and plans
moved to the surviving record.

The work is a fixed number of queries whatever the number of children: candidates for each
kind come from one query each, then one query reads what the page shows of the flagged
children, one the settings and one the coordinators' notes.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from joinedup.assessments.models import Assessment, OverToYou
from joinedup.children.models import Child
from joinedup.children.need_to_know import children_identified_to, current_involvements
from joinedup.consent.models import ChildView, ConsentRecord
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.panels.models import AgendaItem, Contribution, Decision, DecisionOutcome, PanelMember
from joinedup.plans.models import (
    OPEN_INTERVENTIONS,
    Intervention,
    InterventionStatus,
    Plan,
    PlanStatus,
    Purpose,
    Review,
)
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.safeguarding.models import SafeguardingConcern
from joinedup.tracking.models import (
    DEFAULT_GAP_WEEKS,
    DEFAULT_REPEAT_AGENCIES,
    DEFAULT_REPEAT_MONTHS,
    FlagKind,
    FlagLook,
    TrackingSettings,
)

# Decisions after which the panel has nothing more to do for the case (as in the pipeline).
FINAL_OUTCOMES = (
    DecisionOutcome.SIGNPOST,
    DecisionOutcome.NO_FURTHER_ACTION,
    DecisionOutcome.SAFEGUARDING,
)
# Support that has begun at some time: its start is something that happened with the child.
BEGUN = (InterventionStatus.STARTED, InterventionStatus.FINISHED, InterventionStatus.STOPPED)


@dataclass(frozen=True)
class Thresholds:
    gap_weeks: int = DEFAULT_GAP_WEEKS
    repeat_agencies: int = DEFAULT_REPEAT_AGENCIES
    repeat_months: int = DEFAULT_REPEAT_MONTHS


@dataclass(frozen=True)
class Link:
    """A next step from a flag. The address is worked out when a page shows it: a coordinator
    may have hundreds of flags, and a page shows fifty."""

    label: str
    view: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.view, kwargs=dict(self.kwargs))


@dataclass
class Flag:
    kind: str
    child_id: Any
    explanation: str
    facts: list[str]
    links: list[Link] = field(default_factory=list)
    look: FlagLook | None = None
    panel_id: Any = None

    @property
    def kind_label(self) -> str:
        return FlagKind(self.kind).label

    @property
    def quiet(self) -> bool:
        """Looked at, and nothing new since: the facts now are no more than those looked at."""
        return self.look is not None and set(self.facts) <= set(self.look.facts)


# Contact: everything recorded that means someone did something with or for the child. Goal
# progress is recorded at a review, so reviews stand for it. (name, words, query, date field)
def _contact_sources(today: date) -> list[tuple[str, str, QuerySet[Any], str]]:
    child = OuterRef("pk")
    return [
        (
            "referral",
            "a referral",
            Referral.objects.filter(child=child).exclude(status=ReferralStatus.NOT_ELIGIBLE),
            "submitted_at",
        ),
        (
            "agenda",
            "a place on a panel agenda",
            AgendaItem.objects.filter(child=child, removed_at__isnull=True),
            "created_at",
        ),
        (
            "meeting",
            "a panel meeting that discussed the case",
            AgendaItem.objects.filter(
                child=child, removed_at__isnull=True, meeting__starts_at__lte=timezone.now()
            ),
            "meeting__starts_at",
        ),
        ("decision", "a panel decision", Decision.objects.filter(item__child=child), "created_at"),
        (
            "written_view",
            "a written view for the panel",
            Contribution.objects.filter(agenda_item__child=child, withdrawn_at__isnull=True),
            "created_at",
        ),
        ("plan", "a plan opened", Plan.objects.filter(child=child), "opened_on"),
        ("review", "a plan review", Review.objects.filter(plan__child=child), "held_on"),
        (
            "support",
            "support starting",
            Intervention.objects.filter(plan__child=child, status__in=BEGUN, starts_on__lte=today),
            "starts_on",
        ),
        (
            "assessment",
            "an assessment",
            Assessment.objects.filter(child=child, assessed_on__lte=today),
            "assessed_on",
        ),
        (
            "over_to_you",
            "an Over to You form",
            OverToYou.objects.filter(child=child, filled_on__lte=today),
            "filled_on",
        ),
        (
            "consent",
            "consent recorded",
            ConsentRecord.objects.filter(child=child, given_on__lte=today),
            "given_on",
        ),
        (
            "child_view",
            "the child's own say recorded",
            ChildView.objects.filter(child=child, recorded_on__lte=today),
            "recorded_on",
        ),
        (
            "team",
            "someone joining the team around the child",
            current_involvements().filter(child=child, started_on__lte=today),
            "started_on",
        ),
        (
            "safeguarding",
            "a safeguarding concern",
            SafeguardingConcern.objects.filter(child=child),
            "raised_at",
        ),
    ]


CONTACT_WORDS = {name: words for name, words, _, _ in _contact_sources(date(2000, 1, 1))}


def _latest(queryset: QuerySet[Any], date_field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{date_field}").values(date_field)[:1])


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return date(year, month, 28)


def span_in_words(days: int) -> str:
    if days < 14:
        return f"{max(days, 1)} day{'s' if max(days, 1) != 1 else ''}"
    if days < 60:
        weeks = days // 7
        return f"{weeks} weeks"
    months = max(2, round(days / 30.44))
    return f"{months} months"


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# Which children -----------------------------------------------------------------------------


def coordinated_panels(viewer: Any) -> QuerySet[Any]:
    return PanelMember.objects.panels_coordinated_by(viewer)


def children_in_view(viewer: Any) -> QuerySet[Child]:
    """The children whose flags the viewer sees: a coordinator's panels' cases, a keyworker's
    caseload (both, for someone with both roles)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Child.objects.none()
    wanted = Q(pk__in=[])
    if has_role(viewer, Role.PANEL_COORDINATOR):
        panels = coordinated_panels(viewer)
        wanted |= Q(
            pk__in=Referral.objects.filter(panel__in=panels)
            .exclude(status=ReferralStatus.NOT_ELIGIBLE)
            .values("child")
        )
        wanted |= Q(pk__in=Plan.objects.filter(panel__in=panels).values("child"))
    if has_role(viewer, Role.KEYWORKER):
        wanted |= Q(pk__in=current_involvements().filter(worker=viewer).values("child"))
        wanted |= Q(
            pk__in=Plan.objects.filter(keyworker=viewer, status=PlanStatus.OPEN).values("child")
        )
    return Child.objects.filter(wanted, merged_into__isnull=True)


def _open_plan() -> QuerySet[Plan]:
    return Plan.objects.filter(child=OuterRef("pk"), status=PlanStatus.OPEN).order_by()


def _live_referrals() -> QuerySet[Referral]:
    return (
        Referral.objects.filter(child=OuterRef("pk"))
        .exclude(status=ReferralStatus.NOT_ELIGIBLE)
        .order_by("-submitted_at")
    )


def _panel_of() -> Coalesce:
    """The child's panel: the open plan's, else the latest referral's."""
    return Coalesce(
        Subquery(_open_plan().values("panel")[:1]),
        Subquery(_live_referrals().values("panel")[:1]),
        output_field=UUIDField(),
    )


# The three kinds ----------------------------------------------------------------------------


def _overlap_rows(children: QuerySet[Child]) -> list[dict[str, Any]]:
    rows: Any = (
        Intervention.objects.filter(
            plan__child__in=children.values("pk"),
            plan__status=PlanStatus.OPEN,
            status__in=OPEN_INTERVENTIONS,
        )
        .exclude(purpose=Purpose.OTHER)
        .order_by("starts_on", "created_at")
        .values(
            "pk",
            "plan__child",
            "plan",
            "purpose",
            "service",
            "status",
            "starts_on",
            "provider_organisation",
            "provider_organisation__name",
            "provider_name",
        )
    )
    return list(rows)


def _provider_key(row: dict[str, Any]) -> str:
    if row["provider_organisation"]:
        return f"organisation:{row['provider_organisation']}"
    return "name:" + " ".join(row["provider_name"].lower().split())


def _overlaps(rows: list[dict[str, Any]]) -> dict[Any, tuple[str, list[str], Any]]:
    """child id -> (explanation, facts, plan id) for children with an overlap."""
    by_child: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_child[row["plan__child"]][row["purpose"]].append(row)
    found = {}
    for child_id, purposes in by_child.items():
        sentences, facts, plan_id = [], [], None
        for purpose, items in purposes.items():
            providers = {_provider_key(row) for row in items}
            if len(providers) < 2:
                continue
            parts = []
            for row in items:
                provider = row["provider_organisation__name"] or row["provider_name"]
                if row["status"] == InterventionStatus.STARTED:
                    when = f"started {_day(row['starts_on'])}"
                else:
                    when = f"planned from {_day(row['starts_on'])}"
                parts.append(f"{row['service']} ({provider}, {when})")
                facts.append(str(row["pk"]))
                plan_id = row["plan"]
            sentences.append(
                f"{Purpose(purpose).label} from {len(providers)} organisations: {_and(parts)}"
            )
        if sentences:
            found[child_id] = ("; ".join(sentences) + ".", sorted(facts), plan_id)
    return found


def _repeat_rows(children: QuerySet[Child], *, since: date, at_least: int) -> list[dict[str, Any]]:
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    in_window = Referral.objects.filter(submitted_at__gte=start).exclude(
        status=ReferralStatus.NOT_ELIGIBLE
    )
    often = (
        in_window.filter(child__in=children.values("pk"))
        .values("child")
        .annotate(agencies=Count("referring_organisation", distinct=True))
        .filter(agencies__gte=at_least)
        .values("child")
    )
    rows: Any = (
        in_window.filter(child__in=often)
        .order_by("submitted_at")
        .values(
            "pk", "child", "submitted_at", "referring_organisation", "referring_organisation__name"
        )
    )
    return list(rows)


def _after(queryset: QuerySet[Any], date_field: str, day: date) -> QuerySet[Any]:
    """Of these records, those dated after `day` (a moment: after the end of that day)."""
    if isinstance(queryset.query.resolve_ref(date_field).output_field, DateTimeField):
        start = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
        return queryset.filter(**{f"{date_field}__gte": start})
    return queryset.filter(**{f"{date_field}__gt": day})


def _gap_rows(
    children: QuerySet[Child], *, today: date, fewest_weeks: int = 0
) -> list[dict[str, Any]]:
    """Children referred or with an open plan, no support started and not on an upcoming
    agenda, with the latest date of each kind of contact. A child with any contact in the
    shortest number of weeks any panel sets (`fewest_weeks`) cannot be flagged, so is left out
    in the query: the latest dates are then read for the few that may be."""
    latest_referral_at = Subquery(_live_referrals().values("submitted_at")[:1])
    ended_since = Exists(
        Plan.objects.filter(
            child=OuterRef("pk"),
            status=PlanStatus.CLOSED,
            created_at__gte=OuterRef("latest_referral_at"),
        )
    ) | Exists(
        Decision.objects.filter(
            item__child=OuterRef("pk"),
            superseded_at__isnull=True,
            outcome__in=FINAL_OUTCOMES,
            created_at__gte=OuterRef("latest_referral_at"),
        )
    )
    started = Intervention.objects.filter(
        plan__child=OuterRef("pk"),
        plan__status=PlanStatus.OPEN,
        status=InterventionStatus.STARTED,
    )
    upcoming = AgendaItem.objects.filter(
        child=OuterRef("pk"), removed_at__isnull=True, meeting__starts_at__gt=timezone.now()
    )
    sources = _contact_sources(today)
    recent: Any = Q(pk__in=[])
    if fewest_weeks:
        since = today - timedelta(weeks=fewest_weeks)
        for _, _, queryset, date_field in sources:
            recent |= Exists(_after(queryset, date_field, since))
    contacts = {
        f"contact_{name}": _latest(queryset, date_field)
        for name, _, queryset, date_field in sources
    }
    return list(
        children.exclude(recent)
        .annotate(
            latest_referral_at=latest_referral_at,
            open_plan=Subquery(_open_plan().values("pk")[:1]),
        )
        .annotate(ended_since=ended_since)
        .filter(Q(open_plan__isnull=False) | Q(latest_referral_at__isnull=False, ended_since=False))
        .exclude(Exists(started))
        .exclude(Exists(upcoming))
        .annotate(**contacts)
        .order_by()
        .values("pk", "open_plan", "latest_referral_at", *contacts)
    )


def _last_contact(row: dict[str, Any]) -> tuple[date | None, str]:
    best: tuple[date | None, str] = (None, "")
    for name in CONTACT_WORDS:
        day = _as_date(row.get(f"contact_{name}"))
        if day is not None and (best[0] is None or day > best[0]):
            best = (day, name)
    return best


# Putting it together ------------------------------------------------------------------------


@dataclass
class FlaggedChild:
    child: Child
    flags: list[Flag]
    may_look: bool = False


def current_settings() -> tuple[Thresholds, dict[Any, Thresholds]]:
    partnership = Thresholds()
    panels: dict[Any, Thresholds] = {}
    rows = list(TrackingSettings.objects.all())
    for row in rows:
        if row.panel_id is None:
            partnership = Thresholds(row.gap_weeks, row.repeat_agencies, row.repeat_months)
    for row in rows:
        if row.panel_id is not None:
            panels[row.panel_id] = Thresholds(row.gap_weeks, row.repeat_agencies, row.repeat_months)
    return partnership, panels


def flagged_children(
    viewer: Any, *, children: QuerySet[Child] | None = None, today: date | None = None
) -> list[FlaggedChild]:
    """Every flag on the children the viewer may see (or on `children`, within those), with
    what the page shows of each child. A fixed number of queries."""
    today = today or timezone.localdate()
    scope = children_in_view(viewer)
    if children is not None:
        scope = scope.filter(pk__in=children.values("pk"))
    partnership, per_panel = current_settings()
    everywhere = [partnership, *per_panel.values()]
    widest = max(t.repeat_months for t in everywhere)
    fewest = min(t.repeat_agencies for t in everywhere)

    overlaps = _overlaps(_overlap_rows(scope))
    repeats: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in _repeat_rows(scope, since=months_before(today, widest), at_least=fewest):
        repeats[row["child"]].append(row)
    fewest_weeks = min(t.gap_weeks for t in everywhere)
    gaps = {row["pk"]: row for row in _gap_rows(scope, today=today, fewest_weeks=fewest_weeks)}

    candidates = set(overlaps) | set(repeats) | set(gaps)
    if not candidates:
        return []
    coordinated = coordinated_panels(viewer)
    children_rows = {
        child.pk: child
        for child in Child.objects.filter(pk__in=candidates)
        .only("reference", "pseudonym_code", "given_name", "family_name", "preferred_name")
        .annotate(
            shows_name=Exists(children_identified_to(viewer).filter(pk=OuterRef("pk"))),
            panel_id=_panel_of(),
            open_plan_id=Subquery(_open_plan().values("pk")[:1]),
            # The latest referral to a panel the viewer coordinates: what they can open.
            their_referral_id=Subquery(
                _live_referrals().filter(panel__in=coordinated).values("pk")[:1]
            ),
            coordinates_case=Exists(
                Referral.objects.filter(child=OuterRef("pk"), panel__in=coordinated).exclude(
                    status=ReferralStatus.NOT_ELIGIBLE
                )
            )
            | Exists(Plan.objects.filter(child=OuterRef("pk"), panel__in=coordinated)),
            referred_by=Subquery(_live_referrals().values("referring_organisation__name")[:1]),
            decided_at=Subquery(
                Decision.objects.filter(item__child=OuterRef("pk"), superseded_at__isnull=True)
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
            decided=Subquery(
                Decision.objects.filter(item__child=OuterRef("pk"), superseded_at__isnull=True)
                .order_by("-created_at")
                .values("outcome")[:1]
            ),
        )
        .order_by()
    }
    looks: dict[tuple[Any, str], FlagLook] = {
        (look.child_id, look.kind): look
        for look in FlagLook.objects.filter(
            child__in=list(children_rows), undone_at__isnull=True
        ).select_related("looked_by")
    }
    may_look = has_role(viewer, Role.PANEL_COORDINATOR)
    result = []
    for child_id, child in children_rows.items():
        any_child: Any = child
        thresholds = per_panel.get(any_child.panel_id, partnership)
        flags = []
        if child_id in overlaps:
            explanation, facts, plan_id = overlaps[child_id]
            flags.append(
                Flag(FlagKind.OVERLAP, child_id, explanation, facts, _overlap_links(child, plan_id))
            )
        if child_id in repeats:
            flag = _repeat_flag(any_child, repeats[child_id], thresholds, today=today)
            if flag is not None:
                flags.append(flag)
        if child_id in gaps:
            flag = _gap_flag(any_child, gaps[child_id], thresholds, today=today)
            if flag is not None:
                flags.append(flag)
        for flag in flags:
            flag.panel_id = any_child.panel_id
            flag.look = looks.get((child_id, flag.kind))
            flag.links.insert(
                0,
                Link(
                    "See the child's record",
                    "children:child_detail",
                    (("reference", child.reference),),
                ),
            )
        if flags:
            # Only a coordinator of the child's panel marks a flag; others read the note.
            result.append(FlaggedChild(child, flags, may_look and any_child.coordinates_case))
    result.sort(key=lambda row: (row.child.family_name, row.child.given_name, row.child.reference))
    return result


def _plan_link(child: Any, plan_id: Any, label: str) -> Link:
    return Link(label, "plans:plan_detail", (("reference", child.reference), ("plan_id", plan_id)))


def _overlap_links(child: Any, plan_id: Any) -> list[Link]:
    return [_plan_link(child, plan_id, "Agree on the plan who does what")]


def _referral_links(child: Any, *, agenda: bool) -> list[Link]:
    if child.their_referral_id is None:
        return []
    links = [
        Link(
            "Read the referral",
            "referrals:referral_review",
            (("referral_id", child.their_referral_id),),
        )
    ]
    if agenda:
        links.append(
            Link(
                "Put the case on an agenda",
                "panels:agenda_add",
                (("referral_id", child.their_referral_id),),
            )
        )
    return links


def _repeat_flag(
    child: Any, rows: list[dict[str, Any]], thresholds: Thresholds, *, today: date
) -> Flag | None:
    since = months_before(today, thresholds.repeat_months)
    rows = [row for row in rows if (_as_date(row["submitted_at"]) or since) >= since]
    names: dict[Any, str] = {}
    for row in rows:
        names.setdefault(row["referring_organisation"], row["referring_organisation__name"])
    if len(names) < thresholds.repeat_agencies:
        return None
    first = _as_date(rows[0]["submitted_at"])
    assert first is not None
    times = f"{len(rows)} times" if len(rows) > 1 else "once"
    span = span_in_words((today - first).days)
    explanation = f"Referred {times} in {span} by {_and(list(names.values()))}"
    decided_at = _as_date(child.decided_at)
    if child.open_plan_id:
        explanation += "; a plan is open"
    elif child.decided and decided_at is not None and decided_at >= first:
        label = DecisionOutcome(child.decided).label
        explanation += f"; the panel decided: {label} ({_day(decided_at)})"
    else:
        explanation += "; no panel decision yet"
    links: list[Link] = []
    if child.open_plan_id:
        links.append(_plan_link(child, child.open_plan_id, "See the plan"))
    links.extend(_referral_links(child, agenda=not child.open_plan_id and not child.decided))
    return Flag(
        FlagKind.REPEAT,
        child.pk,
        explanation + ".",
        sorted(str(row["pk"]) for row in rows),
        links,
    )


def _gap_flag(
    child: Any, row: dict[str, Any], thresholds: Thresholds, *, today: date
) -> Flag | None:
    last, source = _last_contact(row)
    cutoff = today - timedelta(weeks=thresholds.gap_weeks)
    if last is not None and last > cutoff:
        return None
    if row["open_plan"]:
        start = "A plan is open but no support has started"
        links = [_plan_link(child, row["open_plan"], "Arrange support on the plan")]
    else:
        referred = _as_date(row["latest_referral_at"])
        by = f" by {child.referred_by}" if child.referred_by else ""
        start = f"Referred{by} on {_day(referred)}" if referred else "Referred"
        start += ", not on an agenda and no support has started"
        links = _referral_links(child, agenda=True)
    if last is None:
        since = "nothing else has been recorded"
    else:
        since = (
            f"nothing has been recorded for {span_in_words((today - last).days)} "
            f"(the last was {CONTACT_WORDS[source]}, on {_day(last)})"
        )
    return Flag(
        FlagKind.GAP,
        child.pk,
        f"{start}; {since}.",
        [f"{source}:{last.isoformat() if last else ''}"],
        links,
    )


def count_by_kind(rows: Iterable[FlaggedChild]) -> dict[str, int]:
    counts = dict.fromkeys(FlagKind.values, 0)
    for row in rows:
        for flag in row.flags:
            if not flag.quiet:
                counts[flag.kind] += 1
    return counts
