"""Where each of a coordinator's cases stands, from referral to closure, worked out in SQL.

A case is a child referred to a panel the coordinator coordinates, counted once: the child's
latest referral to those panels (not one found not eligible) stands for the case. Its stage is
the furthest step reached since that referral:

- plan: the child has an open integrated support plan;
- closed: the plan opened after the referral was closed in the last 90 days;
- decided: the panel decided on the latest agenda item (any outcome, a deferral included) and
  no plan followed; a decision that ends the panel's part (signposting, no further action,
  safeguarding) leaves the pipeline 90 days after it was made, as a closed plan does;
- agenda: the case is on an agenda (the latest meeting it is on) without a decision yet;
- referred: none of these yet.

Every step is a subquery of one query, so the page costs the same number of queries for 5
cases as for 2,000, and nothing is worked out row by row in Python. `since` is the day the case
entered its stage; the longest waiting come first."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from joinedup.children.need_to_know import identities_seen
from joinedup.consent import rules as consent_rules
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome, PanelMember
from joinedup.plans.models import Outcome as PlanOutcome
from joinedup.plans.models import Plan, PlanStatus
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus

RECENT_DAYS = 90

REFERRED = "referred"
AGENDA = "agenda"
DECIDED = "decided"
PLAN = "plan"
CLOSED = "closed"
GONE = "gone"

# The stages in the order a case moves through them, with the words the page uses.
STAGES: dict[str, str] = {
    REFERRED: "Referred",
    AGENDA: "On an agenda",
    DECIDED: "Decided",
    PLAN: "Plan open",
    CLOSED: "Closed recently",
}
# Filters beyond the stages: every case, and open plans whose review date has passed.
ALL = "all"
OVERDUE = "overdue"
FILTERS: dict[str, str] = {ALL: "All open cases", **STAGES, OVERDUE: "Review overdue"}
# Outcomes after which the panel has nothing more to do for the case.
FINAL_OUTCOMES = (
    DecisionOutcome.SIGNPOST,
    DecisionOutcome.NO_FURTHER_ACTION,
    DecisionOutcome.SAFEGUARDING,
)


def _referrals_to_panels_of(viewer: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(
        panel__in=PanelMember.objects.panels_coordinated_by(viewer),
        child__merged_into__isnull=True,
    ).exclude(status=ReferralStatus.NOT_ELIGIBLE)


def _latest_item(*, nested: bool = False) -> QuerySet[AgendaItem]:
    """The case's place on its panel's agendas since the referral: the agenda item added last
    and not taken off (after a deferral, the later meeting's). `nested`: inside another
    subquery of the case."""

    def case(name: str) -> OuterRef:
        return OuterRef(OuterRef(name)) if nested else OuterRef(name)

    return AgendaItem.objects.filter(
        Q(referral=case("pk")) | Q(created_at__gte=case("submitted_at")),
        child=case("child"),
        meeting__panel=case("panel"),
        removed_at__isnull=True,
    ).order_by("-created_at")


def _current_decision() -> QuerySet[Decision]:
    """The panel's current decision on the case's latest agenda item."""
    return Decision.objects.filter(
        item=Subquery(_latest_item(nested=True).values("pk")[:1]), superseded_at__isnull=True
    ).order_by()


def _open_plan() -> QuerySet[Plan]:
    return Plan.objects.filter(child=OuterRef("child"), status=PlanStatus.OPEN).order_by()


def _plan() -> QuerySet[Plan]:
    """The child's open plan, or else the latest plan opened since the referral."""
    return Plan.objects.filter(
        Q(status=PlanStatus.OPEN) | Q(created_at__gte=OuterRef("submitted_at")),
        child=OuterRef("child"),
    ).order_by("-status", "-closed_on", "-created_at")  # "open" sorts after "closed"


def _stage_and_since() -> tuple[Any, Any]:
    """SQL for each case's stage and the time it entered it. Each source (plan, decision,
    agenda) is one subquery that answers its own part, so the database looks each up once per
    case rather than once per condition."""
    today = timezone.localdate()
    recent = today - timedelta(days=RECENT_DAYS)
    plan_stage = _plan().annotate(
        stage=Case(
            When(status=PlanStatus.OPEN, then=Value(PLAN)),
            When(closed_on__gte=recent, then=Value(CLOSED)),
            default=Value(GONE),
        )
    )
    plan_since = _plan().annotate(
        since=Cast(
            Case(When(status=PlanStatus.OPEN, then=F("opened_on")), default=F("closed_on")),
            DateTimeField(),
        )
    )
    decision_stage = _current_decision().annotate(
        stage=Case(
            When(
                outcome__in=FINAL_OUTCOMES,
                created_at__lt=timezone.now() - timedelta(days=RECENT_DAYS),
                then=Value(GONE),
            ),
            default=Value(DECIDED),
        )
    )
    stage = Coalesce(
        Subquery(plan_stage.values("stage")[:1]),
        Subquery(decision_stage.values("stage")[:1]),
        Case(When(Exists(_latest_item()), then=Value(AGENDA)), default=Value(REFERRED)),
        output_field=CharField(),
    )
    since = Coalesce(
        Subquery(plan_since.values("since")[:1]),
        Subquery(_current_decision().values("created_at")[:1]),
        Subquery(_latest_item().values("created_at")[:1]),
        F("submitted_at"),
        output_field=DateTimeField(),
    )
    return stage, since


def _referrals_latest_per_child(viewer: Any) -> QuerySet[Referral]:
    latest = (
        _referrals_to_panels_of(viewer)
        .filter(child=OuterRef("child"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    return _referrals_to_panels_of(viewer).filter(pk=Subquery(latest))


def _with_stage(referrals: QuerySet[Referral]) -> Any:
    """`stage`, `since` (when the case entered its stage) and `overdue` on each case; cases
    that left the pipeline are taken out."""
    stage, since = _stage_and_since()
    overdue = Exists(_open_plan().filter(next_review_on__lt=timezone.localdate()))
    return (
        referrals.annotate(stage=stage, since=since, overdue=overdue).exclude(stage=GONE).order_by()
    )


def cases(viewer: Any) -> Any:
    # Typed Any: the stubs cannot see the annotations that the filters below use.
    """One row per case of the panels `viewer` coordinates, with `stage`, `since` and
    `overdue`; cases that left the pipeline are not there."""
    return _with_stage(_referrals_latest_per_child(viewer))


def _filtered(viewer: Any, stage: str) -> Any:
    rows = cases(viewer)
    if stage == OVERDUE:
        return rows.filter(stage=PLAN, overdue=True)
    if stage in STAGES:
        return rows.filter(stage=stage)
    return rows


def stage_counts(viewer: Any) -> dict[str, int]:
    """Cases per stage, with ALL and OVERDUE, in one query."""
    found = {key: 0 for key in FILTERS}
    for row in cases(viewer).values("stage", "overdue").annotate(cases=Count("pk")).order_by():
        found[row["stage"]] += row["cases"]
        found[ALL] += row["cases"]
        if row["stage"] == PLAN and row["overdue"]:
            found[OVERDUE] += row["cases"]
    return found


class _Counted(Sequence[Any]):
    """The filtered cases for Django's paginator, with their number already known from
    `stage_counts`, so paging does not count them again."""

    def __init__(self, rows: QuerySet[Referral, Any], total: int) -> None:
        self.rows = rows
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return list(self.rows[index]) if isinstance(index, slice) else self.rows[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


class PipelinePage(list[Referral]):
    """The cases on one page (a list of referrals, so each is audited), with Django's page for
    the pager."""

    def __init__(self, rows: list[Referral], page: Page[Any]) -> None:
        super().__init__(rows)
        self.page = page


def page_of(
    viewer: Any,
    *,
    stage: str,
    page: int | str,
    per_page: int,
    counts: dict[str, int] | None = None,
) -> PipelinePage:
    """One page of cases, longest in their stage first. Sorting needs every case's stage, so
    the page's case ids come from one query over all of them; what the page shows about each
    case comes from a second query over the page's cases only."""
    stage = stage if stage in FILTERS else ALL
    total = (counts if counts is not None else stage_counts(viewer))[stage]
    ordered = (
        _filtered(viewer, stage)
        .order_by("since", "submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    current = Paginator(_Counted(ordered, total), per_page).get_page(page)
    ids = list(current.object_list)
    rows = {row.pk: row for row in _details(viewer, ids)}
    return PipelinePage([rows[pk] for pk in ids if pk in rows], current)


def _details(viewer: Any, ids: list[Any]) -> list[Referral]:
    if not ids:
        return []
    decision = _current_decision()
    plan = _plan()
    rows: list[Any] = list(
        _with_stage(Referral.objects.filter(pk__in=ids))
        .select_related("child", "child__locality", "panel")
        .annotate(
            meeting_at=Subquery(_latest_item().values("meeting__starts_at")[:1]),
            outcome=Subquery(decision.values("outcome")[:1]),
            deferred_to_at=Subquery(decision.values("deferred_to__starts_at")[:1]),
            keyworker_name=Subquery(plan.values("keyworker__full_name")[:1]),
            next_review_on=Subquery(plan.values("next_review_on")[:1]),
            closed_on=Subquery(plan.values("closed_on")[:1]),
            plan_outcome=Subquery(plan.values("outcome")[:1]),
        )
    )
    today = timezone.localdate()
    named = identities_seen(viewer, [row.child_id for row in rows])
    # Asked for every case on the page, not only the referred ones, so that the page costs
    # the same queries whichever stage it shows.
    consented = _panel_consent([row.child_id for row in rows], today=today)
    for row in rows:
        row.shows_name = row.child_id in named
        row.days_in_stage = (today - timezone.localdate(row.since)).days
        row.identity_to_check = row.identity_status in (
            IdentityStatus.TO_CHECK,
            IdentityStatus.DEFERRED,
        )
        row.awaiting_consent = row.stage == REFERRED and row.child_id not in consented
        row.outcome_label = DecisionOutcome(row.outcome).label if row.outcome else ""
        row.plan_outcome_label = PlanOutcome(row.plan_outcome).label if row.plan_outcome else ""
    return rows


def _panel_consent(child_ids: list[Any], *, today: date) -> set[Any]:
    """Which of these children have consent in force to discuss them at the panel, by the
    consent rules the consent page and the agenda use, in one query."""
    if not child_ids:
        return set()
    records: dict[Any, list[ConsentRecord]] = defaultdict(list)
    for record in ConsentRecord.objects.filter(
        child_id__in=child_ids, scope=Scope.PANEL_DISCUSSION
    ).select_related("household_member"):
        records[record.child_id].append(record)
    return {
        child_id
        for child_id, given in records.items()
        if consent_rules.standing_of(given, scope=Scope.PANEL_DISCUSSION, today=today).is_in_force
    }
