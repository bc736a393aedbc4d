"""The demo coordinator opens duplication and gaps, filters the flags by kind and by panel,
marks one as looked at with a note and undoes it, with axe-core run on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_coordinator_reviews_duplication_and_gaps(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.get_by_role("link", name="Check duplication and gaps").click()
    expect(page.get_by_role("heading", name="Duplication and gaps", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_text("Mentoring or one-to-one support from 2 organisations")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Referred by several organisations \(1\)$")).click()
    expect(page).to_have_title(re.compile("Referred by several organisations"))
    expect(
        page.get_by_text(re.compile("^Referred 3 times in 9 months by City Academy"))
    ).to_be_visible()
    expect(page.get_by_text("Mentoring or one-to-one support from 2 organisations")).to_have_count(
        0
    )
    assert_accessible(page, checked)

    page.get_by_role("link", name=re.compile(r"^All flags \(\d+\)$")).click()
    page.get_by_label("Panel").select_option(label="Knowle West panel")
    page.get_by_role("button", name="Show flags").click()
    expect(page.get_by_text(re.compile("^Referred by Education Welfare Service"))).to_be_visible()
    expect(page.get_by_text(re.compile("^Referred 3 times"))).to_have_count(0)
    assert_accessible(page, checked)

    page.get_by_role("link", name=re.compile("^Mark as looked at")).first.click()
    expect(page.get_by_role("heading", name="Mark as looked at")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Mark as looked at").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you found")
    assert_accessible(page, checked)
    page.get_by_label("What did you find?").fill("School says the family is away until June")
    page.get_by_role("button", name="Mark as looked at").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Flag marked as looked at")
    expect(page.get_by_role("heading", name="Looked at", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("the family is away until June"))).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name=re.compile("^Undo looked at")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("needs a look again")
    expect(page.get_by_role("heading", name="Looked at", exact=True)).to_have_count(0)
    assert_accessible(page, checked)
