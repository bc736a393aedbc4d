"""A panel member who attended a meeting two days ago is reminded on their home page, gives
the anonymous pulse, and sees that results wait for the pulse to close: each page axe-clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from joinedup.panels.models import Attendance, AttendanceStatus, PanelRole
from joinedup.reports.models_reflections import PulseAnswer, PulseGiven
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelFactory,
    PanelMemberFactory,
    TOTPDeviceFactory,
    UserFactory,
)

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "pulse.member@example.org"


@pytest.fixture
def attendee(transactional_db):
    member = UserFactory(email=EMAIL, full_name="Pat Pulse")
    member.set_password(DEMO_PASSWORD)
    member.save()
    organisation = OrganisationFactory()
    MembershipFactory(user=member, role=Role.PANEL_MEMBER, organisation=organisation)
    TOTPDeviceFactory(user=member)
    panel = PanelFactory(name="Easton panel", slug="easton-panel")
    seat = PanelMemberFactory(
        panel=panel,
        user=member,
        organisation=organisation,
        role=PanelRole.MEMBER,
        started_on=timezone.localdate() - timedelta(days=60),
    )
    meeting = MeetingFactory(panel=panel, starts_at=timezone.now() - timedelta(days=2))
    Attendance.objects.create(meeting=meeting, member=seat, status=AttendanceStatus.PRESENT)
    return meeting


def test_an_attendee_gives_the_pulse_after_a_meeting(page: Page, attendee) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    expect(page.get_by_role("heading", name="Meetings to reflect on")).to_be_visible()
    page.get_by_role("link", name="How was the Easton panel").click()
    expect(page.get_by_role("heading", name="How was the meeting?")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("group", name="How useful was the meeting?").get_by_label("4").check()
    page.get_by_role("group", name="How far did you feel heard?").get_by_label("5: very").check()
    page.get_by_label("Partly").check()
    page.get_by_label("Your reflection (optional)").fill("Good chairing; we ran over time.")
    page.get_by_role("button", name="Send your answers").click()

    expect(page.get_by_role("heading", name="Reflections on the meetings")).to_be_visible()
    expect(page.get_by_text("The pulse is open until")).to_be_visible()
    assert_accessible(page, checked)
    assert (PulseGiven.objects.count(), PulseAnswer.objects.get().heard) == (1, 5)

    page.goto("/")
    expect(page.get_by_role("heading", name="What you can do next")).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings to reflect on")).to_have_count(0)
