"""The information governance officer records a subject access request for a demo child,
downloads everything held about the child as JSON, then reads the retention periods and the
report of a retention run. axe-core runs on every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.children.models import Child
from joinedup.demo.loader import load_demo_data
from joinedup.records.models import SubjectAccessRequest
from joinedup.records.sar import SECTIONS
from joinedup.records.services import retention_apply

from .conftest import assert_accessible
from .signing_in import sign_in

OFFICER = "ig.officer@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_officer_records_a_request_downloads_the_json_and_reads_the_run_report(
    page: Page, demo
) -> None:
    checked: list[str] = []
    child = Child.objects.filter(referrals__isnull=False, merged_into__isnull=True).first()
    assert child is not None
    sign_in(page, OFFICER, checked=checked)

    page.get_by_role("link", name="Record a subject access request").click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    expect(page.get_by_text("No subject access requests have been recorded yet.")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Record a request").click()
    expect(page.get_by_role("heading", name="Record a subject access request")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Record the request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the child's JoinedUp reference")
    expect(summary).to_contain_text("Select who made the request")
    assert_accessible(page, checked)

    today = timezone.localdate()
    page.get_by_label("The child's JoinedUp reference").fill(child.reference)
    page.get_by_label("Who made the request?").fill("A parent")
    page.get_by_label("A parent or carer with parental responsibility").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record the request").click()
    expect(
        page.get_by_role("heading", name=f"Everything held about {child.pseudonym}")
    ).to_be_visible()
    assert_accessible(page, checked)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["child"]["reference"] == child.reference
    assert {key for key, _ in SECTIONS} <= set(data)
    assert SubjectAccessRequest.objects.get().exported_at is not None

    retention_apply(today=today, dry_run=True, started_by="journey")
    page.get_by_role("link", name="Retention", exact=True).click()
    expect(page.get_by_role("heading", name="Retention periods")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="See what each run of the retention job anonymised").click()
    expect(page.get_by_role("heading", name="Retention runs")).to_be_visible()
    assert_accessible(page, checked)
    page.locator("table.govuk-table tbody a").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Report of"))).to_be_visible()
    expect(page.get_by_text("Dry run: nothing was changed")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Retention", exact=True).click()
    page.get_by_role("link", name="Change the period for closed case").click()
    expect(page.get_by_role("heading", name="Change the retention period")).to_be_visible()
    assert_accessible(page, checked)
    assert len(checked) >= 8
