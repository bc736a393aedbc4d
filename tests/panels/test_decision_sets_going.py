"""What a decision starts: an integrated support plan with its lead keyworker, or a
safeguarding concern sent at once to the designated leads (even when the meeting is not
quorate). A plan or concern that cannot start leaves no decision behind."""

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.consent.models import Scope
from joinedup.core.roles import Role
from joinedup.panels import conduct
from joinedup.panels.models import Decision, DecisionOutcome
from joinedup.panels.services import PanelError
from joinedup.plans import services as plans
from joinedup.plans.models import Plan, PlanStatus
from joinedup.safeguarding.models import ConcernSource, SafeguardingConcern
from tests.conftest import make_person, sign_in_client
from tests.factories import ConsentRecordFactory, MembershipFactory, ParentFactory, UserFactory
from tests.panels.meeting_world import meeting_world


@pytest.fixture
def world(db):
    world = meeting_world()
    world.everyone_present()
    world.keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    world.keyworker_organisation = world.keyworker.active_memberships().get().organisation
    return world


def _consent_to_contact_and_share(world):
    child = world.items[0].child
    mother = ParentFactory(child=child, full_name="Hodan Quixwort")
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.CONTACT)
    ConsentRecordFactory(
        child=child,
        household_member=mother,
        scope=Scope.SHARE,
        organisation=world.keyworker_organisation,
    )


def _decide_plan(world, *, keyworker=True, actor=None, corrects=None, **extra):
    details = conduct.DecisionDetails(
        outcome=DecisionOutcome.SUPPORT_PLAN,
        rationale="Three agencies worried; the family asked for help.",
        against_rule_reason="The panel weighs the family's own request.",
        keyworker=world.keyworker if keyworker else None,
        keyworker_organisation=world.keyworker_organisation if keyworker else None,
        **extra,
    )
    return conduct.decision_record(
        actor=actor or world.coordinator,
        item=world.items[0],
        details=details,
        corrects_version=corrects,
    )


def test_a_plan_decision_opens_the_plan_with_its_lead_keyworker(world):
    _consent_to_contact_and_share(world)
    decision = _decide_plan(world)
    plan = Plan.objects.get(child=world.items[0].child)
    assert decision.plan == plan
    assert plan.status == PlanStatus.OPEN
    assert (plan.keyworker, plan.panel) == (world.keyworker, world.panel)


def test_the_chair_can_open_the_plan_by_the_panels_decision(world):
    _consent_to_contact_and_share(world)
    decision = _decide_plan(world, actor=world.chair)
    assert decision.plan is not None and decision.plan.opened_by == world.chair


def test_without_a_keyworker_yet_the_plan_started_later_answers_the_decision(world):
    _consent_to_contact_and_share(world)
    decision = _decide_plan(world, keyworker=False)
    assert decision.plan is None and not Plan.objects.exists()
    plan = plans.plan_open(
        actor=world.coordinator,
        child=world.items[0].child,
        keyworker=world.keyworker,
        keyworker_organisation=world.keyworker_organisation,
        panel=world.panel,
    )
    decision.refresh_from_db()
    assert decision.plan == plan


def test_without_consent_to_contact_no_plan_and_no_decision(world):
    with pytest.raises(PanelError) as refused:
        _decide_plan(world)
    assert refused.value.field == "keyworker"
    assert "consent" in refused.value.message.lower()
    assert not Decision.objects.exists() and not Plan.objects.exists()


def test_a_child_whose_plan_is_open_keeps_it(world):
    _consent_to_contact_and_share(world)
    first = _decide_plan(world)
    again = _decide_plan(
        world,
        keyworker=False,
        corrects=first.version,
        correction_reason="Recorded twice by mistake",
    )
    # Same outcome: nothing new starts, and the open plan stays the only one.
    assert Plan.objects.filter(child=world.items[0].child).count() == 1
    assert again.plan is None or again.plan == first.plan


def test_escalating_raises_a_concern_for_the_leads_even_without_a_quorum(
    db, django_capture_on_commit_callbacks
):
    world = meeting_world()  # nobody's attendance recorded: not quorate
    lead = UserFactory(full_name="Lee Lead", email="lead@example.org")
    MembershipFactory(user=lead, role=Role.SAFEGUARDING_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        decision = conduct.decision_record(
            actor=world.coordinator,
            item=world.items[0],
            details=conduct.DecisionDetails(
                outcome=DecisionOutcome.SAFEGUARDING,
                rationale="A member described marks on the child's arms.",
            ),
        )
    concern = SafeguardingConcern.objects.get()
    assert decision.safeguarding_concern == concern
    assert concern.child == world.items[0].child
    assert concern.source == ConcernSource.PANEL_DECISION
    assert "marks on the child's arms" in concern.what_happened
    assert decision.quorum_snapshot["quorate"] is False
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]
    assert world.items[0].child.given_name not in mail.outbox[0].body


def test_the_decision_page_offers_keyworkers_and_opens_the_plan(world, client):
    _consent_to_contact_and_share(world)
    client = sign_in_client(client, world.coordinator)
    url = reverse("panels:decision_record", kwargs={"item_id": world.items[0].pk})
    membership = world.keyworker.active_memberships().get()
    page = client.get(url)
    assert "Kit Keyworker" in page.content.decode()
    response = client.post(
        url,
        {
            "outcome": DecisionOutcome.SUPPORT_PLAN,
            "rationale": "The family asked for help.",
            "against_rule_reason": "The family's own request.",
            "keyworker": str(membership.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The integrated support plan is open, led by Kit Keyworker" in (
        response.content.decode()
    )
    plan = Plan.objects.get()
    assert (
        reverse("plans:plan_detail", kwargs={"reference": plan.child.reference, "plan_id": plan.pk})
        in response.content.decode()
    )
