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
from .conftest import PAGES, wait_for_search

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "manual" / "screenshots"
HEIGHT = 900
#: file name: (page, viewport width, colour scheme)
SHOTS = {
    "home.png": ("home", 1280, "light"),
    "competency.png": ("competency", 1280, "light"),
    "indicator.png": ("indicator", 1280, "light"),
    "search.png": ("search", 1280, "light"),
    "indicator-phone.png": ("indicator", 375, "light"),
    "home-dark.png": ("home", 1280, "dark"),
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
    page_name, width, scheme = SHOTS[name]
    if UPDATE:
        new_context = request.getfixturevalue("new_context")  # the browser only when writing
        page = new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme).new_page()
        page.goto(PAGES[page_name])
        if page_name == "search":
            wait_for_search(page)
        page.evaluate("document.fonts.ready")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(path), animations="disabled", caret="hide")
    assert path.is_file(), f"missing {path}: run UPDATE_SCREENSHOTS=1 pytest tests/browser -k screenshot"
    assert png_size(path) == (width, HEIGHT)
