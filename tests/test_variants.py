"""Utility variants: overlays, `only:` expressions, stable URLs across variants, switching, errors."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from competency.sources.problems import SourceError
from competency.sources.site import load_site
from competency.sources.variants import site_for_utility

from .conftest import REPO
from .helpers import copy_root, load_inventory, page_text
from .test_links import crawl_site

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
    copy_root("variants", target)
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
        "Reports damaged or tampered meters (excluded by the utility)",
        "Driving (Basic Expertise) (excluded by the utility)",
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
    text = page_text(out / MODEL / "variant.html")
    assert "Big City Water Authority (in its own site, the page meter-reader/variant.html )" in text
    assert "Small Town Water (in its own site, the page meter-reader/variant.html )" in text
    assert "No utility adapts this model yet." in page_text(out / "line-locator" / "variant.html")


# -- links between sites ----------------------------------------------------------------------------------

SITE_URLS = {
    "generic": "https://intranet.example/competencies/",
    "big_city": "https://intranet.example/big-city",  # the "/" at the end may be left out
}


#: The "Created using Sphinx" footer of the test roots' theme.
THEME_LINKS = ("https://www.sphinx-doc.org/",)


def _links_to_other_sites(out: Path) -> list[str]:
    """Every link of the site that leaves it: a scheme, a host, or a path above the site's folder."""
    found = []
    for page in out.rglob("*.html"):
        depth = len(page.relative_to(out).parts) - 1
        for href in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8")):
            if href.startswith(THEME_LINKS):
                continue
            if re.match(r"[a-z]+:|//|/", href) or href.startswith("../" * (depth + 1)):
                found.append(f"{page.relative_to(out)}: {href}")
    return found


