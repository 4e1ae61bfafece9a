"""The HR forms in Chromium: the self-assessment kept in the browser, printing, axe, keyboard, phone, a variant."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest

from competency.sources.site import load_site
from competency.sources.variants import site_for_utility
from competency.sphinx_ext.inline import plain_text

from ..conftest import REPO
from ..test_real_site import build, copy_site
from .conftest import MODEL, _chromium_or_skip
from .test_accessibility import AXE_OPTIONS, _describe
from .test_print import _pdf_text

pytestmark = pytest.mark.browser

SELF = f"{MODEL}/self-assessment.html"
APPRAISAL = f"{MODEL}/appraisal.html"
FORMS = [APPRAISAL, SELF, f"{MODEL}/interview.html", f"{MODEL}/posting.html"]
#: "A handful of pages": the appraisal form of the real model, measured (manual/hr-forms.md).
MOST_PAGES = 12


def _published_model(utility: str | None = None):
    site = site_for_utility(load_site(REPO / "competency_src"), utility)
    return site.models[MODEL]


def _radio(page, item: str, level: str):
    return page.locator(f"input[data-sa-rating='{item}'][value='{level}']")


def _note(page, competency: str):
    return page.locator(f"textarea[data-sa-note='{competency}']")


def _fill(page) -> None:
    page.goto(SELF)
    _radio(page, "explains-bill-calculation", "role-model").check()
    _radio(page, "uses-email-system", "developing").check()
    _note(page, "communication").fill('Explained the new tariff, "tiers" and all, to 12 callers;\nsee log.')


def _answers(page) -> dict:
    checked = page.eval_on_selector_all(
        "input[data-sa-rating]:checked", "els => els.map(e => [e.dataset.saRating, e.value])"
    )
    return {"ratings": dict(checked), "note": _note(page, "communication").input_value()}


FILLED = {
    "ratings": {"explains-bill-calculation": "role-model", "uses-email-system": "developing"},
    "note": 'Explained the new tariff, "tiers" and all, to 12 callers;\nsee log.',
}


def test_answers_are_kept_across_reloads_and_summarised(page) -> None:
    _fill(page)
    page.reload()
    assert _answers(page) == FILLED
    summary = " ".join(page.inner_text("#comp-sa-summary").split())
    assert "1 strengths, 1 gaps" in summary
    assert "II.1.b Clearly explains to customers how their bill is calculated (Role model)" in summary
    gaps = page.inner_text(".comp-sa-gaps")
    assert "Using site-specific email system (Developing)" in gaps
    # Nothing leaves the browser: the answers are in localStorage under the model and variant.
    stored = json.loads(page.evaluate(f"localStorage.getItem('competency-self-assessment/v1/{MODEL}/generic')"))
    assert stored["ratings"] == FILLED["ratings"]
    # The real site has no family of jobs, and says so.
    assert "This site has no family of jobs" in page.inner_text("article")


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_export_then_import_gives_the_same_answers(page, tmp_path: Path, suffix: str) -> None:
    _fill(page)
    with page.expect_download() as download:
        page.click(f"button[data-sa-action='export-{suffix}']")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == f"self-assessment-{MODEL}-generic.{suffix}"
    text = exported.read_text(encoding="utf-8")
    if suffix == "json":
        data = json.loads(text)
        assert data["model"] == MODEL and data["ratings"] == FILLED["ratings"]
        assert data["notes"]["communication"] == FILLED["note"]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        rated = {r["id"]: r["level"] for r in rows if r["kind"] == "rating" and r["level"]}
        assert rated == FILLED["ratings"]
        assert next(r for r in rows if r["kind"] == "note")["note"] == FILLED["note"]
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[data-sa-action='clear']")
    page.reload()
    assert _answers(page) == {"ratings": {}, "note": ""}
    page.set_input_files("#comp-sa-import", str(exported))
    page.wait_for_function("document.getElementById('comp-sa-status').textContent.startsWith('Imported')")
    assert _answers(page) == FILLED
    page.reload()  # imported answers are kept too
    assert _answers(page) == FILLED


def test_a_note_a_spreadsheet_would_evaluate_is_exported_as_text_and_read_back_unchanged(page, tmp_path: Path) -> None:
    page.goto(SELF)
    note = '=HYPERLINK("http://elsewhere.example/","open me")'
    _note(page, "communication").fill(note)
    with page.expect_download() as download:
        page.click("button[data-sa-action='export-csv']")
    exported = tmp_path / "answers.csv"
    download.value.save_as(exported)
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert next(r for r in rows if r["kind"] == "note")["note"] == "'" + note  # text, not a formula
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[data-sa-action='clear']")
    page.reload()
    page.set_input_files("#comp-sa-import", str(exported))
    page.wait_for_function("document.getElementById('comp-sa-status').textContent.startsWith('Imported')")
    assert _note(page, "communication").input_value() == note


def test_a_file_of_another_job_is_refused(page, tmp_path: Path) -> None:
    _fill(page)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"model": "meter-reader", "ratings": {"x": "proficient"}, "notes": {}}))
    page.set_input_files("#comp-sa-import", str(other))
    page.wait_for_function("document.getElementById('comp-sa-status').textContent.startsWith('Nothing')")
    assert "another job (meter-reader)" in page.inner_text("#comp-sa-status")
    assert _answers(page) == FILLED


def _pdf(page, tmp_path: Path, url: str, paper: str) -> tuple[str, int]:
    page.goto(url)
    pdf = tmp_path / f"{paper}.pdf"
    page.pdf(path=str(pdf), format=paper)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    return _pdf_text(pdf), pages


def _words(text: str) -> str:
    """Text as pdftotext gives it back: spacing aside, and without hyphens (it joins a word broken at one)."""
    return re.sub(r"-\s+", "", " ".join(text.split())).replace("-", "")


def _expected_texts(model) -> list[str]:
    """Every indicator's words, once per place the forms show it (every position of sections I-III and V)."""
    texts = []
    for section in model.sections:
        for placement in section.placements():
            for ind in placement.indicators:
                texts.append(_words(plain_text(model.indicators[ind.indicator].text)))
    return texts


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_appraisal_form_prints_cleanly(page, tmp_path: Path, paper: str) -> None:
    model = _published_model()
    raw, pages = _pdf(page, tmp_path, APPRAISAL, paper)
    assert 1 < pages <= MOST_PAGES, f"{pages} pages"
    assert "http" not in raw and ".html" not in raw  # no link target, no permanent address
    text = " ".join(raw.split())
    assert text.startswith("Customer Service Representative: appraisal form")
    for label in ("Employee", "Reviewer", "Review period", "Evidence and comments", "Overall summary", "Signatures"):
        assert label in text
    expected = _expected_texts(model)
    joined, words = " | ".join(expected), _words(raw)
    wrong = {t: (words.count(t), joined.count(t)) for t in set(expected) if words.count(t) != joined.count(t)}
    assert not wrong, f"indicator text printed (times, expected): {wrong}"
    assert "rated at II.4.b" in text  # section V names where a repeated indicator is rated
    # A competency's evidence box is printed with its table's last row, never alone atop a page.
    tops = [
        lines[0] for lines in ([ln.strip() for ln in p.splitlines() if ln.strip()] for p in raw.split("\f")) if lines
    ]
    assert not [n for n, top in enumerate(tops, 1) if top.startswith("Evidence and comments")], tops
    # The footer: the job, the form and the date of the sources (an edition's pages: the edition), and
    # page numbers.
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Customer Service Representative · Appraisal form · sources of " in text
    assert "The rating scale is written by the site's maintainers" in text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_job_profile_prints_without_link_targets(page, tmp_path: Path, paper: str) -> None:
    raw, pages = _pdf(page, tmp_path, f"{MODEL}/profile.html", paper)
    assert "http" not in raw and ".html" not in raw
    text = " ".join(raw.split())
    assert "II.1.b Clearly explains to customers how their bill is calculated" in text
    assert f"Page {pages} of {pages}" in text and "Job profile · sources of " in text


