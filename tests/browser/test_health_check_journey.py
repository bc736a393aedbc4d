"""A member of the demo's city-wide steering group answers its open health check; the group's
chair closes the round and reads the results, compared with the earlier round. Each page is
axe-clean. Only the partnerships and their health checks are loaded, not the whole demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.catalogue import ORGANISATIONS
from joinedup.demo.loader import (
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    _enrol_authenticator,
    _load_localities,
    _load_organisation,
)
from joinedup.demo.partnerships import load_demo_partnerships
from joinedup.demo.reviews_health import load_demo_health_checks
from joinedup.organisations.models import Organisation
from joinedup.reviews import health
from joinedup.reviews.models import ReviewRound
from tests.factories import MembershipFactory, UserFactory

from .conftest import assert_accessible
from .signing_in import sign_in

MEMBER = f"panel.chair@{DEMO_EMAIL_DOMAIN}"
CHAIR = f"strategic.manager@{DEMO_EMAIL_DOMAIN}"


@pytest.fixture
def health_checks(transactional_db):
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    for email, role, organisation in (
        (MEMBER, Role.PANEL_CHAIR, "social-services"),
        (CHAIR, Role.STRATEGIC_MANAGER, "bristol-city-council"),
    ):
        user = UserFactory(email=email)
        user.set_password(DEMO_PASSWORD)
        user.save()
        _enrol_authenticator(user)
        MembershipFactory(
            user=user, role=role, organisation=Organisation.objects.get(slug=organisation)
        )
    load_demo_partnerships()
    load_demo_health_checks()


def test_a_member_answers_the_health_check_and_the_chair_reads_the_results(
    page: Page, health_checks
) -> None:
    checked: list[str] = []
    current = ReviewRound.objects.filter(kind="health", closed_at__isnull=True).get()
    sign_in(page, MEMBER, checked=checked, check_each_page=False)

    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="Partnership reviews")).to_be_visible()
    page.get_by_role("link", name=current.title).click()
    expect(page.get_by_role("heading", name=current.title)).to_be_visible()
    page.get_by_role("link", name="Answer the health check").click()
    expect(page.get_by_role("heading", name="Partnership health check")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select how far you agree with statement 1"
    )
    assert_accessible(page, checked)
    number = 0
    for principle in health.principles(health.CURRENT_VERSION):
        for statement in principle.statements:
            number += 1
            answer = "Don't know" if statement.key == "trust_4" else "Agree"
            question = page.get_by_role("group", name=f"{number}. {statement.text}", exact=True)
            question.get_by_label(answer, exact=True).check()
    page.get_by_label("Your hopes for the partnership").fill("That we keep meeting in person.")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", name=current.title)).to_be_visible()
    expect(page.get_by_text("Your answers are saved, without your name.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, CHAIR, checked=checked, check_each_page=False)
    page.goto(f"/reviews/{current.pk}/")
    page.get_by_role("button", name="Close the round now").click()
    page.get_by_role("link", name="See the results of this health check").click()
    expect(page.get_by_role("heading", name="Health check results")).to_be_visible()
    assert_accessible(page, checked)
    principles = page.get_by_role("table", name="The six principles")
    expect(principles).to_contain_text("Development and maintenance of trust")
    expect(page.get_by_text("That we keep meeting in person.")).to_be_visible()
