"""A keyworker raises a safeguarding concern from a child's page; the designated safeguarding
lead signs in, finds it at the top of the inbox, acknowledges it, records what they did and
closes it with the outcome; the keyworker sees the outcome. axe-core runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from joinedup.accounts.models import Membership
from joinedup.core.roles import Role
from joinedup.demo.loader import load_demo_data
from joinedup.safeguarding.models import Outcome, SafeguardingConcern

from .conftest import assert_accessible
from .signing_in import sign_in

KEYWORKER = "keyworker@demo.joinedup.test"
LEAD = "safeguarding.lead@demo.joinedup.test"
WHAT = "She said her older brother takes her phone and hits her when she will not do as he says."


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_keyworker_raises_a_concern_and_the_lead_deals_with_it(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, KEYWORKER, checked=checked)

    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    page.locator("table.govuk-table tbody a").first.click()
    reference = page.locator(".govuk-caption-l .app-code").inner_text()
    page.locator("#main-content").get_by_role("link", name="Raise a safeguarding concern").click()
    expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("call 999 now")
    assert_accessible(page, checked)

    # Sent empty first: each question is named.
    page.get_by_role("button", name="Send the concern to the safeguarding lead").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what you saw or heard, or what you were told")
    expect(summary).to_contain_text("Select whether you think the child is in immediate danger")
    assert_accessible(page, checked)

    # The keyworker wears two hats: they raise it for the group they are a keyworker in.
    group = Membership.objects.get(user__email=KEYWORKER, role=Role.KEYWORKER).organisation
    page.get_by_label(group.name).check()
    page.get_by_label("What did you see or hear, or what were you told?").fill(WHAT)
    page.get_by_label("Why are you worried about the child's safety?").fill(
        "A mark on her neck, and she is afraid to go home."
    )
    page.get_by_role("group", name="Do you think the child is in immediate danger?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Send the concern to the safeguarding lead").click()
    expect(page.get_by_role("heading", name="Your safeguarding concern")).to_be_visible()
    expect(page.get_by_text("sent to the designated safeguarding lead")).to_be_visible()
    expect(page.get_by_text(reference)).to_be_visible()
    assert_accessible(page, checked)
    concern = SafeguardingConcern.objects.get(what_happened=WHAT)
    assert concern.child.reference == reference

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, LEAD, checked=checked)
    page.get_by_role("link", name="Safeguarding inbox").first.click()
    expect(page.get_by_role("heading", name="Safeguarding inbox")).to_be_visible()
    assert_accessible(page, checked)
    # The newest concern is at the top.
    page.locator("table.govuk-table tbody tr").first.get_by_role("link").click()
    expect(page.get_by_text(WHAT)).to_be_visible()
    expect(page.get_by_text(concern.child.pseudonym).first).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged: the person who raised the concern")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Record what you did").click()
    expect(page.get_by_role("heading", name="Record what you did")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("What did you do?").fill("Spoke to the keyworker and to her school.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Spoke to the keyworker and to her school.")).to_be_visible()

    page.get_by_role("link", name="Close with the outcome").click()
    expect(page.get_by_role("heading", name="Close the concern")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label(str(Outcome.FRONT_DOOR.label)).check()
    page.get_by_label("What was decided, and why?").fill("Referred to First Response today.")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_text("The concern is closed with its outcome")).to_be_visible()
    assert_accessible(page, checked)
    concern.refresh_from_db()
    assert concern.outcome == Outcome.FRONT_DOOR

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, KEYWORKER, checked=checked)
    page.goto(f"/safeguarding/concerns/{concern.pk}/")
    expect(page.get_by_text(str(Outcome.FRONT_DOOR.label))).to_be_visible()
    expect(page.get_by_text("Referred to First Response today.")).to_have_count(0)
    assert_accessible(page, checked)
    assert len(checked) >= 10
