"""A keyworker records a parent's consent and the child's own say, then withdraws consent; a
keyworker adds a second parent to the child's record and records her consent; families read
what consent means in English and Somali. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.consent.models import ConsentRecord
from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.demo.loader import load_demo_data

from .conftest import assert_accessible
from .signing_in import sign_in

KEYWORKER = "keyworker@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def _fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_keyworker_records_consent_and_the_childs_view_then_withdraws(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, KEYWORKER, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    # The fourth child on the demo caseload has a parent's consent in force.
    page.locator("table.govuk-table tbody a").nth(3).click()
    name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Consent and the child's own say").click()
    expect(page.get_by_role("heading", name=f"Consent: {name}")).to_be_visible()
    expect(page.get_by_role("heading", name="In force")).to_be_visible()
    assert_accessible(page, checked)

    # The child's own say, first sent empty: the error summary names each question.
    page.get_by_role("button", name="Record the child's view").click()
    expect(page.get_by_role("heading", name="Record the child's view")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("What does the child say, in their own words?").fill("")
    page.get_by_role("button", name="Save the child's view").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what the child said, in their words")
    expect(summary).to_contain_text("Select whether the child is competent to consent")
    assert_accessible(page, checked)
    page.get_by_label("What does the child say, in their own words?").fill(
        "Football club is OK. I don't want my teachers to know everything."
    )
    page.get_by_label("Judged competent to consent for themself", exact=True).check()
    page.get_by_label("How did you judge this?").fill(
        "He explained what the panel does and said he knows he can change his mind."
    )
    page.get_by_role("button", name="Save the child's view").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The child's view is recorded"
    )
    expect(page.get_by_text("Football club is OK.")).to_be_visible()
    assert_accessible(page, checked)

    # A parent's consent to contact by services, given verbally: the witness is asked for.
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("heading", name="Record consent")).to_be_visible()
    assert_accessible(page, checked)
    page.locator("input[name=given_by]").first.check()
    page.get_by_label("Contact by services").check()
    page.get_by_label("Said so, with a witness").check()
    expect(page.get_by_label("Name of the witness")).to_be_visible()
    _fill_date(page, "Date consent was given", "1", "1", "2099")
    page.get_by_role("button", name="Record consent").click()
    expect(summary).to_contain_text("Enter the name of the witness")
    expect(summary).to_contain_text("Date consent was given must be today or in the past")
    assert_accessible(page, checked)
    page.get_by_label("Name of the witness").fill("Faduma Ali (interpreter)")
    _fill_date(page, "Date consent was given", "2", "1", "2026")
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Consent recorded")
    expect(page.get_by_text("witnessed by Faduma Ali (interpreter)")).to_be_visible()
    assert_accessible(page, checked)

    # Withdraw the parent's consent to discussion at the panel.
    page.get_by_role("link", name=re.compile(r"Withdraw .* discussion at the panel")).click()
    expect(page.get_by_role("heading", name="Withdraw consent")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("By telephone").check()
    page.get_by_label("What did they say?").fill("They want to wait until after the holidays.")
    page.get_by_role("button", name="Withdraw consent").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Consent withdrawn: Discussion at the panel.")
    # The demo keyworker works alone with this child: the banner says nobody else was told.
    expect(banner).to_contain_text("nobody else was emailed")
    expect(page.get_by_text("They want to wait until after the holidays.")).to_be_visible()
    assert_accessible(page, checked)

    withdrawn = ConsentRecord.objects.filter(withdrawn_on__isnull=False, withdrawn_by__isnull=False)
    assert withdrawn.count() == 1
    child = withdrawn.get().child
    assert AuditEntry.objects.filter(
        verb=AuditVerb.CONSENT_WITHDRAWN, target_id=str(child.pk), detail__withdrawn=True
    ).exists()
    assert len(checked) >= 9


def test_keyworker_adds_a_second_parent_then_records_her_consent(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, KEYWORKER, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children you work with")).to_be_visible()
    page.locator("table.govuk-table tbody a").first.click()
    expect(page.get_by_role("heading", name="Parents, carers and household")).to_be_visible()
    name = page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page, checked)

    # First sent empty: the error summary names each question.
    page.get_by_role("link", name="Add a parent, carer or household member").click()
    expect(
        page.get_by_role("heading", name="Add a parent, carer or household member")
    ).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("button", name="Add to the household").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter their full name")
    expect(summary).to_contain_text("Select whether they have parental responsibility")
    assert_accessible(page, checked)
    page.get_by_label("Full name").fill("Sahra Adan")
    page.get_by_label("Relationship to the child").select_option(label="Step-parent")
    page.get_by_role(
        "group", name="Do they have parental responsibility for the child?"
    ).get_by_label("Yes").check()
    page.get_by_role("group", name="Do they live with the child?").get_by_label("Yes").check()
    page.get_by_label("Telephone number (optional)").fill("07700 900456")
    page.get_by_role("button", name="Add to the household").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Added to the household: step-parent")
    expect(page.get_by_role("cell", name="Sahra Adan", exact=True)).to_be_visible()
    assert_accessible(page, checked)

    # A mistyped telephone number, corrected.
    page.get_by_role("link", name="Change details of Sahra Adan").click()
    expect(page.get_by_role("heading", name="Change details of Sahra Adan")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Telephone number (optional)").fill("07700 900457")
    page.get_by_role("button", name="Save changes").click()
    expect(banner).to_contain_text("Details saved")
    expect(page.get_by_role("cell", name="07700 900457", exact=True)).to_be_visible()
    assert_accessible(page, checked)

    # She has parental responsibility, so she can give consent.
    page.get_by_role("link", name="Consent and the child's own say").click()
    expect(page.get_by_role("heading", name=f"Consent: {name}")).to_be_visible()
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("heading", name="Record consent")).to_be_visible()
    page.get_by_label("Sahra Adan (step-parent)").check()
    page.get_by_label("Assessment of the child's needs").check()
    page.get_by_label("Electronically").check()
    today = timezone.localdate()
    _fill_date(page, "Date consent was given", str(today.day), str(today.month), str(today.year))
    page.get_by_role("button", name="Record consent").click()
    expect(banner).to_contain_text("Consent recorded")
    assert_accessible(page, checked)

    record = ConsentRecord.objects.get(household_member__full_name="Sahra Adan")
    assert record.household_member is not None
    assert record.household_member.telephone == "07700 900457"
    assert len(checked) == 8


def test_families_read_about_consent_in_english_and_somali(page: Page, transactional_db) -> None:
    checked: list[str] = []
    page.set_viewport_size({"width": 375, "height": 740})  # a phone
    page.goto("/families/consent/")
    expect(
        page.get_by_role("heading", level=1, name="Sharing information about your child")
    ).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en-gb"
    assert_accessible(page, checked)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Soomaali").click()
    expect(
        page.get_by_role("heading", level=1, name="Wadaagista macluumaadka ku saabsan ilmahaaga")
    ).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "so"
    expect(page.get_by_text("awaiting review by a native speaker")).to_be_visible()
    assert_accessible(page, checked)

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Luuqadda")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("navigation", name="Luuqadda").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sharing information about your child"
    )
    assert_accessible(page, checked)
    assert len(checked) == 3
