"""The information governance officer answers a subject access request: produces the copy,
records that it was released (the redactions then frozen), sees the list with its status, and
corrects a household member's telephone on the child's rights page. axe-core runs on every
page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.children.models import Child
from joinedup.demo.loader import load_demo_data
from joinedup.records.models import SarStatus, SubjectAccessRequest
from joinedup.records.services import SarDetails, sar_create

from .conftest import assert_accessible
from .signing_in import sign_in

OFFICER = "ig.officer@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_officer_releases_a_copy_and_corrects_a_household_member(page: Page, demo) -> None:
    checked: list[str] = []
    child = Child.objects.filter(household__isnull=False, merged_into__isnull=True).first()
    assert child is not None
    today = timezone.localdate()
    access_request = sar_create(
        actor=None,
        details=SarDetails(
            reference=child.reference,
            requester_name="A parent",
            requester="parent",
            received_on=today,
        ),
    )
    sign_in(page, OFFICER, checked=checked)

    page.get_by_role("link", name="Record a subject access request").click()
    page.get_by_role("link", name=access_request.short_id).click()
    expect(
        page.get_by_role("heading", name=f"Everything held about {child.pseudonym}")
    ).to_be_visible()
    with page.expect_download():
        page.get_by_role("link", name="Download the JSON").click()

    page.get_by_role("link", name="Record that the copy was released").click()
    expect(page.get_by_role("heading", name="Record that the copy was released")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Record the release").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how the copy was sent")
    assert_accessible(page, checked)
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Secure email").check()
    page.get_by_label("Who was it released to?").fill("A parent")
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_text("Recorded: the copy was released")).to_be_visible()
    assert_accessible(page, checked)
    assert SubjectAccessRequest.objects.get().status == SarStatus.RELEASED

    page.get_by_role("link", name="Back to subject access requests").click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Released")
    assert_accessible(page, checked)

    page.goto(page.url.split("/subject-access/")[0] + f"/children/{child.reference}/")
    page.get_by_role("link", name="Correct a household member's details").click()
    expect(page.get_by_role("heading", name="Correct a household member's details")).to_be_visible()
    assert_accessible(page, checked)
    page.locator("input[name=member]").first.check()
    page.get_by_label("Which of their details is wrong?").select_option("telephone")
    page.get_by_label("What should it say?").fill("0117 496 0999")
    page.get_by_label("Who asked for the correction?").fill("A parent")
    page.get_by_label("Why was the record wrong?").fill("The number changed")
    page.get_by_role("button", name="Correct the details").click()
    expect(page.get_by_text("The household member's details are corrected")).to_be_visible()
    assert_accessible(page, checked)
    assert len(checked) >= 6