def test_printed_self_assessment_shows_the_answers(page, tmp_path: Path) -> None:
    _fill(page)
    page.emulate_media(media="print")
    assert page.locator(".comp-sa-tools").evaluate("el => getComputedStyle(el).display") == "none"
    pdf = tmp_path / "answers.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(_pdf_text(pdf).split())
    assert "Explained the new tariff" in text and "see log." in text
    assert "http" not in text


def test_interview_guide_lists_the_questions_marked_editorial(page) -> None:
    page.goto(f"{MODEL}/interview.html")
    article = " ".join(page.inner_text("article").split())
    assert "Tell us about a time you had to explain a bill" in article
    assert "These questions are written by the site's maintainers" in article
    assert page.locator(".comp-box").count() > 10


def test_posting_text_copies_the_chosen_items_with_permanent_links(new_context, base_url: str) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{MODEL}/posting.html")
    page.click("button[data-posting-action='none']")
    page.check("input[data-posting-competency='communication']")  # ticks its indicators too
    page.uncheck("input[data-posting-indicator='notifies-chain-of-command-of-problems']")
    page.click("button[data-posting-format='markdown']")
    page.wait_for_function("document.getElementById('comp-posting-status').textContent === 'Copied as Markdown'")
    copied = page.evaluate("navigator.clipboard.readText()")
    link = f"{base_url}{MODEL}/indicators/explains-bill-calculation.html"
    assert f"  - [II.1.b Clearly explains to customers how their bill is calculated]({link})" in copied
    assert f"- [II.1 Communication]({base_url}{MODEL}/competencies/communication.html)" in copied
    assert "chain of command" not in copied and "Billing" not in copied
    page.click("button[data-posting-format='html']")
    page.wait_for_function("document.getElementById('comp-posting-status').textContent === 'Copied as HTML'")
    html = page.evaluate("navigator.clipboard.readText()")
    assert f'<li><a href="{link}">II.1.b Clearly explains' in html
    page.click("button[data-posting-format='text']")
    page.wait_for_function("document.getElementById('comp-posting-status').textContent === 'Copied as plain text'")
    assert f"  II.1.b Clearly explains to customers how their bill is calculated <{link}>" in page.input_value(
        "#comp-posting-preview"
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_forms_have_no_wcag_violations(new_context, mode: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = new_context(color_scheme=mode).new_page()
    failures = {}
    for url in FORMS:
        page.goto(url)
        if url == SELF:
            _radio(page, "explains-bill-calculation", "proficient").check()  # the summary is checked too
        results = Axe().run(page, options=AXE_OPTIONS).response
        assert results["passes"], f"axe checked nothing on {url}"
        if results["violations"]:
            failures[url] = _describe(results["violations"])
    assert not failures, "\n".join(f"{mode} {url}:\n{text}" for url, text in failures.items())


def test_self_assessment_is_operated_with_the_keyboard(page) -> None:
    page.goto(SELF)
    legend = page.locator("fieldset[data-sa-item='uses-customer-call-logging-system'] legend")
    assert legend.inner_text().startswith("I.1.a ")  # each radio group is named by its indicator
    first = _radio(page, "uses-customer-call-logging-system", "not-yet")
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _radio(page, "uses-customer-call-logging-system", "proficient").is_checked()
    page.keyboard.press("Tab")  # Tab leaves the group for the next one
    focused = page.evaluate("document.activeElement.dataset.saRating")
    assert focused == "uses-email-system"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.reload()
    assert _radio(page, "uses-customer-call-logging-system", "proficient").is_checked()


@pytest.mark.parametrize("url", [SELF, f"{MODEL}/posting.html", APPRAISAL])
def test_forms_fit_a_phone(new_context, url: str) -> None:
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{url} is {width} px wide"


@pytest.fixture(scope="module")
def millbrook_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Millbrook's site (make html UTILITY=millbrook)."""
    _chromium_or_skip()
    site = copy_site(tmp_path_factory.mktemp("millbrook-site"))
    result = build(site, "-t", "millbrook")
    assert result.returncode == 0, result.stderr
    return site / "out"


def test_a_utility_form_shows_its_own_wording(browser, millbrook_out: Path, tmp_path: Path) -> None:
    """Opened from the disk (file://), as a plain folder of files: the variant's wording and exclusions."""
    model = _published_model("millbrook")
    context = browser.new_context()
    page = context.new_page()
    page.goto((millbrook_out / APPRAISAL).as_uri())
    text = " ".join(page.inner_text("article").split())
    assert "Customer Service Representative (Millbrook Municipal Water)" in text
    assert "Using the MuniBill billing system" in text
    assert "Explaining Millbrook's rules for turning water on and off" in text
    assert "Using site-specific email system" not in text
    page.goto((millbrook_out / SELF).as_uri())
    assert page.locator("input[data-sa-rating='uses-email-system']").count() == 0
    _radio(page, "uses-billing-computer-system", "proficient").check()
    page.reload()
    assert _radio(page, "uses-billing-computer-system", "proficient").is_checked()
    key = f"competency-self-assessment/v1/{MODEL}/millbrook"
    assert json.loads(page.evaluate(f"localStorage.getItem('{key}')"))["ratings"] == {
        "uses-billing-computer-system": "proficient"
    }
    page.goto((millbrook_out / APPRAISAL).as_uri())
    pdf = tmp_path / "millbrook.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed = " ".join(_pdf_text(pdf).split())
    wrong = [t for t in set(_expected_texts(model)) if t not in _words(printed)]
    assert not wrong, wrong
    assert "Millbrook Municipal Water) · Appraisal form" in printed
    context.close()
