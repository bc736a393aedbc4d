"""The accessibility harness can fail: an image without alt text must be reported.

No Django and no database: the pages are set with page.set_content.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import CHECKED_URLS, assert_accessible

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Good page - JoinedUp</title>{head}</head>
<body>
  <header><p>JoinedUp</p></header>
  <main>
    <h1>A good page</h1>
    <p>Everything here has a name.</p>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A blank square">
    <form>
      <label for="name">Name</label>
      <input id="name" name="name" type="text">
      <button type="submit">Save</button>
    </form>
  </main>
</body>
</html>
"""

BAD_PAGE = GOOD_PAGE.replace(' alt="A blank square"', "").replace("A good page", "A bad page")

STRICT_CSP = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'self'; script-src 'self'\">"
)


def test_image_without_alt_fails(bare_page: Page, axe) -> None:
    bare_page.set_content(BAD_PAGE.format(head=""))
    with pytest.raises(AssertionError) as failure:
        axe(bare_page)
    message = str(failure.value)
    assert "image-alt" in message
    assert "critical" in message
    assert "img" in message
    assert bare_page.url in message
    assert axe.checked_urls == [bare_page.url]


def test_good_page_passes(bare_page: Page, axe) -> None:
    bare_page.set_content(GOOD_PAGE.format(head=""))
    axe(bare_page)
    assert axe.checked_urls == [bare_page.url]
    assert CHECKED_URLS[-1] == bare_page.url


def test_works_under_strict_content_security_policy(bare_page: Page) -> None:
    # The app sends a CSP that blocks inline scripts; axe must still be injected.
    bare_page.set_content(BAD_PAGE.format(head=STRICT_CSP))
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(bare_page)
    bare_page.set_content(GOOD_PAGE.format(head=STRICT_CSP))
    assert_accessible(bare_page)
