"""A strategic manager opens the funding streams, one stream, the "funding ending" timeline and
downloads it as a spreadsheet: each page axe-clean. Only the demo's localities, organisations
and funding are loaded (not the whole demo), to keep the journey short."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.catalogue import ORGANISATIONS
from joinedup.demo.funding import load_demo_funding
from joinedup.demo.loader import DEMO_PASSWORD, _load_localities, _load_organisation
from joinedup.organisations.models import Organisation
from tests.factories import MembershipFactory, UserFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "funding.steering@example.org"


@pytest.fixture
def funding(transactional_db):
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    load_demo_funding()
    manager = UserFactory(email=EMAIL, full_name="Fran Funding")
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    MembershipFactory(
        user=manager,
        role=Role.STRATEGIC_MANAGER,
        organisation=Organisation.objects.get(slug="bristol-city-council"),
    )


def test_a_strategic_manager_follows_funding_to_its_ending(page: Page, funding) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.get_by_role("link", name="Funding", exact=True).first.click()
    expect(page.get_by_role("heading", name="Funding streams", exact=True)).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Early help grant").first.click()
    expect(page.get_by_role("heading", name="Early help grant")).to_be_visible()
    assert_accessible(page, checked)

    page.goto("/funding/")
    page.get_by_role("link", name="funding ending").click()
    expect(page.get_by_role("heading", name="Funding ending", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_role("link", name="Early help grant").first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the timeline as a spreadsheet (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) > 1
    assert any("Early help grant" in cell for row in rows[1:] for cell in row)
