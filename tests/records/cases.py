"""A child's whole case, straight into the database with the dates a test needs: a referral,
consent, an assessment with the child's view, a panel decision, a plan (open or closed), an
action and a safeguarding concern, each holding free text that names the child."""

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from joinedup.actions.models import Action, ActionStatus
from joinedup.assessments.models import AssessmentStatus
from joinedup.children.models import Address, Child, HouseholdMember
from joinedup.children.services import match_keys_refresh
from joinedup.consent.models import ChildView
from joinedup.panels.models import AgendaItem, Decision, Meeting, Minutes
from joinedup.plans.models import Goal, Plan, PlanStatus
from joinedup.referrals.models import Referral
from joinedup.safeguarding.models import ConcernSource, Routing, SafeguardingConcern
from tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ConsentRecordFactory,
    MeetingFactory,
    OverToYouFactory,
    PanelFactory,
    ReferralFactory,
    UserFactory,
)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def build_case(
    *,
    given_name: str,
    family_name: str,
    born: date,
    happened_on: date,
    plan_open: bool = False,
    carer: str = "Philippa Marsh",
) -> Child:
    child = ChildFactory(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=born,
        nhs_number="9434765919",
        other_names=[f"{given_name} Oldname"],
    )
    Address.objects.create(child=child, line_1="77 Marmalade Lane", postcode="BS5 9QQ")
    mother = HouseholdMember.objects.create(
        child=child,
        full_name=carer,
        relationship="mother",
        has_parental_responsibility=True,
        telephone="0117 496 0001",
    )
    match_keys_refresh(child)
    worker = UserFactory(full_name="Kim Worker")
    referral = ReferralFactory(
        child=child,
        referrer=worker,
        what_has_been_tried=f"{given_name} had mentoring at school.",
        concerns_other=f"{given_name} is often out late.",
    )
    Referral.objects.filter(pk=referral.pk).update(submitted_at=_moment(happened_on))
    ConsentRecordFactory(child=child, household_member=mother, given_on=happened_on)
    ChildView.objects.create(
        child=child, in_their_words=f"I am {given_name}, I want help.", recorded_on=happened_on
    )
    assessment = AssessmentFactory(
        child=child,
        assessed_on=happened_on,
        status=AssessmentStatus.COMPLETED,
        completed_at=_moment(happened_on),
        protective_factors=f"{given_name} loves football.",
    )
    OverToYouFactory(
        child=child,
        assessment=assessment,
        in_their_words=f"My name is {given_name} {family_name}.",
        helped_by=carer,
        filled_on=happened_on,
    )
    panel = PanelFactory()
    meeting = MeetingFactory(panel=panel)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=_moment(happened_on))
    item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
    decision = Decision.objects.create(
        item=item, outcome="support_plan", rationale=f"{given_name} needs a mentor."
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=_moment(happened_on))
    Minutes.objects.create(
        meeting=meeting,
        generated_text=f"{child.pseudonym} ({child.reference}): support plan.",
        text=f"{child.pseudonym} ({child.reference}): support plan. {given_name} came with "
        f"{carer}.\n\nAny other business: none.",
        generated_at=_moment(happened_on),
    )
    plan = Plan.objects.create(
        child=child,
        keyworker=worker,
        keyworker_organisation=referral.referring_organisation,
        opened_on=happened_on,
        next_review_on=happened_on,
        status=PlanStatus.OPEN if plan_open else PlanStatus.CLOSED,
        closed_on=None if plan_open else happened_on,
        outcome="" if plan_open else "goals_met",
        what_changed="" if plan_open else f"{given_name} goes to school every day.",
    )
    Goal.objects.create(
        plan=plan, position=1, in_their_words=f"I, {given_name}, want to box.", said_by="child"
    )
    Action.objects.create(
        title=f"Phone {given_name}'s mum",
        owner=worker,
        organisation=referral.referring_organisation,
        due_on=happened_on,
        child=child,
        agenda_item=item,
        status=ActionStatus.DONE,
        completed_at=_moment(happened_on),
        outcome=f"Spoke to {carer}.",
    )
    SafeguardingConcern.objects.create(
        child=child,
        raised_by=worker,
        organisation=referral.referring_organisation,
        raised_at=_moment(happened_on),
        what_happened=f"{given_name} said something worrying.",
        why_worried="A bruise.",
        source=ConcernSource.CHILD_RECORD,
        routing=Routing.NO_LEAD,
        outcome="advice",
        outcome_reason="Advice given.",
        closed_at=_moment(happened_on),
    )
    return child


def all_text(child: Child) -> str:
    """Every text field of every record about the child, joined, to search for names."""
    from joinedup.records import sar
    from joinedup.records.models import SubjectAccessRequest

    request = SubjectAccessRequest(
        child=child,
        requester_name="",
        requester="child",
        received_on=date.today(),
        due_on=date.today(),
    )
    import json

    data: dict[str, Any] = sar.bundle(request, produced_by=None)
    data.pop("request")
    data.pop("audit_trail")
    return json.dumps(data)
