"""Printing: the article alone with link addresses, and the job profile as a PDF with every indicator."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from competency.sources.loader import load_model
from competency.sphinx_ext.inline import plain_text

from ..conftest import REPO
from .conftest import MODEL, PAGES, missing_tool

pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = [
    "#pst-header",
    "#pst-primary-sidebar",
    ".bd-breadcrumbs",
    ".prev-next-area",
    ".bd-footer",
    ".comp-copy-link",
    "#pst-skip-link",
]


def _display(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).display")


def _after(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el, '::after').content")


def test_print_hides_navigation_and_shows_link_addresses(page, base_url: str) -> None:
    page.goto(PAGES["indicator"])
    competency_link = ".comp-meta a[href$='communication.html']"
    assert _display(page, "#pst-header") != "none"
    assert _after(page, competency_link) in ("none", "normal")  # on screen: no address after links

    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert _display(page, selector) == "none", f"{selector} is printed"
    assert _display(page, "article .comp-lead") != "none"
    assert page.locator(".comp-permalink-url").is_visible()  # the permanent address is printed
    assert _after(page, competency_link) == f'" ({base_url}{MODEL}/competencies/communication.html)"'
    # Without scripts the address is the link as written.
    page.evaluate("document.querySelectorAll('[data-print-href]').forEach(a => a.removeAttribute('data-print-href'))")
    assert _after(page, competency_link) == '" (../competencies/communication.html)"'


def test_printed_home_page_shows_every_section_card(page) -> None:
    page.goto("index.html")
    page.emulate_media(media="print")
    cards = page.locator(".comp-card")
    assert cards.count() == 5
    for index in range(cards.count()):
        assert cards.nth(index).is_visible()
    assert "sections/technical.html)" in _after(page, ".comp-card-title a")


def _pdf_text(pdf: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        missing_tool("pdftotext is missing: apt-get install poppler-utils (.ci/run installs it)")
    result = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_job_profile_pdf_has_every_indicator_of_the_model(page, tmp_path: Path) -> None:
    model = load_model(REPO / "competency_src" / f"{MODEL}.yaml")
    page.goto(PAGES["profile"])
    pdf = tmp_path / "profile.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    raw = _pdf_text(pdf)
    assert raw.count("\f") >= len(model.sections)  # each section starts a page
    text = " ".join(raw.split())
    assert "Customer Service Representative: job profile" in text
    assert "Search" not in text.split("job profile")[0]  # no navigation before the title
    published = [i for i in model.indicators.values() if i.only is None]  # the generic site's indicators
    texts = [" ".join(plain_text(text).split()) for i in published for text in (i.text, *i.subitems)]
    assert len(published) == 47
    missing = [t for t in texts if t not in text]
    assert not missing, f"indicators missing from the printed profile: {missing}"
    for indicator_id in ("explains-bill-calculation", "summarizes-to-check-understanding"):
        code = model.home_of_indicator(indicator_id)[1].code
        assert f"{code} {plain_text(model.indicators[indicator_id].text)}" in text
