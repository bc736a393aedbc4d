"""Journeys through the real service in Chromium, with axe-core run on every page visited."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from joinedup.core.roles import ROLE_DESCRIPTIONS, Role
from joinedup.demo.loader import load_demo_data

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_administrator_invites_a_voluntary_group_worker(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, "admin@demo.joinedup.test", checked=checked)

    page.get_by_role("link", name="Invite someone").first.click()
    expect(page.get_by_role("heading", name="Invite someone to JoinedUp")).to_be_visible()
    assert_accessible(page, checked)

    # Sending the form empty names every missing answer in the error summary.
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter full name")
    expect(summary).to_contain_text("Select the organisation")
    expect(summary).to_contain_text("Select a role")
    assert_accessible(page, checked)

    page.get_by_label("Full name").fill("<script>alert(1)</script>")
    page.get_by_label("Email address").fill("new.worker@example.org")
    page.locator("#id_organisation").select_option(index=1)
    page.get_by_label("Keyworker").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(summary).to_contain_text("Remove the HTML or script")
    assert_accessible(page, checked)

    page.get_by_label("Full name").fill("Jordan Example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Jordan Example")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Invitation sent to new.worker@example.org"
    )
    assert_accessible(page, checked)

    page.get_by_role("link", name="People and roles").click()
    expect(page.get_by_role("link", name="Jordan Example")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Organisations").first.click()
    expect(page.get_by_role("heading", name="Partner organisations")).to_be_visible()
    assert_accessible(page, checked)
    page.locator(".app-result a").first.click()
    expect(page.get_by_role("heading", name="People and their roles here")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Localities").first.click()
    expect(page.get_by_role("heading", name="Localities", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Knowle West").first.click()
    expect(page.get_by_role("heading", name="Organisations working here")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Support children together")).to_be_visible()
    assert len(checked) >= 12


def test_information_governance_officer_searches_the_audit_trail(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, "ig.officer@demo.joinedup.test", checked=checked)
    page.get_by_role("link", name="Audit trail").first.click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("What happened").select_option("sign_in")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.govuk-table")).to_contain_text("Signed in")
    assert_accessible(page, checked)
    page.get_by_label("From date").fill("2026-11-10")
    page.get_by_label("To date").fill("2026-11-01")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("To date must be")
    assert_accessible(page, checked)


def test_every_demo_login_reaches_its_roles_start_page(page: Page, demo) -> None:
    checked: list[str] = []
    for email, login in demo.items():
        sign_in(page, email, checked=checked)
        for role in Role:
            if role.label in login.roles:
                expect(page.get_by_text(ROLE_DESCRIPTIONS[role])).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Support children together")).to_be_visible()


def test_an_invited_worker_sets_a_password_and_two_factor_then_starts(page: Page, demo) -> None:
    from django.core import mail

    checked: list[str] = []
    sign_in(page, "admin@demo.joinedup.test", checked=checked)
    page.get_by_role("link", name="Invite someone").first.click()
    page.get_by_label("Full name").fill("Morgan Newcomer")
    page.get_by_label("Email address").fill("morgan@example.org")
    page.locator("#id_organisation").select_option(label="Lockleaze Neighbourhood Trust")
    page.get_by_label("Referrer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Morgan Newcomer")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    link = re.search(r"http://\S+/accounts/invitation/\S+", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Welcome to JoinedUp")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("New password", exact=True).fill("a long and memorable phrase")
    page.get_by_label("Confirm new password").fill("a long and memorable phrase")
    page.get_by_role("button", name="Save password and continue").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator(".govuk-details__text .app-code").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page, checked)

    from base64 import b32decode

    totp = TOTP(b32decode(secret))
    # A person reads the message before trying again; django-otp's wait after one wrong code
    # is one second.
    page.wait_for_timeout(1100)
    page.get_by_label("Code from your authenticator app").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What you can do next")).to_be_visible()
    expect(page.get_by_role("heading", name="As referrer")).to_be_visible()
    assert_accessible(page, checked)


def test_keyworker_opens_a_child_and_an_outsider_sees_only_the_pseudonym(page: Page, demo) -> None:
    from joinedup.children.models import Child

    checked: list[str] = []
    sign_in(page, "keyworker@demo.joinedup.test", checked=checked)
    page.get_by_role("link", name="Children").first.click()
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    assert_accessible(page, checked)
    first = page.locator("table.govuk-table tbody a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("heading", name="Who is involved")).to_be_visible()
    assert_accessible(page, checked)
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "panel.member@demo.joinedup.test", checked=checked)
    page.goto(f"/children/{reference}/")
    child = Child.objects.get(reference=reference)
    expect(page.get_by_role("heading", name=child.pseudonym)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(child.family_name)
    assert_accessible(page, checked)


def test_a_voluntary_group_worker_refers_a_child(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, "keyworker@demo.joinedup.test", checked=checked)
    page.get_by_role("link", name="Refer a child").first.click()
    expect(page.get_by_role("heading", name="Refer a child")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Start now").click()

    # An empty page names every missing answer.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter date of birth")
    assert_accessible(page, checked)
    page.get_by_label("Given name").fill("Ayaan")
    page.get_by_label("Family name").fill("Hassan")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="More about the child")).to_be_visible()
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct check digit")
    assert_accessible(page, checked)
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("First language (optional)").fill("Somali")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Where the child lives")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Address line 1").fill("12 Stapleton Road")
    page.get_by_label("Postcode").fill("BS5 0XX")
    page.get_by_label("Locality").select_option(label="Easton & Lawrence Hill")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="The child's parent or carer")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Parent or carer's full name").fill("Fadumo Hassan")
    page.get_by_label("Their relationship to the child").select_option("mother")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Which organisation are you referring for?").select_option(
        label="Upper Horfield Community Trust"
    )
    page.get_by_label("Your relationship to the child").fill("Family support worker")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Why you are referring")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Not attending school regularly").check()
    page.get_by_label("What has been tried already?").fill("Weekly mentoring since May.")
    page.get_by_label("Routine: within the next month").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="The child's family")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Yes, and they agree to the referral").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Safeguarding")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3 April 2016")
    assert_accessible(page, checked)
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    expect(page.locator(".govuk-panel__body")).to_contain_text("JU-")
    assert_accessible(page, checked)
    page.get_by_role("link", name="See your referrals").click()
    expect(page.get_by_role("link", name="Ayaan Hassan")).to_be_visible()
    assert_accessible(page, checked)
