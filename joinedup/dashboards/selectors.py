"""The reads behind the dashboards that the apps they build on do not already offer. The
keyworker's dashboard needs none: it calls plans.selectors.caseload and
actions.selectors.actions_for_owner. Each read here costs a fixed number of queries, however
many records there are."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.assessments.models import Assessment, AssessmentStatus
from joinedup.children.need_to_know import children_identified_to
from joinedup.consent import rules as consent_rules
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.core import audit
from joinedup.dashboards.figures import Figure, figure, rate, with_total
from joinedup.organisations.models import Locality
from joinedup.panels import pipeline, quorum
from joinedup.panels.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Contribution,
    Meeting,
    Panel,
    PanelMember,
    PanelRole,
    PipelineCase,
)
from joinedup.plans.models import Outcome, Plan, PlanStatus
from joinedup.referrals.models import Referral

# The keyworker's reviews coming up; the coordinator's consents, packs and waiting referrals.
REVIEWS_AHEAD_DAYS = 28
CONSENT_AHEAD_DAYS = consent_rules.EXPIRING_SOON.days
PACKS_AHEAD_DAYS = 21
REFERRAL_WAITING_DAYS = 14
# Lists on a dashboard show this many, longest waiting first, and say how many more there are.
DASHBOARD_LIST_LIMIT = 20
# The chair's and steering groups' figures look back this far.
YEAR = timedelta(days=365)
# What a keyworker, coordinator or service needs consent for once a case is under way; the
# consent to assessment matters only before it.
WATCHED_SCOPES = (Scope.PANEL_DISCUSSION, Scope.CONTACT, Scope.SHARE)


class Shown(list[Any]):
    """The records a dashboard shows (a list, so each is audited) and how many there are in
    all (`total`): the dashboard says "and 12 more" rather than loading them all."""

    def __init__(self, rows: Iterable[Any], total: int) -> None:
        super().__init__(rows)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def _coordinated(viewer: Any) -> Any:
    return PanelMember.objects.panels_coordinated_by(viewer)


def _shows_name(viewer: Any, child_field: str = "child") -> Exists:
    # joinedup.children.need_to_know decides, here as on every page that shows a child.
    return Exists(children_identified_to(viewer).filter(pk=OuterRef(child_field)))


def _case_open(child_field: str = "child") -> Any:
    """An open plan, or a place on the agenda of a meeting still to come: consent that has
    lapsed stops the work then."""
    return ExpressionWrapper(_open_plan_or_agenda(child_field), output_field=BooleanField())


def _open_plan_or_agenda(child_field: str) -> Any:
    return Exists(
        Plan.objects.filter(child=OuterRef(child_field), status=PlanStatus.OPEN)
    ) | Exists(
        AgendaItem.objects.filter(
            child=OuterRef(child_field),
            removed_at__isnull=True,
            meeting__starts_at__gte=timezone.now(),
        )
    )


# The coordinator's consents.


@dataclass(frozen=True)
class ConsentAlert:
    what: str
    ends_on: date
    expired: bool


def _alerts(records: list[ConsentRecord], *, today: date, case_open: bool) -> list[ConsentAlert]:
    alerts = []
    for standing in consent_rules.standings(records, today=today):
        if standing.is_in_force:
            ends = standing.expires_on()
            if ends is not None and standing.expiring_soon(today):
                alerts.append(ConsentAlert(standing.label, ends, expired=False))
        elif (
            case_open
            and standing.expired
            # Withdrawn consent is the family's choice, not a date that slipped by.
            and not (standing.withdrawn or standing.stopped_by_withdrawal)
        ):
            ends = max(r.expires_on for r in standing.expired if r.expires_on is not None)
            alerts.append(ConsentAlert(standing.label, ends, expired=True))
    return alerts


@audit.audited_read(fields=("consent",))
def consents_to_renew(*, viewer: Any, limit: int = DASHBOARD_LIST_LIMIT) -> Shown:
    """The children referred to the panels the viewer coordinates whose consent to panel
    discussion, to contact or to sharing expires in the next 30 days, or has expired while
    their case is open (`_case_open`), judged by the consent rules the consent page uses;
    expired first, then the soonest. Each child carries `alerts` and `shows_name`."""
    today = timezone.localdate()
    horizon = today + timedelta(days=CONSENT_AHEAD_DAYS)
    referred = Referral.objects.filter(panel__in=_coordinated(viewer)).values("child")
    ending = ConsentRecord.objects.filter(
        Q(expires_on__gt=today, expires_on__lte=horizon)
        | (Q(expires_on__lte=today) & _open_plan_or_agenda("child")),
        child__in=referred,
        scope__in=WATCHED_SCOPES,
        withdrawn_on__isnull=True,
    )
    records: list[Any] = list(
        ConsentRecord.objects.filter(
            child__in=ending.values("child"),
            child__merged_into__isnull=True,
            scope__in=WATCHED_SCOPES,
        )
        .select_related("child", "household_member", "organisation")
        .annotate(shows_name=_shows_name(viewer), case_open=_case_open())
    )
    by_child: dict[Any, list[Any]] = defaultdict(list)
    for record in records:
        by_child[record.child_id].append(record)
    children = []
    for given in by_child.values():
        alerts = _alerts(given, today=today, case_open=given[0].case_open)
        if alerts:
            child: Any = given[0].child
            child.alerts = sorted(alerts, key=lambda a: (not a.expired, a.ends_on))
            child.shows_name = given[0].shows_name
            children.append(child)
    children.sort(key=lambda c: (not c.alerts[0].expired, c.alerts[0].ends_on, c.reference))
    return Shown(children[:limit], total=len(children))


# The coordinator's packs and waiting referrals.


def _count(queryset: QuerySet[Any], group_by: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


@audit.audit_exempt(reason="Meeting dates and counts of cases and written views; no child's data.")
def packs_to_build(*, viewer: Any) -> list[Meeting]:
    """The meetings of the panels the viewer coordinates in the next 21 days, soonest first,
    each with `cases` on its agenda, `without_assessment` (cases whose child has no completed
    assessment, which the pack would lack) and `contributions` (written views received)."""
    now = timezone.now()
    items = AgendaItem.objects.filter(meeting=OuterRef("pk"), removed_at__isnull=True)
    completed = Assessment.objects.filter(
        child=OuterRef("child"), status=AssessmentStatus.COMPLETED
    )
    views = Contribution.objects.filter(
        agenda_item__meeting=OuterRef("pk"),
        agenda_item__removed_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    return list(
        Meeting.objects.filter(
            panel__in=_coordinated(viewer),
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=PACKS_AHEAD_DAYS),
        )
        .select_related("panel")
        .annotate(
            cases=_count(items, "meeting"),
            without_assessment=_count(items.exclude(Exists(completed)), "meeting"),
            contributions=_count(views, "agenda_item__meeting"),
        )
        .order_by("starts_at")
    )


@audit.audited_read(fields=("child", "submitted_at"))
def referrals_waiting(*, viewer: Any, limit: int = DASHBOARD_LIST_LIMIT) -> Shown:
    """Referrals to the panels the viewer coordinates, received more than 14 days ago and not
    on an agenda since (nor followed by a later referral of the child, nor by a plan): the
    longest waiting first, each with `shows_name`."""
    cutoff = timezone.now() - timedelta(days=REFERRAL_WAITING_DAYS)
    # The pipeline's cases still at "referred": not on an agenda, decided or with a plan since.
    waiting = pipeline.referrals_waiting().filter(
        panel__in=_coordinated(viewer), submitted_at__lt=cutoff
    )
    shown = list(
        waiting.select_related("child", "panel")
        .annotate(shows_name=_shows_name(viewer))
        .order_by("submitted_at", "pk")[:limit]
    )
    return Shown(shown, total=waiting.count())


# The chair's panels.


@dataclass(frozen=True)
class AgencyActions:
    """One agency's actions for a panel: open and overdue now; of those due in the last 12
    months (cancelled ones left out, as in the panel's action report), how many were done."""

    organisation: str
    open: int
    overdue: int
    due: int
    done: int

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.done / self.due) if self.due else None


