"""Safe output: text from the models is shown as text, never run or included, and stays in the output.

The test root tests/roots/test-hostile/ has a model whose every text holds HTML (`<script>`, `onerror=`),
MyST directives and roles ({eval-rst}, {raw}, {include}) and reStructuredText (`.. raw:: html`), and whose
item ids are those of the example model beside it (ids are scoped to their model).
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from ..conftest import REPO
from ..helpers import copy_root, page_text

HOSTILE = REPO / "tests" / "roots" / "test-hostile"


class PageScan(HTMLParser):
    """What a browser would run or load from a page: scripts, event handlers, frames, ids, links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.tags: set[str] = set()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            elif name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src", "action", "formaction") and value:
                self.urls.append(value)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def scan(path: Path) -> tuple[str, PageScan]:
    html = path.read_text(encoding="utf-8")
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return html, parser


def assert_nothing_runs(path: Path) -> None:
    html, page = scan(path)
    where = str(path)
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html, where
    assert not page.handlers, (where, page.handlers)  # no onerror=, onload=, onclick= attribute
    assert not [s for s in page.scripts if "alert" in s], where
    assert not page.tags & {"iframe", "svg", "object", "embed"}, where
    assert "<style>body" not in html, where
    assert not [i for i in page.ids if i.startswith("pwned")], where
    assert not [u for u in page.urls if u.strip().lower().startswith(("javascript:", "data:", "vbscript:"))], where
    assert "root:x:0:0" not in html and "competency_source_dir" not in html, where  # nothing was included


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, rootdir: Path) -> tuple[Path, Path, str]:
    """The hostile root built once: (source folder, output folder, warnings)."""
    srcdir = tmp_path_factory.mktemp("hostile") / "root"
    copy_root("hostile", srcdir)  # symlinks are followed: the example is copied
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        return srcdir, Path(app.outdir), app.warning.getvalue()
    finally:
        app.cleanup()


