"""Screenshots of the main pages for manual/screenshots.md, taken by the browser.

With UPDATE_SCREENSHOTS=1 the screenshots are (re)written; otherwise each must exist and be a PNG of
the width it is taken at.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import GENERIC, Watch, site_pages, wait_for_search

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "manual" / "screenshots"
HEIGHT = 900
#: file name: (page, viewport width, colour scheme, site)
SHOTS = {
    "home.png": ("home", 1280, "light", GENERIC),
    "competency.png": ("competency", 1280, "light", GENERIC),
    "indicator.png": ("indicator", 1280, "light", GENERIC),
    "search.png": ("search", 1280, "light", GENERIC),
    "indicator-phone.png": ("indicator", 375, "light", GENERIC),
    "home-dark.png": ("home", 1280, "dark", GENERIC),
    "utility-reworded.png": ("reworded", 1280, "light", "millbrook"),
    "utility-unused-phone.png": ("unused", 375, "light", "millbrook"),
    "utility-added-phone.png": ("added", 375, "light", "north_shore"),
}
UPDATE = os.environ.get("UPDATE_SCREENSHOTS") == "1"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path.name} has no PNG header chunk"
    return struct.unpack(">II", data[16:24])


def test_the_screenshots_page_shows_every_screenshot() -> None:
    page = (REPO / "manual" / "screenshots.md").read_text(encoding="utf-8")
    for name in SHOTS:
        assert f"(screenshots/{name})" in page


@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot(name: str, request: pytest.FixtureRequest) -> None:
    """With UPDATE_SCREENSHOTS=1 take the screenshot; in every case it must be a PNG of the expected size."""
    path = SCREENSHOTS / name
    page_name, width, scheme, site = SHOTS[name]
    if UPDATE:
        browser, url = request.getfixturevalue("browser"), request.getfixturevalue("sites").url(site)
        context = browser.new_context(base_url=url, viewport={"width": width, "height": HEIGHT}, color_scheme=scheme)
        watch = Watch(origin=url.rstrip("/"))
        watch.attach(context)
        page = context.new_page()
        page.goto(site_pages(site)[page_name])
        if page_name == "search":
            wait_for_search(page)
        page.evaluate("document.fonts.ready")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(path), animations="disabled", caret="hide")
        context.close()
        watch.check()
    assert path.is_file(), f"missing {path}: run UPDATE_SCREENSHOTS=1 pytest tests/browser -k screenshot"
    assert png_size(path) == (width, HEIGHT)