@dataclass(frozen=True)
class AgencyAttendance:
    """One agency at a panel's meetings of the last 12 months: at how many it had a seat, and at
    how many someone from it was in the room, it sent apologies, or nobody came."""

    organisation: str
    meetings: int
    present: int
    apologies: int
    absent: int


@dataclass(frozen=True)
class QuorumProblem:
    meeting: Meeting
    summary: str


@dataclass
class ChairedPanel:
    panel: Panel
    actions: list[AgencyActions] = field(default_factory=list)
    attendance: list[AgencyAttendance] = field(default_factory=list)
    meetings_held: int = 0
    quorum_problems: list[QuorumProblem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(agency.overdue for agency in self.actions)


def _agency_actions(panels: list[Panel], today: date) -> dict[Any, list[AgencyActions]]:
    since = today - YEAR
    due_in_year = Q(due_on__gte=since, due_on__lte=today)
    rows = (
        Action.objects.filter(panel__in=panels)
        .exclude(status=ActionStatus.CANCELLED)
        .values("panel", "organisation__name")
        .annotate(
            open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_on__lt=today)),
            due=Count("pk", filter=due_in_year),
            done=Count("pk", filter=due_in_year & Q(status=ActionStatus.DONE)),
        )
        .order_by("panel", "-overdue", "organisation__name")
    )
    found: dict[Any, list[AgencyActions]] = defaultdict(list)
    for row in rows:
        if row["open"] or row["due"]:
            found[row["panel"]].append(
                AgencyActions(
                    organisation=row["organisation__name"],
                    open=row["open"],
                    overdue=row["overdue"],
                    due=row["due"],
                    done=row["done"],
                )
            )
    return found