def test_without_site_addresses_no_link_leaves_a_site(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    outs = [
        Path(_build(make_app, srcdir, srcdir / "_build" / name, *tags).outdir)
        for name, tags in (("generic", ()), ("small", ("small_town",)), ("big", ("big_city",)))
    ]
    for out in outs:
        assert _links_to_other_sites(out) == []
        assert crawl_site(out) == []
    small = outs[1]
    unused = page_text(small / MODEL / "indicators" / "reports-damaged-meters.html")
    assert "In the generic site this is the page meter-reader/indicators/reports-damaged-meters.html ." in unused
    hazards = page_text(small / MODEL / "indicators" / "reports-hazards.html")
    assert "In the generic site this is the page meter-reader/indicators/reports-hazards.html ." in hazards
    assert "See this item in the generic model" not in hazards


def test_configured_site_addresses_link_the_sites(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    def build(name: str, *tags: str) -> Path:
        app = make_app(
            "html",
            srcdir=srcdir,
            builddir=srcdir / "_build" / name,
            tags=list(tags),
            freshenv=True,
            confoverrides={"competency_site_urls": SITE_URLS},
        )
        app.build()
        assert app.warning.getvalue() == ""
        app.cleanup()
        return Path(app.outdir)

    small = build("small", "small_town")
    generic_page = "https://intranet.example/competencies/meter-reader/indicators/reports-damaged-meters.html"
    unused = (small / MODEL / "indicators" / "reports-damaged-meters.html").read_text(encoding="utf-8")
    assert f'href="{generic_page}">See it in the generic model</a>' in unused
    hazards = (small / MODEL / "indicators" / "reports-hazards.html").read_text(encoding="utf-8")
    assert 'href="https://intranet.example/competencies/meter-reader/indicators/reports-hazards.html"' in hazards
    # The other utility's addition links to that utility's site, the one whose address is known.
    french = (small / MODEL / "indicators" / "greets-customers-in-french.html").read_text(encoding="utf-8")
    assert "https://intranet.example/big-city/meter-reader/indicators/greets-customers-in-french.html" in french
    assert crawl_site(small) == []
    generic = build("generic")
    summary = (generic / MODEL / "variant.html").read_text(encoding="utf-8")
    assert 'href="https://intranet.example/big-city/meter-reader/variant.html">Big City Water Authority</a>' in summary
    assert "Small Town Water (in its own site, the page meter-reader/variant.html )" in page_text(
        generic / MODEL / "variant.html"
    )
    # A site's own entry is its address: permanent links show it in full.
    index = page_text(generic / MODEL / "indicators" / "reports-hazards.html")
    assert "https://intranet.example/competencies/meter-reader/indicators/reports-hazards.html" in index
    assert [link for link in _links_to_other_sites(generic) if "intranet.example/big-city/" not in link] == []


@pytest.mark.parametrize(
    ("urls", "tags", "message"),
    [
        ({"small-town": "https://x.example/"}, (), "competency_site_urls names no site 'small-town'"),
        ({"generic": "intranet/site/"}, (), "competency_site_urls['generic'] must be an http(s) address"),
        ({"small_town": "https://x.example/a/"}, ("small_town",), "competency_base_url 'https://x.example/b/'"),
    ],
)
def test_a_wrong_site_address_stops_the_build(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, urls: dict[str, str], tags: tuple[str, ...], message: str
) -> None:
    overrides = {"competency_site_urls": urls, "competency_base_url": "https://x.example/b/"}
    with pytest.raises(ConfigError) as caught:
        make_app("html", srcdir=srcdir, tags=list(tags), freshenv=True, confoverrides=overrides)
    assert message in str(caught.value)


# -- codes in a variant ------------------------------------------------------------------------------------


def _h1(page: Path) -> str:
    heading = re.search(r"<h1>(.*?)<a class=\"headerlink\"", page.read_text(encoding="utf-8"), re.S)
    assert heading, page
    return " ".join(re.sub(r"<[^>]+>", "", heading.group(1)).split())


CODE = re.compile(r"^[IVX]+\.(?:\d+(?:\.[a-z]+)?)? ")


def _shared_codes(out: Path) -> dict[str, list[str]]:
    """Display codes that head more than one page of a model (or name more than one object in objects.inv)."""
    pages: dict[str, list[str]] = {}
    for page in out.rglob("*.html"):
        heading = re.search(r"<h1>(.*?)<", page.read_text(encoding="utf-8"), re.S)
        code = CODE.match(heading.group(1).strip()) if heading else None
        if code:
            pages.setdefault(f"{page.relative_to(out).parts[0]} {code.group(0)}", []).append(page.stem)
    assert pages, "no page title with a code: the check looks at nothing"
    # objects.inv names each page under several types (the page, its item, a former id): count pages.
    inventory: dict[str, set[str]] = {}
    for entries in load_inventory(out / "objects.inv").values():
        for _project, _version, uri, name in entries.values():
            if code := CODE.match(name):
                page = uri.split("#")[0]
                inventory.setdefault(f"objects.inv {page.split('/')[0]} {code.group(0)}", set()).add(page)
    pages.update({code: sorted(uris) for code, uris in inventory.items()})
    return {code: names for code, names in pages.items() if len(names) > 1}


@pytest.mark.parametrize("tags", [(), ("small_town",), ("big_city",)])
def test_no_two_pages_of_a_site_show_one_code(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, tags: tuple[str, ...]
) -> None:
    assert _shared_codes(Path(_build(make_app, srcdir, srcdir / "_build" / "site", *tags).outdir)) == {}


def test_a_left_out_item_never_shows_the_code_another_item_has(
    make_app: Callable[..., SphinxTestApp], srcdir: Path
) -> None:
    overlay = srcdir / "competency_src" / "utilities" / "small_town.yaml"
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(text.replace("exclude: [reports-damaged-meters,", "exclude: [reads-meters-accurately,"), "utf-8")
    out = Path(_build(make_app, srcdir, srcdir / "_build" / "small", "small_town").outdir)
    # The generic I.1.a is left out, so the generic I.1.b is I.1.a here.
    assert _h1(out / MODEL / "indicators" / "reports-damaged-meters.html") == "I.1.a Reports damaged or tampered meters"
    unused = out / MODEL / "indicators" / "reads-meters-accurately.html"
    assert _h1(unused) == "Reads all meter types accurately, including AMR meters"
    assert "I.1.a" not in page_text(unused)
    assert "Reads all meter types accurately, including AMR meters (excluded by the utility)" in page_text(
        out / MODEL / "variant.html"
    )
    assert _shared_codes(out) == {}
    driving = out / MODEL / "competencies" / "driving.html"
    assert _h1(driving) == "Driving (Basic Expertise)" and "III.1" not in page_text(driving)


def test_an_added_item_says_so_on_its_page(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = Path(_build(make_app, srcdir, srcdir / "_build" / "big", "big_city").outdir)
    for kind, item in [
        ("indicator", "reads-smart-meters"),
        ("competency", "bilingual-service"),
        ("indicator", "greets-customers-in-french"),  # an indicator of an added competency
        ("responsibility", "handles-complaints"),
    ]:
        folder = {"indicator": "indicators", "competency": "competencies", "responsibility": "responsibilities"}[kind]
        text = page_text(out / MODEL / folder / f"{item}.html")
        assert "Added by Big City Water Authority" in text, item
        assert (
            f"This {kind} is Big City Water Authority's own: the generic Meter Reader model does not have it." in text
        )
        assert "Everything Big City Water Authority changes" in text
    assert "Added by" not in page_text(out / MODEL / "indicators" / "reports-hazards.html")
    html = (out / MODEL / "indicators" / "reads-smart-meters.html").read_text(encoding="utf-8")
    assert 'href="../variant.html"' in html
