"""The panel pack: what each member reads before a meeting, for every case on its agenda.

A pack is prepared for one viewer at a time. Whether a case shows the child's name is asked of
`joinedup.children.need_to_know` (the one place that decides it): the panel's coordinators and
the team around the child see names; every other member sees the pseudonym, age band and
locality. For them, every name of the child and their household is also taken out of the free
text practitioners and families wrote, because such text names people as a matter of course.

The pack is read in a fixed number of queries whatever the length of the agenda, and every
preparation records one audit entry per child, with the fields that viewer was shown.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from joinedup.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DomainRating,
    OverToYou,
    Rating,
    Respondent,
)
from joinedup.assessments.questionnaires import statements_for
from joinedup.children.models import Address, Child, HouseholdMember
from joinedup.children.need_to_know import current_involvements, identities_seen
from joinedup.core import audit
from joinedup.panels.models import (
    AgendaItem,
    Contribution,
    Decision,
    DecisionOutcome,
    Meeting,
    PanelMember,
)
from joinedup.panels.redaction import household_label, redactor

IDENTIFIED_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "school",
    "referral",
    "assessment",
    "over_to_you",
    "contributions",
    "earlier_decisions",
)
PSEUDONYMISED_FIELDS = (
    "pseudonym",
    "age_band",
    "locality",
    "referral",
    "assessment",
    "over_to_you",
    "contributions",
    "earlier_decisions",
)


@dataclass(frozen=True)
class PackRating:
    domain: str
    rating: int | None
    rating_label: str
    evidence: str


@dataclass(frozen=True)
class PackAssessment:
    label: str
    assessed_on: date
    organisation: str
    ratings: list[PackRating]
    protective_factors: str
    serious_harm: str
    serious_harm_evidence: str


@dataclass(frozen=True)
class PackAnswer:
    statement: str
    answer: str


@dataclass(frozen=True)
class PackOverToYou:
    respondent: str
    filled_on: date
    helped_by: str
    answers: list[PackAnswer]
    in_their_words: str


@dataclass(frozen=True)
class PackContribution:
    author: str
    role: str
    organisation: str
    will_attend: bool
    view: str
    written_at: datetime


@dataclass(frozen=True)
class PackDecision:
    """A decision of an earlier meeting on the case, as it stands (corrections shown, the
    versions they replaced not)."""

    decided_on: datetime
    outcome: str
    reasons: str
    against_rule_reason: str


@dataclass(frozen=True)
class PackCase:
    position: int
    reference: str
    shows_identity: bool
    name: str
    pseudonym: str
    age_band: str
    locality: str
    date_of_birth: date | None
    school: str
    referred_by: str
    referred_on: date | None
    urgency: str
    concerns: list[str]
    what_has_been_tried: str
    assessment: PackAssessment | None
    child_views: list[PackOverToYou]
    family_views: list[PackOverToYou]
    contributions: list[PackContribution]
    earlier_meetings: list[datetime]
    earlier_decisions: list[PackDecision]

    @property
    def heading(self) -> str:
        return self.name if self.shows_identity else self.pseudonym


@dataclass(frozen=True)
class Pack:
    meeting: Meeting
    prepared_for: str
    prepared_at: datetime
    cases: list[PackCase]

    @property
    def named_cases(self) -> int:
        return sum(case.shows_identity for case in self.cases)


def _seated_meeting(viewer: Any, meeting_id: Any) -> Meeting:
    seated = PanelMember.objects.current().filter(user=viewer).values("panel")
    meeting = (
        Meeting.objects.filter(panel__in=seated, pk=meeting_id).select_related("panel").first()
    )
    if meeting is None:
        raise Http404("No meeting of a panel you sit on with this id.")
    return meeting


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    live_contributions = Contribution.objects.filter(withdrawn_at__isnull=True).select_related(
        "author", "organisation"
    )
    return list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related(
            "child",
            "child__locality",
            "child__school",
            "referral",
            "referral__referring_organisation",
        )
        .prefetch_related(
            "referral__concerns",
            Prefetch("contributions", live_contributions, to_attr="live_contributions"),
        )
        .order_by("created_at")
    )


def _latest_assessments(child_ids: list[Any]) -> dict[Any, Assessment]:
    latest: dict[Any, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(child_id__in=child_ids, status=AssessmentStatus.COMPLETED)
        .select_related("organisation")
        .order_by("child_id", "-version")
    ):
        latest.setdefault(assessment.child_id, assessment)
    ratings: dict[Any, list[DomainRating]] = {}
    for rating in (
        DomainRating.objects.filter(assessment__in=[a.pk for a in latest.values()])
        .select_related("domain")
        .order_by("domain__order", "domain__name")
    ):
        ratings.setdefault(rating.assessment_id, []).append(rating)
    for assessment in latest.values():
        assessment.pack_ratings = ratings.get(assessment.pk, [])  # type: ignore[attr-defined]
    return latest


def _by_child(rows: Iterable[Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.child_id, []).append(row)
    return grouped


def _assessment(
    assessment: Assessment | None, clean: Callable[[str], str], named: Callable[[Any], str]
) -> Any:
    if assessment is None:
        return None
    return PackAssessment(
        label=assessment.label,
        assessed_on=assessment.assessed_on,
        organisation=named(assessment.organisation),
        ratings=[
            PackRating(
                domain=rating.domain.name,
                rating=rating.rating,
                rating_label=Rating(rating.rating).label if rating.rating is not None else "",
                evidence=clean(rating.evidence),
            )
            for rating in assessment.pack_ratings  # type: ignore[attr-defined]
        ],
        protective_factors=clean(assessment.protective_factors),
        serious_harm=assessment.get_serious_harm_display() or "Not screened",
        serious_harm_evidence=clean(assessment.serious_harm_evidence),
    )


def _over_to_you(view: OverToYou, *, respondent: str, clean: Callable[[str], str]) -> Any:
    statements = statements_for(view.respondent)
    return PackOverToYou(
        respondent=respondent,
        filled_on=view.filled_on,
        helped_by=clean(view.helped_by),
        answers=[
            PackAnswer(statements[key].text, Answer(value).label)
            for key, value in view.answers.items()
            if key in statements and value in Answer.values
        ],
        in_their_words=clean(view.in_their_words),
    )


def _views(
    views: list[OverToYou], *, shows_identity: bool, clean: Callable[[str], str]
) -> tuple[list[PackOverToYou], list[PackOverToYou]]:
    """The newest "Over to You" of the child and the newest of each parent or carer."""
    child_view: list[PackOverToYou] = []
    family: dict[Any, PackOverToYou] = {}
    for view in views:  # newest first
        if view.respondent == Respondent.CHILD:
            if not child_view:
                child_view.append(_over_to_you(view, respondent="The child", clean=clean))
        elif view.household_member_id not in family and view.household_member is not None:
            member = view.household_member
            who = view.respondent_label if shows_identity else household_label(member).capitalize()
            family[view.household_member_id] = _over_to_you(view, respondent=who, clean=clean)
    return child_view, list(family.values())


def _case(
    position: int,
    item: AgendaItem,
    *,
    shows_identity: bool,
    assessment: Assessment | None,
    views: list[OverToYou],
    household: list[HouseholdMember],
    addresses: list[Address],
    earlier: list[datetime],
    decisions: list[Decision],
) -> PackCase:
    child = item.child
    clean: Callable[[str], str] = (
        str if shows_identity else redactor(child=child, household=household, addresses=addresses)
    )

    def named(organisation: Any) -> str:
        # A child's school, named, would go far to identify them in a small area.
        if not shows_identity and organisation.pk == child.school_id:
            return "the child's school"
        return str(organisation.name)

    referral = item.referral
    child_views, family_views = _views(views, shows_identity=shows_identity, clean=clean)
    return PackCase(
        position=position,
        reference=child.reference,
        shows_identity=shows_identity,
        name=child.known_as if shows_identity else "",
        pseudonym=child.pseudonym,
        age_band=child.age_band,
        locality=child.locality.name if child.locality else "Not recorded",
        date_of_birth=child.date_of_birth if shows_identity else None,
        school=child.school.name if shows_identity and child.school else "",
        referred_by=named(referral.referring_organisation) if referral else "",
        referred_on=timezone.localdate(referral.submitted_at) if referral else None,
        urgency=referral.get_urgency_display() if referral else "",
        concerns=(
            [concern.label for concern in referral.concerns.all()]
            + ([clean(referral.concerns_other)] if referral.concerns_other else [])
            if referral
            else []
        ),
        what_has_been_tried=clean(referral.what_has_been_tried) if referral else "",
        assessment=_assessment(assessment, clean, named),
        child_views=child_views,
        family_views=family_views,
        contributions=[
            PackContribution(
                author=contribution.author.display_name,
                role=contribution.role,
                organisation=named(contribution.organisation),
                will_attend=contribution.will_attend,
                view=clean(contribution.view),
                written_at=contribution.updated_at,
            )
            for contribution in item.live_contributions  # type: ignore[attr-defined]
        ],
        earlier_meetings=earlier,
        earlier_decisions=[_decision(decision, clean) for decision in decisions],
    )


def _decision(decision: Decision, clean: Callable[[str], str]) -> PackDecision:
    # Reasons were refused at the meeting if they named the child, but the household and the
    # school were never checked: the redactor takes those out for members outside the team.
    outcome = decision.get_outcome_display()
    if decision.outcome == DecisionOutcome.SIGNPOST and decision.signpost_to:
        outcome = f"{outcome}: {clean(decision.signpost_to)}"
    return PackDecision(
        decided_on=decision.item.meeting.starts_at,
        outcome=outcome,
        reasons=clean(decision.rationale),
        against_rule_reason=clean(decision.against_rule_reason),
    )


def _earlier_decisions(meeting: Meeting, child_ids: list[Any]) -> dict[Any, list[Decision]]:
    """The current decision of every earlier meeting of the panel on each child, newest first,
    in one query for the whole agenda."""
    grouped: dict[Any, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(
            item__child_id__in=child_ids,
            item__removed_at__isnull=True,
            item__meeting__panel=meeting.panel_id,
            item__meeting__starts_at__lt=meeting.starts_at,
            superseded_at__isnull=True,
        )
        .select_related("item__meeting")
        .order_by("-item__meeting__starts_at")
    ):
        grouped.setdefault(decision.item.child_id, []).append(decision)
    return grouped


@audit.audit_exempt(
    reason="Records its own reads: one entry per child in the pack, naming the fields this "
    "viewer was shown (names only where need to know allows)."
)
def pack_for(*, viewer: Any, meeting_id: Any, purpose: str) -> Pack:
    """The pack of a meeting for one viewer, who must sit on its panel now (404 otherwise)."""
    meeting = _seated_meeting(viewer, meeting_id)
    items = _agenda(meeting)
    child_ids = [item.child_id for item in items]
    named = identities_seen(viewer, child_ids)
    hidden = [pk for pk in child_ids if pk not in named]
    assessments = _latest_assessments(child_ids)
    views = _by_child(
        OverToYou.objects.filter(child_id__in=child_ids)
        .select_related("household_member")
        .order_by("-filled_on", "-created_at")
    )
    # Household and addresses are needed only to take names out of text for members outside
    # the team around the child.
    household = _by_child(HouseholdMember.objects.filter(child_id__in=hidden)) if hidden else {}
    addresses = _by_child(Address.objects.filter(child_id__in=hidden)) if hidden else {}
    earlier = _by_child(
        AgendaItem.objects.filter(
            child_id__in=child_ids,
            removed_at__isnull=True,
            meeting__panel=meeting.panel_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )
    decisions = _earlier_decisions(meeting, child_ids)
    cases = [
        _case(
            position,
            item,
            shows_identity=item.child_id in named,
            assessment=assessments.get(item.child_id),
            views=views.get(item.child_id, []),
            household=household.get(item.child_id, []),
            addresses=addresses.get(item.child_id, []),
            earlier=[e.meeting.starts_at for e in earlier.get(item.child_id, [])],
            decisions=decisions.get(item.child_id, []),
        )
        for position, item in enumerate(items, start=1)
    ]
    for shown, fields in ((True, IDENTIFIED_FIELDS), (False, PSEUDONYMISED_FIELDS)):
        children = [item.child for item in items if (item.child_id in named) is shown]
        if children:
            audit.record_reads(actor=viewer, targets=children, fields=fields, purpose=purpose)
    return Pack(
        meeting=meeting,
        prepared_for=viewer.display_name,
        prepared_at=timezone.now(),
        cases=cases,
    )


@audit.audited_read(fields=("given_name", "family_name", "agenda_items"))
def children_on_upcoming_agendas(*, viewer: Any) -> list[Child]:
    """The children the viewer works with now whose cases are on a panel agenda still to come,
    each with `.upcoming_items` (the agenda items, meeting and panel) and `.own_contribution`
    per item. Only a current involvement counts: a panel seat alone gives no child here."""
    working_with = current_involvements().filter(worker=viewer).values("child")
    items = (
        AgendaItem.objects.filter(
            child__in=working_with,
            removed_at__isnull=True,
            meeting__starts_at__gt=timezone.now(),
        )
        .select_related("meeting", "meeting__panel")
        .prefetch_related(
            Prefetch(
                "contributions",
                Contribution.objects.filter(author=viewer, withdrawn_at__isnull=True),
                to_attr="own_contributions",
            )
        )
        .order_by("meeting__starts_at")
    )
    children = {
        child.pk: child
        for child in Child.objects.filter(
            pk__in=working_with, merged_into__isnull=True
        ).select_related("locality")
    }
    shown: dict[Any, Child] = {}
    for item in items:
        child = children.get(item.child_id)
        if child is None:
            continue
        own: Any = item
        own.own_contribution = own.own_contributions[0] if own.own_contributions else None
        shown.setdefault(child.pk, child)
        child.__dict__.setdefault("upcoming_items", []).append(item)
    return list(shown.values())


@audit.audited_read(fields=("given_name", "family_name", "agenda_items", "contributions"))
def contribution_item_for(*, viewer: Any, item_id: Any) -> AgendaItem:
    """A case on an upcoming agenda of a child the viewer works with now, with the viewer's
    live view of it as `.own_contribution` (None when they have not written one); 404 for
    anyone outside the team around the child."""
    working_with = current_involvements().filter(worker=viewer).values("child")
    item = (
        AgendaItem.objects.filter(pk=item_id, child__in=working_with)
        .select_related("meeting", "meeting__panel", "child")
        .first()
    )
    if item is None:
        raise Http404("No case you work on with this id.")
    item.own_contribution = (  # type: ignore[attr-defined]
        Contribution.objects.filter(agenda_item=item, author=viewer, withdrawn_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    return item
