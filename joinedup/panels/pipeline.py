"""Where each of a coordinator's cases stands, from referral to closure.

A case is a child's latest referral to a panel (not one found not eligible). Its stage is the
furthest step reached since that referral:

- plan: the child has an open integrated support plan;
- closed: the plan opened after the referral was closed in the last 90 days;
- decided: the panel decided on the latest agenda item (any outcome, a deferral included) and
  no plan followed; a decision that ends the panel's part (signposting, no further action,
  safeguarding) leaves the pipeline 90 days after it was made, as a closed plan does;
- agenda: the case is on an agenda (the agenda item added last) without a decision yet;
- referred: none of these yet.

The stage is worked out in SQL, each step a subquery of one query, and stored per case
(`PipelineCase`) by `cases_refresh`, which every service that moves a case on calls inside its
transaction. The page then reads the stored stages: its cost does not grow with the number of
cases. `since` is when the case entered its stage; the longest waiting come first."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

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
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from joinedup.children.need_to_know import identities_seen
from joinedup.consent import rules as consent_rules
from joinedup.consent.models import ConsentRecord, Scope
from joinedup.panels.models import (
    AgendaItem,
    Decision,
    DecisionOutcome,
    PanelMember,
    PipelineCase,
)
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
# A decision that ends the panel's part, while it is worked out (stored as DECIDED).
FINAL = "final"

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
    in time order ("2026-03-01 09:30:00.000000|agenda"), and the stage, with FINAL for a
    decision that ends the panel's part. One expression gives both: each source (plan,
    decision, agenda item) is one subquery answering its own part, tried in turn. Nothing in
    it depends on today, so the answer can be stored until the case moves on."""
    # Each queryset is built once and reused: building them is much of the cost.
    plan, decision, item = _plan(), _current_decision(), _latest_item()
    opened_or_closed = Case(
        When(status=PlanStatus.OPEN, then=F("opened_on")), default=F("closed_on")
    )
    plan_key = plan.annotate(
        key=Concat(
            _stamp(Cast(opened_or_closed, DateTimeField())),
            Value(SEPARATOR),
            Case(When(status=PlanStatus.OPEN, then=Value(PLAN)), default=Value(CLOSED)),
            output_field=CharField(),
        )
    )
    decision_key = decision.annotate(
        key=Concat(
            _stamp("created_at"),
            Value(SEPARATOR),
            Case(When(outcome__in=FINAL_OUTCOMES, then=Value(FINAL)), default=Value(DECIDED)),
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


def _current(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Of these referrals, the cases: each child's latest referral to each panel (none later
    to the same panel or, made in the same instant, with a greater id), not one found not
    eligible, not one whose panel handed the case to another panel by a transfer (the case
    is the receiving panel's: joinedup.transfers.rules). A record merged into another is not
    a case: its referrals moved to the surviving record."""
    from joinedup.transfers.rules import handed_over

    later = Referral.objects.exclude(status=ReferralStatus.NOT_ELIGIBLE).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk")),
        child=OuterRef("child"),
        panel=OuterRef("panel"),
    )
    return (
        referrals.filter(panel__isnull=False, child__merged_into__isnull=True)
        .exclude(status=ReferralStatus.NOT_ELIGIBLE)
        .exclude(handed_over())
        .exclude(Exists(later))
    )


def _leaves_at(stage: str, since: datetime) -> datetime | None:
    """When a case the panel has finished with leaves the pipeline: 90 days after a final
    decision; at the end of the 90th day after the day a plan closed."""
    if stage == FINAL:
        return since + timedelta(days=RECENT_DAYS)
    if stage == CLOSED:
        last_day = since.date() + timedelta(days=RECENT_DAYS + 1)
        return timezone.make_aware(datetime.combine(last_day, time.min))
    return None


def _store(referrals: QuerySet[Referral]) -> list[PipelineCase]:
    """Work out the stage of each case among `referrals` and store it; answers the rows."""
    rows = []
    for pk, child, panel, submitted_at, key, review_on, item, decision, plan in (
        _current(referrals)
        .annotate(
            key=_stage_key(),
            review_on=Subquery(_open_plan().values("next_review_on")[:1]),
            item_pk=Subquery(_latest_item().values("pk")[:1]),
            decision_pk=Subquery(_current_decision().values("pk")[:1]),
            plan_pk=Subquery(_plan().values("pk")[:1]),
        )
        .order_by()
        .values_list(
            "pk",
            "child",
            "panel",
            "submitted_at",
            "key",
            "review_on",
            "item_pk",
            "decision_pk",
            "plan_pk",
        )
    ):
        stamp, _, stage = key.rpartition(SEPARATOR)
        since = _since(stamp)
        rows.append(
            PipelineCase(
                referral_id=pk,
                child_id=child,
                panel_id=panel,
                stage=DECIDED if stage == FINAL else stage,
                since=since,
                leaves_at=_leaves_at(stage, since),
                review_due_on=review_on if stage == PLAN else None,
                submitted_at=submitted_at,
                item_id=item,
                decision_id=decision,
                plan_id=plan,
            )
        )
    return PipelineCase.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["referral"],
        update_fields=[
            "panel",
            "child",
            "stage",
            "since",
            "leaves_at",
            "review_due_on",
            "item",
            "decision",
            "plan",
        ],
    )


def cases_refresh(*children: Any) -> None:
    """Work out again where the cases of these children stand. Called by every service that
    moves a case on (a referral, an agenda, a decision, a plan, a merge), inside its
    transaction, so the pipeline is never behind what was saved."""
    ids = {child.pk for child in children if child is not None}
    if not ids:
        return
    stored = _store(Referral.objects.filter(child__in=ids))
    # What is no longer a case: an earlier referral, one of a merged record, one found not
    # eligible.
    PipelineCase.objects.filter(child__in=ids).exclude(
        referral__in=[row.referral_id for row in stored]
    ).delete()


def cases_rebuild(*, batch: int = 2000) -> int:
    """Work out every case again (after an upgrade, or to mend rows changed outside the
    services); answers the number of cases."""
    PipelineCase.objects.exclude(referral__in=_current(Referral.objects.all())).delete()
    total = 0
    children = list(
        Referral.objects.filter(panel__isnull=False).values_list("child", flat=True).distinct()
    )
    for start in range(0, len(children), batch):
        total += len(_store(Referral.objects.filter(child__in=children[start : start + batch])))
    return total


def in_view(cases: QuerySet[PipelineCase]) -> QuerySet[PipelineCase]:
    """Of these stored cases, those still in the pipeline (not left 90 days after the panel
    finished with them)."""
    return cases.filter(Q(leaves_at__isnull=True) | Q(leaves_at__gt=timezone.now()))


def referrals_waiting() -> QuerySet[Referral]:
    """Referrals received whose case has not moved on: still at "referred" (on no agenda, no
    decision and no plan since), for the dashboards and the reminders to cut by how long."""
    return Referral.objects.filter(pipeline_case__stage=REFERRED, status=ReferralStatus.RECEIVED)


def _overdue(today: date) -> Q:
    return Q(stage=PLAN, review_due_on__lt=today)


def stage_counts(cases: QuerySet[PipelineCase]) -> dict[str, int]:
    """The number of these cases (see `in_view`) at each stage, keyed by FILTERS: one query,
    however many cases. For the coordinator's page and for figures across panels, such as the
    steering groups'."""
    return cases.aggregate(
        **{ALL: Count("pk"), OVERDUE: Count("pk", filter=_overdue(timezone.localdate()))},
        **{name: Count("pk", filter=Q(stage=name)) for name in STAGES},
    )


class PipelinePage(list[Referral]):
    """The cases on one page (a list of referrals, so each is audited), with Django's page for
    the pager and the number of cases at each stage (`counts`, keyed by FILTERS)."""

    def __init__(self, rows: list[Referral], page: Page[Any], counts: dict[str, int]) -> None:
        super().__init__(rows)
        self.page = page
        self.counts = counts


def page_of(viewer: Any, *, stage: str, page: int | str, per_page: int) -> PipelinePage:
    """One page of cases, longest in their stage first, and the count at each stage: one query
    counts the stored stages, one reads the page's cases, one what the page shows of them."""
    stage = stage if stage in FILTERS else ALL
    today = timezone.localdate()
    cases = in_view(
        PipelineCase.objects.filter(panel__in=PanelMember.objects.panels_coordinated_by(viewer))
    )
    counts = stage_counts(cases)
    if stage == OVERDUE:
        cases = cases.filter(_overdue(today))
    elif stage != ALL:
        cases = cases.filter(stage=stage)
    paginator = Paginator(
        cases.order_by("since", "submitted_at", "referral_id").values_list(
            "referral_id", "stage", "review_due_on", "since"
        ),
        per_page,
    )
    # Known from the counts already: the pager need not count again.
    paginator.count = counts[stage]
    current = paginator.get_page(page)
    found = {
        pk: (case_stage, case_stage == PLAN and due is not None and due < today, since)
        for pk, case_stage, due, since in current.object_list
    }
    rows = {row.pk: row for row in _details(viewer, found)}
    return PipelinePage([rows[pk] for pk in found if pk in rows], current, counts)


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
    """What the page shows of each case (its referral, with the stage, `overdue` and `since`
    the page's query found for it), read through the records stored with the case: joins,
    not a subquery per case."""
    if not found:
        return []
    case = "pipeline_case__"
    rows: list[Any] = list(
        Referral.objects.filter(pk__in=list(found))
        .select_related("child", "panel")
        .only(*_SHOWN)
        .order_by()
        .annotate(
            meeting_at=F(case + "item__meeting__starts_at"),
            outcome=F(case + "decision__outcome"),
            deferred_to_at=F(case + "decision__deferred_to__starts_at"),
            keyworker_name=F(case + "plan__keyworker__full_name"),
            next_review_on=F(case + "plan__next_review_on"),
            closed_on=F(case + "plan__closed_on"),
            plan_outcome=F(case + "plan__outcome"),
        )
    )
    today = timezone.localdate()
    # Need to know decides whose name the page shows (joinedup.children.need_to_know).
    identified = identities_seen(viewer, {row.child_id for row in rows})
    for row in rows:
        row.shows_name = row.child_id in identified
    # Asked for every case on the page, not only the referred ones, so that the page costs
    # the same queries whichever stage it shows.
    consented = _panel_consent([row.child_id for row in rows], today=today)
    for row in rows:
        row.stage, row.overdue, row.since = found[row.pk]
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