@pytest.mark.sphinx("html", testroot="hostile", freshenv=True)
def test_hostile_root_builds_without_warnings(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    assert (Path(app.outdir) / "hostile" / "indicators" / "reads-meters-accurately.html").is_file()


def test_no_page_runs_or_includes_anything(hostile_site: tuple[Path, Path, str]) -> None:
    _, out, _ = hostile_site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        assert_nothing_runs(path)


def test_the_indicator_index_runs_nothing(hostile_site: tuple[Path, Path, str]) -> None:
    """Sphinx's domainindex.html writes group headings unescaped ({{ letter }}): the index escapes them."""
    _, out, _ = hostile_site
    assert_nothing_runs(out / "comp-indicators.html")
    html = (out / "comp-indicators.html").read_text(encoding="utf-8")
    assert "Hostile &lt;script&gt;alert(&#x27;model-title&#x27;)&lt;/script&gt;" in html


def test_the_text_is_shown_as_written(hostile_site: tuple[Path, Path, str]) -> None:
    _, out, _ = hostile_site
    indicator = out / "hostile" / "indicators" / "reads-meters-accurately.html"
    html = indicator.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; reads &lt;img src=x onerror=alert(1)&gt; meters" in html
    text = page_text(indicator)
    assert "<script>alert(1)</script> reads <img src=x onerror=alert(1)> meters" in text
    assert '{eval-rst} .. raw:: html <b id="pwned-subitem">x</b>' in text
    assert "<script>alert('entity')</script>" in text  # an entity is text, not markup
    model = page_text(out / "hostile" / "index.html")
    for shown in [
        "Hostile <script>alert('model-title')</script>",
        '<img src=x onerror=alert("source")>',
        "{eval-rst}",
        ".. raw:: html",
        "{include} ../conf.py",
        ".. include:: /etc/passwd",
        "{raw}",
        "[a link](javascript:alert('link'))",
        "onclick=\"alert('click')\"",
    ]:
        assert shown in model, shown
    competency = page_text(out / "hostile" / "competencies" / "meter-reading.html")
    assert "<img src=x onerror=alert('competency-title')>" in competency
    assert "<style>body { display: none }</style>" in competency
    other = page_text(out / "hostile" / "indicators" / "reports-damaged-meters.html")
    # Backticks make inline code (documented): the role's target is shown as code, the role name as text.
    assert "{include}/etc/passwd and {ref}genindex and {eval-rst}x" in other


def test_the_same_item_ids_in_two_models_are_two_items(hostile_site: tuple[Path, Path, str]) -> None:
    """Item ids are scoped to their model: <model-id>/<item-id> names each, with its own page and links."""
    _, out, warnings = hostile_site
    assert warnings == ""
    with (out / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)
    indicators = {name: item.uri for name, item in data["comp:indicator"].items()}
    assert indicators["meter-reader/reads-meters-accurately"] == "meter-reader/indicators/reads-meters-accurately.html"
    assert indicators["hostile/reads-meters-accurately"] == "hostile/indicators/reads-meters-accurately.html"
    assert {"meter-reader/meter-reading", "hostile/meter-reading"} <= set(data["comp:competency"])
    _, index = scan(out / "index.html")
    for model in ("meter-reader", "hostile"):
        for url in [
            "indicators/reads-meters-accurately.html",
            "competencies/meter-reading.html",
            "sections/technical.html",
        ]:
            assert f"{model}/{url}" in index.urls, (model, url)
    # Links inside a model stay inside it: hostile's responsibility is supported by hostile's items.
    _, responsibility = scan(out / "hostile" / "responsibilities" / "reads-route.html")
    assert "../indicators/reads-meters-accurately.html" in responsibility.urls
    assert not [u for u in responsibility.urls if "meter-reader/" in u]
    assert "Reads meters accurately" not in page_text(out / "hostile" / "indicators" / "reads-meters-accurately.html")


def test_nothing_is_written_outside_the_output_and_stub_folders(hostile_site: tuple[Path, Path, str]) -> None:
    srcdir, out, _ = hostile_site
    original = {p.relative_to(HOSTILE) for p in HOSTILE.rglob("*")} | {Path("conf.py")}  # copy_root's
    for path in srcdir.rglob("*"):
        relative = path.relative_to(srcdir)
        if relative in original or relative.parts[0] in ("_build", "hostile", "meter-reader"):
            continue
        pytest.fail(f"unexpected file {relative}")
    assert out.is_relative_to(srcdir / "_build")
    # A stub folder holds stubs only, one per item page.
    assert {p.suffix for p in (srcdir / "hostile").rglob("*") if p.is_file()} <= {".comp", ""}


def _snapshot(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "model_id, item_id",
    [("../escape", "driving"), ("escape", "../../../pwned"), ("escape", "..%2f..%2fpwned"), ("escape", "/tmp/pwned")],
)
def test_ids_with_paths_stop_the_build_before_anything_is_written(tmp_path: Path, model_id: str, item_id: str) -> None:
    site = tmp_path / "work" / "site"
    copy_root("hostile", site)
    example = (REPO / "manual" / "examples" / "meter-reader.yaml").read_text(encoding="utf-8")
    source = example.replace("id: meter-reader", f"id: {model_id}").replace("id: driving", f"id: '{item_id}'")
    (site / "competency_src" / "escape.yaml").write_text(source, encoding="utf-8")
    before = _snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(site), str(site / "_build")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    bad = model_id if model_id != "escape" else item_id
    assert f"ERROR: '{bad}' is not a valid id" in result.stderr
    assert "escape.yaml:" in result.stderr
    created = _snapshot(tmp_path) - before
    assert all(p.parts[:3] == ("work", "site", "_build") for p in created), created
    assert not list(tmp_path.rglob("*pwned*")) and not list(tmp_path.rglob("*escape*.comp"))
