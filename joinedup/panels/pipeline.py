"""Where each of a coordinator's cases stands, from referral to closure, worked out in SQL.

A case is a child referred to a panel the coordinator coordinates, counted once: the child's
latest referral to those panels (not one found not eligible) stands for the case. Its stage is
the furthest step reached since that referral:

- plan: the child has an open integrated support plan;
- closed: the plan opened after the referral was closed in the last 90 days;
- decided: the panel decided on the latest agenda item (any outcome, a deferral included) and
  no plan followed; a decision that ends the panel's part (signposting, no further action,
  safeguarding) leaves the pipeline 90 days after it was made, as a closed plan does;
- agenda: the case is on an agenda (the agenda item added last) without a decision yet;
- referred: none of these yet.

Every step is a subquery of one query, so the page costs the same number of queries for 5
cases as for 2,000, and no stage is worked out row by row in Python. `since` is when the case
entered its stage; the longest waiting come first."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
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
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from joinedup.children.need_to_know import children_identified_to
from joinedup.consent import rules as consent_rules
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome, PanelMember
from joinedup.plans.models import Outcome as PlanOutcome
from joinedup.plans.models import Plan, PlanStatus
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus

RECENT_DAYS = 90
SEPARATOR = "|"

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
# The colour of each stage's tag (GOV.UK Frontend tag modifiers).
STAGE_COLOURS = {
    REFERRED: "grey",
    AGENDA: "blue",
    DECIDED: "purple",
    PLAN: "green",
    CLOSED: "grey",
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
    # The panels as a subquery, not a list of ids: given a list, SQLite looks up the later
    # referrals below by panel rather than by child, and the page takes seconds.
    return Referral.objects.filter(
        panel__in=PanelMember.objects.panels_coordinated_by(viewer)
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


def _stamp(moment: Any) -> Any:
    return Cast(moment, CharField())


def _stage_key() -> Any:
    """SQL for each case's "since|stage": when the case entered its stage, as text that sorts
    in time order ("2026-03-01 09:30:00.000000|agenda"), and the stage. One expression gives
    both, so sorting by it works out each case once: each source (plan, decision, agenda
    item) is one subquery answering its own part, tried in turn."""
    today = timezone.localdate()
    recent = today - timedelta(days=RECENT_DAYS)
    # Each queryset is built once and reused: building them is much of the cost of a request.
    plan, decision, item = _plan(), _current_decision(), _latest_item()
    opened_or_closed = Case(
        When(status=PlanStatus.OPEN, then=F("opened_on")), default=F("closed_on")
    )
    plan_key = plan.annotate(
        key=Concat(
            _stamp(Cast(opened_or_closed, DateTimeField())),
            Value(SEPARATOR),
            Case(
                When(status=PlanStatus.OPEN, then=Value(PLAN)),
                When(closed_on__gte=recent, then=Value(CLOSED)),
                default=Value(GONE),
            ),
            output_field=CharField(),
        )
    )
    decision_key = decision.annotate(
        key=Concat(
            _stamp("created_at"),
            Value(SEPARATOR),
            Case(
                When(
                    outcome__in=FINAL_OUTCOMES,
                    created_at__lt=timezone.now() - timedelta(days=RECENT_DAYS),
                    then=Value(GONE),
                ),
                default=Value(DECIDED),
            ),
            output_field=CharField(),
        )
    )
    item_key = item.annotate(
        key=Concat(_stamp("created_at"), Value(SEPARATOR + AGENDA), output_field=CharField())
    )
    return Coalesce(
        Subquery(plan_key.values("key")[:1]),
        Subquery(decision_key.values("key")[:1]),
        Subquery(item_key.values("key")[:1]),
        Concat(_stamp("submitted_at"), Value(SEPARATOR + REFERRED), output_field=CharField()),
        output_field=CharField(),
    )


def _since(stamp: str) -> Any:
    """The moment from the text of a key: UTC, with or without the offset."""
    moment = datetime.fromisoformat(stamp.strip())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _referrals_latest_per_child(viewer: Any) -> QuerySet[Referral]:
    """Each child's latest referral to the viewer's panels."""
    return latest_per_child(_referrals_to_panels_of(viewer))


def latest_per_child(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each child's latest referral among `referrals`: none later (or, made in the same
    instant, with a greater id). A record merged into another is not a case: its referrals
    moved to the surviving record."""
    later = referrals.filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk")),
        child=OuterRef("child"),
    )
    return referrals.filter(child__merged_into__isnull=True).exclude(Exists(later))


def _with_stage(referrals: QuerySet[Referral]) -> Any:
    """`key` ("since|stage", see `_stage_key`) and `overdue` on each case, cases that left the
    pipeline ("gone") included."""
    # Typed Any: the stubs cannot see the annotations.
    overdue = Exists(_open_plan().filter(next_review_on__lt=timezone.localdate()))
    return referrals.annotate(key=_stage_key(), overdue=overdue).order_by()


