"""A keyworker assesses a child whose parent agreed to an assessment: rates every area, with
the evidence, and completes it; the child fills in their own Over to You on a tablet, and a
parent theirs; a review shows what has changed in each area. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.accounts.models import User
from joinedup.assessments.models import Assessment, AssessmentStatus, Domain, OverToYou
from joinedup.children.models import Child
from joinedup.children.need_to_know import children_identified_to
from joinedup.consent.models import Scope
from joinedup.consent.services import consent_in_force
from joinedup.demo.loader import load_demo_data

from .conftest import assert_accessible
from .signing_in import sign_in

KEYWORKER = "keyworker@demo.joinedup.test"
TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def _child_the_keyworker_may_assess() -> Child:
    keyworker = User.objects.get(email=KEYWORKER)
    for child in children_identified_to(keyworker).order_by("family_name", "given_name"):
        # Not one assessed already (Mohammed Ali, whose demo plan the keyworker leads).
        if consent_in_force(child=child, scope=Scope.ASSESSMENT) and not (
            child.assessments.exists()
        ):
            return child
    raise AssertionError("the demo keyworker has no child with consent to an assessment")


def _rate(page: Page, rating: int, evidence: str, *, except_for: dict[str, int]) -> None:
    for domain in Domain.objects.filter(panel__isnull=True, is_active=True):
        name = domain.name.lower()
        value = except_for.get(domain.key, rating)
        group = page.get_by_role("group", name=f"Rating for {name}")
        group.get_by_label(re.compile(rf"^{value} ")).check()
        page.get_by_label(f"Evidence for the rating of {name}").fill(f"{evidence} ({name})")


def _start(page: Page, kind: str, checked: list[str]) -> None:
    expect(page.get_by_role("heading", name="Start an assessment")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("group", name="Which assessment is this?").get_by_label(
        kind, exact=True
    ).check()
    organisations = page.get_by_role("group", name="Which organisation are you assessing for?")
    organisations.get_by_role("radio").first.check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", name=re.compile("rate each area"))).to_be_visible()
    assert_accessible(page, checked)


def _complete(page: Page, version: str, checked: list[str]) -> None:
    page.get_by_label("Protective factors and strengths").fill(
        "His grandmother walks him to school; he is proud of his drawing."
    )
    page.get_by_role("group", name=re.compile("risk of serious harm")).get_by_label(
        "No concerns"
    ).check()
    page.get_by_role("button", name="Save and check before completing").click()
    expect(page.get_by_role("heading", name=re.compile("before completing it"))).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label(re.compile("I have checked the ratings")).check()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{version} completed")
    expect(page.get_by_role("heading", level=1)).to_have_text(version)
    assert_accessible(page, checked)


def test_keyworker_assesses_the_child_has_their_say_and_a_review_shows_change(
    page: Page, demo
) -> None:
    checked: list[str] = []
    child = _child_the_keyworker_may_assess()
    known_as = child.known_as
    sign_in(page, KEYWORKER, checked=checked)

    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    page.get_by_role("link", name=known_as).first.click()
    expect(page.get_by_role("heading", level=1, name=known_as)).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Assessments, and the child's and family's Over to You").click()
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{known_as} has not been assessed yet")).to_be_visible()
    assert_accessible(page, checked)

    # The initial assessment: a rating of 1 or more without evidence is named and refused.
    page.get_by_role("button", name="Start the initial assessment").click()
    _start(page, "Initial assessment", checked)
    page.get_by_role("group", name="Rating for substance use").get_by_label(
        re.compile("^3 ")
    ).check()
    page.get_by_role("button", name="Save as a draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the evidence for the rating of substance use")
    assert_accessible(page, checked)
    _rate(page, 2, "Seen at school and at home", except_for={"education": 3})
    _complete(page, "Version 1: initial assessment", checked)

    # The child's own view, on a tablet: big answers to tap, one area of life after another.
    page.set_viewport_size(TABLET)
    page.get_by_role("link", name="Back to assessments").click()
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="The child's Over to You").click()
    expect(page.get_by_role("heading", name="Over to you", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    school = page.get_by_role("group", name="I like going to school")
    box = school.locator(".govuk-radios__item").first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 140
    school.get_by_label("Disagree").check()
    page.get_by_role("group", name="I feel safe at home").get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="I would like some help").get_by_label("Not sure").check()
    page.get_by_label("Is there anything else you want to tell us?").fill(
        "I want to go back to football."
    )
    page.get_by_label("Who helped fill it in?").fill("Kit, youth worker")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    expect(page.get_by_role("heading", name=re.compile("own view"))).to_be_visible()
    expect(page.get_by_text("I want to go back to football.")).to_be_visible()
    assert_accessible(page, checked)
    # On paper: the page without the service's header, navigation or back link.
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to assessments")).to_be_hidden()
    expect(page.get_by_text("I want to go back to football.")).to_be_visible()
    page.emulate_media(media="screen")

    # A parent's own view, beside the child's: which parent or carer filled it in.
    page.get_by_role("link", name="Back to assessments").click()
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    page.get_by_role("button", name="A parent's or carer's Over to You").click()
    expect(page.get_by_role("heading", name="Over to you: for parents and carers")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("group", name="Who is filling it in?").get_by_role("radio").first.check()
    page.get_by_role("group", name="My child and I get on well").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_label("Who helped fill it in?").fill("Nobody")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Over to You: ")
    assert_accessible(page, checked)

    # A review: education is better, lifestyle and friendships worse.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Back to assessments").click()
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start a review").click()
    _start(page, "Review", checked)
    _rate(page, 2, "At the review", except_for={"education": 1, "lifestyle": 4})
    _complete(page, "Version 2: review", checked)

    page.get_by_role("link", name="Back to assessments").click()
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    page.get_by_role("button", name="Compare versions").click()
    expect(page.get_by_role("heading", name="What has changed")).to_be_visible()
    education = page.get_by_role("row", name=re.compile("^Education, training"))
    expect(education).to_contain_text("3 → 1")
    expect(education).to_contain_text("Better")
    expect(education).to_contain_text("Seen at school and at home")
    expect(education).to_contain_text("At the review")
    expect(page.get_by_role("row", name=re.compile("^Lifestyle"))).to_contain_text("Worse")
    expect(page.get_by_role("row", name=re.compile("^Neighbourhood"))).to_contain_text("Same")
    assert_accessible(page, checked)

    assessments = Assessment.objects.filter(child=child).order_by("version")
    assert [(a.kind, a.status) for a in assessments] == [
        ("initial", AssessmentStatus.COMPLETED),
        ("review", AssessmentStatus.COMPLETED),
    ]
    view = OverToYou.objects.get(child=child, respondent="child")
    assert OverToYou.objects.get(child=child, respondent="parent").household_member is not None
    assert view.answers == {"school_like": "disagree", "home_safe": "agree", "me_help": "not_sure"}
    assert view.filled_on == timezone.localdate()
    assert view.assessment == assessments[0]
    assert len(checked) >= 16
