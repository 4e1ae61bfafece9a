"""Every text from the sources is shown as text, in every file of the real site, with the real theme.

The model and the overlay are generated from the JSON Schemas (hostile_sources.py): a marker that
reads as HTML, breaks out of attributes and strings, in every text field. The site is built with
conf.py and pydata-sphinx-theme, generic and as the overlay's utility, and every file is read the
way its readers read it: pages with an HTML parser (header, logo, title, breadcrumbs, sidebar,
redirect pages and the printable profile included), the search index and the exports as JSON,
the CSV with a CSV reader, objects.inv decoded. A marker must only ever be found whole, as text
or as a string value, and every marker must be shown somewhere (nothing is dropped).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sphinx.util.inventory import InventoryFile

from competency.sources.schema import MODEL_SCHEMA, OVERLAY_SCHEMA, load_schema

from ..conftest import REPO
from ..test_real_site import copy_site
from .guard import run_check
from .hostile_sources import MARKER_START, UTILITY, HostileSources, hostile_sources, marker, text_fields, write_sources
from .sitebuild import make_html

pytestmark = pytest.mark.slow

TEMPLATE = REPO / "competency_src" / "customer-service-representative.yaml"


def broken_markers(text: str) -> tuple[set[int], list[str]]:
    """(numbers of the whole markers in a text, pieces of markers that are not whole)."""
    numbers = {int(n) for n in MARKER_START.findall(text)}
    whole = {n for n in numbers if marker(n) in text}
    for n in whole:
        text = text.replace(marker(n), "")
    return whole, [text[max(m.start() - 20, 0) : m.end() + 20] for m in MARKER_START.finditer(text)]


#: A double-quoted CSS string (escapes included).
CSS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"', re.DOTALL)


def css_unescape(text: str) -> str:
    """A CSS string's value: hex escapes (ending with one optional space) and escaped characters."""
    return re.sub(
        r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], text, flags=re.DOTALL
    )


class PageScan(HTMLParser):
    """Markers in a page: where they are whole text, and every place where they became markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: set[int] = set()
        self.problems: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.startswith("hx"):
            self.problems.append(f"an element <{tag}> made of a marker")
        for name, value in attrs:
            if name.startswith("hx") or "'" in name or '"' in name:
                self.problems.append(f"an attribute {name!r} of <{tag}> made of a marker")
            if value:
                self._text(value, f"the attribute {name} of <{tag}>")
        if tag in ("script", "style"):
            self._raw = tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "style":
            # A stylesheet may show a text only as a CSS string (the printed footer names the job):
            # each string is read as CSS reads it; a marker anywhere else in the stylesheet is markup.
            for literal in CSS_STRING.findall(data):
                self._text(css_unescape(literal), "a CSS string")
            data = CSS_STRING.sub('""', data)
        if self._raw and MARKER_START.search(data):
            self.problems.append(f"a marker inside <{self._raw}>: {data[:80]!r}")
        elif not self._raw:
            self._text(data, "text")

    def handle_comment(self, data: str) -> None:
        if MARKER_START.search(data):
            self.problems.append(f"a marker inside a comment: {data[:80]!r}")

    def _text(self, text: str, where: str) -> None:
        whole, broken = broken_markers(text)
        self.shown |= whole
        self.problems += [f"a broken marker in {where}: {piece!r}" for piece in broken]


def scan_strings(value: Any, shown: set[int], problems: list[str], where: str, skip: tuple[str, ...] = ()) -> None:
    """Markers in parsed JSON: every string and key holds whole markers only."""
    if isinstance(value, dict):
        for key, item in value.items():
            scan_strings(key, shown, problems, where)
            if key not in skip:
                scan_strings(item, shown, problems, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            scan_strings(item, shown, problems, where)
    elif isinstance(value, str):
        whole, broken = broken_markers(value)
        shown |= whole
        problems += [f"a broken marker in {where}: {piece!r}" for piece in broken]


def scan_inventory(path: Path, shown: set[int], problems: list[str]) -> None:
    """objects.inv: one object per line, markers whole in display names, never in names or URLs."""
    raw = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = raw.index(b"\n", header_end) + 1
    body = zlib.decompress(raw[header_end:]).decode("utf-8")
    lines = [line for line in body.split("\n") if line]
    assert [line for line in body.splitlines() if line] == lines, "a line separator inside an inventory line"
    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)
    assert sum(len(objects) for objects in data.values()) == len(lines)
    for line in lines:
        match = re.match(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)", line)
        assert match, line
        assert not MARKER_START.search(match.group(1) + match.group(4)), line
        scan_strings(match.group(5), shown, problems, f"{path.name}: {match.group(1)}")


def scan_csv(path: Path, shown: set[int], problems: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8").removeprefix("\ufeff"), newline="")))
    assert len(rows) > 1
    for row in rows:
        assert len(row) == len(rows[0]), row
        for cell in row:
            scan_strings(cell, shown, problems, path.name)


def scan_site(site_dir: Path) -> tuple[set[int], list[str]]:
    """Every marker shown by a built site, and every problem with how it is shown."""
    shown: set[int] = set()
    problems: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        name = str(path.relative_to(site_dir))
        if path.suffix == ".html":
            page = PageScan()
            page.feed(path.read_text(encoding="utf-8"))
            page.close()
            shown |= page.shown
            problems += [f"{name}: {p}" for p in page.problems]
        elif path.name == "searchindex.js":
            text = path.read_text(encoding="utf-8")
            index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
            scan_strings(index, shown, problems, name, skip=("terms", "titleterms"))  # word lists, not texts
        elif path.suffix == ".js" and MARKER_START.search(path.read_text(encoding="utf-8")):
            problems.append(f"{name}: a script holds a marker")
        elif path.suffix == ".json":
            scan_strings(json.loads(path.read_text(encoding="utf-8")), shown, problems, name)
        elif path.suffix == ".csv":
            scan_csv(path, shown, problems)
        elif path.name == "objects.inv":
            scan_inventory(path, shown, problems)
        elif path.is_file() and path.suffix not in (".png", ".woff2") and MARKER_START.search(path.read_text("utf-8")):
            problems.append(f"{name}: a file holds a marker but is not read here")
    return shown, problems


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[HostileSources, dict[str, Path]]:
    """The real site with the generated sources, built generic and as the overlay's utility."""
    site = copy_site(tmp_path_factory.mktemp("hostile-text"))
    sources = hostile_sources(TEMPLATE)
    # A source folder of their own: the guides in docs/ include the real overlays from competency_src/.
    write_sources(sources, site / "hostile_src")
    checked = run_check(site / "hostile_src", cwd=site)
    assert checked.returncode == 0, checked.stderr  # the generated sources are valid: the test builds them
    outputs = {}
    for variant, utility in [("generic", ""), (UTILITY, UTILITY)]:
        out = site / "_build" / variant
        result = make_html(site, out, utility=utility, sources="hostile_src", warnings_are_errors=True)
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
        outputs[variant] = out / "html"
    return sources, outputs


