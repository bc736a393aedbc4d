"""The panel coordinator's day in Chromium, on the demo data: the inbox, settling who a referred
child is (link, then undo), the agenda, with axe-core run on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data
from joinedup.referrals.models import IdentityStatus, Referral

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_coordinator_settles_who_a_referred_child_is_and_prepares_the_panel(
    page: Page, demo
) -> None:
    checked: list[str] = []
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.get_by_role("link", name="Check new referrals").first.click()
    expect(page.get_by_role("heading", name="Referrals to your panels")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Muhammad Ali").click()
    expect(page.get_by_role("heading", name="Muhammad Ali")).to_be_visible()
    expect(page.locator("main")).to_contain_text("match probability")
    assert_accessible(page, checked)

    # Linking needs a reason: the page says so and names the field.
    page.get_by_label("The same child as Mohammed Ali", exact=False).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what shows they are")
    assert_accessible(page, checked)

    page.get_by_label("The same child as Mohammed Ali", exact=False).check()
    page.get_by_label("Why (required when linking or deciding later)").fill(
        "Same date of birth and mother; the family moved to Seymour Road"
    )
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Linked")
    assert_accessible(page, checked)
    assert Referral.objects.filter(identity_status=IdentityStatus.LINKED).count() == 1

    page.get_by_role("link", name="The link was wrong: undo it").click()
    expect(page.get_by_role("heading", name="Undo the link")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Why was the link wrong?").fill("The school says they are cousins")
    page.get_by_role("button", name="Undo the link").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The link is undone")
    assert_accessible(page, checked)
    assert not Referral.objects.filter(identity_status=IdentityStatus.LINKED).exists()

    page.get_by_role("link", name="Panels", exact=True).click()
    expect(page.get_by_role("heading", name="Your panels")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Easton & Lawrence Hill panel").first.click()
    # Wait for the panel's own page before checking it, not the page being left.
    expect(page.get_by_role("heading", name="Who sits on the panel")).to_be_visible()
    assert_accessible(page, checked)
    # How the panel works: its terms of reference and who should sit on it.
    page.get_by_role("link", name="Terms of reference").click()
    expect(page.get_by_role("heading", name="Terms of reference")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Version 1, adopted")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Back to the panel").click()
    page.get_by_role("link", name="Who should sit on the panel").click()
    expect(page.get_by_role("heading", name="Who should sit on the panel")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Back to the panel").click()
    page.get_by_role("link", name="Add someone to the panel").click()
    expect(page.get_by_role("heading", name="Add someone to the panel")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their email address")
    assert_accessible(page, checked)
    page.get_by_role("link", name="Back to the panel").click()
    expect(page.get_by_role("heading", name="Who sits on the panel")).to_be_visible()
    page.locator("main ul.govuk-list").first.locator("a").last.click()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    assert_accessible(page, checked)

    assert len(checked) >= 10
