"""A keyworker opens the partnership map of the demo's partnerships: it draws every node (the
screenshot is not blank), a node chosen with the keyboard and clicked shows its details, a
locality filter draws less, and the table view of the same data is axe-clean. The demo's
localities, organisations and partnerships are loaded on their own (not the whole demo)."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from joinedup.core.roles import Role
from joinedup.demo.catalogue import ORGANISATIONS
from joinedup.demo.loader import DEMO_PASSWORD, _load_localities, _load_organisation
from joinedup.demo.partnerships import load_demo_partnerships
from joinedup.organisations.models import Organisation
from joinedup.partnerships import selectors
from tests.factories import MembershipFactory, UserFactory

from .conftest import ARTIFACTS_DIR, assert_accessible
from .signing_in import sign_in

EMAIL = "mapper@example.org"
READY = '#partnership-map[data-map-ready="true"]'


@pytest.fixture
def demo_partnerships(transactional_db) -> int:
    """The demo's partnerships; the number of nodes the whole map should draw."""
    localities = _load_localities()
    for seed in ORGANISATIONS:
        _load_organisation(seed, localities)
    load_demo_partnerships()
    user = UserFactory(email=EMAIL, full_name="Kim Keyworker")
    user.set_password(DEMO_PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    MembershipFactory(
        user=user, role=Role.KEYWORKER, organisation=Organisation.objects.get(slug="barnardos")
    )
    return len(selectors.map_data(viewer=user)["nodes"])


def _coloured_pixels(png: bytes) -> int:
    """Pixels of a PNG screenshot that are not white: Playwright writes 8-bit RGB or RGBA,
    not interlaced, so undoing PNG's row filters is all the decoding needed."""
    position, data, width, height, channels = 8, b"", 0, 0, 3
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", body[:10])
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    raw, stride, coloured = zlib.decompress(data), width * channels, 0
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - up_left
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up))
                near = min(near, (abs(guess - up_left), 2, up_left))
                line[i] = (line[i] + near[2]) & 255
        coloured += sum(1 for p in range(0, stride, channels) if min(line[p : p + 3]) < 200)
        previous = line
    return coloured


def test_the_map_draws_the_partnerships_filters_and_shows_a_nodes_details(
    page: Page, demo_partnerships: int
) -> None:
    checked: list[str] = []
    sign_in(page, EMAIL, checked=checked, check_each_page=False)

    page.goto("/partnerships/")
    page.get_by_role("link", name="The partnership map").click()
    expect(page.get_by_role("heading", name="The partnership map")).to_be_visible()
    drawing = page.locator(READY)
    expect(drawing).to_be_attached(timeout=15_000)
    assert int(drawing.get_attribute("data-drawn-nodes") or 0) == demo_partnerships
    expect(page.locator("#map-status")).to_contain_text("Showing")

    # Inside the border, so that a blank drawing would be white all over.
    box = page.locator("#partnership-map").bounding_box()
    assert box is not None
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    shot = page.screenshot(
        path=ARTIFACTS_DIR / "partnership-map.png",
        clip={"x": box["x"] + 2, "y": box["y"] + 2, "width": 400, "height": 300},
    )
    assert _coloured_pixels(shot) > 500

    # The arrow keys move to a node and centre it; a click there shows its details.
    map_area = page.locator("#partnership-map")
    map_area.focus()
    map_area.press("ArrowRight")
    status = page.locator("#map-status")
    expect(status).to_contain_text("1 of")
    chosen = re.match(r"(.*), (organisation|person|partnership) \(", status.text_content() or "")
    assert chosen is not None
    name = chosen.group(1)
    map_area.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    details = page.locator("#map-details")
    expect(details.get_by_role("heading", name=name)).to_be_visible()

    # A locality draws fewer nodes, and the address says which.
    page.get_by_label("Locality").select_option(label="Knowle West")
    expect(drawing).to_be_attached()
    expect(page).to_have_url(re.compile(r"/partnerships/map/\?locality=knowle-west$"))
    drawn = int(page.locator(READY).get_attribute("data-drawn-nodes") or 0)
    assert 0 < drawn < demo_partnerships

    page.get_by_role("link", name="View as a table").click()
    expect(page.get_by_role("heading", name="The partnership map as a table")).to_be_visible()
    expect(page.get_by_label("Locality")).to_have_value("knowle-west")
    assert page.get_by_role("table").count() >= 1
    assert_accessible(page, checked)
