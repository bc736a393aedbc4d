"""The panel meeting in Chromium, on the demo data: the coordinator records attendance, sees the
meeting quorate, records a member's declaration of interest and the decision on Mohammed's case
with its reasons (the prioritisation rule's evaluation on the form), generates and edits the
minutes, and records their approval at the next meeting. axe-core runs on every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.accounts.models import Membership
from joinedup.core.roles import Role
from joinedup.demo.loader import load_demo_data
from joinedup.panels.models import AgendaItem, Decision, Meeting, Minutes, PanelMember, PanelRole

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def meeting(transactional_db):
    """Mohammed's case is on the Easton panel's agenda for a meeting that started yesterday;
    the youth worker sits on the panel too; the panel met again a few minutes ago."""
    load_demo_data()
    # His case is also on the last meeting's agenda (the demo's actions came from it).
    item = AgendaItem.objects.select_related("meeting__panel", "child").get(
        child__given_name="Mohammed", removed_at=None, meeting__starts_at__gt=timezone.now()
    )
    meeting = item.meeting
    meeting.starts_at = timezone.now() - timedelta(days=1)
    meeting.save()
    panel = meeting.panel
    youth = Membership.objects.active().get(
        user__email="keyworker@demo.joinedup.test", role=Role.PANEL_MEMBER
    )
    PanelMember.objects.create(
        panel=panel,
        user=youth.user,
        organisation=youth.organisation,
        role=PanelRole.MEMBER,
        started_on=timezone.localdate() - timedelta(days=400),
    )
    later = Meeting.objects.create(
        panel=panel, starts_at=timezone.now() - timedelta(minutes=5), location="Online"
    )
    return {
        "item": item,
        "meeting": meeting,
        "later": later,
        "youth_worker": youth.user,
        "youth_seat": f"{youth.user.display_name}, {youth.organisation.name}",
    }


def test_coordinator_runs_the_meeting_from_attendance_to_approved_minutes(
    page: Page, meeting
) -> None:
    checked: list[str] = []
    item = meeting["item"]
    child = item.child
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.goto(f"/panels/meetings/{meeting['meeting'].pk}/")
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
    expect(page.locator("#main-content")).to_contain_text("attendance has not been recorded")
    assert_accessible(page, checked)

    # Attendance: everyone came.
    page.get_by_role("link", name="Record attendance and apologies").click()
    expect(page.get_by_role("heading", name="Attendance and apologies")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether")
    assert_accessible(page, checked)
    for group in page.locator("fieldset").all():
        group.get_by_label("Present", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()

    # Quorum shown before decisions.
    expect(page.locator("#main-content")).to_contain_text("Quorate: 4 members from 4 agencies")
    assert_accessible(page, checked)

    # The youth worker knows the family: a declaration, recorded by the coordinator.
    page.get_by_role("link", name="Declare an interest").click()
    expect(page.get_by_role("heading", name="Declare an interest")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Who is declaring an interest?").select_option(label=meeting["youth_seat"])
    page.get_by_label(f"The case of {child.pseudonym}", exact=False).check()
    page.get_by_label("What is the interest?").fill("Runs the youth project the family uses")
    page.get_by_role("button", name="Record the declaration").click()
    expect(page.locator("#main-content")).to_contain_text("Runs the youth project")
    assert_accessible(page, checked)

    # The decision, with the rule's evaluation and its numbers on the form.
    page.get_by_role(
        "link", name=re.compile(f"Record the decision.*{re.escape(child.pseudonym)}")
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Decision on"))).to_be_visible()
    expect(page.locator("#case-quorum")).to_contain_text("Quorate: 3 members from 3 agencies")
    expect(page.locator("#case-quorum")).to_contain_text(meeting["youth_worker"].display_name)
    evaluation = page.locator("#rule-evaluation")
    expect(evaluation).to_contain_text("4 or more risk factors present")
    expect(evaluation).to_contain_text("Rule met")
    expect(evaluation).to_contain_text("4 in Version 1")
    assert_accessible(page, checked)
    page.get_by_role("radio", name="Integrated support plan").check()
    page.get_by_label("Reasons for the decision").fill(
        f"{child.given_name} is missing school and spending evenings with older boys."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Use the pseudonym")
    assert_accessible(page, checked)
    page.get_by_label("Reasons for the decision").fill(
        f"{child.pseudonym} is missing school and spending evenings with older boys; his "
        "mother asks for help and he wants to go back to football."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    expect(page.locator("#main-content")).to_contain_text("Integrated support plan")
    assert_accessible(page, checked)
    decision = Decision.objects.get()
    assert decision.rule_snapshot["met"] and decision.rule_snapshot["risk_factors_count"] == 4

    # Minutes: generated from the record, then edited.
    page.get_by_role("link", name="Write the minutes").click()
    expect(page.get_by_role("heading", name="Minutes")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Generate the minutes").click()
    minutes_text = page.locator("#minutes-text")
    expect(minutes_text).to_contain_text(f"{child.pseudonym} ({child.reference})")
    expect(minutes_text).to_contain_text("Decision: Integrated support plan")
    expect(minutes_text).to_contain_text("Prioritisation rule (the default rule): met")
    assert child.given_name not in minutes_text.inner_text()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Edit the draft").click()
    expect(page.get_by_role("heading", name="Edit the draft minutes")).to_be_visible()
    assert_accessible(page, checked)
    box = page.get_by_label("Minutes", exact=True)
    box.fill(box.input_value() + "\nAny other business: none.")
    page.get_by_role("button", name="Save the draft").click()
    expect(minutes_text).to_contain_text("Any other business: none.")
    assert_accessible(page, checked)

    # Generating again warns before replacing the edits; keep them.
    page.get_by_role("button", name="Generate again from the record").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("The draft has been edited")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Keep the edited draft").click()
    expect(minutes_text).to_contain_text("Any other business: none.")

    # At the next meeting, the panel approves them.
    page.goto(f"/panels/meetings/{meeting['later'].pk}/")
    expect(
        page.get_by_role("heading", name="Minutes of earlier meetings to approve")
    ).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Record approval of the minutes").click()
    expect(page.get_by_role("heading", name="Record approval of the minutes")).to_be_visible()
    assert_accessible(page, checked)
    day = timezone.localtime(meeting["meeting"].starts_at)
    page.get_by_label(re.compile(f"{day:%A %-d %B %Y}")).check()
    page.get_by_role("button", name="Record the approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approval of the minutes")
    assert_accessible(page, checked)
    minutes = Minutes.objects.get(meeting=meeting["meeting"])
    assert minutes.approved_at_meeting == meeting["later"] and minutes.is_edited

    page.goto(f"/panels/meetings/{meeting['meeting'].pk}/minutes/")
    expect(page.locator("#main-content")).to_contain_text("Approved minutes are read only")
    expect(page.get_by_role("link", name="Edit the draft")).to_have_count(0)
    assert_accessible(page, checked)

    # The chair's view of attendance over time.
    page.goto(f"/panels/{meeting['meeting'].panel.slug}/attendance/")
    expect(page.get_by_role("heading", name="By agency")).to_be_visible()
    assert_accessible(page, checked)
    page.goto(f"/panels/{meeting['meeting'].panel.slug}/prioritisation/")
    expect(page.get_by_role("heading", name="Prioritisation rule")).to_be_visible()
    assert_accessible(page, checked)
    page.goto(f"/panels/{meeting['meeting'].panel.slug}/quorum/")
    expect(page.get_by_role("heading", name="Quorum", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    assert len(checked) >= 20
