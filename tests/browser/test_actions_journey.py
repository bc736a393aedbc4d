"""Actions in Chromium, on the demo data: the coordinator records an action from a meeting,
the owner finds it under Actions for me and in the notification count, records it done, and the
chair's report shows the agency's completion. axe-core runs on every page visited."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.accounts.models import Membership
from joinedup.actions.models import Action, ActionStatus
from joinedup.core.roles import Role
from joinedup.demo.loader import load_demo_data
from joinedup.notifications.models import Notification
from joinedup.panels.models import AgendaItem

from .conftest import assert_accessible
from .signing_in import sign_in

TITLE = "Ask the neighbourhood team about the park after dark"


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_an_action_from_a_meeting_is_done_by_its_owner_and_counted_for_the_agency(
    page: Page, demo
) -> None:
    checked: list[str] = []
    item = AgendaItem.objects.select_related("meeting__panel", "child").get(
        child__given_name="Mohammed", removed_at=None, meeting__starts_at__gt=timezone.now()
    )
    sergeant = Membership.objects.active().get(
        user__email="panel.member@demo.joinedup.test", role=Role.PANEL_MEMBER
    )
    agency = sergeant.organisation.name

    # The coordinator records an action from the meeting, about the case on its agenda.
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)
    page.goto(f"/actions/new/?meeting={item.meeting.pk}&item={item.pk}")
    expect(page.get_by_role("heading", name="Record an action")).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_label(f"{item.child.pseudonym} ({item.child.reference})")).to_be_checked()
    page.get_by_role("button", name="Record the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what is to be done")
    assert_accessible(page, checked)
    page.get_by_label("What is to be done?").fill(TITLE)
    page.get_by_label("Who will do it?").select_option(
        label=f"{sergeant.user.display_name}, {agency}"
    )
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been told")
    # The coordinator of the child's panel may know who the child is (need to know).
    expect(page.locator("main")).to_contain_text(item.child.family_name)
    assert_accessible(page, checked)
    _sign_out(page)

    # The owner sees it counted in the header and under Actions for me, and records it done.
    sign_in(page, "panel.member@demo.joinedup.test", checked=checked)
    unread = Notification.objects.filter(recipient=sergeant.user, read_at=None).count()
    expect(page.locator(".app-header__count")).to_have_text(str(unread))
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.locator("main")).to_contain_text(item.child.reference)
    assert_accessible(page, checked)
    page.get_by_role("link", name="Actions for me").click()
    expect(page.get_by_role("heading", name="Actions for me")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Due today")
    assert_accessible(page, checked)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    # The owner sits on the panel but is not in the team around the child: pseudonym only.
    expect(page.locator("main")).to_contain_text(item.child.pseudonym)
    expect(page.locator("main")).not_to_contain_text(item.child.family_name)
    assert_accessible(page, checked)
    page.get_by_role("link", name="Record it done").click()
    expect(page.get_by_role("heading", name="Record the action done")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("What was done?").fill("Spoke to the neighbourhood sergeant on Monday.")
    page.get_by_role("button", name="Record as done").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recorded as done")
    assert_accessible(page, checked)
    assert Action.objects.get(title=TITLE).status == ActionStatus.DONE
    _sign_out(page)

    # The chair's report shows the agency's completion.
    sign_in(page, "panel.chair@demo.joinedup.test", checked=checked)
    page.get_by_role("link", name="Actions for me").click()
    expect(page.get_by_role("heading", name="Actions for me")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=f"{item.meeting.panel.name}: actions by agency").click()
    expect(page.get_by_role("heading", name="Actions by agency")).to_be_visible()
    row = page.get_by_role("table").first.get_by_role("row", name=agency)
    # The demo's two police actions (one done, one overdue) and this one, done: 2 of 3.
    expect(row).to_contain_text("67%")
    expect(page.locator("main")).to_contain_text("To review at the next meeting")
    assert_accessible(page, checked)
    assert len(checked) >= 12
