"""Utility variants: overlays, `only:` expressions, stable URLs across variants, switching, errors."""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from competency.problems import SourceError
from competency.site import load_site
from competency.variants import site_for_utility

from .conftest import REPO
from .helpers import page_text

ROOT = REPO / "tests" / "roots" / "test-variants"
MODEL = "meter-reader"


def _searchable(out: Path, word: str) -> list[str]:
    """Documents the search index finds a (stemmed) word in."""
    raw = (out / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    found: list[int] = []
    for table in ("terms", "titleterms"):
        hits = index[table].get(word, [])
        found += hits if isinstance(hits, list) else [hits]
    return [index["docnames"][n] for n in found]


def _pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")}


def _build(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, builddir: Path, *tags: str, parallel: int = 0
) -> SphinxTestApp:
    app = make_app("html", srcdir=srcdir, builddir=builddir, tags=list(tags), freshenv=True, parallel=parallel)
    app.build()
    assert app.warning.getvalue() == ""
    app.cleanup()  # the next app of the same test registers the same nodes
    return app


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    target = tmp_path / "src"
    shutil.copytree(ROOT, target)
    return target


def test_a_variant_leaves_out_rewords_and_adds(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    app = _build(make_app, srcdir, srcdir / "_build" / "small", "small_town")
    out = Path(app.outdir)
    index = page_text(out / MODEL / "index.html")
    assert "This is Small Town Water's version of the model" in index
    assert "Small Town reads meters once a quarter." in index
    assert "A note for every model of Small Town." in index
    # left out: the page stays, says so, and is out of navigation, search and matrix
    unused = page_text(out / MODEL / "indicators" / "reports-damaged-meters.html")
    assert "Small Town Water does not use this indicator (excluded by the utility)." in unused
    assert "Reports damaged or tampered meters" in unused
    assert "reports-damaged-meters" not in (out / MODEL / "competencies" / "meter-reading.html").read_text("utf-8")
    assert "Reports damaged" not in page_text(out / MODEL / "matrix.html")
    assert "Reports damaged" not in page_text(out / MODEL / "profile.html")
    assert f"{MODEL}/indicators/reports-damaged-meters" not in _searchable(out, "tamper")
    assert f"{MODEL}/variant" in _searchable(out, "tamper")  # the summary lists what is left out
    assert f"{MODEL}/indicators/reports-hazards" in _searchable(out, "hazard")
    # a competency left out takes its foundational placement with it
    assert "Driving" not in page_text(out / MODEL / "sections" / "foundational.html")
    # reworded by replacement and by override, with the generic wording shown
    hazards = page_text(out / MODEL / "indicators" / "reports-hazards.html")
    assert "II.1.b Reports hazards to the public works foreman" in hazards
    assert "Changed for Small Town Water" in hazards
    assert "Wording: Reports hazards to the supervisor" in hazards
    dogs = page_text(out / MODEL / "indicators" / "watches-for-dogs-and-traffic.html")
    assert "Watches for dogs and traffic on Main Street" in dogs
    assert "Wording: Watches for dogs, traffic and other hazards on the route" in dogs
    # codes follow the variant's order; the summary lists every change
    assert "I.1.b" not in page_text(out / MODEL / "competencies" / "meter-reading.html")
    summary = page_text(out / MODEL / "variant.html")
    for expected in (
        "I.1.b Reports damaged or tampered meters (excluded by the utility)",
        "III.1.b Driving (Basic Expertise) (excluded by the utility)",
        "Wording, generic wording: Reports hazards to the supervisor",
        "Public Works : damaged meters",
    ):
        assert expected in summary
    assert "Public Works : damaged meters" in page_text(out / MODEL / "responsibilities" / "reports-problems.html")
    assert "Small Town Water" in (out / "index.html").read_text(encoding="utf-8")  # the banner


def test_additions_have_pages_and_codes(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    app = _build(make_app, srcdir, srcdir / "_build" / "big", "big_city")
    out = Path(app.outdir)
    assert "II.2 Bilingual Service" in page_text(out / MODEL / "competencies" / "bilingual-service.html")
    assert "II.2.a Greets customers in French" in page_text(
        out / MODEL / "indicators" / "greets-customers-in-french.html"
    )
    assert "I.1.c Reads smart meters with the handheld unit" in page_text(
        out / MODEL / "indicators" / "reads-smart-meters.html"
    )
    assert "IV.3 Handles complaints at the door" in page_text(
        out / MODEL / "responsibilities" / "handles-complaints.html"
    )
    summary = page_text(out / MODEL / "variant.html")
    assert "II.2 Bilingual Service" in summary and "IV.3 Handles complaints at the door" in summary
    # `only: big_city` holds here
    assert "I.1.b Uses the GIS viewer" in page_text(out / "line-locator" / "indicators" / "uses-gis-viewer.html")


def test_every_url_exists_in_every_variant(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    generic = _pages(Path(_build(make_app, srcdir, srcdir / "_build" / "generic").outdir))
    small = _pages(Path(_build(make_app, srcdir, srcdir / "_build" / "small", "small_town").outdir))
    big = _pages(Path(_build(make_app, srcdir, srcdir / "_build" / "big", "big_city").outdir))
    assert generic == small == big
    assert f"{MODEL}/indicators/greets-customers-in-french.html" in generic


def test_other_utilities_additions_say_whose_they_are(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = Path(_build(make_app, srcdir, srcdir / "_build" / "small", "small_town").outdir)
    text = page_text(out / MODEL / "indicators" / "greets-customers-in-french.html")
    assert "is an addition of Big City Water Authority" in text
    generic = Path(_build(make_app, srcdir, srcdir / "_build" / "generic").outdir)
    gis = page_text(generic / "line-locator" / "indicators" / "uses-gis-viewer.html")
    assert "This site does not use this indicator (used only where `big_city` holds)." in gis


def test_switching_variants_gives_each_site_exactly(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, tmp_path: Path
) -> None:
    first = Path(_build(make_app, srcdir, tmp_path / "first", "small_town").outdir)
    shared = tmp_path / "shared"  # one output and doctrees folder for all three builds: the worst case
    for tags in (("small_town",), ("big_city",), ("small_town",)):
        app = make_app("html", srcdir=srcdir, builddir=shared, tags=list(tags))
        app.build()
        assert app.warning.getvalue() == ""
        app.cleanup()
    third = Path(app.outdir)
    pages = sorted(_pages(first))
    assert pages == sorted(_pages(third))
    _same, different, errors = filecmp.cmpfiles(first, third, [*pages, "objects.inv"], shallow=False)
    assert different == [] and errors == []


def test_parallel_variant_build_is_the_same(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    serial = Path(_build(make_app, srcdir, srcdir / "_build" / "serial", "big_city").outdir)
    parallel = Path(_build(make_app, srcdir, srcdir / "_build" / "parallel", "big_city", parallel=2).outdir)
    pages = sorted(_pages(serial))
    _same, different, errors = filecmp.cmpfiles(serial, parallel, pages, shallow=False)
    assert different == [] and errors == []


# -- overlay mistakes ------------------------------------------------------------------------------------


def _overlay_problem(tmp_path: Path, old: str, new: str, name: str = "small_town") -> tuple[str, int, int]:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "competency_src", source)
    overlay = source / "utilities" / f"{name}.yaml"
    text = overlay.read_text(encoding="utf-8")
    assert old in text
    overlay.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_site(source)
    problem = caught.value.problems[0]
    assert problem.location.path == overlay
    return str(problem), problem.location.line, problem.location.column


def test_unknown_id_in_an_overlay(tmp_path: Path) -> None:
    message, line, column = _overlay_problem(
        tmp_path, "exclude: [reports-damaged-meters, driving]", "exclude: [reports-damaged-meter, driving]"
    )
    assert "unknown id 'reports-damaged-meter' in model 'meter-reader'" in message
    assert "did you mean 'reports-damaged-meters'?" in message
    assert (line, column) == (6, 15)


def test_replacement_that_matches_nothing(tmp_path: Path) -> None:
    message, line, _ = _overlay_problem(tmp_path, "- text: supervisor", "- text: Supervisor")
    assert "the replacement text 'Supervisor' matches nothing in model 'meter-reader'" in message
    assert line == 8


def test_excluded_and_overridden(tmp_path: Path) -> None:
    message, line, _ = _overlay_problem(
        tmp_path,
        "exclude: [reports-damaged-meters, driving]",
        "exclude: [reports-damaged-meters, driving, watches-for-dogs-and-traffic]",
    )
    assert "'watches-for-dogs-and-traffic' is both excluded and reworded" in message
    assert line == 11


def test_duplicate_added_id(tmp_path: Path) -> None:
    message, line, _ = _overlay_problem(
        tmp_path, "id: reads-smart-meters", "id: greets-customers-in-french", name="big_city"
    )
    assert "the added id 'greets-customers-in-french' is already added on line 9" in message
    assert line == 13


def test_added_id_that_exists_in_the_model(tmp_path: Path) -> None:
    message, _, _ = _overlay_problem(tmp_path, "id: bilingual-service", "id: safety-awareness", name="big_city")
    assert "the added id 'safety-awareness' already exists in model 'meter-reader'" in message


def test_unknown_utility_lists_the_known_ones() -> None:
    site = load_site(ROOT / "competency_src")
    with pytest.raises(SourceError) as caught:
        site_for_utility(site, "smalltown")
    assert "unknown utility 'smalltown'" in str(caught.value)
    assert "big_city, small_town" in str(caught.value)


def test_the_generic_site_lists_the_utilities_of_a_model(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = Path(_build(make_app, srcdir, srcdir / "_build" / "generic").outdir)
    html = (out / MODEL / "variant.html").read_text(encoding="utf-8")
    assert 'href="../../../big_city/html/meter-reader/variant.html">Big City Water Authority</a>' in html
    assert 'href="../../../small_town/html/meter-reader/variant.html">Small Town Water</a>' in html
    assert "No utility adapts this model yet." in page_text(out / "line-locator" / "variant.html")
