"""A panel coordinator opens data quality from the dashboard, follows a cell to the records to
fix and one record to the page where it is put right: each page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from joinedup.children.models import Ethnicity, Sex
from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from joinedup.panels.models import PanelRole
from tests.conftest import make_person
from tests.factories import ChildFactory, PanelFactory, PanelMemberFactory, ReferralFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "quality.coordinator@example.org"


@pytest.fixture
def coordinator_with_gaps(transactional_db):
    coordinator = make_person(Role.PANEL_COORDINATOR, email=EMAIL, full_name="Cora Quality")
    coordinator.set_password(DEMO_PASSWORD)
    coordinator.save()
    panel = PanelFactory(name="Easton and Lawrence Hill panel")
    PanelMemberFactory(panel=panel, user=coordinator, role=PanelRole.COORDINATOR)
    child = ChildFactory(
        given_name="Amara",
        family_name="Okafor",
        locality=panel.localities.first(),
        sex=Sex.FEMALE,
        religion="none",
        ethnicity=Ethnicity.NOT_RECORDED,
    )
    return ReferralFactory(child=child, panel=panel)


def test_a_coordinator_finds_a_record_to_fix(page: Page, coordinator_with_gaps) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.goto("/dashboard/coordinator/")
    page.get_by_role("link", name="See your panels' data quality").click()
    expect(page.get_by_role("heading", name="Data quality", exact=True)).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name=re.compile("to fix: child's ethnicity")).first.click()
    expect(
        page.get_by_role("heading", name="Records to fix: child's ethnicity", exact=True)
    ).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_text("Ethnicity is blank or “not recorded”")).to_be_visible()
    # The coordinator of the child's panel may see the child's name.
    expect(page.get_by_text("Amara Okafor")).to_be_visible()

    page.get_by_role("link", name=re.compile("Open the child's record")).click()
    expect(page).to_have_url(re.compile(f"/children/{coordinator_with_gaps.child.reference}/$"))
    assert_accessible(page, checked)
