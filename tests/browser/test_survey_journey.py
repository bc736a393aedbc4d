"""The demo's panel chair answers the open relationship survey, and a strategic manager reads
an ended round's results: each page axe-clean. Only the demo's partnerships and survey are
loaded (tests/reviews/survey_demo.py), to keep the journey short."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.reviews_survey import OPEN_TITLE, PARTNERSHIP, ROUNDS
from joinedup.reviews.survey.forms import QUESTIONS
from tests.reviews.survey_demo import load_survey_demo

from .conftest import assert_accessible
from .signing_in import sign_in

PARTNERS = ("Easton YISP", "Education Welfare Service (EWS)")


@pytest.fixture
def survey(transactional_db):
    return load_survey_demo()


def test_a_member_answers_the_survey_and_a_keeper_reads_the_results(page: Page, survey) -> None:
    checked: list[str] = []
    sign_in(page, survey["panel.chair"].email, checked=checked, check_each_page=False)
    page.goto("/reviews/")
    page.get_by_role("link", name=OPEN_TITLE).click()
    page.get_by_role("link", name="Answer the survey").click()

    expect(page.get_by_role("heading", name="Who you work with")).to_be_visible()
    assert_accessible(page, checked)
    for name in PARTNERS:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your partners")).to_be_visible()
    assert_accessible(page, checked)
    for name in PARTNERS:
        partner = page.get_by_role("group", name=name, exact=True)
        for _, label, _ in QUESTIONS:
            partner.get_by_role("group", name=label).get_by_label("3: A fair amount").check()
        partner.get_by_label(re.compile("^Coordination")).check()
    page.get_by_label("Paid staff").check()
    page.get_by_role("button", name="Send your answers").click()

    expect(page.get_by_text("Thank you: your answers are saved")).to_be_visible()
    expect(page.get_by_role("heading", name=OPEN_TITLE)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, survey["strategic.manager"].email, checked=checked, check_each_page=False)
    page.goto(f"/reviews/partnerships/{PARTNERSHIP}/")
    page.get_by_role("link", name=ROUNDS[1][0]).click()
    page.get_by_role("link", name=re.compile("See the survey.s results")).click()
    expect(page.get_by_role("heading", name="Relationship survey results")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Value and trust"))).to_be_visible()
    assert_accessible(page, checked)