def _tally_attendance(entries: list[Attendance]) -> list[AgencyAttendance]:
    """Per agency, per meeting: present if anyone from it was in the room (a member, or a
    deputy in a member's place), else apologies if anyone sent them, else absent."""
    seen: dict[tuple[str, Any], str] = {}
    rank = {"present": 2, "apologies": 1, "absent": 0}
    for entry in entries:
        if entry.status == AttendanceStatus.PRESENT:
            outcomes = [(entry.member.organisation.name, "present")]
        elif entry.status == AttendanceStatus.DEPUTY and entry.deputy is not None:
            outcomes = [(entry.deputy.organisation.name, "present")]
            if entry.deputy.organisation_id != entry.member.organisation_id:
                outcomes.append((entry.member.organisation.name, "apologies"))
        elif entry.status == AttendanceStatus.APOLOGIES:
            outcomes = [(entry.member.organisation.name, "apologies")]
        else:
            outcomes = [(entry.member.organisation.name, "absent")]
        for name, outcome in outcomes:
            key = (name, entry.meeting_id)
            if key not in seen or rank[outcome] > rank[seen[key]]:
                seen[key] = outcome
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(rank, 0))
    for (name, _), outcome in seen.items():
        tallies[name][outcome] += 1
    return [
        AgencyAttendance(
            organisation=name,
            meetings=sum(tally.values()),
            present=tally["present"],
            apologies=tally["apologies"],
            absent=tally["absent"],
        )
        for name, tally in sorted(tallies.items())
    ]


@audit.audit_exempt(
    reason="Figures per agency, meeting dates and quorum; no child's data and no one's name."
)
def chaired_panels(*, viewer: Any) -> list[ChairedPanel]:
    """Each panel the viewer chairs now, with its actions by agency, attendance by agency over
    the last 12 months and the meetings of those months that were not quorate (attendance not
    recorded counts: a meeting without it cannot show it was). Four queries."""
    panels = list(
        Panel.objects.filter(
            pk__in=PanelMember.objects.current()
            .filter(user=viewer, role=PanelRole.CHAIR)
            .values("panel")
        )
        .select_related("quorum_rule")
        .order_by("name")
    )
    if not panels:
        return []
    now = timezone.now()
    today = timezone.localdate()
    actions = _agency_actions(panels, today)
    meetings = list(
        Meeting.objects.filter(panel__in=panels, starts_at__gte=now - YEAR, starts_at__lte=now)
        .select_related("panel")
        .order_by("-starts_at")
    )
    entries = list(
        Attendance.objects.filter(
            meeting__panel__in=panels,
            meeting__starts_at__gte=now - YEAR,
            meeting__starts_at__lte=now,
        ).select_related(
            "member__organisation",
            "member__deputy_for",
            "deputy__organisation",
            "deputy__deputy_for",
        )
    )
    by_meeting: dict[Any, list[Attendance]] = defaultdict(list)
    for entry in entries:
        by_meeting[entry.meeting_id].append(entry)
    result = []
    for panel in panels:
        rule = getattr(panel, "quorum_rule", None) or quorum.default_rule(panel)
        held = [meeting for meeting in meetings if meeting.panel_id == panel.pk]
        problems = []
        for meeting in held:
            state = quorum.assess(rule, by_meeting.get(meeting.pk, []))
            if not state.quorate:
                problems.append(QuorumProblem(meeting, state.summary))
        result.append(
            ChairedPanel(
                panel=panel,
                actions=actions.get(panel.pk, []),
                attendance=_tally_attendance(
                    [entry for meeting in held for entry in by_meeting.get(meeting.pk, [])]
                ),
                meetings_held=len(held),
                quorum_problems=problems,
            )
        )
    return result


# The steering groups' figures: counts only, small ones suppressed (figures.py).


