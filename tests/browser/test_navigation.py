"""Finding one's way: links, breadcrumbs, search, the copy-link button; nothing loaded from elsewhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import MODEL, PAGES, site_pages

pytestmark = pytest.mark.browser

INDICATOR_TEXT = "Clearly explains to customers how their bill is calculated"


def _h1(page) -> str:
    return " ".join(page.locator("article h1").first.inner_text().replace("#", "").split())


def test_home_to_indicator_and_back_through_the_breadcrumbs(page, base_url: str) -> None:
    page.goto("index.html")
    page.locator(".comp-card-title a", has_text="Non-Technical Competencies").click()
    page.wait_for_url(f"{base_url}{MODEL}/sections/non-technical.html")
    assert _h1(page) == "II. Non-Technical Competencies"

    page.locator("article a", has_text=re.compile(r"^Communication$")).first.click()
    page.wait_for_url(f"{base_url}{MODEL}/competencies/communication.html")
    assert _h1(page) == "II.1 Communication"

    page.locator(".comp-indicator-list a", has_text=INDICATOR_TEXT).click()
    page.wait_for_url(f"{base_url}{PAGES['indicator']}")
    assert _h1(page) == f"II.1.b {INDICATOR_TEXT}"
    assert page.locator(".comp-lead").inner_text() == INDICATOR_TEXT

    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.locator("[aria-current=page]").inner_text().strip() == f"II.1.b {INDICATOR_TEXT}"
    for text, path, title in [
        ("II.1 Communication", "competencies/communication.html", "II.1 Communication"),
        ("II. Non-Technical Competencies", "sections/non-technical.html", "II. Non-Technical Competencies"),
        ("Customer Service Representative", "index.html", "Customer Service Representative"),
    ]:
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=text, exact=True).click()
        page.wait_for_url(f"{base_url}{MODEL}/{path}")
        assert _h1(page) == title
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home").click()
    page.wait_for_url(f"{base_url}index.html")
    assert _h1(page) == "Water utility competency models"


def _search_results(page) -> list[str]:
    page.locator("#search-results li").first.wait_for(timeout=15_000)
    return page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")


def test_search_finds_an_indicator_by_a_word_of_its_text(page, base_url: str) -> None:
    # Typed into the home page's search box, as a member of staff would.
    page.goto("index.html")
    page.get_by_label("Search every competency, indicator and responsibility").fill("calculated")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search\.html\?q=calculated"))
    assert f"{base_url}{PAGES['indicator']}" in _search_results(page)


def test_search_finds_a_competency_by_its_title(page, base_url: str) -> None:
    page.goto("search.html?q=Conscientiousness")
    assert f"{base_url}{MODEL}/competencies/conscientiousness.html" in _search_results(page)


def test_the_theme_search_dialog_finds_a_competency(page, base_url: str) -> None:
    page.goto(PAGES["indicator"])
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    field.fill("Critical and Analytical Thinking")
    field.press("Enter")
    page.wait_for_url(re.compile(r".*/search\.html\?q=Critical"))
    assert f"{base_url}{MODEL}/competencies/critical-and-analytical-thinking.html" in _search_results(page)


def test_copy_link_puts_the_permanent_url_on_the_clipboard(new_context, base_url: str) -> None:
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(PAGES["indicator"] + "#comp-indicator-explains-bill-calculation")
    page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied", timeout=5_000)  # waits for the script
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base_url}{PAGES['indicator']}"  # the page's address, without the fragment
    assert copied == page.url.split("#")[0]


def test_copy_link_works_without_the_clipboard_api(new_context, base_url: str) -> None:
    """On a plain-http intranet host navigator.clipboard does not exist: the fallback copies all the same."""
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(PAGES["indicator"])
    page.evaluate("""() => {
        window.realClipboard = navigator.clipboard;
        window.realClipboard.writeText('nothing copied yet');
        Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});
    }""")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied", timeout=5_000)  # waits for the script
    assert page.evaluate("window.realClipboard.readText()") == f"{base_url}{PAGES['indicator']}"


def test_no_page_loads_anything_from_another_host_or_logs_an_error(
    new_context, base_url: str, site_variant: str
) -> None:
    context = new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in site_pages(site_variant).values():
        page.goto(path, wait_until="networkidle")
    page.goto(f"{MODEL}/profile.html", wait_until="networkidle")
    # The theme's own assets (icons, scripts, styles) come from this server, not from a CDN.
    assert any("/_static/scripts/fontawesome.js" in url for url in requested)
    assert any("/_static/styles/pydata-sphinx-theme.css" in url for url in requested)
    assert all(url.startswith(base_url) or url.startswith("data:") for url in requested), [
        url for url in requested if not url.startswith(base_url)
    ]
    # No stylesheet names a font, image or import on another host, even one this page does not use.
    urls = page.evaluate("""() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
        .flatMap(rule => [...rule.cssText.matchAll(/url\\(["']?([^"')]+)/g)].map(m => m[1]))""")
    assert urls, "no url() found in the stylesheets: the check looks at nothing"
    assert not [url for url in urls if re.match(r"(https?:)?//", url) and not url.startswith(base_url)]
    # The site's icon is its own (without one the browser asks for /favicon.ico and logs a 404).
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert icon.startswith(base_url) and icon.endswith("/_static/favicon.svg")
    response = page.request.get(icon)
    assert response.ok and response.headers["content-type"] == "image/svg+xml"
    # The context's watch (conftest) fails the test on any console error, failed load or foreign request.


def test_a_foreign_request_would_be_caught(new_context) -> None:
    """The watch is not blind: a page that asks another host for a script is recorded."""
    from .conftest import Watch, _origin

    context = new_context()
    page = context.new_page()
    page.goto("index.html")
    page.evaluate("""() => new Promise(done => {
        const s = document.createElement('script');
        s.src = 'https://cdn.example.invalid/x.js';
        s.onerror = s.onload = done;
        document.head.appendChild(s);
    })""")
    watch = context.comp_watch
    assert isinstance(watch, Watch)
    assert watch.foreign_requests == ["https://cdn.example.invalid/x.js"]
    assert _origin(page.url) == watch.origin
    watch.foreign_requests.clear()  # expected here: do not fail this test's own teardown
    watch.errors.clear()
