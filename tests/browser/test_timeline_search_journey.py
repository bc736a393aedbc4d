"""The coordinator finds a child with a misspelt name, opens the child's record and its timeline,
and filters the timeline, in Chromium on the demo data, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data
from joinedup.plans.models import Plan

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def misspelt(name: str) -> str:
    """The name with one vowel after the first letter changed, as people mistype names."""
    for index, letter in enumerate(name[1:], start=1):
        if letter in "aeiou":
            return name[:index] + ("e" if letter != "e" else "a") + name[index + 1 :]
    return name + "e"


def test_coordinator_finds_a_child_despite_a_typo_and_reads_their_timeline(
    page: Page, demo
) -> None:
    child = Plan.objects.select_related("child").order_by("created_at").first().child
    typed = f"{child.given_name} {misspelt(child.family_name)}"
    checked: list[str] = []
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.get_by_role("link", name="Find a child").first.click()
    expect(page.get_by_role("heading", name="Find a child")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Enter a name, a JoinedUp reference")
    assert_accessible(page, checked)

    page.get_by_label("Name, reference or date of birth").fill(typed)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"found$"))).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name=f"{child.given_name} {child.family_name}").first.click()
    expect(page.get_by_role("heading", name=child.known_as, exact=True)).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name=re.compile("^Timeline")).click()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Referred to the")
    assert_accessible(page, checked)

    page.get_by_label("Support plan, services and reviews").check()
    page.get_by_label("Oldest first").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Show everything").first).to_be_visible()
    main = page.locator("main table")
    expect(main).to_contain_text("Integrated support plan opened")
    expect(main).not_to_contain_text("Referred to the")
    assert_accessible(page, checked)
    assert len(checked) >= 5
