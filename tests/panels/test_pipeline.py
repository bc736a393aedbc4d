"""The coordinator's pipeline: every case of their panels from referral to closure, with its
stage and how long it has been in it, worked out in SQL for any number of cases."""

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.panels.models import AgendaItem, Decision, DecisionOutcome, PanelRole
from joinedup.panels.pipeline import cases_refresh
from joinedup.plans.models import Outcome, Plan, PlanStatus
from joinedup.referrals.models import IdentityStatus, Referral, ReferralStatus
from tests.conftest import make_person
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
)

PIPELINE = "/panels/pipeline/"


def _days_ago(days: int) -> Any:
    """Noon, local time, `days` days ago: whole days in stage whatever the hour and the
    clocks' change."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(12)))


class Pipeline:
    """A panel, its coordinator, a keyworker, a past and a next meeting, and a way to put a
    child's case at any stage, having entered it `days` ago. The records are written by hand,
    to set their dates in the past, so each step works the case's stage out again, as the
    services do (their part is tested in test_pipeline_kept.py)."""

    def __init__(self) -> None:
        self.panel = PanelFactory(name="Easton panel", slug="easton")
        self.coordinator = make_person(Role.PANEL_COORDINATOR, full_name="Cora Coordinator")
        PanelMemberFactory(panel=self.panel, user=self.coordinator, role=PanelRole.COORDINATOR)
        self.keyworker = make_person(Role.KEYWORKER, full_name="Kit Keyworker")
        self.organisation = OrganisationFactory(name="Youth project")
        now = timezone.now()
        self.past_meeting = MeetingFactory(panel=self.panel, starts_at=now - timedelta(days=20))
        self.next_meeting = MeetingFactory(panel=self.panel, starts_at=now + timedelta(days=8))

    def referred(self, *, days: int = 0, consent: bool = True, **child: Any) -> Referral:
        referral = ReferralFactory(child=ChildFactory(**child), panel=self.panel)
        Referral.objects.filter(pk=referral.pk).update(submitted_at=_days_ago(days + 200))
        referral.refresh_from_db()
        if consent:
            ConsentRecordFactory(child=referral.child)
        cases_refresh(referral.child)
        return referral

    def on_agenda(self, referral: Referral, *, meeting: Any = None, days: int = 0) -> AgendaItem:
        item = AgendaItem.objects.create(
            meeting=meeting or self.next_meeting, child=referral.child, referral=referral
        )
        AgendaItem.objects.filter(pk=item.pk).update(created_at=_days_ago(days))
        cases_refresh(referral.child)
        return item

    def decided(
        self, referral: Referral, outcome: str = DecisionOutcome.DEFER, *, days: int = 0
    ) -> Decision:
        item = self.on_agenda(referral, meeting=self.past_meeting, days=days + 30)
        decision = Decision.objects.create(
            item=item,
            outcome=outcome,
            rationale="The parents and the school are concerned.",
            deferred_to=self.next_meeting if outcome == DecisionOutcome.DEFER else None,
        )
        Decision.objects.filter(pk=decision.pk).update(created_at=_days_ago(days))
        cases_refresh(referral.child)
        return decision

    def plan(self, referral: Referral, *, days: int = 0, review_in: int = 30) -> Plan:
        self.decided(referral, DecisionOutcome.SUPPORT_PLAN, days=days + 1)
        today = timezone.localdate()
        plan = Plan.objects.create(
            child=referral.child,
            keyworker=self.keyworker,
            keyworker_organisation=self.organisation,
            panel=self.panel,
            opened_on=today - timedelta(days=days),
            next_review_on=today + timedelta(days=review_in),
        )
        cases_refresh(referral.child)
        return plan

    def closed(self, referral: Referral, *, days: int = 0) -> Plan:
        plan = self.plan(referral, days=days + 100)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.CLOSED,
            closed_on=timezone.localdate() - timedelta(days=days),
            outcome=Outcome.GOALS_MET,
            outcome_reason="The goals were met.",
        )
        cases_refresh(referral.child)
        return plan


@pytest.fixture
def world(db) -> Pipeline:
    return Pipeline()


@pytest.fixture
def coordinator_client(world, sign_in):
    return sign_in(world.coordinator)


def _rows(response) -> list[dict[str, Any]]:
    return [
        {
            "reference": row.child.reference,
            "stage": row.stage,
            "days": row.days_in_stage,
        }
        for row in response.context["cases"]
    ]


def test_each_case_is_at_the_furthest_stage_it_reached_with_the_days_it_has_been_there(
    world, coordinator_client
):
    referred = world.referred(days=3, given_name="Rowan")
    agenda = world.referred(given_name="Alex")
    world.on_agenda(agenda, days=5)
    decided = world.referred(given_name="Dana")
    world.decided(decided, DecisionOutcome.DEFER, days=7)
    planned = world.referred(given_name="Pip")
    world.plan(planned, days=11)
    closed = world.referred(given_name="Cleo")
    world.closed(closed, days=13)

    response = coordinator_client.get(PIPELINE)

    assert response.status_code == 200
    assert response.context["counts"] == {
        "all": 5,
        "referred": 1,
        "agenda": 1,
        "decided": 1,
        "plan": 1,
        "closed": 1,
        "overdue": 0,
    }
    # Longest in stage first: the referral waited 203 days (the helper refers 200 days back).
    assert _rows(response) == [
        {"reference": referred.child.reference, "stage": "referred", "days": 203},
        {"reference": closed.child.reference, "stage": "closed", "days": 13},
        {"reference": planned.child.reference, "stage": "plan", "days": 11},
        {"reference": decided.child.reference, "stage": "decided", "days": 7},
        {"reference": agenda.child.reference, "stage": "agenda", "days": 5},
    ]


def test_the_page_says_where_each_case_stands(world, coordinator_client):
    world.on_agenda(world.referred(given_name="Alex"))
    world.decided(world.referred(given_name="Dana"), DecisionOutcome.DEFER)
    world.decided(world.referred(given_name="Sid"), DecisionOutcome.SIGNPOST)
    world.plan(world.referred(given_name="Pip"), review_in=-2)
    world.closed(world.referred(given_name="Cleo"))

    page = coordinator_client.get(PIPELINE).content.decode()

    assert f"Meeting on {world.next_meeting.starts_at:%-d %b %Y}" in page
    assert "Deferred: put it on an agenda" in page
    assert "Signpost to a mainstream service" in page
    assert "Keyworker: Kit Keyworker" in page
    assert "Review overdue" in page
    assert "Goals met" in page
    assert "Review overdue (1)" in page


def test_a_referred_case_says_what_it_waits_for(world, coordinator_client):
    to_check = world.referred(given_name="Ivo")
    Referral.objects.filter(pk=to_check.pk).update(identity_status=IdentityStatus.TO_CHECK)
    world.referred(given_name="Nell", consent=False)
    world.referred(given_name="Remy")

    response = coordinator_client.get(PIPELINE)
    rows = {row.child.given_name: row for row in response.context["cases"]}
    page = response.content.decode()

    assert rows["Ivo"].identity_to_check and not rows["Ivo"].awaiting_consent
    assert rows["Nell"].awaiting_consent and not rows["Nell"].identity_to_check
    assert not rows["Remy"].awaiting_consent and not rows["Remy"].identity_to_check
    assert page.count("Identity to check</strong>") == 1
    assert page.count("Awaiting consent to panel discussion") == 1
    assert page.count("Ready for an agenda") == 1


def test_a_child_referred_twice_is_one_case_at_the_stage_of_the_latest_referral(
    world, coordinator_client
):
    first = world.referred(days=400, given_name="Twice")
    world.closed(first, days=300)  # support ended long ago
    again = ReferralFactory(child=first.child, panel=world.panel)
    cases_refresh(first.child)

    response = coordinator_client.get(PIPELINE)

    assert response.context["counts"]["all"] == 1
    assert [(row.pk, row.stage) for row in response.context["cases"]] == [(again.pk, "referred")]


def test_cases_leave_the_pipeline_90_days_after_closure_or_a_final_decision(
    world, coordinator_client
):
    world.closed(world.referred(), days=91)
    world.decided(world.referred(), DecisionOutcome.NO_FURTHER_ACTION, days=91)
    world.closed(world.referred(), days=89)
    world.decided(world.referred(), DecisionOutcome.SIGNPOST, days=89)
    long_deferred = world.referred()
    world.decided(long_deferred, DecisionOutcome.DEFER, days=120)
    # A referral found not eligible is not a case at all.
    ReferralFactory(panel=world.panel, status=ReferralStatus.NOT_ELIGIBLE)

    counts = coordinator_client.get(PIPELINE).context["counts"]

    assert counts["all"] == 3
    assert (counts["closed"], counts["decided"]) == (1, 2)


def test_a_deferred_case_put_on_the_next_agenda_is_on_an_agenda_again(world, coordinator_client):
    referral = world.referred()
    world.decided(referral, DecisionOutcome.DEFER, days=10)
    item = world.on_agenda(referral, days=2)

    [row] = coordinator_client.get(PIPELINE).context["cases"]
    assert (row.stage, row.days_in_stage) == ("agenda", 2)

    AgendaItem.objects.filter(pk=item.pk).update(removed_at=timezone.now())
    cases_refresh(referral.child)
    [row] = coordinator_client.get(PIPELINE).context["cases"]
    assert (row.stage, row.outcome) == ("decided", DecisionOutcome.DEFER)


def test_a_superseded_decision_does_not_count(world, coordinator_client):
    referral = world.referred()
    decision = world.decided(referral, DecisionOutcome.SIGNPOST)
    Decision.objects.filter(pk=decision.pk).update(superseded_at=timezone.now())
    cases_refresh(referral.child)

    [row] = coordinator_client.get(PIPELINE).context["cases"]

    assert row.stage == "agenda"


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("referred", {"Rowan"}),
        ("agenda", {"Alex"}),
        ("decided", {"Dana"}),
        ("plan", {"Pip", "Olly"}),
        ("closed", {"Cleo"}),
        ("overdue", {"Olly"}),
        ("all", {"Rowan", "Alex", "Dana", "Pip", "Olly", "Cleo"}),
        ("no-such-stage", {"Rowan", "Alex", "Dana", "Pip", "Olly", "Cleo"}),
    ],
)
def test_the_stage_links_filter_the_cases(world, coordinator_client, stage, expected):
    world.referred(given_name="Rowan")
    world.on_agenda(world.referred(given_name="Alex"))
    world.decided(world.referred(given_name="Dana"))
    world.plan(world.referred(given_name="Pip"))
    world.plan(world.referred(given_name="Olly"), review_in=-1)
    world.closed(world.referred(given_name="Cleo"))

    response = coordinator_client.get(PIPELINE, {"stage": stage})

    assert {row.child.given_name for row in response.context["cases"]} == expected
    assert response.context["page"].paginator.count == len(expected)
    assert 'href="?stage=plan"' in response.content.decode()
    assert "Plan open (2)" in response.content.decode()


def test_fifty_cases_a_page_longest_waiting_first(world, coordinator_client):
    for day in range(60):
        world.referred(days=day)

    first = coordinator_client.get(PIPELINE)
    second = coordinator_client.get(PIPELINE, {"page": 2})

    assert len(first.context["cases"]) == 50
    assert len(second.context["cases"]) == 10
    days = [row.days_in_stage for row in [*first.context["cases"], *second.context["cases"]]]
    assert days == sorted(days, reverse=True)
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_the_page_costs_the_same_queries_for_5_cases_as_for_60(
    world, coordinator_client, django_assert_num_queries
):
    def cases(count: int) -> None:
        for number in range(count):
            referral = world.referred(days=number, consent=number % 2 == 0)
            stage = number % 5
            if stage == 1:
                world.on_agenda(referral)
            elif stage == 2:
                world.decided(referral, DecisionOutcome.DEFER)
            elif stage == 3:
                world.plan(referral, review_in=-1 if number % 2 else 5)
            elif stage == 4:
                world.closed(referral)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    views = ({}, {"stage": "plan"}, {"stage": "overdue"}, {"page": 2})
    cases(5)
    with_five = []
    for query in views:
        with CaptureQueriesContext(connection) as five:
            assert coordinator_client.get(PIPELINE, query).status_code == 200
        with_five.append(len(five))
    cases(55)
    for query, expected in zip(views, with_five, strict=True):
        with django_assert_num_queries(expected):
            response = coordinator_client.get(PIPELINE, query)
        assert response.context["cases"]
    assert len(response.context["cases"]) == 10


def test_the_coordinator_sees_the_childs_name_beside_the_pseudonym(world, coordinator_client):
    referral = world.referred(given_name="Zebedee", family_name="Quixwort")

    page = coordinator_client.get(PIPELINE).content.decode()

    assert "Quixwort" in page
    assert referral.child.pseudonym in page
    assert referral.child.reference in page


def test_another_panels_coordinator_sees_none_of_these_cases(world, sign_in):
    referral = world.referred(given_name="Zebedee", family_name="Quixwort")
    world.plan(referral)
    other = make_person(Role.PANEL_COORDINATOR)
    PanelMemberFactory(panel=PanelFactory(), user=other, role=PanelRole.COORDINATOR)

    response = sign_in(other).get(PIPELINE)
    page = response.content.decode()

    assert response.status_code == 200
    assert response.context["counts"]["all"] == 0
    assert "Quixwort" not in page and referral.child.pseudonym not in page
    assert "No open cases yet" in page


def test_a_coordinator_whose_seat_ended_sees_nothing(world, coordinator_client):
    world.referred()
    world.coordinator.panel_seats.update(ended_on=timezone.localdate())

    page = coordinator_client.get(PIPELINE).content.decode()

    assert "You do not coordinate a panel" in page


def test_only_coordinators_may_open_the_pipeline(world, sign_in):
    member = make_person(Role.PANEL_MEMBER)
    PanelMemberFactory(panel=world.panel, user=member, role=PanelRole.MEMBER)

    assert sign_in(member).get(PIPELINE).status_code == 403


def test_each_case_shown_is_recorded_in_the_audit_trail(world, coordinator_client):
    shown = [world.referred() for _ in range(3)]

    coordinator_client.get(PIPELINE)

    read = AuditEntry.objects.filter(
        actor=world.coordinator, verb=AuditVerb.READ, path=PIPELINE
    ).values_list("target_id", flat=True)
    assert sorted(read) == sorted(str(referral.pk) for referral in shown)


def test_the_coordinator_finds_the_pipeline_from_the_navigation_and_the_panel_list(
    world, coordinator_client
):
    start = coordinator_client.get(reverse("core:start")).content.decode()
    panels = coordinator_client.get(reverse("panels:panel_list")).content.decode()

    assert len(re.findall(r'href="/panels/pipeline/"', start)) >= 1
    assert 'href="/panels/pipeline/"' in panels
    assert reverse("panels:pipeline") == PIPELINE


def test_a_stage_with_no_cases_says_so(world, coordinator_client):
    world.referred()

    page = coordinator_client.get(PIPELINE, {"stage": "closed"}).content.decode()

    assert "No cases at this stage" in page
