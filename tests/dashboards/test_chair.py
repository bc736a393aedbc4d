"""The panel chair's dashboard: actions overdue and attendance by agency, and meetings that
were not quorate, for each panel they chair."""

from datetime import timedelta
from html import escape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.actions.models import ActionStatus
from joinedup.core.roles import Role
from joinedup.panels.models import Attendance, AttendanceStatus, PanelRole
from tests.conftest import make_person, sign_in_client
from tests.dashboards.world import queries_for
from tests.factories import (
    ActionFactory,
    MeetingFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
)

URL = reverse("dashboards:chair")


@pytest.fixture
def world(db, client):
    panel = PanelFactory(name="Easton panel")
    police, school, youth = (
        OrganisationFactory(name=name) for name in ("Police", "School", "Youth service")
    )
    chair = make_person(Role.PANEL_CHAIR, full_name="Chris Chair")
    seats = SimpleNamespace(
        chair=PanelMemberFactory(
            panel=panel,
            user=chair,
            organisation=youth,
            role=PanelRole.CHAIR,
            has_delegated_authority=True,
        ),
        police=PanelMemberFactory(panel=panel, organisation=police, role=PanelRole.MEMBER),
        school=PanelMemberFactory(panel=panel, organisation=school, role=PanelRole.MEMBER),
        school_2=PanelMemberFactory(panel=panel, organisation=school, role=PanelRole.MEMBER),
    )
    return SimpleNamespace(
        panel=panel,
        chair=chair,
        seats=seats,
        orgs=SimpleNamespace(police=police, school=school, youth=youth),
        client=sign_in_client(client, chair),
    )


def _meeting(world, days_ago: int, statuses: dict[str, str]):
    meeting = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=days_ago))
    for seat, status in statuses.items():
        Attendance.objects.create(meeting=meeting, member=getattr(world.seats, seat), status=status)
    return meeting


def _everyone(status_of_police: str = AttendanceStatus.PRESENT) -> dict[str, str]:
    return {
        "chair": AttendanceStatus.PRESENT,
        "police": status_of_police,
        "school": AttendanceStatus.PRESENT,
        "school_2": AttendanceStatus.PRESENT,
    }


def test_actions_by_agency_with_overdue_and_completion_in_the_last_12_months(world):
    today = timezone.localdate()
    police = world.orgs.police
    ActionFactory(panel=world.panel, organisation=police, due_on=today - timedelta(days=3))
    ActionFactory(
        panel=world.panel,
        organisation=police,
        due_on=today - timedelta(days=20),
        status=ActionStatus.DONE,
        completed_at=timezone.now(),
    )
    ActionFactory(panel=world.panel, organisation=world.orgs.school, due_on=today + timedelta(5))
    ActionFactory(organisation=police, due_on=today - timedelta(days=3))  # another panel's

    response = world.client.get(URL)

    [chaired] = response.context["panels"]
    by_agency = {a.organisation: a for a in chaired.actions}
    assert (by_agency["Police"].open, by_agency["Police"].overdue) == (1, 1)
    assert (by_agency["Police"].due, by_agency["Police"].done) == (2, 1)
    assert by_agency["Police"].completion_rate == 50
    assert (by_agency["School"].open, by_agency["School"].overdue) == (1, 0)
    assert by_agency["School"].completion_rate is None
    assert chaired.overdue == 1
    assert "1 (50%)" in response.content.decode()


def test_attendance_by_agency_and_meetings_that_were_not_quorate(world):
    quorate = _meeting(world, 30, _everyone())
    short = _meeting(
        world,
        60,
        {
            "chair": AttendanceStatus.PRESENT,
            "police": AttendanceStatus.APOLOGIES,
            "school": AttendanceStatus.ABSENT,
            "school_2": AttendanceStatus.ABSENT,
        },
    )
    unrecorded = MeetingFactory(panel=world.panel, starts_at=timezone.now() - timedelta(days=90))
    _meeting(world, 400, _everyone(AttendanceStatus.ABSENT))  # over a year ago

    response = world.client.get(URL)

    [chaired] = response.context["panels"]
    assert chaired.meetings_held == 3
    attendance = {a.organisation: a for a in chaired.attendance}
    assert (attendance["Police"].meetings, attendance["Police"].present) == (2, 1)
    assert (attendance["Police"].apologies, attendance["Police"].absent) == (1, 0)
    # Two school seats: the school was in the room when either of them was.
    assert (attendance["School"].meetings, attendance["School"].absent) == (2, 1)
    problems = [p.meeting.pk for p in chaired.quorum_problems]
    assert problems == [short.pk, unrecorded.pk]
    assert quorate.pk not in problems
    text = response.content.decode()
    assert "Not quorate: attendance has not been recorded" in text
    assert reverse("panels:meeting_detail", kwargs={"meeting_id": short.pk}) in text
    # Agencies, never the members' names.
    assert escape(world.seats.police.user.full_name) not in text


def test_a_chair_without_a_panel_and_a_quiet_panel_read_plain_words(world, client):
    text = world.client.get(URL).content.decode()
    assert "The panel has no open actions" in text
    assert "No attendance recorded" in text
    assert "The panel has not met in the last 12 months" in text
    other = make_person(Role.PANEL_CHAIR)
    text = sign_in_client(client, other).get(URL).content.decode()
    assert "You do not chair a panel at the moment" in text


def test_the_dashboard_costs_the_same_queries_for_many_meetings_and_actions(
    world, django_assert_num_queries
):
    _meeting(world, 10, _everyone())
    ActionFactory(panel=world.panel, organisation=world.orgs.police)
    few = queries_for(world.client, URL)
    second = PanelFactory()
    PanelMemberFactory(panel=second, user=world.chair, role=PanelRole.CHAIR)
    for n in range(20):
        _meeting(world, 12 + n * 7, _everyone(AttendanceStatus.APOLOGIES))
        ActionFactory(
            panel=world.panel,
            organisation=OrganisationFactory(),
            due_on=timezone.localdate() - timedelta(days=n),
        )
        ActionFactory(panel=second, organisation=world.orgs.police)
    with django_assert_num_queries(few):
        response = world.client.get(URL)
    assert len(response.context["panels"]) == 2
