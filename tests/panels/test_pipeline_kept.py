"""The pipeline's stored stages are kept by the services that move a case on: after each step
the coordinator's page shows the new stage, and the stored rows are exactly what working every
case out afresh gives (nothing left behind for `pipeline_rebuild` to mend)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from joinedup.consent.models import Scope
from joinedup.core.roles import Role
from joinedup.panels import conduct, services
from joinedup.panels.models import DecisionOutcome, Panel, PanelRole, PipelineCase
from joinedup.panels.pipeline import cases_rebuild
from joinedup.plans import services as plans
from tests.conftest import make_person
from tests.factories import (
    ConsentRecordFactory,
    LocalityFactory,
    MeetingFactory,
    PanelMemberFactory,
    ParentFactory,
)
from tests.panels.meeting_world import meeting_world
from tests.referrals.journey import referral_made

PIPELINE = "/panels/pipeline/"


def stored() -> set[tuple]:
    return set(
        PipelineCase.objects.values_list(
            "referral", "child", "panel", "stage", "since", "leaves_at", "review_due_on"
        )
    )


def assert_kept() -> None:
    """What the services stored is what working every case out again gives."""
    before = stored()
    cases_rebuild()
    assert stored() == before


def stage_of(client, reference: str) -> str:
    [row] = [
        row for row in client.get(PIPELINE).context["cases"] if row.child.reference == reference
    ]
    return row.stage


@pytest.fixture
def intake(db, sign_in):
    """A referral made through the service by a youth worker to the Easton panel, whose
    coordinator is signed in, and the panel's next meeting."""
    easton = LocalityFactory(name="Easton", slug="easton")
    panel = Panel.objects.create(name="Easton panel", slug="easton", minimum_age=8, maximum_age=13)
    panel.localities.add(easton)
    coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    worker = make_person(Role.REFERRER, full_name="Vera Volunteer")
    organisation = worker.active_memberships().get().organisation
    referral = referral_made(actor=worker, organisation=organisation, locality=easton)
    meeting = MeetingFactory(panel=panel, starts_at=timezone.now() + timedelta(days=7))
    return referral, coordinator, meeting, sign_in(coordinator)


def test_a_referral_is_a_case_at_once_and_the_agenda_moves_it_on_and_back(intake):
    referral, coordinator, meeting, client = intake
    reference = referral.child.reference
    assert stage_of(client, reference) == "referred"
    assert_kept()

    ConsentRecordFactory(child=referral.child, scope=Scope.PANEL_DISCUSSION)
    item = services.agenda_add(actor=coordinator, meeting=meeting, referral=referral)
    assert stage_of(client, reference) == "agenda"
    assert_kept()

    services.agenda_remove(actor=coordinator, item=item, reason="The family asked to wait.")
    assert stage_of(client, reference) == "referred"
    assert_kept()


def test_a_decision_a_review_and_the_closure_each_move_the_case_on(db, sign_in):
    world = meeting_world()
    # The world's agenda was written by hand; from here on only the services write.
    cases_rebuild()
    world.everyone_present()
    item = world.items[0]
    child = item.child
    keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
    keyworker_organisation = keyworker.active_memberships().get().organisation
    mother = ParentFactory(child=child, full_name="Hodan Quixwort")
    ConsentRecordFactory(child=child, household_member=mother, scope=Scope.CONTACT)
    ConsentRecordFactory(
        child=child,
        household_member=mother,
        scope=Scope.SHARE,
        organisation=keyworker_organisation,
    )
    client = sign_in(world.coordinator)
    assert stage_of(client, child.reference) == "agenda"

    conduct.decision_record(
        actor=world.coordinator,
        item=item,
        details=conduct.DecisionDetails(
            outcome=DecisionOutcome.SUPPORT_PLAN,
            rationale="Three agencies worried; the family asked for help.",
            against_rule_reason="The panel weighs the family's own request.",
            keyworker=keyworker,
            keyworker_organisation=keyworker_organisation,
        ),
    )
    assert stage_of(client, child.reference) == "plan"
    assert_kept()

    plan = child.plans.get()
    today = timezone.localdate()
    plans.review_record(
        actor=keyworker,
        plan=plan,
        revision=plan.revision,
        details=plans.ReviewDetails(
            held_on=today,
            child_view="It is going better",
            next_review_on=today + timedelta(days=30),
        ),
    )
    case = PipelineCase.objects.get(child=child)
    assert case.review_due_on == today + timedelta(days=30)
    assert_kept()

    plan.refresh_from_db()
    plans.plan_close(
        actor=keyworker,
        plan=plan,
        revision=plan.revision,
        closure=plans.Closure(
            closed_on=today,
            outcome="goals_met",
            outcome_reason="Back in school every day.",
            what_changed="Attendance up.",
            child_view="I like school more now",
        ),
    )
    assert stage_of(client, child.reference) == "closed"
    assert_kept()


def test_a_corrected_decision_moves_the_case_to_what_the_panel_decided_last(db, sign_in):
    world = meeting_world()
    cases_rebuild()
    world.everyone_present()
    item = world.items[0]
    first = conduct.decision_record(
        actor=world.coordinator,
        item=item,
        details=conduct.DecisionDetails(
            outcome=DecisionOutcome.DEFER,
            rationale="The school's view is needed first.",
            deferred_to=world.next_meeting,
            defer_reason="Waiting for the school's view.",
            against_rule_reason="The panel wants the school's view.",
        ),
    )
    conduct.decision_record(
        actor=world.coordinator,
        item=item,
        details=conduct.DecisionDetails(
            outcome=DecisionOutcome.NO_FURTHER_ACTION,
            rationale="The school's view came in: things are settled at home.",
            against_rule_reason="Things are settled.",
            correction_reason="The school's view came in during the meeting.",
        ),
        corrects_version=first.version,
    )

    case = PipelineCase.objects.get(child=item.child)
    assert case.stage == "decided"
    assert case.leaves_at is not None  # a final decision leaves the pipeline after 90 days
    assert_kept()


def test_the_rebuild_command_mends_rows_changed_by_hand(intake):
    referral, *_ = intake
    PipelineCase.objects.filter(referral=referral).update(stage="plan")
    out = StringIO()

    call_command("pipeline_rebuild", stdout=out)

    assert PipelineCase.objects.get(referral=referral).stage == "referred"
    assert "1 cases worked out" in out.getvalue()
