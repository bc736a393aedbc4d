"""The rules of the fields that are not the child's: decisions, plans, services, assessments,
attendance and actions, each against a hand-built handful of records."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from joinedup.actions.models import Action
from joinedup.assessments.models import Assessment, AssessmentStatus, DomainRating
from joinedup.panels.models import AgendaItem, Attendance, Decision, Meeting, PanelRole
from joinedup.plans.models import Intervention, Plan, PlanStatus
from joinedup.referrals.models import Referral
from joinedup.reports.quality import completeness, records_to_fix
from joinedup.reports.tables import Completeness, Period, Scope
from tests.factories import (
    ActionFactory,
    AssessmentFactory,
    ChildFactory,
    DomainFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def panel():
    return PanelFactory()


def scope(panel) -> Scope:
    return Scope(kind="panel", panel=panel)


def _plan(panel, child, **fields) -> Plan:
    values = {
        "keyworker": UserFactory(),
        "keyworker_organisation": OrganisationFactory(),
        "panel": panel,
        "opened_on": date(2026, 3, 5),
        "next_review_on": date(2026, 6, 5),
        **fields,
    }
    plan = Plan.objects.create(child=child, **values)
    return plan


def test_decisions_on_cases_of_past_meetings(panel):
    meeting = MeetingFactory(panel=panel, starts_at=at(date(2026, 3, 10)))
    later = MeetingFactory(panel=panel, starts_at=at(date(2026, 4, 10)))
    items = [AgendaItem.objects.create(meeting=meeting, child=ChildFactory()) for _ in range(4)]
    Decision.objects.create(item=items[0], outcome="support_plan", rationale="Agreed.")
    # Signposted without saying where: recorded, not valid.
    Decision.objects.create(item=items[1], outcome="signpost", rationale="Elsewhere.")
    Decision.objects.create(item=items[2], outcome="defer", rationale="More", deferred_to=later)
    # items[3]: no decision. A case taken off the agenda is not counted.
    AgendaItem.objects.create(meeting=meeting, child=ChildFactory(), removed_at=timezone.now())

    assert completeness(["decision.outcome"], scope=scope(panel), period=MARCH) == Completeness(
        2, 4
    )
    rows, total = records_to_fix("decision.outcome", panel=panel, period=MARCH)
    assert total == 2
    problems = {row.record.pk: row.problem for row in rows}
    assert problems[items[3].pk].startswith("The case was on the agenda")
    assert problems[items[1].pk].startswith("The decision does not say")
    assert rows[0].fix_url.endswith(f"/agenda/{rows[0].record.pk}/decision/")


def test_plan_opened_on_and_closure(panel):
    child = ChildFactory(date_of_birth=date(2015, 1, 1))
    ok = _plan(
        panel,
        child,
        status=PlanStatus.CLOSED,
        closed_on=date(2026, 3, 20),
        outcome="goals_met",
        outcome_reason="Back at school every day.",
    )
    backwards = _plan(
        panel,
        ChildFactory(date_of_birth=date(2015, 1, 1)),
        status=PlanStatus.CLOSED,
        closed_on=date(2026, 3, 1),
        outcome="other",
        outcome_reason="",
    )
    future = _plan(panel, ChildFactory(), opened_on=timezone.localdate() + timedelta(days=30))
    Plan.objects.filter(pk__in=[ok.pk, backwards.pk, future.pk]).update(
        created_at=at(date(2026, 3, 21))
    )
    # Opened: the plan that closed before it opened, and the one opening in the future, fail.
    assert completeness(["plan.opened_on"], scope=scope(panel), period=MARCH) == Completeness(1, 3)
    # Closed in March: two plans; only the first has outcome and reason and sound dates.
    assert completeness(["plan.outcome"], scope=scope(panel), period=MARCH) == Completeness(1, 2)
    assert completeness(["plan.outcome_reason"], scope=scope(panel), period=MARCH) == Completeness(
        1, 2
    )
    rows, _ = records_to_fix("plan.outcome_reason", panel=panel, period=MARCH)
    assert rows[0].problem == "The plan is closed without a reason"


def test_services_start_on_or_after_the_referral(panel):
    child = ChildFactory()
    referral = ReferralFactory(child=child, panel=panel)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=at(date(2026, 3, 10), hour=23))
    plan = _plan(panel, child)
    same_day = Intervention.objects.create(
        plan=plan,
        service="Mentoring",
        provider_name="Youth project",
        starts_on=date(2026, 3, 10),
        frequency="Weekly",
    )
    before = Intervention.objects.create(
        plan=plan,
        service="Football",
        provider_name="Club",
        starts_on=date(2026, 3, 9),
        frequency="Weekly",
    )
    Intervention.objects.filter(pk__in=[same_day.pk, before.pk]).update(
        created_at=at(date(2026, 3, 12))
    )
    assert completeness(
        ["intervention.starts_on"], scope=scope(panel), period=MARCH
    ) == Completeness(1, 2)
    rows, _ = records_to_fix("intervention.starts_on", panel=panel, period=MARCH)
    assert [row.record.pk for row in rows] == [before.pk]
    assert rows[0].problem == "The service starts before the child was first referred"


def test_assessment_ratings_every_area_rated(panel):
    areas = [DomainFactory(panel=panel) for _ in range(2)]
    done, gap = [], None
    for n in range(3):
        assessment = AssessmentFactory(panel=panel, assessed_on=date(2026, 3, 1), version=1)
        done.append(assessment)
        DomainRating.objects.create(assessment=assessment, domain=areas[0], rating=0)
        DomainRating.objects.create(
            assessment=assessment, domain=areas[1], rating=None if n == 2 else 2, evidence="Seen."
        )
        gap = assessment
    Assessment.objects.filter(pk__in=[a.pk for a in done]).update(
        status=AssessmentStatus.COMPLETED, completed_at=at(date(2026, 3, 3))
    )
    # A draft is not counted.
    AssessmentFactory(panel=panel)
    assert completeness(["assessment.ratings"], scope=scope(panel), period=MARCH) == Completeness(
        2, 3
    )
    rows, _ = records_to_fix("assessment.ratings", panel=panel, period=MARCH)
    assert [row.record.pk for row in rows] == [gap.pk]


def test_attendance_for_every_seated_member(panel):
    seats = [
        PanelMemberFactory(panel=panel, role=PanelRole.MEMBER, started_on=date(2026, 1, 1))
        for _ in range(2)
    ]
    full = MeetingFactory(panel=panel, starts_at=at(date(2026, 3, 3)))
    partial = MeetingFactory(panel=panel, starts_at=at(date(2026, 3, 17)))
    MeetingFactory(panel=panel, starts_at=at(date(2026, 3, 24)))  # nothing recorded
    for seat in seats:
        Attendance.objects.create(meeting=full, member=seat, status="present")
    Attendance.objects.create(meeting=partial, member=seats[0], status="apologies")
    assert completeness(["attendance.status"], scope=scope(panel), period=MARCH) == Completeness(
        1, 3
    )
    rows, _ = records_to_fix("attendance.status", panel=panel, period=MARCH)
    assert [row.problem for row in rows] == [
        "Attendance is missing for some members, or a deputy is not named",
        "No attendance recorded for the meeting",
    ]
    assert Meeting.objects.count() == 3


def test_actions_completed_no_earlier_than_agreed(panel):
    meeting = MeetingFactory(panel=panel, starts_at=at(date(2026, 3, 3)))
    good = ActionFactory(meeting=meeting, due_on=date(2026, 3, 20))
    early = ActionFactory(meeting=meeting, due_on=date(2026, 3, 21))
    ActionFactory(meeting=meeting, due_on=date(2026, 3, 22))  # open: not counted
    Action.objects.filter(pk=good.pk).update(
        status="done", created_at=at(date(2026, 3, 3)), completed_at=at(date(2026, 3, 15))
    )
    Action.objects.filter(pk=early.pk).update(
        status="done", created_at=at(date(2026, 3, 3)), completed_at=at(date(2026, 3, 1))
    )
    assert completeness(["action.completed_at"], scope=scope(panel), period=MARCH) == Completeness(
        1, 2
    )
