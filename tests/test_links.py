"""Link integrity: every internal link of a built site leads to an existing file, and every #anchor exists.

`crawl_site(folder)` is meant for reuse (e.g. by the utility variant tests):

    from tests.test_links import crawl_site
    assert crawl_site(out) == []
"""

from __future__ import annotations

import posixpath
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sphinx.testing.util import SphinxTestApp

from .robustness.sitebuild import make_html
from .test_real_site import MODEL, copy_site

#: Folders of a built site that hold assets, not pages.
SKIPPED = ("_static/", "_sources/", "_images/")
#: Attributes holding a URL the browser follows or loads.
URL_ATTRIBUTES = {"href", "src", "poster", "data"}


class _Page(HTMLParser):
    """The links of a page and the anchors it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in URL_ATTRIBUTES and not (tag == "link" and _is_hint(attrs)):
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def _is_hint(attrs: list[tuple[str, str | None]]) -> bool:
    """<link rel="preconnect" ...> and similar are hints, not resources."""
    rel = dict(attrs).get("rel") or ""
    return rel in ("preconnect", "dns-prefetch")


@cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def crawl_site(folder: Path) -> list[str]:
    """Every broken internal link of the site in `folder`, as "page: link (why)"; empty when all resolve.

    Files under _static/ are assets, not pages (pydata-sphinx-theme copies a Jinja template,
    webpack-macros.html, there). Internal links are those without a scheme or host (http:, mailto:,
    //host are not checked). A link must name a file inside the folder (a folder link means its
    index.html) and, when it has a #fragment and leads to a page, the page must have that id.
    """
    folder = Path(folder).resolve()
    _parse.cache_clear()
    broken: list[str] = []
    for page_path in sorted(folder.rglob("*.html")):
        page_name = page_path.relative_to(folder).as_posix()
        if page_name.startswith(SKIPPED) or any(f"/{folder}" in page_name for folder in SKIPPED):  # an edition's
            continue
        for link in _parse(page_path).links:
            problem = _check_link(folder, page_path, link.strip())
            if problem:
                broken.append(f"{page_name}: {link} ({problem})")
    return broken


def _check_link(folder: Path, page: Path, link: str) -> str:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link:
        return ""  # an external link, a mailto:, or nothing to follow
    target_name = unquote(parts.path)
    if not target_name:
        target = page
    else:
        base = page.parent.relative_to(folder).as_posix()
        joined = posixpath.normpath(posixpath.join(base, target_name))
        if joined == ".." or joined.startswith("../") or target_name.startswith("/"):
            return "leads outside the site"
        target = folder / joined
        if target.is_dir() or target_name.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in _parse(target).anchors:
        return f"no id '{fragment}' in {target.relative_to(folder).as_posix()}"
    return ""


# -- the crawler itself -------------------------------------------------------------------------------


def test_the_crawler_reports_each_kind_of_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "site.css").write_text("", encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a name="old">', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="_static/site.css?digest=1">'
        '<link rel="preconnect" href="missing-host">'
        '<a href="a/">folder</a> <a href="a/index.html#top">anchor</a> <a href="a/#old">name</a> '
        '<a href="#here">self</a> <p id="here"></p> <a href="#">top</a> '
        '<a href="https://example.org/x.html">external</a> <a href="mailto:x@example.org">mail</a> '
        '<a href="a/missing.html">missing</a> <a href="a/index.html#nowhere">anchor</a> '
        '<img src="../outside.png"> <script src="_static/missing.js"></script>',
        encoding="utf-8",
    )
    assert crawl_site(tmp_path) == [
        "index.html: a/missing.html (no such file)",
        "index.html: a/index.html#nowhere (no id 'nowhere' in a/index.html)",
        "index.html: ../outside.png (leads outside the site)",
        "index.html: _static/missing.js (no such file)",
    ]


# -- built sites ----------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_the_basic_test_root_has_no_broken_links(app: SphinxTestApp) -> None:
    app.build()
    assert crawl_site(Path(app.outdir)) == []


@pytest.mark.slow
def test_every_internal_link_of_the_real_site_resolves(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    out = site / "_build" / "generic"
    result = make_html(site, out)
    assert result.returncode == 0, result.stderr
    published = out / "html"
    assert len(list((published / MODEL / "indicators").glob("*.html"))) >= 47
    # No link leads into the utilities' sites, which a generic build does not build
    # (each utility's site is crawled alone in tests/test_real_site.py).
    assert crawl_site(published) == []