def test_every_text_field_of_the_schemas_gets_a_marker() -> None:
    """The generator reaches every text field of both schemas (a new field needs no new test)."""
    sources = hostile_sources(TEMPLATE)
    filled = set(sources.markers.fields.values())
    for name, where in [(MODEL_SCHEMA, "model"), (OVERLAY_SCHEMA, "overlay")]:
        declared = set(text_fields(load_schema(name), where=where))
        assert declared, name
        assert declared <= filled, f"{name}: no marker in {sorted(declared - filled)}"


@pytest.mark.parametrize("variant", ["generic", UTILITY])
def test_markers_are_text_in_every_file(hostile_builds: tuple[HostileSources, dict[str, Path]], variant: str) -> None:
    _, outputs = hostile_builds
    shown, problems = scan_site(outputs[variant])
    assert not problems, "\n".join(problems[:40])
    assert shown


def test_every_marker_is_shown(hostile_builds: tuple[HostileSources, dict[str, Path]]) -> None:
    """Nothing is dropped: each text of the sources is shown by one of the two sites."""
    sources, outputs = hostile_builds
    shown = set().union(*(scan_site(site_dir)[0] for site_dir in outputs.values()))
    numbers = {text: int(MARKER_START.match(text).group(1)) for text in sources.markers.fields}  # type: ignore[union-attr]
    missing = {text: label for text, label in sources.markers.fields.items() if numbers[text] not in shown}
    assert not missing, missing


def test_the_header_and_logo_show_the_texts(hostile_builds: tuple[HostileSources, dict[str, Path]]) -> None:
    """The places the theme writes itself: the header's links (model titles) and the logo (utility name)."""
    sources, outputs = hostile_builds
    page = (outputs[UTILITY] / sources.model["id"] / "index.html").read_text(encoding="utf-8")
    header = page[page.index('class="bd-navbar-elements') :]
    header = header[: header.index("</ul>")]
    logo = page[page.index("logo__title") :]
    logo = logo[: logo.index("</p>")]
    for fragment, text in [(header, sources.model["title"]), (logo, sources.overlay["name"])]:
        assert "<hx-" not in fragment and text in html.unescape(fragment), fragment
