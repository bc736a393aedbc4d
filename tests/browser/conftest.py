"""Playwright (sync API) fixtures for the browser tests, driving Debian's Chromium.

Fixtures:
    chromium_browser  session-scoped Chromium (``JOINEDUP_CHROMIUM``, default /usr/bin/chromium)
    page              a fresh context and page per test, base_url = pytest-django's live_server
    bare_page         the same without live_server (no database), for pages built with set_content
    axe               a callable ``axe(page)`` that fails the test on any axe-core violation;
                      ``axe.checked_urls`` lists the URLs it checked in this test

``assert_accessible(page)`` can also be imported (``from .conftest import assert_accessible``
in a test module under tests/browser/). Every URL checked in the session is in
``CHECKED_URLS``.

Tests in tests/browser/ are marked ``browser`` automatically; on failure, a screenshot of
each open page is saved under test-artifacts/.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread, so Django would otherwise
# refuse database access from the test ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_DIR.parents[1]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    # Only violations fail a test; leaving out the details of the rules that passed makes a
    # check about twice as fast.
    "resultTypes": ["violations"],
}
MAX_TARGETS_PER_VIOLATION = 3

# Every URL passed to assert_accessible in this session (per xdist worker), in order.
CHECKED_URLS: list[str] = []
# Fingerprints of the markup already found free of violations in this session. axe-core's
# answer depends only on the page's markup and styles, so markup checked once (the sign-in
# pages that every journey passes through, say) is not checked again.
PASSED_MARKUP: set[str] = set()
# The form token differs on every page load without changing what the page is.
_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


# --------------------------------------------------------------------------- marking


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item in the session, not just this directory's.
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    executable = os.environ.get("JOINEDUP_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(
            f"Chromium not found at {executable} (set JOINEDUP_CHROMIUM, or run "
            "`make test-deps` to install Debian's chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser: Browser, base_url: str | None) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(chromium_browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page in a fresh browser context; relative URLs go to the live server."""
    yield from _new_page(chromium_browser, live_server.url)


@pytest.fixture
def bare_page(chromium_browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context, with no live server (and no database)."""
    yield from _new_page(chromium_browser, None)


# --------------------------------------------------------------------------- axe-core


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe-core) on {url}:"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = []
        for node in nodes[:MAX_TARGETS_PER_VIOLATION]:
            target = node.get("target", [])
            # A target is a list of selectors (nested lists inside iframes/shadow DOM).
            targets.append(" >> ".join(str(part) for part in target))
        more = len(nodes) - len(targets)
        lines.append(
            f"  - {violation.get('id')} [{violation.get('impact') or 'n/a'}]: "
            f"{violation.get('help')} ({violation.get('helpUrl', '')})"
        )
        for target in targets:
            lines.append(f"      {target}")
        if more > 0:
            lines.append(f"      ... and {more} more")
    return "\n".join(lines)


def _inject_axe(page: Page) -> None:
    if page.evaluate("() => typeof window.axe !== 'undefined'"):
        return
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or `make install`)", pytrace=False)
    # Evaluated through the DevTools protocol, which a Content-Security-Policy without
    # 'unsafe-inline' (ours) does not cover; a <script> tag (add_script_tag) would be blocked,
    # after sending the half-megabyte script to the browser for nothing.
    page.evaluate(_axe_source())
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        pytest.fail(f"could not load axe-core into {page.url}", pytrace=False)


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def assert_accessible(page: Page, checked: list[str] | None = None) -> None:
    """Fail (AssertionError) if axe-core finds any WCAG 2.2 AA or best-practice violation."""
    url = page.url
    CHECKED_URLS.append(url)
    if checked is not None:
        checked.append(url)
    markup = _CSRF_TOKEN.sub(r"\1\2", page.content())
    fingerprint = hashlib.sha256(markup.encode()).hexdigest()
    if fingerprint in PASSED_MARKUP:
        return
    _inject_axe(page)
    # Only the violations come back: the rest of axe's answer is not needed here.
    violations = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations",
        AXE_OPTIONS,
    )
    if violations:
        raise AssertionError(_format_violations(url, violations))
    PASSED_MARKUP.add(fingerprint)


class AxeChecker:
    """``axe(page)`` runs assert_accessible; ``axe.checked_urls`` is this test's URLs."""

    def __init__(self) -> None:
        self.checked_urls: list[str] = []

    def __call__(self, page: Page) -> None:
        assert_accessible(page, self.checked_urls)


@pytest.fixture
def axe() -> Callable[[Page], None]:
    return AxeChecker()


# --------------------------------------------------------------------------- screenshots


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed and report.when in ("call", "setup"):
        funcargs = getattr(item, "funcargs", {})
        pages = [value for value in funcargs.values() if isinstance(value, Page)]
        if pages:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid).strip("_")[:180]
            for number, open_page in enumerate(pages):
                suffix = f"-{number}" if number else ""
                path = ARTIFACTS_DIR / f"{stem}{suffix}.png"
                try:
                    open_page.screenshot(path=path, full_page=True)
                except Exception as error:  # the page may be closed or crashed
                    report.sections.append(("screenshot", f"could not save {path}: {error}"))
                else:
                    report.sections.append(("screenshot", f"saved {path}"))
    return report
