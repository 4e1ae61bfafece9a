"""Browser fixtures: the real sites (generic and each example utility's) built once per session, each
served alone on localhost, driven by Debian's Chromium. A test that names `site_variant` runs on every site.

Every page a test opens is watched: a console error, an uncaught script error or a request to
any host but the local server fails the test (the intranet may have no internet at all).
"""

from __future__ import annotations

import contextlib
import inspect
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

from ..conftest import REPO
from ..test_real_site import build, copy_site

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing but the local server answers
]
MODEL = "customer-service-representative"
GENERIC = "generic"
#: The sites the browser tests run on: the generic one and each example utility's.
SITES = [GENERIC, *sorted(path.stem for path in (REPO / "competency_src" / "utilities").glob("*.yaml"))]

#: The main pages, by name: what the accessibility, layout and screenshot tests visit.
PAGES = {
    "home": "index.html",
    "model": f"{MODEL}/index.html",
    "section": f"{MODEL}/sections/non-technical.html",
    "competency": f"{MODEL}/competencies/communication.html",
    "indicator": f"{MODEL}/indicators/explains-bill-calculation.html",
    "responsibility": f"{MODEL}/responsibilities/resolves-usage-complaints-and-explains-bills.html",
    "matrix": f"{MODEL}/matrix.html",
    "profile": f"{MODEL}/profile.html",
    "indicator-index": "comp-indicators.html",
    "search": "search.html?q=bill",
}


def missing_tool(reason: str) -> NoReturn:
    """Fail in CI (a missing tool must never pass as skipped tests there); skip on a developer machine."""
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _chromium_or_skip() -> Path:
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    return CHROMIUM


class Sites:
    """The generic site and each example utility's, each built and served once per session when first used.

    One copy of the sources; each site has its own output and doctrees folder, as `make html UTILITY=x` has.
    """

    def __init__(self, sources: Path) -> None:
        self.sources = sources
        self._built: dict[str, Path] = {}
        self._servers: dict[str, tuple[subprocess.Popen, str]] = {}

    def out(self, variant: str) -> Path:
        if variant not in self._built:
            out = self.sources / "_build" / variant
            tags = ["-t", variant] if variant != GENERIC else []
            result = build(self.sources, *tags, "-d", str(out / "doctrees"), out=out / "html")
            assert result.returncode == 0, result.stderr
            self._built[variant] = out / "html"
        return self._built[variant]

    def url(self, variant: str) -> str:
        """The site served alone by `python -m http.server` on localhost, as `make serve UTILITY=x` serves it."""
        if variant not in self._servers:
            self._servers[variant] = _serve(self.out(variant))
        return self._servers[variant][1]

    def close(self) -> None:
        for server, _url in self._servers.values():
            server.terminate()
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    _chromium_or_skip()  # no build when the browser tests cannot run
    built = Sites(copy_site(tmp_path_factory.mktemp("browser-site")))
    yield built
    built.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that names `site_variant` among its arguments runs for the generic site and each utility's."""
    if "site_variant" in inspect.signature(metafunc.function).parameters:
        metafunc.parametrize("site_variant", SITES)


@pytest.fixture
def site_variant() -> str:
    """The site a test runs on: the generic one, unless the test names `site_variant` (then every site)."""
    return GENERIC


@pytest.fixture
def site_out(sites: Sites, site_variant: str) -> Path:
    return sites.out(site_variant)


@pytest.fixture
def base_url(sites: Sites, site_variant: str) -> str:
    return sites.url(site_variant)


def site_pages(variant: str) -> dict[str, str]:
    """Every kind of page of a site, by name: the main pages, and the pages a variant adds or changes."""
    return {**PAGES, **_variant_pages(variant)}


@cache
def _variant_pages(variant: str) -> dict[str, str]:
    from competency.pages.items import page_docname
    from competency.sources.site import load_site
    from competency.sources.variants import site_for_utility

    site = load_site(REPO / "competency_src")
    model = site_for_utility(site, None if variant == GENERIC else variant).models[MODEL]
    written = site.written[MODEL]
    others = {
        item: kind
        for overlay in site.overlays.values()
        if overlay.utility != variant and MODEL in overlay.models
        for kind, item in overlay.models[MODEL].added_ids()
    }
    items = [*written.competencies, *written.indicators, *model.competencies, *model.indicators]
    kinds = {
        "unused": [i for i in items if model.kind_of(i) is None],
        "added": [i for i in items if written.kind_of(i) is None],
        "reworded": [i for i in (model.variant.reworded if model.variant else ()) if model.kind_of(i)],
        "foreign": [i for i in others if model.kind_of(i) is None],
    }
    pages = {"variant": f"{MODEL}/variant.html"}
    for name, ids in kinds.items():
        if ids:
            kind = model.kind_of(ids[0]) or written.kind_of(ids[0]) or others[ids[0]]
            pages[name] = page_docname(MODEL, kind, ids[0]) + ".html"
    return pages


def wait_for_search(page) -> None:
    """Wait until Sphinx's search has finished listing its results."""
    page.wait_for_function("document.querySelector('#search-results h2')?.textContent === 'Search Results'")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return server, url
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    executable = _chromium_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What the pages of one browser context did that they must not do."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        # Recorded, not intercepted: a route would also hide the browser's own requests (a missing
        # /favicon.ico logs a console error only without one). Other hosts do not resolve (CHROMIUM_ARGS).
        def record(request) -> None:
            url = request.url
            if not (url.startswith(("data:", "blob:", "about:")) or _origin(url) == self.origin):
                self.foreign_requests.append(url)

        context.on("request", record)
        context.on("page", self.watch_page)

    def watch_page(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on(
            "requestfailed",
            lambda request: (
                _origin(request.url) == self.origin
                and request.failure != "net::ERR_ABORTED"  # cancelled by leaving the page, not a failure
                and self.errors.append(f"{page.url}: request failed {request.url} ({request.failure})")
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.errors.append(f"{page.url}: HTTP {response.status} for {response.url}")
            ),
        )

    def check(self) -> None:
        assert not self.foreign_requests, f"requests to other hosts: {self.foreign_requests}"
        assert not self.errors, "console or network errors:\n" + "\n".join(self.errors)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def new_context(browser, base_url: str) -> Iterator:
    """Make watched browser contexts; each test's contexts are checked for errors and foreign requests."""
    watches: list[Watch] = []
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=base_url, **options)
        watch = Watch(_origin(base_url))
        watch.attach(context)
        context.comp_watch = watch
        watches.append(watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()
    for watch in watches:
        watch.check()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


#: The previous/next links whose text does not fit their box (the theme's link clips it): their texts.
CLIPPED_PREV_NEXT = """() => [...document.querySelectorAll('.prev-next-area a')]
    .filter(a => a.scrollWidth > a.clientWidth).map(a => a.textContent.trim())"""
