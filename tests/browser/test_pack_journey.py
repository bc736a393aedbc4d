"""The panel pack in the browser, on the demo data: the youth project's keyworker changes
their written view of Mohammed Ali's case; the coordinator opens the next Easton meeting's
pack, which names him, and downloads the PDF; the police sergeant who sits on the panel but
not in the team around any child on the agenda opens the same pack and its PDF and finds
pseudonyms only. axe-core runs on every page."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from joinedup.children.models import Child
from joinedup.demo.catalogue import EASTON
from joinedup.demo.loader import load_demo_data
from joinedup.panels.models import Contribution, Meeting

from . import signing_in as journey
from .conftest import assert_accessible

COORDINATOR = "coordinator@demo.joinedup.test"
SERGEANT = "panel.member@demo.joinedup.test"
KEYWORKER = "keyworker@demo.joinedup.test"
FAMILY_NAMES = ("Mohammed", "Hodan", "Amira", "Warsame")


@pytest.fixture
def demo(transactional_db):
    return load_demo_data()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _download_pdf(page: Page) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack as a PDF").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_panel_pack_names_children_only_for_those_who_need_to_know(page: Page, demo):
    checked: list[str] = []
    meeting = Meeting.objects.filter(panel__slug=EASTON, starts_at__gt=timezone.now()).earliest(
        "starts_at"
    )
    mohammed = Child.objects.get(given_name="Mohammed", family_name="Ali", merged_into=None)

    # The keyworker, who does not sit on the Easton panel, changes their written view.
    journey.sign_in(page, KEYWORKER, checked=checked)
    page.goto(reverse("children:child_detail", kwargs={"reference": mohammed.reference}))
    page.get_by_role("link", name="Send a panel your view of this child's case").click()
    expect(
        page.get_by_role("heading", name="Your children on upcoming panel agendas")
    ).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_role("link", name="Change your view of Mohammed Ali's case").click()
    expect(page.get_by_role("heading", name="Your view of Mohammed Ali's case")).to_be_visible()
    assert_accessible(page, checked)
    page.get_by_label("Your view of the case for the panel").fill(
        "Mohammed has come to every football session since October; Hodan says he is calmer."
    )
    page.get_by_label("Yes, I expect to be there").check()
    page.get_by_role("button", name="Save your changes").click()
    expect(page.get_by_text("Your view is in the panel pack")).to_be_visible()
    assert Contribution.objects.filter(view__startswith="Mohammed has come").exists()
    _sign_out(page)

    # The coordinator reads names, on the page and in the PDF.
    journey.sign_in(page, COORDINATOR, checked=checked)
    page.goto(reverse("panels:meeting_detail", kwargs={"meeting_id": meeting.pk}))
    page.get_by_role("link", name="Open the panel pack").click()
    expect(page.get_by_role("heading", name=re.compile("^Panel pack"))).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_role("heading", name="1. Mohammed Ali")).to_be_visible()
    expect(page.get_by_text("Mohammed has come to every football session")).to_be_visible()
    text = _download_pdf(page)
    assert "Mohammed Ali" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Prepared for" in text
    _sign_out(page)

    # The sergeant sits on the panel but works with none of these children: pseudonyms only.
    journey.sign_in(page, SERGEANT, checked=checked)
    page.goto(reverse("panels:pack", kwargs={"meeting_id": meeting.pk}))
    expect(page.get_by_role("heading", name=f"1. {mohammed.pseudonym}")).to_be_visible()
    assert_accessible(page, checked)
    expect(page.get_by_text(f"{mohammed.pseudonym} has come to every football")).to_be_visible()
    html = page.content()
    assert [name for name in FAMILY_NAMES if name in html] == []
    text = _download_pdf(page)
    assert mohammed.pseudonym.split("-")[0] in text
    assert [name for name in FAMILY_NAMES if name in text] == []
