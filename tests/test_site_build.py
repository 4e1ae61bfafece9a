"""Building tiny test roots: pages from ids, roles, domain objects, indices, search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

import competency

from .helpers import copy_root, load_inventory, page_text


def _inventory(app: SphinxTestApp) -> dict[str, dict[str, tuple]]:
    return load_inventory(Path(app.outdir) / "objects.inv", "https://intranet.example/")


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_every_item_has_a_page_at_its_id_url(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    for path in [
        "meter-reader/index.html",
        "meter-reader/sections/technical.html",
        "meter-reader/competencies/meter-reading.html",
        "meter-reader/competencies/driving.html",
        "meter-reader/indicators/reads-meters-accurately.html",
        "meter-reader/indicators/suggests-route-improvements.html",
        "meter-reader/responsibilities/reads-route.html",
        "meter-reader/matrix.html",
        "meter-reader/profile.html",
        "comp-indicators.html",
    ]:
        assert (out / path).is_file(), path
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_indicator_page_shows_text_codes_competency_and_reuse(app: SphinxTestApp) -> None:
    app.build()
    text = page_text(Path(app.outdir, "meter-reader/indicators/reports-hazards.html"))
    assert "II.1.b Reports hazards to the supervisor" in text
    assert "II.1.b required for effective performance, in II.1 Safety Awareness" in text
    assert "V.1.a marked for superior performance, in V.1 Safety Awareness" in text
    assert "Required for effective performance (II.1.b) and marked for superior performance (V.1.a)" in text
    assert "IV.2 Reports meter and site problems" in text  # the responsibility it supports
    assert "editorial mapping" in text
    assert "Permanent link: meter-reader/indicators/reports-hazards.html" in text


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_inline_markdown_and_subitems(app: SphinxTestApp) -> None:
    app.build()
    html = Path(app.outdir, "meter-reader/indicators/reads-meters-accurately.html").read_text(encoding="utf-8")
    assert "Reads <em>all</em> meter types accurately" in html
    assert "Radio-read meters" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_competency_page_lists_indicators_and_where_it_is_reused(app: SphinxTestApp) -> None:
    app.build()
    text = page_text(Path(app.outdir, "meter-reader/competencies/meter-reading.html"))
    assert "I.1 Meter Reading (Basic Expertise)" in text
    assert "Applying knowledge and expertise in the following areas:" in text
    assert "I.1.a Reads all meter types accurately" in text
    assert "III.1.a in III. Foundational Competencies: listed again" in text
    safety = page_text(Path(app.outdir, "meter-reader/competencies/safety-awareness.html"))
    assert "V.1 in V. Competencies for Superior Performance: marked for superior performance" in safety


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_roles_show_code_and_title(app: SphinxTestApp) -> None:
    app.build()
    html = Path(app.outdir, "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'href="meter-reader/indicators/reads-meters-accurately.html"[^>]*>'
        r'<span class="comp-ref comp-ref-indicator">I.1.a Reads all meter types',
        html,
    )
    assert ">I.1 Meter Reading (Basic Expertise)<" in html
    assert ">Meter Reader<" in html
    assert ">I. Technical Competencies<" in html
    assert ">IV.1 Reads every meter on the assigned route<" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_unknown_id_in_a_role_warns_with_a_suggestion(app: SphinxTestApp) -> None:
    index = Path(app.srcdir, "index.md")
    index.write_text(index.read_text(encoding="utf-8") + "\nSee {comp:indicator}`reports-hazard`.\n", encoding="utf-8")
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:10: WARNING: unknown indicator 'reports-hazard'" in warnings
    assert "did you mean 'reports-hazards'?" in warnings
    assert "[competency.unknown-ref]" in warnings


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_every_item_is_in_objects_inv_with_code_and_title(app: SphinxTestApp) -> None:
    app.build()
    inventory = _inventory(app)
    indicators = inventory["comp:indicator"]
    assert set(indicators) == {
        "meter-reader/reads-meters-accurately",
        "meter-reader/reports-damaged-meters",
        "meter-reader/watches-for-dogs-and-traffic",
        "meter-reader/reports-hazards",
        "meter-reader/suggests-route-improvements",
    }
    entry = indicators["meter-reader/reports-hazards"]
    assert entry[2] == "https://intranet.example/meter-reader/indicators/reports-hazards.html"
    assert entry[3] == "II.1.b Reports hazards to the supervisor"
    assert set(inventory["comp:competency"]) >= {"meter-reader/meter-reading", "meter-reader/driving"}
    assert set(inventory["comp:responsibility"]) == {"meter-reader/reads-route", "meter-reader/reports-problems"}
    assert set(inventory["comp:section"]) == {
        f"meter-reader/{s}"
        for s in ("technical", "non-technical", "foundational", "responsibilities", "superior-performance")
    }
    assert set(inventory["comp:model"]) == {"meter-reader"}


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_search_index_finds_indicators_by_their_words(app: SphinxTestApp) -> None:
    app.build()
    raw = Path(app.outdir, "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    docnames = index["docnames"]
    page = docnames.index("meter-reader/indicators/watches-for-dogs-and-traffic")
    for word in ("dog", "traffic", "hazard"):  # stemmed words of the indicator's text
        found = _as_list(index["terms"].get(word, [])) + _as_list(index["titleterms"].get(word, []))
        assert page in found, word
    objects = [(prefix, entry) for prefix, entries in index["objects"].items() for entry in entries]
    assert any(
        f"{prefix}.{entry[4]}" == "II.1.a Watches for dogs, traffic and other hazards on the route" and entry[0] == page
        for prefix, entry in objects
    )


def _as_list(value: int | list[int]) -> list[int]:
    return value if isinstance(value, list) else [value]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_indicator_index_lists_every_indicator_by_competency(app: SphinxTestApp) -> None:
    app.build()
    text = page_text(Path(app.outdir, "comp-indicators.html"))
    assert "Meter Reader: I.1 Meter Reading (Basic Expertise)" in text
    assert text.index("Reads all meter types accurately") < text.index("Reports damaged or tampered meters")
    assert "Suggests improvements to the route" in text


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_matrix_marks_competencies_and_indicators(app: SphinxTestApp) -> None:
    app.build()
    html = Path(app.outdir, "meter-reader/matrix.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    meter_row = next(r for r in rows if "Meter Reading" in r)
    safety_row = next(r for r in rows if "Safety Awareness" in r)
    assert re.findall(r"<td[^>]*><p>(.*?)</p></td>", meter_row) == ["✓", "I.1.b"]
    assert re.findall(r"<td[^>]*><p>(.*?)</p></td>", safety_row) == ["II.1.a", "II.1.b"]
    # A cell with no mark says so to a screen reader rather than being skipped.
    driving_row = next(r for r in rows if "Driving" in r)
    no = '<span class="visually-hidden">no</span>'
    assert re.findall(r"<td[^>]*><p>(.*?)</p></td>", driving_row) == [no, no]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_home_page_cards_come_from_the_yaml(app: SphinxTestApp) -> None:
    app.build()
    html = Path(app.outdir, "index.html").read_text(encoding="utf-8")
    assert html.count("sd-card ") >= 5
    assert "2 responsibilities the job centres on." in html
    assert 'href="meter-reader/sections/foundational.html"' in html


@pytest.mark.sphinx("html", testroot="withdrawn", freshenv=True)
def test_generated_stubs_ignore_themselves_in_git(app: SphinxTestApp) -> None:
    app.build()
    folder = Path(app.srcdir, "plant-operator")
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    stubs = {p.relative_to(folder).as_posix() for p in folder.rglob("*.comp")}
    # Only the pages of withdrawn items and of former ids have a stub; the model's own pages (the
    # model, its overviews and forms, sections, competencies, indicators and responsibilities) are
    # written from the model (sphinx_ext/direct_pages.py).
    assert "indicators/logs-readings-on-paper.comp" in stubs
    assert stubs and all(json.loads((folder / s).read_text())["page"] in ("withdrawn", "redirect") for s in stubs)
    for page in ("index", "matrix", "appraisal", "sections/technical", "competencies/process-control"):
        assert Path(app.outdir, "plant-operator", f"{page}.html").is_file(), page


def test_published_wording_is_shown_exactly_even_with_smart_quotes(make_app, tmp_path: Path) -> None:

    srcdir = tmp_path / "src"
    copy_root("basic", srcdir)  # the model becomes a file of its own
    model = srcdir / "competency_src" / "meter-reader.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("Reports hazards to the supervisor", 'Reports hazards -- "at once"'), "utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"smartquotes": True})
    app.build()
    html = Path(app.outdir, "meter-reader/indicators/reports-hazards.html").read_text(encoding="utf-8")
    assert "Reports hazards -- &quot;at once&quot;" in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_every_page_names_the_site_icon_shipped_with_the_package(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    shipped = Path(competency.__file__).parent / "theme" / "static" / "favicon.svg"
    assert (out / "_static" / "favicon.svg").read_bytes() == shipped.read_bytes()
    assert shipped.read_text(encoding="utf-8").startswith("<svg ")
    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        depth = len(page.relative_to(out).parts) - 1
        assert f'<link rel="icon" href="{"../" * depth}_static/favicon.svg"/>' in page.read_text("utf-8"), page


def test_a_doc_link_to_an_indicator_page_still_resolves(make_app, tmp_path: Path) -> None:
    """Indicator pages have no document (sphinx_ext/direct_pages.py); a `doc` link to one, with its
    own text, leads there as it did when they had one (redirect pages use such links)."""
    srcdir = copy_root("basic", tmp_path / "src")
    with (srcdir / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nSee {doc}`the hazards indicator </meter-reader/indicators/reports-hazards>`.\n")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    html = Path(app.outdir, "index.html").read_text(encoding="utf-8")
    assert '<a class="reference internal" href="meter-reader/indicators/reports-hazards.html">' in html