@dataclass(frozen=True)
class Quarter:
    starts_on: date
    label: str
    so_far: bool


@dataclass(frozen=True)
class AgencyCompletion:
    organisation: str
    due: Figure
    done: Figure

    @property
    def rate(self) -> int | None:
        return rate(self.done, self.due)


@dataclass(frozen=True)
class SteeringFigures:
    locality: Locality | None
    quarters: list[tuple[Quarter, Figure]]
    referrals_total: Figure
    stages: list[tuple[str, str, Figure]]
    cases_total: Figure
    reviews_overdue: Figure
    plans_opened: Figure
    plans_open_now: Figure
    closed_by_outcome: list[tuple[str, Figure]]
    plans_closed: Figure
    actions: list[AgencyCompletion]

    @property
    def area(self) -> str:
        return self.locality.name if self.locality else "the whole city"


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters(today: date) -> list[Quarter]:
    """The current quarter and the three before it: the last 12 months, by quarter."""
    starts = [_quarter_start(today)]
    for _ in range(3):
        starts.append(_quarter_start(starts[-1] - timedelta(days=1)))
    quarters = []
    for start in reversed(starts):
        end = _quarter_start(start + timedelta(days=95)) - timedelta(days=1)
        label = f"{start:%B} to {end:%B %Y}"
        quarters.append(Quarter(start, label, so_far=start == starts[0]))
    return quarters


def _referrals_by_quarter(
    referrals: QuerySet[Referral], quarters: list[Quarter]
) -> tuple[list[tuple[Quarter, Figure]], Figure]:
    first = timezone.make_aware(datetime.combine(quarters[0].starts_on, datetime.min.time()))
    counts: dict[tuple[int, int], int] = {}
    for row in (
        referrals.filter(submitted_at__gte=first)
        .annotate(quarter=TruncQuarter("submitted_at"))
        .values("quarter")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        began = row["quarter"]
        counts[(began.year, began.month)] = counts.get((began.year, began.month), 0) + row["n"]
    figures, total = with_total(
        counts.get((q.starts_on.year, q.starts_on.month), 0) for q in quarters
    )
    return list(zip(quarters, figures, strict=True)), total


@audit.audit_exempt(
    reason="Counts for a locality or the city, any from 1 to 4 suppressed; never a child."
)
def steering_figures(*, locality: Locality | None) -> SteeringFigures:
    """The steering groups' figures for one locality (children living there; actions of the
    panels serving it) or the whole city. Five queries."""
    today = timezone.localdate()
    referrals = Referral.objects.all()
    plans = Plan.objects.all()
    actions = Action.objects.all()
    if locality is not None:
        referrals = referrals.filter(child__locality=locality)
        plans = plans.filter(child__locality=locality)
        actions = actions.filter(panel__localities=locality)

    quarters, referrals_total = _referrals_by_quarter(referrals, _quarters(today))

    cases = PipelineCase.objects.all()
    if locality is not None:
        cases = cases.filter(child__locality=locality)
    counts = pipeline.stage_counts(pipeline.in_view(cases))
    stage_figures, cases_total = with_total(counts[stage] for stage in pipeline.STAGES)
    stages = [
        (stage, label, shown)
        for (stage, label), shown in zip(pipeline.STAGES.items(), stage_figures, strict=True)
    ]

    since = today - YEAR
    plan_counts = plans.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=since)),
        open_now=Count("pk", filter=Q(status=PlanStatus.OPEN)),
    )
    closed = dict(
        plans.filter(status=PlanStatus.CLOSED, closed_on__gte=since)
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("outcome", "n")
    )
    outcome_figures, plans_closed = with_total(closed.get(o, 0) for o in Outcome.values)

    rows = (
        actions.filter(due_on__gte=since, due_on__lte=today)
        .exclude(status=ActionStatus.CANCELLED)
        .values("organisation__name")
        .annotate(due=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
        .order_by("organisation__name")
    )
    return SteeringFigures(
        locality=locality,
        quarters=quarters,
        referrals_total=referrals_total,
        stages=stages,
        cases_total=cases_total,
        reviews_overdue=figure(counts[pipeline.OVERDUE]),
        plans_opened=figure(plan_counts["opened"]),
        plans_open_now=figure(plan_counts["open_now"]),
        closed_by_outcome=list(zip(Outcome.labels, outcome_figures, strict=True)),
        plans_closed=plans_closed,
        actions=[
            AgencyCompletion(row["organisation__name"], figure(row["due"]), figure(row["done"]))
            for row in rows
        ],
    )
