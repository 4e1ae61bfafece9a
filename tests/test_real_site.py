"""The real site: every indicator and responsibility of the published source has its own page.

The source text is parsed here on its own terms (lettered and numbered lines
under roman headings), independently of the YAML, so a word dropped or changed
in the YAML shows up as a failure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .helpers import collapse, load_inventory, page_text

SOURCE = REPO / "tests" / "data" / "import" / "customer-service-representative.txt"
MODEL = "customer-service-representative"


def copy_site(target: Path) -> Path:
    """The project's site sources (conf.py, docs, models) copied to a scratch folder."""
    shutil.copy(REPO / "conf.py", target / "conf.py")
    shutil.copytree(REPO / "competency_src", target / "competency_src")
    shutil.copytree(REPO / "examples", target / "examples")  # manual/family.md shows the example family
    shutil.copytree(REPO / "ext", target / "ext", ignore=shutil.ignore_patterns("__pycache__"))  # docs include schemas
    shutil.copytree(
        REPO / "docs",
        target / "docs",
        ignore=lambda folder, names: [n for n in names if (Path(folder, n) / ".competency-generated").exists()],
    )
    return target


def build(site: Path, *extra: str, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    """sphinx-build of the site copy, warnings as errors, into `out` (default: site/out)."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-c", str(site), *extra]
    return subprocess.run(
        [*command, str(site / "docs"), str(out or site / "out")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def source_items() -> dict[str, list[str]]:
    """The published items by roman section: lettered lines, and numbered lines of section IV.

    A numbered line right after lettered lines is an indicator with a numbering slip (the last line of
    the source is indicator f of Learning Orientation).
    """
    items: dict[str, list[str]] = {}
    section, previous, number = "", "", 0
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        line = collapse(raw)
        heading = re.match(r"^(I|II|III|IV|V)\. ", line)
        if heading:
            section, number = heading.group(1), 0
            continue
        lettered = re.match(r"^[a-z]\. (.+)$", line)
        numbered = re.match(r"^(\d+)\. (.+)$", line)
        if numbered and int(numbered.group(1)) == number + 1 and section != "IV":
            number += 1  # the next competency (or group) heading
        elif lettered or (numbered and (section == "IV" or previous == "lettered")):
            items.setdefault(section, []).append((lettered or numbered).groups()[-1])  # type: ignore[union-attr]
        if line:
            previous = "lettered" if lettered else "other"
    return items


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("site"))
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr
    return site / "out"


def _inventory(out: Path) -> dict[str, dict[str, tuple]]:
    return load_inventory(out / "objects.inv")


def test_the_source_copy_in_the_repo_is_the_published_text() -> None:
    published = REPO.parent / "shared" / "source" / "customer-service-representative.txt"
    if published.exists():  # beside the clone in CI and on developer machines
        assert SOURCE.read_bytes() == published.read_bytes()
    assert len(source_items()["II"]) == 24


def test_every_indicator_has_a_page_with_its_exact_text(built_site: Path) -> None:
    inventory = _inventory(built_site)["comp:indicator"]
    lead_texts: dict[str, str] = {}
    for name, entry in inventory.items():
        html = (built_site / entry[2]).read_text(encoding="utf-8")
        lead = re.search(r'<p class="comp-lead">(.*?)</p>', html, re.S)
        assert lead, name
        lead_texts[collapse(re.sub(r"<[^>]+>", "", lead.group(1)))] = name
    items = source_items()
    expected = [text for section in ("I", "II", "V") for text in items[section]]
    assert len(expected) == 9 + 24 + 21
    for text in expected:
        assert text in lead_texts, f"no indicator page has the text: {text}"
    # Section V's repeats are the same objects: 47 distinct indicators for 54 lettered lines.
    assert len({lead_texts[t] for t in expected}) == len(inventory) == 47


def test_section_v_repeats_show_both_codes(built_site: Path) -> None:
    text = page_text(built_site / MODEL / "indicators" / "summarizes-to-check-understanding.html")
    assert "Required for effective performance (II.4.d) and marked for superior performance (V.1.c)" in text


def test_every_responsibility_and_foundational_item_has_a_page(built_site: Path) -> None:
    inventory = _inventory(built_site)
    items = source_items()
    responsibilities = [page_text(built_site / e[2]) for e in inventory["comp:responsibility"].values()]
    assert len(responsibilities) == 4
    for text in items["IV"]:
        assert any(text in page for page in responsibilities), text
    competency_pages = {name: page_text(built_site / e[2]) for name, e in inventory["comp:competency"].items()}
    for text in items["III"]:
        title, _, description = text.partition(": ")
        title = title.replace(" (Basic Expertise)", "")
        assert any(title in page and description in page for page in competency_pages.values()), text


def test_notes_are_on_the_site(built_site: Path) -> None:
    source = collapse(SOURCE.read_text(encoding="utf-8"))
    notes = re.findall(r"Note: (.+?)(?= I\. Technical| IV\.| 1\. Responds| 1\. Interpersonal)", source)
    assert len(notes) == 3
    pages = (
        page_text(built_site / MODEL / "index.html")
        + page_text(built_site / MODEL / "sections" / "responsibilities.html")
        + page_text(built_site / MODEL / "sections" / "superior-performance.html")
    )
    for note in notes:
        assert collapse(note) in pages
    assert "The numbering of the competencies and their behavioral indicators is not the same" in pages


def test_bad_yaml_stops_the_build_with_a_located_error(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    model = site / "competency_src" / f"{MODEL}.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("    kind: technical", "    knd: technical"), encoding="utf-8"
    )
    result = build(site)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(model.read_text(encoding="utf-8").splitlines(), 1) if "knd:" in text)
    assert f"{model}:{line}:5: ERROR: unknown key 'knd' in section (did you mean 'kind'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "out" / "index.html").exists()


UTILITIES = ("millbrook", "north_shore")


@pytest.fixture(scope="module")
def variant_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generic site and both example variants, laid out as `make variants` lays them out."""
    site = copy_site(tmp_path_factory.mktemp("variants"))
    layout = site / "_build"
    for variant in ("generic", *UTILITIES):
        tags = ["-t", variant] if variant != "generic" else []
        doctrees = ["-d", str(layout / variant / "doctrees")]
        result = build(site, *tags, *doctrees, out=layout / variant / "html")
        assert result.returncode == 0, result.stderr
    return layout


@pytest.mark.parametrize("utility", UTILITIES)
def test_every_generic_url_is_in_each_example_variant(variant_builds: Path, utility: str) -> None:
    generic, variant = variant_builds / "generic" / "html", variant_builds / utility / "html"
    generic_pages = {p.relative_to(generic) for p in generic.rglob("*.html")}
    variant_pages = {p.relative_to(variant) for p in variant.rglob("*.html")}
    assert generic_pages <= variant_pages
    indicator_pages = {p for p in generic_pages if p.parts[1:2] == ("indicators",)}
    assert len(indicator_pages) >= 47
    assert "this utility's version of the competency models" in (variant / "index.html").read_text("utf-8")


@pytest.mark.parametrize("variant", ["generic", *UTILITIES])
def test_every_link_of_every_site_resolves_in_that_site_alone(variant_builds: Path, variant: str) -> None:
    from .test_links import crawl_site

    # Each site is published on its own (make serve UTILITY=x serves one): no link may lead out of it.
    assert crawl_site(variant_builds / variant / "html") == []


def test_a_utility_site_says_where_the_generic_wording_is(variant_builds: Path) -> None:
    page = variant_builds / "millbrook" / "html" / MODEL / "indicators" / "uses-email-system.html"
    html = page.read_text(encoding="utf-8")
    assert "generic/html" not in html and "comp-generic-link" not in html  # no address configured: no link
    assert f"In the generic site this is the page {MODEL}/indicators/uses-email-system.html ." in page_text(page)


def test_item_pages_show_only_their_branch_in_the_sidebar(built_site: Path) -> None:
    html = (built_site / MODEL / "indicators" / "explains-bill-calculation.html").read_text(encoding="utf-8")
    sidebar = html[html.index('<nav class="bd-docs-nav') : html.index("</nav>", html.index('<nav class="bd-docs-nav'))]
    titles = [collapse(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<a [^>]*>(.*?)</a>", sidebar)]
    assert titles[:2] == ["I. Technical Competencies", "II. Non-Technical Competencies"]
    assert "II.1.a Actively listens and seeks to understand others: customers, colleagues, managers" in titles
    assert "II.2 Critical and Analytical Thinking" in titles  # the current section's competencies
    assert not [t for t in titles if t.startswith(("I.1.", "II.2.", "V.1."))]  # other branches stay closed
    assert 'class="current reference internal"' in sidebar
    assert len(titles) == 5 + 5 + 6 + 3  # sections, competencies of II, indicators of II.1, overview pages


def test_a_page_outside_the_navigation_keeps_a_header_of_its_own(built_site: Path) -> None:
    """Pages of one folder share their header (build_speed.py); a page out of the navigation, such as
    a utility's addition that sorts first in its folder, must not hand its header to the others."""
    folder = built_site / MODEL / "competencies"
    assert 'class="nav-item current active"' not in (folder / "bilingual-service.html").read_text("utf-8")
    for page in folder.glob("*.html"):
        if page.stem != "bilingual-service":
            assert 'class="nav-item current active"' in page.read_text(encoding="utf-8"), page.name


def test_an_imported_model_builds_into_the_site_as_it_is(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    text = REPO / "tests" / "data" / "import" / "small-model.txt"
    target = site / "competency_src" / "small-model.yaml"
    imported = subprocess.run(
        [sys.executable, "-m", "competency.cli", "import", str(text), "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    result = build(site)
    assert result.returncode == 0, result.stderr
    pages = {p.stem for p in (site / "out" / "small-model" / "indicators").glob("*.html")}
    model = yaml_ids(target)
    assert model <= pages and len(pages) >= 12


def yaml_ids(path: Path) -> set[str]:
    from competency.sources.loader import load_model

    return set(load_model(path).indicators)
