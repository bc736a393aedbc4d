"""A system administrator imports services into the directory from a spreadsheet saved as CSV:
the check report names the bad row by its line, the good rows are imported, and axe-core runs
on every page of the import."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from joinedup.demo.loader import load_demo_data
from joinedup.directory.models import Service
from tests.directory.test_csv_import import row, sheet
from tests.factories import LocalityFactory, TaxonomyTermFactory

from .conftest import assert_accessible
from .signing_in import sign_in

ADMIN = "admin@demo.joinedup.test"


@pytest.fixture
def demo(transactional_db):
    logins = {login.email: login for login in load_demo_data()}
    TaxonomyTermFactory(name="Positive activities", code="positive-activities")
    TaxonomyTermFactory(name="Healthy lifestyle", code="health")
    LocalityFactory(name="Easton", slug="easton")
    return logins


def test_administrator_imports_the_good_rows_of_a_spreadsheet(page: Page, demo, tmp_path) -> None:
    checked: list[str] = []
    sign_in(page, ADMIN, checked=checked, check_each_page=False)
    path = tmp_path / "services.csv"
    path.write_bytes(
        sheet(
            row(),
            row(**{"Service name": "Homework club", "Minimum age": "twelve"}),
            row(**{"Service name": "Girls' group", "Needs": "health", "Locality": ""}),
        )
    )

    # The demo's own directory is there already; the import adds to it.
    before = Service.objects.count()
    page.goto("/directory/import/")
    expect(page.get_by_role("heading", name="Import services into the directory")).to_be_visible()
    assert_accessible(page, checked)

    # Sending no file names the missing answer.
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file to upload")
    assert_accessible(page, checked)

    page.get_by_label("Upload a file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    expect(
        page.get_by_role("heading", name="Check the services before importing them")
    ).to_be_visible()
    expect(page.get_by_text("Line 3, minimum age: 'twelve' is not a number")).to_be_visible()
    assert_accessible(page, checked)
    assert Service.objects.count() == before

    page.get_by_role("button", name="Import 2 services").click()
    expect(page.get_by_role("heading", name="Services imported")).to_be_visible()
    assert_accessible(page, checked)
    assert Service.objects.count() == before + 2
    assert Service.objects.filter(name="Friday night football").exists()
    assert len(checked) == 5