def _matches(wanted: str, stage: str, overdue: bool) -> bool:
    if wanted == OVERDUE:
        return stage == PLAN and overdue
    return wanted in (ALL, stage)


class PipelinePage(list[Referral]):
    """The cases on one page (a list of referrals, so each is audited), with Django's page for
    the pager and the number of cases at each stage (`counts`, keyed by FILTERS)."""

    def __init__(self, rows: list[Referral], page: Page[Any], counts: dict[str, int]) -> None:
        super().__init__(rows)
        self.page = page
        self.counts = counts


def page_of(viewer: Any, *, stage: str, page: int | str, per_page: int) -> PipelinePage:
    """One page of cases, longest in their stage first, and the count at each stage.

    One query works out every case's stage and sorts them all; the counts and the page are
    taken from its rows (an id, "since|stage" and the overdue flag each). Cases that left
    the pipeline come back too and are dropped here: leaving them out in SQL would work out
    each case's stage a second time. What the page shows of its cases comes from a second
    query over those only."""
    stage = stage if stage in FILTERS else ALL
    counts = dict.fromkeys(FILTERS, 0)
    chosen: list[tuple[Any, str, bool, Any]] = []
    ordered = (
        _with_stage(_referrals_latest_per_child(viewer))
        .order_by("key", "submitted_at", "pk")
        .values_list("pk", "key", "overdue")
    )
    for pk, key, overdue in ordered:
        since, _, case_stage = key.rpartition(SEPARATOR)
        if case_stage == GONE:
            continue
        counts[case_stage] += 1
        counts[ALL] += 1
        counts[OVERDUE] += case_stage == PLAN and overdue
        if _matches(stage, case_stage, overdue):
            chosen.append((pk, case_stage, overdue, since))
    current = Paginator(chosen, per_page).get_page(page)
    found = {
        pk: (case_stage, overdue, since) for pk, case_stage, overdue, since in current.object_list
    }
    rows = {row.pk: row for row in _details(viewer, found)}
    return PipelinePage([rows[pk] for pk in found if pk in rows], current, counts)


def stage_counts(referrals: QuerySet[Referral]) -> dict[str, int]:
    """The number of cases at each stage (keyed by FILTERS) of the cases that `referrals` (to
    any panels, not found not eligible) stand for, worked out as the page works them out: for
    figures across panels, such as the steering groups'. One query, however many cases."""
    counts = dict.fromkeys(FILTERS, 0)
    for key, overdue in _with_stage(latest_per_child(referrals)).values_list("key", "overdue"):
        case_stage = key.rpartition(SEPARATOR)[2]
        if case_stage == GONE:
            continue
        counts[case_stage] += 1
        counts[ALL] += 1
        counts[OVERDUE] += case_stage == PLAN and overdue
    return counts


# The columns the page shows (a referral carries long free text it does not need).
_SHOWN = (
    "child",
    "panel",
    "child__reference",
    "child__pseudonym_code",
    "child__given_name",
    "child__family_name",
    "child__preferred_name",
    "panel__name",
    "submitted_at",
    "identity_status",
)


def _details(viewer: Any, found: dict[Any, tuple[str, bool, Any]]) -> list[Referral]:
    """What the page shows of each case, with the stage, `overdue` and `since` the sorting
    query found for it."""
    if not found:
        return []
    decision = _current_decision()
    plan = _plan()
    rows: list[Any] = list(
        Referral.objects.filter(pk__in=list(found))
        .select_related("child", "panel")
        .only(*_SHOWN)
        .order_by()
        .annotate(
            meeting_at=Subquery(_latest_item().values("meeting__starts_at")[:1]),
            outcome=Subquery(decision.values("outcome")[:1]),
            deferred_to_at=Subquery(decision.values("deferred_to__starts_at")[:1]),
            keyworker_name=Subquery(plan.values("keyworker__full_name")[:1]),
            next_review_on=Subquery(plan.values("next_review_on")[:1]),
            closed_on=Subquery(plan.values("closed_on")[:1]),
            plan_outcome=Subquery(plan.values("outcome")[:1]),
            # Need to know decides whose name the page shows (joinedup.children.need_to_know).
            shows_name=Exists(children_identified_to(viewer).filter(pk=OuterRef("child"))),
        )
    )
    today = timezone.localdate()
    # Asked for every case on the page, not only the referred ones, so that the page costs
    # the same queries whichever stage it shows.
    consented = _panel_consent([row.child_id for row in rows], today=today)
    for row in rows:
        row.stage, row.overdue, since = found[row.pk]
        row.since = _since(since)
        row.stage_label, row.stage_colour = STAGES[row.stage], STAGE_COLOURS[row.stage]
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
