"""A keyworker writes a story about a child they work with, checks the anonymised version
beside the original, records the family's agreement and submits it: each page axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from joinedup.children.models import Address, Relationship
from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from joinedup.reports.models_stories import Story, StoryStatus
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ParentFactory,
    SchoolFactory,
    TOTPDeviceFactory,
    UserFactory,
)

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "story.keyworker@example.org"


@pytest.fixture
def storyteller(transactional_db):
    easton = LocalityFactory(name="Easton", slug="easton")
    child = ChildFactory(
        given_name="Amina",
        family_name="Yusuf",
        locality=easton,
        school=SchoolFactory(name="Whitehall Primary"),
    )
    ParentFactory(child=child, full_name="Hodan Yusuf", relationship=Relationship.MOTHER)
    Address.objects.create(child=child, line_1="12 Stapleton Road", postcode="BS5 6JX")
    keyworker = UserFactory(email=EMAIL, full_name="Kit Keyworker")
    keyworker.set_password(DEMO_PASSWORD)
    keyworker.save()
    organisation = OrganisationFactory()
    MembershipFactory(user=keyworker, role=Role.KEYWORKER, organisation=organisation)
    TOTPDeviceFactory(user=keyworker)
    InvolvementFactory(child=child, worker=keyworker, organisation=organisation)
    return child


def test_a_keyworker_writes_a_story_and_submits_it(page: Page, storyteller) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Write a story").click()
    expect(page.get_by_role("heading", name="Your stories")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Write a story").click()
    expect(page.get_by_role("heading", name="Write a story")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_label("Which child or young person is the story about?").select_option(
        storyteller.reference
    )
    page.get_by_label("Which figure does the story illustrate?").select_option("plan_outcomes")
    page.get_by_label("Title").fill("Amina goes back to school")
    page.get_by_label("The story", exact=True).fill(
        "Amina's mum Hodan told me Amina felt nobody at Whitehall Primary listened."
    )
    page.get_by_role("button", name="Save and check the anonymised version").click()

    expect(page.get_by_role("heading", name="Check the anonymised story")).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_label("The story, as readers will see it")).to_have_value(
        "[the young person]'s mum [their mother] told me [the young person] felt nobody at "
        "[their school] listened."
    )
    page.get_by_role("button", name="Save the anonymised version").click()

    expect(
        page.get_by_role("heading", name="[the young person] goes back to school")
    ).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="I am sharing it with the family").click()
    page.get_by_role("link", name="Record the family's response").click()
    expect(page.get_by_role("heading", name="What the family said")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("They agreed to it as it is").check()
    page.get_by_role("button", name="Record their response").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Waiting for a reviewer since")).to_be_visible()
    assert_accessible(page, checked)
    assert Story.objects.get().status == StoryStatus.SUBMITTED
    assert len(checked) >= 6
