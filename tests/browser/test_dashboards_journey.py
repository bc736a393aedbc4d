"""Each level of the partnership opens its dashboard from the start page on the demo data: the
keyworker, the panel coordinator, the panel chair and a steering group member (who also
chooses a locality). axe-core runs on every page visited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from joinedup.demo.loader import DEMO_EMAIL_DOMAIN, load_demo_data

from .conftest import VIEWPORT, assert_accessible
from .signing_in import sign_in


@pytest.fixture
def demo(transactional_db):
    return load_demo_data()


@pytest.fixture
def fresh_page(chromium_browser: Browser, live_server: Any) -> Iterator[Any]:
    """A page in a new browser context for each person, so each signs in on their own."""
    contexts = []

    def open_page() -> Page:
        context = chromium_browser.new_context(base_url=live_server.url, viewport=VIEWPORT)  # type: ignore[arg-type]
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _open_dashboard(page: Page, task: str, heading: str, checked: list[str]) -> None:
    page.get_by_role("link", name=task).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert_accessible(page, checked)
    # The menu's "Dashboard" is the current page.
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")


def test_each_level_opens_its_dashboard(fresh_page, demo) -> None:
    checked: list[str] = []

    page = fresh_page()
    sign_in(page, f"keyworker@{DEMO_EMAIL_DOMAIN}", checked=checked)
    _open_dashboard(page, "Open your keyworker dashboard", "Your dashboard", checked)
    expect(page.get_by_role("heading", name="Next reviews")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions you owe")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d+ open plans?$")).click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    assert_accessible(page, checked)

    page = fresh_page()
    sign_in(page, f"coordinator@{DEMO_EMAIL_DOMAIN}", checked=checked)
    _open_dashboard(page, "Open your coordinator dashboard", "Your panels at a glance", checked)
    for section in ("Consents to renew", "Packs to build", "Referrals waiting"):
        expect(page.get_by_role("heading", name=section)).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d+ referred$")).click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("Referred"))
    assert_accessible(page, checked)

    page = fresh_page()
    sign_in(page, f"panel.chair@{DEMO_EMAIL_DOMAIN}", checked=checked)
    _open_dashboard(
        page, "Open your chair's dashboard", "Your panels' actions and attendance", checked
    )
    expect(page.get_by_role("heading", name="Actions by agency").first).to_be_visible()
    expect(page.get_by_role("heading", name="Attendance by agency").first).to_be_visible()

    page = fresh_page()
    sign_in(page, f"strategic.manager@{DEMO_EMAIL_DOMAIN}", checked=checked)
    _open_dashboard(page, "See the figures for your area", "Figures for the whole city", checked)
    page.get_by_label("Area").select_option(label="Knowle West")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", name="Figures for Knowle West")).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_role("heading", name="Referrals received")).to_be_visible()

    assert len(checked) >= 10
