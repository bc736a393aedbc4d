"""Reminders in Chromium, on the demo data: the reminders job reminds the demo keyworker of a
plan review coming up; they see the count in the header, open the notice and land on the plan,
then choose how they are emailed about reminders. axe-core runs on every page visited."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data
from joinedup.notifications.models import Notification, NotificationPreference
from joinedup.plans.models import Plan, PlanStatus

from .conftest import assert_accessible
from .signing_in import sign_in

KEYWORKER = "keyworker@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_a_keyworker_with_a_review_due_sees_the_notice_opens_it_and_changes_preferences(
    page: Page, demo
) -> None:
    checked: list[str] = []
    # The demo keyworker leads more than one plan: one review is brought forward.
    plan = (
        Plan.objects.select_related("child", "keyworker")
        .filter(keyworker__email=KEYWORKER, status=PlanStatus.OPEN)
        .order_by("child__reference")
        .first()
    )
    assert plan is not None
    Plan.objects.filter(pk=plan.pk).update(next_review_on=timezone.localdate() + timedelta(days=3))
    call_command("send_reminders", stdout=StringIO())
    notice = Notification.objects.get(
        recipient=plan.keyworker, kind="review_due", text__contains=plan.child.reference
    )
    assert plan.child.given_name not in notice.text and plan.child.family_name not in notice.text

    sign_in(page, KEYWORKER, checked=checked)
    unread = Notification.objects.filter(recipient=plan.keyworker, read_at=None).count()
    expect(page.locator(".app-header__count")).to_have_text(str(unread))
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{plan.child.pseudonym} ({plan.child.reference})")
    assert_accessible(page, checked)

    # Opening the notice goes to the plan and marks it read.
    page.get_by_role("link", name=notice.text).click()
    expect(page.get_by_role("heading", name="Intervention plan")).to_be_visible()
    assert_accessible(page, checked)
    notice.refresh_from_db()
    assert notice.read_at is not None

    # From the notices, the keyworker chooses a weekly email of reviews; turning off
    # reminders of referrals waiting is not offered.
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role("link", name="Choose how you hear of reminders").click()
    expect(page.get_by_role("heading", name="Reminders and emails")).to_be_visible()
    assert_accessible(page, checked)
    reviews = page.get_by_role("group", name="Plan reviews due and overdue")
    expect(reviews.get_by_label("In JoinedUp, and one email a day listing them")).to_be_checked()
    expect(reviews.get_by_label("Not at all")).to_have_count(0)
    reviews.get_by_label("In JoinedUp, and one email a week listing them").check()
    page.get_by_role("group", name="Consent coming to an end").get_by_label("Not at all").check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your choices for reminders are saved."
    )
    expect(reviews.get_by_label("In JoinedUp, and one email a week listing them")).to_be_checked()
    assert_accessible(page, checked)
    assert dict(
        NotificationPreference.objects.filter(user=plan.keyworker).values_list("kind", "delivery")
    ) == {"reviews": "weekly", "consents": "off"}

    # And from the account page.
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("link", name="Change reminders and emails").click()
    expect(page.get_by_role("heading", name="Reminders and emails")).to_be_visible()
    assert len(checked) >= 6
