"""Browser fixtures: the real site built once, served on localhost, driven by Debian's Chromium.

Every page a test opens is watched: a console error, an uncaught script error or a request to
any host but the local server fails the test (the intranet may have no internet at all).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

from ..test_real_site import build, copy_site

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MODEL = "customer-service-representative"

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


@pytest.fixture(scope="session")
def site_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session into a scratch folder."""
    _chromium_or_skip()  # no build when the browser tests cannot run
    site = copy_site(tmp_path_factory.mktemp("browser-site"))
    result = build(site)
    assert result.returncode == 0, result.stderr
    return site / "out"


def wait_for_search(page) -> None:
    """Wait until Sphinx's search has finished listing its results."""
    page.wait_for_function("document.querySelector('#search-results h2')?.textContent === 'Search Results'")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(site_out: Path) -> Iterator[str]:
    """The built site served by `python -m http.server` on localhost."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site_out)],
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
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser(site_out: Path) -> Iterator:
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
        def route(route) -> None:
            url = route.request.url
            if url.startswith(("data:", "blob:", "about:")) or _origin(url) == self.origin:
                route.continue_()
            else:
                self.foreign_requests.append(url)
                route.abort()

        context.route("**/*", route)
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
