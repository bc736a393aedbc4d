"""Consent coming to an end is reminded only while the child's case is open: to the
coordinators of the panels whose pipeline holds the case (not closed, still in view) and to
the keyworker of the open plan. A case closed, finished with long ago, or handed to another
panel by transfer reminds nobody there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.notifications.models import Notification
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome, PipelineCase
from joinedup.panels.pipeline import CLOSED, cases_refresh
from joinedup.plans.models import Plan, PlanStatus
from joinedup.transfers import services as transfers
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    MeetingFactory,
    PanelFactory,
    ReferralFactory,
)
from tests.notifications.world import reminders_world, run
from tests.transfers import world as transfer_world
from tests.transfers.world import coordinator_of

pytestmark = pytest.mark.django_db


def _consent_notices(user) -> int:
    return Notification.objects.filter(recipient=user, kind="consent_expiring").count()


def test_an_open_case_reminds_its_panels_coordinators_and_the_keyworker_once():
    world = reminders_world()
    run()
    run()
    assert _consent_notices(world.coordinator) == 1
    assert _consent_notices(world.keyworker) == 1


def test_a_closed_case_reminds_nobody():
    world = reminders_world()
    today = timezone.localdate()
    Plan.objects.filter(pk=world.plan.pk).update(
        status=PlanStatus.CLOSED, closed_on=today - timedelta(days=5), outcome="goals_met"
    )
    cases_refresh(world.child)
    assert PipelineCase.objects.get(child=world.child).stage == CLOSED
    run()
    assert Notification.objects.filter(kind="consent_expiring").count() == 0


def test_a_case_closed_long_ago_reminds_nobody_even_once_out_of_the_pipeline():
    world = reminders_world()
    today = timezone.localdate()
    Plan.objects.filter(pk=world.plan.pk).update(
        status=PlanStatus.CLOSED, closed_on=today - timedelta(days=400), outcome="goals_met"
    )
    cases_refresh(world.child)
    run()
    assert Notification.objects.filter(kind="consent_expiring").count() == 0


def test_a_panel_that_finished_with_the_case_long_ago_is_not_reminded():
    """A child signposted by one panel over 90 days ago and referred since to another: only
    the panel with the open case hears of consent ending."""
    world = reminders_world()
    today = timezone.localdate()
    child = ChildFactory()
    ConsentRecordFactory(
        child=child, given_on=today - timedelta(days=300), expires_on=today + timedelta(days=20)
    )
    earlier_panel = PanelFactory(name="Lockleaze panel", slug="consent-lockleaze")
    earlier_coordinator = coordinator_of(earlier_panel, "Lola Lockleaze")
    referral = ReferralFactory(child=child, panel=earlier_panel)
    long_ago = timezone.now() - timedelta(days=200)
    type(referral).objects.filter(pk=referral.pk).update(submitted_at=long_ago)
    item = AgendaItem.objects.create(
        meeting=MeetingFactory(panel=earlier_panel, starts_at=long_ago + timedelta(days=5)),
        child=child,
        referral=referral,
    )
    decision = Decision.objects.create(
        item=item,
        outcome=DecisionOutcome.SIGNPOST,
        rationale="Signposted to the school's own support.",
        decided_by=earlier_coordinator,
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=long_ago + timedelta(days=5))
    AgendaItem.objects.filter(pk=item.pk).update(created_at=long_ago + timedelta(days=1))
    ReferralFactory(child=child, panel=world.panel)
    cases_refresh(child)
    run()
    assert _consent_notices(earlier_coordinator) == 0
    assert _consent_notices(world.coordinator) == 2  # this child's and the world's child's


def test_the_panel_that_handed_the_case_over_by_transfer_is_not_reminded():
    world = transfer_world.build()
    today = timezone.localdate()
    transfer = transfer_world.requested(world)
    transfers.transfer_accept(actor=world.lockleaze_coordinator, transfer=transfer)
    ConsentRecordFactory(
        child=world.child,
        household_member=world.mother,
        scope="assessment",
        given_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=20),
    )
    run()
    run()
    assert _consent_notices(world.easton_coordinator) == 0
    assert _consent_notices(world.lockleaze_coordinator) == 1
    assert _consent_notices(world.keyworker) == 1
