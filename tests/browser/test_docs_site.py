"""The two sites in the browser: the staff site's search finds staff pages only, with plain-text summaries;
the tool's documentation has no WCAG 2.1 A/AA violation on its main pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from ..conftest import REPO
from ..test_real_site import build, copy_site
from .conftest import Watch, _chromium_or_skip, _free_port, _origin, wait_for_search
from .test_accessibility import AXE_OPTIONS, _describe

pytestmark = pytest.mark.browser

#: Titles of the tool's documentation pages (their first heading): none may be a staff search result.
TOOL_TITLES = [
    (p.read_text(encoding="utf-8").splitlines() or [""])[0].lstrip("# ")
    for p in (REPO / "manual").glob("*.md")
    if p.stem != "index"
]
DOCS_PAGES = ["index.html", "own-site.html", "cli.html", "settings.html", "model-format.html", "search.html?q=overlay"]


def test_staff_search_lists_staff_pages_with_plain_text_summaries(page) -> None:
    page.goto("search.html?q=bill")
    wait_for_search(page)
    page.wait_for_function(
        "[...document.querySelectorAll('#search-results li')].filter(li => li.querySelector('p.context')).length >= 8"
    )
    titles = page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.textContent)")
    assert "II.1.b Clearly explains to customers how their bill is calculated" in titles
    assert not [t for t in titles if t in TOOL_TITLES]
    summaries = page.eval_on_selector_all("#search-results p.context", "ps => ps.map(p => p.textContent)")
    assert len(summaries) >= 8
    for summary in summaries:
        assert "{comp:" not in summary and "`" not in summary and "<" not in summary, summary
        assert "Copy link" not in summary and "Permanent link:" not in summary, summary  # the article's words only
        assert summary == " ".join(summary.split())
    assert any("how their bill is calculated" in s for s in summaries)


@pytest.fixture(scope="module")
def docs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reference site and the tool's documentation laid out as `make docs` does, served from _build/."""
    _chromium_or_skip()
    repo = copy_site(tmp_path_factory.mktemp("docs-browser"))
    shutil.copytree(REPO / "manual", repo / "manual")
    shutil.copy(REPO / "CONTRIBUTING.md", repo / "CONTRIBUTING.md")
    layout = repo / "_build"
    staff = build(repo, out=layout / "generic" / "html")
    assert staff.returncode == 0, staff.stderr
    docs = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", "-c", "manual", "manual", "_build/docs/html"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=repo,
    )
    assert docs.returncode == 0, docs.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(layout)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import time
        import urllib.request

        url = f"http://127.0.0.1:{port}/docs/html/"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=5)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_tool_documentation_has_no_wcag_violations(browser, docs_url: str, mode: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=docs_url, color_scheme=mode, viewport={"width": 1280, "height": 900})
    watch = Watch(_origin(docs_url))
    watch.attach(context)
    try:
        page = context.new_page()
        failures = {}
        for name in DOCS_PAGES:
            page.goto(name)
            if name.startswith("search.html"):
                wait_for_search(page)
            assert page.evaluate("document.documentElement.dataset.theme") == mode
            results = Axe().run(page, options=AXE_OPTIONS).response
            assert results["passes"], f"axe checked nothing on {name}"
            if results["violations"]:
                failures[name] = _describe(results["violations"])
        assert not failures, "\n".join(f"{mode} {name}:\n{text}" for name, text in failures.items())
        # The CLI reference is there, with every command.
        page.goto("cli.html")
        assert "competency init" in page.inner_text("article")
    finally:
        context.close()
    watch.check()
