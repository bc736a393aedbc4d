"""The coordinator follows their panel's cases in the pipeline, on the demo data, with
axe-core run on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return {login.email: login for login in load_demo_data()}


def test_coordinator_follows_every_case_from_referral_to_closure(page: Page, demo) -> None:
    checked: list[str] = []
    sign_in(page, "coordinator@demo.joinedup.test", checked=checked)

    page.get_by_role("link", name="Follow every case").first.click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_role("link", name=re.compile(r"^All open cases \(\d+\)$"))).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Referred \(\d+\)$")).click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("Referred"))
    assert_accessible(page, checked)

    page.get_by_role("link", name="Panels", exact=True).click()
    page.get_by_role("link", name="Follow every case in the pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
