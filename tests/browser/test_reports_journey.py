"""A strategic manager opens the report from the menu (the last complete quarter, the whole
city), then chooses a locality and this month: each page axe-clean, charts and tables shown,
small numbers hidden."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from tests.conftest import make_person
from tests.dashboards.world import referral_to
from tests.factories import ChildFactory, LocalityFactory, PanelFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "reports.steering@example.org"


@pytest.fixture
def referrals(transactional_db):
    manager = make_person(Role.STRATEGIC_MANAGER, email=EMAIL, full_name="Rhys Reports")
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    easton = LocalityFactory(name="Easton", slug="easton")
    knowle = LocalityFactory(name="Knowle West", slug="knowle-west")
    panel = PanelFactory(name="Easton panel", localities=[easton])
    for _ in range(6):
        referral_to(panel, days_ago=0, child=ChildFactory(locality=easton))
    referral_to(panel, days_ago=0, child=ChildFactory(locality=knowle))


def test_a_strategic_manager_reads_a_locality_s_month(page: Page, referrals) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The whole city")
    assert_accessible(page, checked)

    today = timezone.localdate()
    page.get_by_label("Panel or area").select_option(label="Easton")
    page.get_by_label("Period").select_option(value=f"{today:%Y-%m}")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Easton: {today:%B %Y}")
    expect(page.get_by_role("heading", name="Referrals by sector", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Referrals by locality")).to_be_visible()
    expect(
        page.get_by_role("table", name="Referrals by locality, Easton, " + f"{today:%B %Y}")
    ).to_be_visible()
    assert_accessible(page, checked)
