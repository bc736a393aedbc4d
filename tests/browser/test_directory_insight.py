"""A strategic manager reads the funding cliffs, changes the window, then the overlapping
services: both pages axe-clean, with the directory entries made here (the demo has people and
panels; the services are this journey's own)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data
from joinedup.directory.models import ServiceArea
from tests.factories import FundingFactory, ServiceFactory, ServiceTermFactory, TaxonomyTermFactory

from .conftest import assert_accessible
from .signing_in import sign_in


@pytest.fixture
def directory(transactional_db):
    load_demo_data()
    today = timezone.localdate()
    outdoor = TaxonomyTermFactory(name="Outdoor and adventure")
    for name, ages, waiting, days in (
        ("Climbing club", (10, 16), 4, 40),
        ("Canoe trips", (12, 18), 0, 250),
    ):
        service = ServiceFactory(
            name=name,
            minimum_age=ages[0],
            maximum_age=ages[1],
            capacity=12,
            waiting_list_count=waiting,
        )
        ServiceTermFactory(service=service, term=outdoor)
        ServiceArea.objects.create(service=service, name="Bristol")
        FundingFactory(
            service=service,
            source="Children's Fund",
            amount=Decimal(20000),
            ends_on=today + timedelta(days=days),
        )


def test_a_strategic_manager_reads_funding_ending_and_overlapping_services(
    page: Page, directory
) -> None:
    checked: list[str] = []
    sign_in(page, f"strategic.manager@{DEMO_EMAIL_DOMAIN}", checked=checked)

    page.get_by_role("link", name="See funding ending soon").click()
    expect(page.get_by_role("heading", name="Funding ending soon", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    table = page.get_by_role("table", name="Services with funding ending in the next 6 months")
    expect(table.get_by_role("link", name="Climbing club")).to_be_visible()
    expect(table.get_by_role("link", name="Canoe trips")).to_have_count(0)

    page.get_by_label("12 months").check()
    page.get_by_role("button", name="Show funding ending").click()
    table = page.get_by_role("table", name="Services with funding ending in the next 12 months")
    expect(table.get_by_role("link", name="Canoe trips")).to_be_visible()
    assert_accessible(page, checked)

    # Only 3, 6 and 12 months are offered; another window in the address is named as wrong.
    page.goto("/directory/funding/?months=7")
    expect(page.get_by_role("link", name="Select 3, 6 or 12 months")).to_be_visible()
    assert_accessible(page, checked)

    page.get_by_role("link", name="Service directory").first.click()
    page.get_by_role("link", name="Overlapping services").click()
    expect(page.get_by_role("heading", name="Overlapping services", exact=True)).to_be_visible()
    assert_accessible(page, checked)
    expect(
        page.get_by_role("heading", name="Outdoor and adventure in the whole city")
    ).to_be_visible()
    # The city-wide group, and each locality group its city-wide services also belong to.
    expect(
        page.get_by_text("1 of them has a waiting list (4 waiting in all)").first
    ).to_be_visible()
    assert len(checked) >= 4
