"""The demo keyworker adds support to Mohammed Ali's plan by finding it in the service
directory: a search, the results as radio buttons saying who runs each service, for what ages
and needs, then the plan shows the service with how to refer. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.plans.models import Intervention, Plan

from .conftest import assert_accessible
from .signing_in import sign_in
from .test_assessment_journey import KEYWORKER


@pytest.fixture
def demo(transactional_db):
    from joinedup.demo.loader import load_demo_data

    return load_demo_data()


def test_keyworker_finds_the_support_in_the_directory(page: Page, demo) -> None:
    checked: list[str] = []
    plan = Plan.objects.select_related("child").get(child__given_name="Mohammed")
    sign_in(page, KEYWORKER, checked=checked)
    page.get_by_role("link", name="My caseload").first.click()
    page.get_by_role("link", name=plan.child.known_as).click()
    expect(page.get_by_role("heading", name="Intervention plan")).to_be_visible()
    # Support already linked to the directory shows how to refer.
    expect(page.get_by_role("link", name=re.compile("^Weekly mentoring"))).to_be_visible()

    page.get_by_role("link", name="Add support").click()
    expect(page.get_by_role("heading", name="Add support")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Find the service in the directory").fill("outdoor")
    page.get_by_role("button", name="Search the directory").click()
    results = page.get_by_role("group", name="Choose the service")
    expect(results).to_be_visible()
    expect(
        results.get_by_text(re.compile(r"Bristol Youth Service\.\s+Ages 11 to 17"))
    ).to_be_visible()
    expect(results.get_by_label("It is not in the directory")).to_be_visible()
    assert_accessible(page, checked)

    results.get_by_label("Purdown Outdoor Challenge").check()
    day = timezone.localdate()
    dates = page.get_by_role("group", name="Start date")
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))
    page.get_by_label("How often").fill("Wednesdays after school for ten weeks")
    page.get_by_role("group", name="Where does it stand?").get_by_label("Planned").check()
    page.get_by_role("button", name="Save the support").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Support saved")
    row = page.get_by_role("row", name=re.compile("Purdown Outdoor Challenge"))
    expect(row).to_contain_text("Sport, play and other activities")
    expect(row).to_contain_text("How to refer")
    link = row.get_by_role("link", name=re.compile("^Purdown Outdoor Challenge"))
    expect(link).to_have_attribute("href", re.compile(r"^/directory/services/[0-9a-f-]{36}/$"))
    assert_accessible(page, checked)
    chosen = Intervention.objects.get(plan=plan, service="Purdown Outdoor Challenge")
    assert chosen.directory_service is not None
    assert chosen.provider_organisation is not None
    assert checked
