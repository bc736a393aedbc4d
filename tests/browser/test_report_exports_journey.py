"""A panel coordinator builds a saved report on their panel and downloads the quarterly return
(CSV and Excel) and the steering group report (PDF): each file opens, each page is axe-clean."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from joinedup.core.roles import Role
from joinedup.demo.loader import DEMO_PASSWORD
from joinedup.panels.models import PanelRole
from tests.conftest import make_person
from tests.factories import PanelFactory, PanelMemberFactory

from .conftest import assert_accessible
from .signing_in import sign_in

EMAIL = "exports.coordinator@example.org"


@pytest.fixture
def coordinator(transactional_db):
    person = make_person(Role.PANEL_COORDINATOR, email=EMAIL, full_name="Cal Exports")
    person.set_password(DEMO_PASSWORD)
    person.save()
    panel = PanelFactory(name="Easton and Lawrence Hill panel")
    PanelMemberFactory(panel=panel, user=person, role=PanelRole.COORDINATOR)
    return person


def _download(page: Page, link: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return download.value.path().read_bytes()


def test_a_coordinator_builds_a_report_and_downloads_each_export(page: Page, coordinator) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.goto("/reports/saved/")
    expect(page.get_by_role("heading", name="Saved reports", exact=True)).to_be_visible()
    expect(page.get_by_text("You have no saved reports yet.")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("button", name="Build a report").click()
    expect(page.get_by_role("heading", name="Build a report", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Name of the report").fill("Easton quarterly return")
    page.get_by_label("One panel").check()
    page.get_by_label("Panel", exact=True).select_option(label="Easton and Lawrence Hill panel")
    page.get_by_label("The last complete quarter").check()
    page.get_by_label("Referrals by month").check()
    page.get_by_label("Referrals by sector").check()
    page.get_by_role("button", name="Save the report").click()

    expect(page.get_by_role("heading", name="Easton quarterly return", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Referrals by sector", level=2)).to_be_visible()
    assert_accessible(page, checked)

    rows = list(
        csv.reader(io.StringIO(_download(page, "Quarterly return (CSV)").decode("utf-8-sig")))
    )
    assert rows[1] == ["Scope", "Easton and Lawrence Hill panel"]
    assert {row[0] for row in rows[8:] if row} >= {"referrals_by_month", "referrals_by_sector"}

    book = load_workbook(io.BytesIO(_download(page, "Quarterly return (Excel, XLSX)")))
    assert book.sheetnames == ["Contents", "referrals_by_month", "referrals_by_sector"]

    pdf = PdfReader(io.BytesIO(_download(page, "Steering group report (PDF)")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert len(pdf.pages) == 3
    assert "Referrals by month" in text and "Referrals by sector" in text

    page.get_by_role("link", name="All saved reports").click()
    expect(page.get_by_role("link", name="Easton quarterly return")).to_be_visible()
    assert_accessible(page, checked)
