"""The offline compare page of the example family of jobs, in Chromium: over HTTP and from file://."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..test_real_site import copy_site
from .conftest import CLIPPED_PREV_NEXT, Watch, _chromium_or_skip, _free_port
from .test_accessibility import AXE_OPTIONS, _describe

pytestmark = pytest.mark.browser

PAIR = "shared/compare.html?from=customer-service-representative&to=distribution-system-operator"
FORMER_ID = "meter-reading-technician"


@pytest.fixture(scope="module")
def family_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example family (examples/family/competency_src) built as `make html SOURCES=...` builds it."""
    _chromium_or_skip()
    site = copy_site(tmp_path_factory.mktemp("family-site"))
    # The meter reader renamed from a former id: links made before the rename still compare it.
    model = site / "examples" / "family" / "competency_src" / "meter-reader.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("id: meter-reader\n", f"id: meter-reader\naliases: [{FORMER_ID}]\n", 1), "utf-8")
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-c", str(site)]
    command += ["-D", "competency_source_dir=examples/family/competency_src", str(site / "docs"), str(site / "out")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    return site / "out"


@pytest.fixture(scope="module")
def family_url(family_out: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(family_out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=5)


def _context(browser, origin: str, **options):
    context = browser.new_context(**options)
    watch = Watch(origin)
    watch.attach(context)
    return context, watch


def _result_text(page) -> str:
    page.wait_for_selector("#comp-compare-result h2")
    return " ".join(page.inner_text("#comp-compare-result").split())


def test_compare_page_compares_the_pair_in_the_address(browser, family_url: str, family_out: Path) -> None:
    context, watch = _context(browser, family_url.rstrip("/"), base_url=family_url)
    page = context.new_page()
    page.goto(PAIR)
    text = _result_text(page)
    assert text.startswith("From Customer Service Representative to Distribution System Operator (invented example)")
    # The same comparison as the static page of this declared career path.
    static = page.context.new_page()
    static.goto("shared/paths/customer-service-representative--distribution-system-operator.html")
    summary = static.inner_text(".comp-path-summary")
    assert summary in text
    assert "To gain for Distribution System Operator (invented example): II.1.b Explains planned work" in text
    # Choosing another pair changes the result and the address.
    page.select_option("#comp-compare-from", "meter-reader")
    page.click("#comp-compare-form button")
    page.wait_for_function("document.querySelector('#comp-compare-result h2').textContent.startsWith('From Meter')")
    assert "from=meter-reader&to=distribution-system-operator" in page.url
    # The same words in both jobs, not shared yet: listed by both, nothing to gain (as the static page).
    moved = _result_text(page)
    assert (
        "Safety Awareness: II.3 Safety Awareness → II.4 Safety Awareness Both list: II.3.b → II.4.b Reports hazards"
        in moved
    )
    path = page.context.new_page()
    path.goto("shared/paths/meter-reader--distribution-system-operator.html")
    assert path.inner_text(".comp-path-summary") in moved
    # Links lead to the jobs' pages.
    page.click("#comp-compare-result .comp-compare-added a >> nth=0")
    page.wait_for_load_state()
    assert "/distribution-system-operator/competencies/" in page.url
    context.close()
    watch.check()


def test_compare_page_works_from_the_disk(browser, family_out: Path) -> None:
    context, watch = _context(browser, "file://")
    page = context.new_page()
    page.goto(
        (family_out / "shared" / "compare.html").as_uri() + "?from=meter-reader&to=customer-service-representative"
    )
    text = _result_text(page)
    assert text.startswith("From Meter Reader (invented example) to Customer Service Representative")
    assert "What Customer Service Representative adds" in text
    context.close()
    watch.check()


def test_a_job_the_site_does_not_have_is_said_and_a_former_id_still_compares(browser, family_url: str) -> None:
    context, watch = _context(browser, family_url.rstrip("/"), base_url=family_url)
    page = context.new_page()
    page.goto("shared/compare.html?from=nope&to=meter-reader")
    notice = " ".join(page.inner_text("#comp-compare-result .comp-compare-unknown").split())
    assert notice.startswith("This site has no job \u201cnope\u201d (the link may be mistyped")
    assert page.query_selector("#comp-compare-result h2") is None  # no other pair shown in its place
    # A name every script object has is no job either.
    page.goto("shared/compare.html?from=constructor&to=__proto__")
    notice = " ".join(page.inner_text("#comp-compare-result .comp-compare-unknown").split())
    assert notice.startswith("This site has no job \u201cconstructor\u201d or \u201c__proto__\u201d")
    page.goto(f"shared/compare.html?from={FORMER_ID}&to=distribution-system-operator")
    assert _result_text(page).startswith(
        "From Meter Reader (invented example) to Distribution System Operator (invented example)"
    )
    assert page.input_value("#comp-compare-from") == "meter-reader"
    # Each job's code of the words both list: the meter reader's, then the operator's.
    assert "Both list: V.2.a \u2192 V.3.a Actively seeks and completes training" in _result_text(page)
    context.close()
    watch.check()


def test_family_pages_are_accessible_and_fit_a_phone(browser, family_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context, watch = _context(
        browser, family_url.rstrip("/"), base_url=family_url, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    failures = {}
    for path in (PAIR, "shared/index.html", "shared/competencies/communication.html", "shared/matrix.html"):
        page.goto(path)
        if path == PAIR:
            _result_text(page)
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            failures[path] = _describe(violations)
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
        )
        assert widths["scroll"] <= widths["client"], f"{path} scrolls sideways at 375 px: {widths}"
        assert not page.evaluate(CLIPPED_PREV_NEXT), f"{path}: previous/next text cut off at 375 px"
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
    context.close()
    watch.check()


@pytest.mark.parametrize("over", ["http", "file"])
def test_the_short_address_at_the_root_opens_the_same_comparison(
    browser, family_url: str, family_out: Path, over: str
) -> None:
    """`compare.html?from=<id>&to=<id>` at the site's root forwards to the compare page with the pair."""
    query = "?from=meter-reader&to=distribution-system-operator"
    start = family_url + "compare.html" if over == "http" else (family_out / "compare.html").as_uri()
    context, watch = _context(browser, family_url.rstrip("/") if over == "http" else "file://")
    page = context.new_page()
    page.goto(start + query)
    page.wait_for_url("**/shared/compare.html?from=meter-reader&to=distribution-system-operator")
    assert _result_text(page).startswith(
        "From Meter Reader (invented example) to Distribution System Operator (invented example)"
    )
    context.close()
    watch.check()


def test_self_assessment_shows_what_to_develop_for_a_target_job(browser, family_url: str) -> None:
    """The HR self-assessment (pages/forms.py) reads the same data file for its target job."""
    context, watch = _context(browser, family_url.rstrip("/"), base_url=family_url)
    page = context.new_page()
    page.goto("customer-service-representative/self-assessment.html")
    page.check("input[data-sa-rating='actively-listens-to-others'][value='developing']")
    page.select_option("#comp-sa-target", "distribution-system-operator")
    page.wait_for_selector("#comp-sa-develop h3")
    develop = " ".join(page.inner_text("#comp-sa-develop").split())
    assert develop.startswith("To develop for Distribution System Operator")
    assert "a gap today (II.1.a)" in develop  # a shared indicator rated below the expected level
    assert "new in the target job" in develop
    assert "not rated yet" in develop
    # The same words in both jobs, not shared yet, are the same behaviour: rated, nothing to develop.
    page.goto("meter-reader/self-assessment.html")
    page.check("input[data-sa-rating='reports-hazards'][value='proficient']")
    page.select_option("#comp-sa-target", "distribution-system-operator")
    page.wait_for_selector("#comp-sa-develop h3")
    develop = " ".join(page.inner_text("#comp-sa-develop").split())
    assert develop.startswith("To develop for Distribution System Operator") and "Reports hazards" not in develop
    context.close()
    watch.check()
