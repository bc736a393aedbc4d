"""A strategic manager opens the partnerships, one locality's steering group, adds a new
person and makes them a member, opens their page and the people list, and logs a relationship:
each page axe-clean. The demo's localities, organisations and partnerships are loaded
on their own (not the whole demo), to keep the journey short."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.catalogue import ORGANISATIONS
from joinedup.demo.loader import DEMO_PASSWORD, _load_localities, _load_organisation
from joinedup.demo.partnerships import load_demo_partnerships
from joinedup.organisations.models import Organisation
from tests.factories import MembershipFactory, UserFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "steering@example.org"


@pytest.fixture
def partnerships(transactional_db):
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    load_demo_partnerships()
    manager = UserFactory(email=EMAIL, full_name="Stella Steering")
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    MembershipFactory(
        user=manager,
        role=Role.STRATEGIC_MANAGER,
        organisation=Organisation.objects.get(slug="bristol-city-council"),
    )


def test_a_strategic_manager_adds_a_member_to_a_steering_group(page: Page, partnerships) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Partnerships", exact=True).first.click()
    expect(page.get_by_role("heading", name="Partnerships", exact=True)).to_be_visible()
    assert_accessible(page, checked)

    name = "Easton and Lawrence Hill local steering group"
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Add a member").click()
    expect(page.get_by_role("heading", name="Add a member")).to_be_visible()
    assert_accessible(page, checked)

    # Their representative is not in the list yet: add them and come back with them chosen.
    page.get_by_role("link", name="Add a new person").click()
    expect(page.get_by_role("heading", name="Add a person")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Full name").fill("Ade Okonjo")
    page.get_by_label("Job title (optional)").fill("Children's services manager")
    page.get_by_label("Organisation (optional)").select_option(label="Barnardo's")
    page.get_by_role("button", name="Save person").click()

    expect(page.get_by_role("heading", name="Add a member")).to_be_visible()
    chosen = page.get_by_label("Who represents it (optional)").locator("option:checked")
    expect(chosen).to_have_text("Ade Okonjo (Barnardo's)")
    page.get_by_label("Has delegated authority").check()
    page.get_by_role("button", name="Add member").click()

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    members = page.get_by_role("table", name=f"Members of {name}")
    expect(members.get_by_role("link", name="Barnardo's", exact=True)).to_be_visible()

    # The person's hats: the seat just given, with delegated authority.
    members.get_by_role("link", name="Ade Okonjo", exact=True).click()
    expect(page.get_by_role("heading", name="Ade Okonjo")).to_be_visible()
    seats = page.get_by_role("table", name="Ade Okonjo's seats now")
    expect(seats.get_by_role("link", name=name)).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="All people").click()
    expect(page.get_by_role("heading", name="People in the partnerships")).to_be_visible()
    assert_accessible(page, checked)

    # The relationship log: the demo's entries, and one more logged through the form.
    page.goto("/partnerships/")
    page.get_by_role("link", name="Relationship log").click()
    expect(page.get_by_role("heading", name="Relationship log")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Log a relationship").click()
    expect(page.get_by_role("heading", name="Log a relationship")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("One organisation").select_option(
        label="Lockleaze Adventure Playground (the Vench)"
    )
    page.get_by_label("The other organisation").select_option(label="Lockleaze School")
    page.get_by_label("Joint work").check()
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("What happened").fill("Playworkers now run a lunchtime club at the school.")
    page.get_by_role("button", name="Log relationship").click()
    expect(page.get_by_role("heading", name="Relationship log")).to_be_visible()
    expect(page.get_by_text("Playworkers now run a lunchtime club at the school.")).to_be_visible()

    # The network the demo's partnerships make, with its measures explained.
    page.goto("/partnerships/")
    page.get_by_role("link", name="How the partnership network is connected").click()
    expect(page.get_by_role("heading", name="The partnership network")).to_be_visible()
    expect(page.get_by_role("heading", name="People wearing many hats")).to_be_visible()
    assert_accessible(page, checked)
