"""Directory search in the browser: a family signed out searches by postcode and age, narrows
the results and opens a service; a bad postcode is named; a practitioner signed in searches by
need from the menu. axe-core runs on every page visited."""

from __future__ import annotations

import re
from datetime import time

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data
from joinedup.directory.models import ReferralRoute, Schedule, ServiceLanguage
from joinedup.directory.postcodes import postcode_districts_ensure_defaults
from tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def directory(transactional_db):
    postcode_districts_ensure_defaults()
    mentoring = TaxonomyTermFactory(name="Mentoring")
    club = ServiceFactory(
        name="Easton Youth Club",
        minimum_age=10,
        maximum_age=16,
        referral_route=ReferralRoute.OPEN_ACCESS,
        how_to_refer="Just come along on a Tuesday evening.",
    )
    ServiceAtLocationFactory(service=club, location=LocationFactory(name="Easton Centre"))
    Schedule.objects.create(service=club, byday="TU", opens_at=time(18), closes_at=time(20))
    ServiceLanguage.objects.create(service=club, name="Somali", code="so")
    paid = ServiceFactory(name="Climbing Wall Sessions", minimum_age=8, maximum_age=18)
    paid.is_free = False
    paid.save()
    ServiceAtLocationFactory(service=paid)
    mentors = ServiceFactory(name="City Mentors", minimum_age=11, maximum_age=18)
    ServiceTermFactory(service=mentors, term=mentoring)
    ServiceFactory(name="Toddler Time", minimum_age=0, maximum_age=4)
    return club


def test_a_family_finds_a_service_by_postcode_and_age(page: Page, directory) -> None:
    checked: list[str] = []
    page.goto("/")
    page.get_by_role("link", name="find a service for a child or young person").click()
    expect(page.get_by_role("heading", name=re.compile("^Find a service"))).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_label("Postcode", exact=True).fill("BS5 9QT")
    page.get_by_label("Age", exact=True).fill("12")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name="2 services near BS5 9QT, nearest first")
    ).to_be_visible()
    expect(page.get_by_text("Toddler Time")).to_have_count(0)
    expect(page.get_by_text(re.compile("mile.? away")).first).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_label("Free services only").check()
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name="1 service near BS5 9QT, nearest first")
    ).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Easton Youth Club").click()
    expect(page.get_by_role("heading", name="Easton Youth Club")).to_be_visible()
    expect(page.get_by_text("Just come along on a Tuesday evening.")).to_be_visible()
    expect(page.get_by_text("Last checked by the provider on", exact=False)).to_be_visible()
    assert_accessible(page, checked)


def test_a_bad_postcode_is_named(page: Page, directory) -> None:
    checked: list[str] = []
    page.goto("/directory/")
    page.get_by_label("Postcode", exact=True).fill("BS99")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "We do not know where BS99 is; try a full postcode or choose a locality"
    )
    assert_accessible(page, checked)
    page.get_by_label("Postcode", exact=True).fill("hello")
    page.get_by_role("button", name="Search").click()
    expect(summary).to_contain_text("Enter a real postcode")
    assert_accessible(page, checked)


def test_a_practitioner_searches_by_need(page: Page, directory) -> None:
    checked: list[str] = []
    load_demo_data()
    sign_in(page, "keyworker@demo.joinedup.test", checked=checked, check_each_page=False)

    page.get_by_role("link", name="Service directory").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Find a service"))).to_be_visible()
    page.get_by_label("What kind of help").select_option(label="Mentoring")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 service")).to_be_visible()
    expect(page.get_by_role("link", name="City Mentors")).to_be_visible()
    assert_accessible(page, checked)


def test_a_visitor_searching_too_often_is_told_how_long_to_wait(
    page: Page, directory, settings
) -> None:
    settings.RATE_LIMITS = {"directory-search": 2}
    checked: list[str] = []
    page.goto("/directory/")
    for age in ("12", "13"):
        page.get_by_label("Age", exact=True).fill(age)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name=re.compile(r"^\d+ services?$"))).to_be_visible()

    page.get_by_label("Age", exact=True).fill("14")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name="Too many searches of the directory in a minute")
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Wait \d+ seconds?, then go back"))).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_text("a minute from each computer")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ services?$"))).to_be_visible()
