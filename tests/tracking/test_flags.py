"""The three kinds of flag, case by case, as the selectors work them out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.children.models import InvolvementRole
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome
from joinedup.plans.models import InterventionStatus, PlanStatus, Purpose, Review
from joinedup.referrals.models import ReferralStatus
from joinedup.tracking import selectors
from joinedup.tracking.models import FlagKind, TrackingSettings
from tests.factories import (
    ConsentRecordFactory,
    InvolvementFactory,
    MeetingFactory,
    OrganisationFactory,
)
from tests.tracking.builders import days_ago, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _flags(viewer, kind=None):
    board = selectors.flag_board(viewer=viewer)
    return {
        (row.child.pk, flag.kind): flag
        for row in [*board.rows, *board.quiet]
        for flag in row.flags
        if kind is None or flag.kind == kind
    }


# Overlapping services -------------------------------------------------------------------


def test_two_organisations_giving_the_same_kind_of_support_are_flagged(world):
    child = world.child()
    world.refer(child)
    plan = world.plan(child)
    world.support(plan, organisation=OrganisationFactory(name="Easton Youth Project"))
    world.support(
        plan,
        name="Avon Boxing Club",
        service="Boxing mentoring",
        status=InterventionStatus.PLANNED,
        days=-7,
    )

    flag = _flags(world.coordinator)[(child.pk, FlagKind.OVERLAP)]

    assert "Mentoring or one-to-one support from 2 organisations" in flag.explanation
    assert "Easton Youth Project" in flag.explanation
    assert "Avon Boxing Club, planned from" in flag.explanation
    assert any(link.label == "Agree on the plan who does what" for link in flag.links)


def test_the_same_organisation_twice_or_different_purposes_are_not_an_overlap(world):
    child = world.child()
    world.refer(child)
    plan = world.plan(child)
    youth = OrganisationFactory()
    world.support(plan, organisation=youth)
    world.support(plan, organisation=youth, service="Homework club mentoring")
    world.support(plan, purpose=Purpose.FAMILY)
    # A provider that is not a partner, typed twice with different spacing, is one provider.
    world.support(plan, purpose=Purpose.ACTIVITIES, name="Easton  Leisure Centre")
    world.support(plan, purpose=Purpose.ACTIVITIES, name="easton leisure centre")

    assert (child.pk, FlagKind.OVERLAP) not in _flags(world.coordinator)


def test_something_else_never_counts_as_the_same_purpose(world):
    child = world.child()
    world.refer(child)
    plan = world.plan(child)
    world.support(plan, purpose=Purpose.OTHER)
    world.support(plan, purpose=Purpose.OTHER)

    assert (child.pk, FlagKind.OVERLAP) not in _flags(world.coordinator)


def test_ended_support_and_closed_plans_do_not_overlap(world):
    child = world.child()
    world.refer(child, days=400)
    closed = world.plan(child, days=300, status=PlanStatus.CLOSED)
    world.support(closed)
    plan = world.plan(child)
    world.support(plan)
    world.support(plan, status=InterventionStatus.FINISHED)
    world.support(plan, status=InterventionStatus.STOPPED)

    assert (child.pk, FlagKind.OVERLAP) not in _flags(world.coordinator)


# Falling between two stools ---------------------------------------------------------------


def test_a_child_referred_with_nothing_recorded_for_six_weeks_is_flagged(world):
    child = world.child()
    world.refer(child, by=OrganisationFactory(name="Oakfield School"), days=50)

    flag = _flags(world.coordinator)[(child.pk, FlagKind.GAP)]

    assert flag.explanation.startswith("Referred by Oakfield School on ")
    assert "nothing has been recorded for 7 weeks (the last was a referral" in flag.explanation
    labels = [link.label for link in flag.links]
    assert labels == ["See the child's record", "Read the referral", "Put the case on an agenda"]


def test_a_recent_referral_or_recent_contact_is_not_a_gap(world):
    recent = world.child()
    world.refer(recent, days=20)
    consented = world.child()
    world.refer(consented, days=60)
    ConsentRecordFactory(child=consented, given_on=days_ago(10))

    flags = _flags(world.coordinator, FlagKind.GAP)

    assert (recent.pk, FlagKind.GAP) not in flags
    assert (consented.pk, FlagKind.GAP) not in flags


def test_support_started_or_an_upcoming_agenda_means_no_gap(world):
    served = world.child()
    world.refer(served, days=100)
    world.support(world.plan(served, days=90), days=80)
    waiting = world.child()
    referral = world.refer(waiting, days=100)
    AgendaItem.objects.create(
        meeting=MeetingFactory(panel=world.panel), child=waiting, referral=referral
    )

    flags = _flags(world.coordinator, FlagKind.GAP)

    assert (served.pk, FlagKind.GAP) not in flags
    assert (waiting.pk, FlagKind.GAP) not in flags


def test_an_open_plan_with_no_support_started_and_no_contact_is_flagged(world):
    child = world.child()
    world.refer(child, days=200)
    plan = world.plan(child, days=120)
    world.support(plan, status=InterventionStatus.PLANNED, days=100)
    Review.objects.create(
        plan=plan, held_on=days_ago(60), child_view="OK", next_review_on=days_ago(-20)
    )

    flag = _flags(world.coordinator)[(child.pk, FlagKind.GAP)]

    assert flag.explanation.startswith("A plan is open but no support has started")
    assert "the last was a plan review" in flag.explanation
    assert [link.label for link in flag.links][1] == "Arrange support on the plan"


def test_closed_cases_decided_cases_and_not_eligible_referrals_are_not_gaps(world):
    closed = world.child()
    world.refer(closed, days=300)
    world.plan(closed, days=200, status=PlanStatus.CLOSED)
    signposted = world.child()
    referral = world.refer(signposted, days=100)
    item = AgendaItem.objects.create(
        meeting=MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=90)),
        child=signposted,
        referral=referral,
    )
    decision = Decision.objects.create(
        item=item, outcome=DecisionOutcome.SIGNPOST, rationale="Youth club fits"
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=timezone.now() - timedelta(days=90))
    too_old = world.child()
    world.refer(too_old, days=100, status=ReferralStatus.NOT_ELIGIBLE)

    flags = _flags(world.coordinator)

    assert (closed.pk, FlagKind.GAP) not in flags
    assert (signposted.pk, FlagKind.GAP) not in flags
    assert (too_old.pk, FlagKind.GAP) not in flags


def test_a_referral_after_a_closed_plan_starts_a_new_wait(world):
    child = world.child()
    world.refer(child, days=400)
    plan = world.plan(child, days=300, status=PlanStatus.CLOSED)
    type(plan).objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=300))
    world.refer(child, days=60)

    assert (child.pk, FlagKind.GAP) in _flags(world.coordinator)


def test_the_number_of_weeks_is_the_panels_then_the_partnerships(world):
    child = world.child()
    world.refer(child, days=30)
    assert (child.pk, FlagKind.GAP) not in _flags(world.coordinator)

    TrackingSettings.objects.create(for_partnership=True, gap_weeks=3)
    assert (child.pk, FlagKind.GAP) in _flags(world.coordinator)

    TrackingSettings.objects.create(panel=world.panel, gap_weeks=8)
    assert (child.pk, FlagKind.GAP) not in _flags(world.coordinator)


# Repeat referrals -------------------------------------------------------------------------


def test_referrals_from_different_organisations_are_flagged_and_explained(world):
    child = world.child()
    world.refer(child, by=OrganisationFactory(name="Oakfield School"), days=270)
    world.refer(child, by=OrganisationFactory(name="Avon Police"), days=100)
    world.refer(child, by=OrganisationFactory(name="Easton Youth Club"), days=3)

    flag = _flags(world.coordinator)[(child.pk, FlagKind.REPEAT)]

    assert flag.explanation == (
        "Referred 3 times in 9 months by Oakfield School, Avon Police and Easton Youth Club; "
        "no panel decision yet."
    )


def test_the_same_organisation_twice_is_one_agency(world):
    child = world.child()
    school = OrganisationFactory()
    world.refer(child, by=school, days=100)
    world.refer(child, by=school, days=3)

    assert (child.pk, FlagKind.REPEAT) not in _flags(world.coordinator)


def test_old_and_not_eligible_referrals_do_not_count(world):
    child = world.child()
    world.refer(child, days=500)
    world.refer(child, days=30, status=ReferralStatus.NOT_ELIGIBLE)
    world.refer(child, days=3)

    assert (child.pk, FlagKind.REPEAT) not in _flags(world.coordinator)


def test_the_window_and_the_number_of_agencies_are_configurable(world):
    child = world.child()
    world.refer(child, days=500)
    world.refer(child, days=3)
    assert (child.pk, FlagKind.REPEAT) not in _flags(world.coordinator)

    TrackingSettings.objects.create(panel=world.panel, repeat_months=24, repeat_agencies=2)
    assert (child.pk, FlagKind.REPEAT) in _flags(world.coordinator)

    TrackingSettings.objects.filter(panel=world.panel).update(repeat_agencies=3)
    assert (child.pk, FlagKind.REPEAT) not in _flags(world.coordinator)


def test_the_panels_decision_is_part_of_the_explanation(world):
    child = world.child()
    world.refer(child, days=60)
    referral = world.refer(child, days=30)
    item = AgendaItem.objects.create(
        meeting=MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=2)),
        child=child,
        referral=referral,
    )
    Decision.objects.create(item=item, outcome=DecisionOutcome.DEFER, rationale="More to find")

    flag = _flags(world.coordinator)[(child.pk, FlagKind.REPEAT)]

    assert flag.explanation.endswith(
        f"the panel decided: Defer ({timezone.localdate():%-d %B %Y})."
    )


# Who sees what ----------------------------------------------------------------------------


def test_merged_records_are_never_flagged(world):
    survivor = world.child()
    merged = world.child(merged_into=survivor)
    world.refer(merged, days=100)
    world.refer(merged, days=50)

    flagged = {child_id for child_id, _ in _flags(world.coordinator)}

    assert merged.pk not in flagged


def test_another_panels_coordinator_sees_none_of_these_flags(world):
    child = world.child()
    world.refer(child, days=100)
    other = make_world()

    assert _flags(other.coordinator) == {}
    assert (child.pk, FlagKind.GAP) in _flags(world.coordinator)


def test_a_keyworker_sees_their_caseload_by_name_and_cannot_mark(world):
    child = world.child(given_name="Zebedee")
    world.refer(child, days=100)
    InvolvementFactory(
        child=child, worker=world.keyworker, role=InvolvementRole.KEYWORKER, started_on=days_ago(99)
    )
    stranger = world.child()
    world.refer(stranger, days=100)

    board = selectors.flag_board(viewer=world.keyworker)

    assert [row.child.pk for row in board.rows] == [child.pk]
    assert board.rows[0].child.shows_name
    assert not board.rows[0].may_look


def test_the_board_filters_by_kind_and_panel(world):
    gap = world.child()
    world.refer(gap, days=100)
    repeat = world.child()
    world.refer(repeat, days=20)
    world.refer(repeat, days=10)
    other = make_world()
    from joinedup.panels.models import PanelMember, PanelRole

    PanelMember.objects.create(
        panel=other.panel,
        user=world.coordinator,
        organisation=OrganisationFactory(),
        role=PanelRole.COORDINATOR,
    )
    elsewhere = other.child()
    other.refer(elsewhere, days=100)

    only_repeat = selectors.flag_board(viewer=world.coordinator, kind=FlagKind.REPEAT)
    only_other = selectors.flag_board(viewer=world.coordinator, panel=other.panel.slug)

    assert [row.child.pk for row in only_repeat.rows] == [repeat.pk]
    assert [row.child.pk for row in only_other.rows] == [elsewhere.pk]
    assert only_repeat.counts == {"all": 3, "gap": 2, "overlap": 0, "repeat": 1}
    assert selectors.flag_counts(viewer=world.coordinator) == only_repeat.counts
