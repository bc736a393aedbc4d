"""Directory editing in Chromium: a member of the organisation that keeps a provider's entries
adds a service, is told the ages are the wrong way round, puts them right, then confirms a stale
entry is still correct. axe-core runs on every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from joinedup.directory.models import Service
from tests.conftest import make_person
from tests.factories import MembershipFactory, OrganisationFactory, ProviderFactory, ServiceFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "mo.member@example.org"


@pytest.fixture
def trust(transactional_db):
    organisation = OrganisationFactory(name="Easton Youth Trust")
    provider = ProviderFactory(name="Easton Youth Trust", maintained_by=organisation)
    member = make_person(Role.KEYWORKER, full_name="Mo Member", email=EMAIL)
    member.set_password(DEMO_PASSWORD)
    member.save()
    MembershipFactory(user=member, organisation=organisation, role=Role.REFERRER)
    stale = ServiceFactory(
        provider=provider,
        name="Saturday drop-in",
        reviewed_at=timezone.now() - timedelta(days=245),
    )
    return provider, stale


def test_a_member_adds_a_service_fixes_the_ages_and_confirms_an_old_entry(
    page: Page, trust
) -> None:
    _provider, stale = trust
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked)

    page.get_by_role("link", name="Service directory").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Find a service"))).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Your directory entries").click()
    expect(page.get_by_role("heading", name="Your directory entries")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Last checked 8 months ago")
    assert_accessible(page, checked)

    page.get_by_role("link", name="Add a service run by Easton Youth Trust").click()
    expect(page.get_by_role("heading", name="Add a service")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Name of the service").fill("Homework club")
    page.get_by_label("What the service does").fill("Help with homework after school.")
    page.get_by_label("Youngest age (optional)").fill("16")
    page.get_by_label("Oldest age (optional)").fill("11")
    page.get_by_label("Open access: anyone can go along or get in touch").check()
    page.get_by_label("How to refer or get in touch").fill("Just come along.")
    page.get_by_label("Free", exact=True).check()
    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Opens at (optional)").fill("15:30")
    page.get_by_label("Closes at (optional)").fill("17:00")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Oldest age must be the same as or more than the youngest")
    assert_accessible(page, checked)
    assert not Service.objects.filter(name="Homework club").exists()

    page.get_by_label("Oldest age (optional)").fill("18")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Your directory entries")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Homework club saved.")
    assert_accessible(page, checked)
    added = Service.objects.get(name="Homework club")
    assert (added.minimum_age, added.maximum_age) == (16, 18)

    page.get_by_role("button", name=re.compile(r"Still correct\W+Saturday drop-in")).click()
    expect(page.locator("main")).to_contain_text("Saturday drop-in marked as still correct")
    expect(page.locator("main")).not_to_contain_text("Needs checking")
    assert_accessible(page, checked)
    stale.refresh_from_db()
    assert timezone.now() - stale.reviewed_at < timedelta(minutes=5)
