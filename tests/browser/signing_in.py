"""Signing a demo person in through the real pages, two-factor code included, with axe-core
on each page on the way: one way for every browser journey."""

from __future__ import annotations

import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from joinedup.demo.loader import DEMO_PASSWORD

from .conftest import assert_accessible


def code_for(email: str) -> str:
    """The app's current code; for a second sign-in within the same 30 seconds, the next one
    (a code is accepted once, and one step ahead is within the device's tolerance)."""
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time = time.time() + device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():06d}"


def sign_in(page: Page, email: str, *, checked: list[str], check_each_page: bool = True) -> None:
    """Sign in and land on the start page, checked with axe; with `check_each_page`, the sign-in
    and two-factor pages on the way too (a journey that counts its own pages leaves it off)."""
    page.goto("/")
    if check_each_page:
        assert_accessible(page, checked)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in to JoinedUp")).to_be_visible()
    if check_each_page:
        assert_accessible(page, checked)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "two-factor" in page.url:
        expect(page.get_by_role("heading", name=re.compile("Enter the code"))).to_be_visible()
        if check_each_page:
            assert_accessible(page, checked)
        page.get_by_label("Code from your authenticator app").fill(code_for(email))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What you can do next")).to_be_visible()
    assert_accessible(page, checked)
