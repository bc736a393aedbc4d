"""The demo keyworker works on Mohammed Ali's integrated support plan from their caseload: a
goal in his own words, a piece of support for it, a review of every goal with his and his
mother's views, his own copy of the plan (printable), then closure with the outcome and the
closure summary. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.plans.models import Plan, PlanStatus

from .conftest import assert_accessible
from .signing_in import sign_in
from .test_assessment_journey import KEYWORKER


@pytest.fixture
def demo(transactional_db):
    from joinedup.demo.loader import load_demo_data

    return load_demo_data()


def _fill_date(page: Page, legend: str, day: timezone.datetime) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_keyworker_builds_reviews_shares_and_closes_the_plan(page: Page, demo) -> None:
    checked: list[str] = []
    plan = Plan.objects.select_related("child").get(child__given_name="Mohammed")
    known_as = plan.child.known_as
    goal_words = "i wanna get a job at the bike shop in the holidays"
    sign_in(page, KEYWORKER, checked=checked)

    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name=known_as).click()
    expect(page.get_by_role("heading", name="Intervention plan")).to_be_visible()
    assert_accessible(page, checked)

    # A goal in his words: an empty one is named and refused first.
    page.get_by_role("link", name="Add a goal in their words").click()
    expect(page.get_by_role("heading", name="Add a goal in their words")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the goal, in their own words"
    )
    assert_accessible(page, checked)
    page.get_by_label("The goal, in their own words").fill(goal_words)
    page.get_by_role("group", name="Who said it?").get_by_label("The child", exact=True).check()
    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Goal added")
    expect(page.get_by_text(f"“{goal_words}”")).to_be_visible()
    assert_accessible(page, checked)

    # Support for it.
    page.get_by_role("link", name="Add support").click()
    expect(page.get_by_role("heading", name="Add support")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Service or activity").fill("Bike maintenance course")
    page.get_by_role("group", name="What is it for?").get_by_label(
        "Careers, training and work"
    ).check()
    page.get_by_label("Or the provider's name, if not a partner").fill("The Bristol Bike Project")
    _fill_date(page, "Start date", timezone.localdate())
    page.get_by_label("How often").fill("Wednesdays 4 to 6")
    page.get_by_role("group", name="Where does it stand?").get_by_label("Started").check()
    page.get_by_role("group", name=re.compile("Which goals")).get_by_label(
        re.compile("bike shop")
    ).check()
    page.get_by_role("button", name="Save the support").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Support saved")
    expect(page.get_by_role("row", name=re.compile("Bike maintenance course"))).to_contain_text(
        "The Bristol Bike Project"
    )
    assert_accessible(page, checked)

    # A review: progress on every goal being worked on, and their views in their words.
    page.get_by_role("button", name="Record a review").click()
    expect(page.get_by_role("heading", name="Record a review")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the progress on goal 1")
    assert_accessible(page, checked)
    groups = page.get_by_role("group", name=re.compile(r"^Progress on goal \d"))
    for index in range(groups.count()):
        groups.nth(index).get_by_label("Some progress").check()
    page.get_by_label("What the child says, in their words").fill("The bike course is sick")
    page.get_by_label("What the family says, in their words").fill("He talks about it all week")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review recorded")
    expect(page.get_by_text("The bike course is sick")).to_be_visible()
    assert_accessible(page, checked)

    # His own copy, in plain words, and on paper without the service's menus.
    page.get_by_role("button", name="The young person's copy").click()
    expect(page.get_by_role("heading", name="My plan", exact=True)).to_be_visible()
    expect(page.get_by_text(f"“{goal_words}”")).to_be_visible()
    expect(page.get_by_text("Bike maintenance course")).to_be_visible()
    expect(page.get_by_role("heading", name="When we check how it is going")).to_be_visible()
    assert_accessible(page, checked)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to the plan")).to_be_hidden()
    expect(page.get_by_text(f"“{goal_words}”")).to_be_visible()
    page.emulate_media(media="screen")

    # Closure with the outcome and the closure summary.
    page.get_by_role("link", name="Back to the plan").click()
    expect(page.get_by_role("heading", name="Intervention plan")).to_be_visible()
    page.get_by_role("button", name="Close the plan").click()
    expect(page.get_by_role("heading", name="Close the plan")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("group", name="Outcome").get_by_label("Some goals met").check()
    page.get_by_label("Reason for closing").fill("Football and the bike course are going well.")
    page.get_by_label("What has changed").fill("Home on time; back in the football team.")
    page.get_by_label("What the child says, in their words").fill("I don't need this now")
    page.get_by_label("What support continues").fill("Football club on Saturdays")
    page.get_by_role("button", name="Close the plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Plan closed")
    # The youth project still works with him (its view is in the panel pack), so the keyworker
    # stays in the team around him and sees the closed plan; it leaves their caseload.
    expect(page.locator("main")).to_contain_text("A closed plan cannot be changed")
    assert_accessible(page, checked)
    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_role("link", name=known_as)).to_have_count(0)
    assert_accessible(page, checked)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.goals.filter(in_their_words=goal_words).exists()
    assert len(checked) >= 12
