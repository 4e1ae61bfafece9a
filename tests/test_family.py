"""A family of jobs: shared competencies by reference, where each is needed, and the way between jobs."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import write_family
from sphinx.testing.util import SphinxTestApp

from competency.pages.compare import DATA_VARIABLE, compare, family_data
from competency.pages.family import family_page, family_stubs
from competency.siteconf import TEMPLATES as SITE_TEMPLATES
from competency.sources.family import family_of, normalised_text, normalised_title
from competency.sources.problems import SourceError
from competency.sources.site import load_site
from competency.sources.yamlfile import read_yaml
from competency.sphinx_ext import digests

from .conftest import REPO
from .helpers import copy_root, load_inventory, page_text
from .robustness.sitebuild import make_html
from .test_real_site import copy_site

ROOT = REPO / "tests" / "roots" / "test-family" / "competency_src"
PYDATA = {"html_theme": "pydata_sphinx_theme"}
EXAMPLE = REPO / "examples" / "family" / "competency_src"


# -- the library and its uses ----------------------------------------------------------------------


def test_titles_and_words_are_compared_as_published() -> None:
    assert normalised_title("Computer skills (Basic Expertise)") == normalised_title("Computer Skills")
    assert normalised_title("  Customer   focus ") == normalised_title("Customer Focus")
    assert normalised_text("Listens to customers’ concerns.") == normalised_text("listens to customers' concerns")
    assert normalised_title("Communication") != normalised_title("Communications")


def test_uses_are_read_from_the_models_with_the_jobs_own_ids() -> None:
    site = load_site(ROOT)
    assert site.library is not None
    assert site.library.uses["clerk"] == {"talking": "communication", "listens": "listens-actively"}
    family = family_of(site)
    assert family is not None
    assert [(u.model.id, u.item) for u in family.uses_of("communication")] == [
        ("clerk", "talking"),
        ("operator", "communication"),
    ]
    assert family.uses_of("mentoring") == ()


def _copy_root(tmp_path: Path) -> Path:
    target = tmp_path / "competency_src"
    shutil.copytree(ROOT, target)
    return target


def _problems(folder: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_site(folder)
    return [f"{p.location.path.name}:{p.location.line}: {p.message} ({p.hint})" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("clerk.yaml", "shared: communication", "shared: comunication", "clerk.yaml:18: unknown shared competency"),
        ("clerk.yaml", "shared: communication", "shared: talking-with-people", "is a former id"),
        ("clerk.yaml", "title: communication", "title: Talking", "clerk.yaml:18: the title 'Talking' is not"),
        ("operator.yaml", "text: Radios the control room", "text: Radios\n            shared: safety", "operator.yaml"),
        ("clerk.yaml", "text: Listens   actively", "text: Listens often", "are not those of the shared indicator"),
        (
            "shared/library.yaml",
            "id: safety",
            "id: communication",
            "library.yaml:10: the id 'communication' is already",
        ),
        ("shared/library.yaml", "to: operator", "to: operater", "library.yaml:16: unknown model 'operater'"),
        ("shared/library.yaml", "title: Safety", "titel: Safety", "library.yaml:11: unknown key 'titel'"),
        (
            "shared/library.yaml",
            "paths:\n",
            "paths:\n  - from: clerk\n    to: operator\n",
            "library.yaml:17: this career path is declared already, on line 15 (remove the repeat)",
        ),
        (
            "operator.yaml",
            "shared: safety",
            "shared: communication",
            "operator.yaml:27: 'safety' and 'communication' are both uses of the shared competency 'communication' "
            "(a job uses a shared item once; place it again with `ref:` instead)",
        ),
    ],
)
def test_a_wrong_library_or_use_is_a_located_error(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    folder = _copy_root(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = _problems(folder)
    assert any(expected in p for p in problems), problems


def test_a_misspelt_shared_competency_is_one_error_not_one_per_indicator(tmp_path: Path) -> None:
    """Its shared indicators are under a use of a competency the library does not have: saying so
    again for each of them would bury the one mistake."""
    folder = _copy_root(tmp_path)
    path = folder / "clerk.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("shared: communication", "shared: comunication", 1), encoding="utf-8")
    problems = _problems(folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith("clerk.yaml:18: unknown shared competency 'comunication' (did you mean")


def test_a_shared_indicator_under_another_competency_is_a_located_error(tmp_path: Path) -> None:
    folder = _copy_root(tmp_path)
    path = folder / "operator.yaml"
    text = path.read_text(encoding="utf-8")
    use = "          - id: listens-actively\n            shared: listens-actively\n"
    use += '            text: "Listens actively to customers\' concerns"\n'
    assert use in text
    moved = text.replace(use, "").replace("            text: Runs pumps\n", "            text: Runs pumps\n" + use)
    path.write_text(moved, encoding="utf-8")
    line = moved.splitlines().index("            shared: listens-actively") + 1
    assert _problems(folder) == [
        f"operator.yaml:{line}: 'listens-actively' uses the shared indicator 'listens-actively' of the shared "
        "competency 'communication', but is listed under the job's own 'pumping' (list it under the job's use of "
        "'communication' (`shared: communication`), or remove `shared:` to keep the words as this competency's own "
        "indicator)"
    ]


def test_a_use_without_a_library_says_where_to_define_it(tmp_path: Path) -> None:
    folder = _copy_root(tmp_path)
    shutil.rmtree(folder / "shared")
    problems = _problems(folder)
    assert any(
        "clerk.yaml:18: 'communication' is shared, but the source folder has no shared/library.yaml" in p
        for p in problems
    )


# -- the comparison ----------------------------------------------------------------------------------


def test_comparison_lists_what_is_shared_gained_and_dropped() -> None:
    site = load_site(ROOT)
    family = family_of(site)
    assert family is not None
    result = compare(family, site.models["clerk"], site.models["operator"])
    assert [(p.shared, p.source, p.target) for p in result.shared] == [("communication", "talking", "communication")]
    assert result.shared[0].common == (("listens", "listens-actively"),)
    assert result.shared[0].gained == ("radios-control-room",)
    assert result.shared[0].left == ("answers-phone",)
    assert result.added == ("pumping", "safety")
    assert result.dropped == ("filing",)


def test_the_same_words_not_shared_yet_are_the_same_behaviour_in_a_comparison() -> None:
    """The meter reader and the operator both list "Reports hazards to the supervisor" for Safety
    Awareness, not shared: moving from one job to the other, there is nothing to gain in it."""
    site = load_site(EXAMPLE)
    family = family_of(site)
    assert family is not None
    result = compare(family, site.models["meter-reader"], site.models["distribution-system-operator"])
    safety = next(p for p in result.shared if p.shared == "safety-awareness")
    assert ("reports-hazards", "reports-hazards") in safety.common
    assert "reports-hazards" not in safety.gained and "reports-hazards" not in safety.left


def test_the_data_file_grows_with_the_items_not_the_pairs() -> None:
    site = load_site(ROOT)
    family = family_of(site)
    assert family is not None
    data = family_data(family)
    assert [m["id"] for m in data["models"]] == ["clerk", "operator"]
    clerk = data["models"][0]
    talking = next(c for c in clerk["competencies"] if c["id"] == "talking")
    assert talking == {
        "id": "talking",
        "code": "II.1",
        "title": "communication (Basic Expertise)",
        "shared": "communication",
        "page": "clerk/competencies/talking",
        "indicators": [
            {
                "id": "listens",
                "code": "II.1.a",
                "text": "Listens actively to customers’ concerns.",
                "shared": "listens-actively",
                "match": "listens-actively",
                "page": "clerk/indicators/listens",
            },
            {
                "id": "answers-phone",
                "code": "II.1.b",
                "text": "Answers the phone",
                "shared": None,
                "match": "words:answers the phone",
                "page": "clerk/indicators/answers-phone",
            },
        ],
    }
    assert data["paths"] == [["clerk", "operator"]]
    assert "pairs" not in json.dumps(data)


# -- the example family (examples/family) ---------------------------------------------------------------


def _without_shared(value):
    if isinstance(value, dict):
        return {k: _without_shared(v) for k, v in value.items() if k != "shared"}
    if isinstance(value, list):
        return [_without_shared(v) for v in value]
    return value


def test_the_example_family_holds_the_real_model_word_for_word() -> None:
    real = read_yaml(REPO / "competency_src" / "customer-service-representative.yaml").data
    example = read_yaml(EXAMPLE / "customer-service-representative.yaml").data
    assert _without_shared(copy.deepcopy(example)) == real
    assert example != real  # it does use the library


def test_the_example_family_marks_its_invented_models() -> None:
    site = load_site(EXAMPLE)
    invented = [m for m in site.models.values() if m.id != "customer-service-representative"]
    assert {m.id for m in invented} == {"distribution-system-operator", "meter-reader"}
    for model in invented:
        assert "(invented example)" in model.title
        assert "invented" in (model.source or "")
    family = family_of(site)
    assert family is not None
    assert len(family.uses_of("communication")) == 3
    assert [p.id for p in family.library.paths] == [
        "customer-service-representative--distribution-system-operator",
        "meter-reader--distribution-system-operator",
    ]


def test_the_real_site_has_no_family() -> None:
    assert load_site(REPO / "competency_src").library is None


# -- the built pages --------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_the_family_items_show_their_permanent_link_as_a_jobs_items_do(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    assert app.warning.getvalue() == ""
    for page in (
        "shared/competencies/communication",
        "shared/indicators/listens-actively",
        "shared/paths/clerk--operator",
    ):
        assert f"Permanent link: {page}.html Copy link" in page_text(out / f"{page}.html"), page
    assert "Permanent link" not in page_text(out / "shared/index.html")  # a list, not an item to cite
    assert "Permanent link: clerk/index.html Copy link" in page_text(out / "clerk/index.html")


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_shared_pages_list_every_job_with_its_own_code_qualifier_and_indicators(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    assert app.warning.getvalue() == ""
    text = page_text(out / "shared/competencies/communication.html")
    assert "Shared competency" in text and "Exchanging information with others." in text
    assert "Needed in 2 jobs" in text
    assert "Clerk II.1 communication (Basic Expertise) The clerk's own preamble." in text
    assert "II.1.a Listens actively to customers’ concerns. (shared) II.1.b Answers the phone" in text
    assert "Operator II.1 Communication (Intermediate Expertise) II.1.a Listens actively" in text
    unused = page_text(out / "shared/competencies/mentoring.html")
    assert "No job this site publishes needs this competency now" in unused
    index = page_text(out / "shared/index.html")
    assert "Communication (2 jobs)" in index and "Safety (1 job)" in index and "Mentoring (0 jobs)" in index
    assert "From Clerk to Operator" in index
    indicator = page_text(out / "shared/indicators/listens-actively.html")
    assert "Listed by 2 jobs Clerk : II.1.a Listens actively" in indicator
    matrix = page_text(out / "shared/matrix.html")
    # A job that does not use a shared competency: its cell is empty to see, "not used" to a screen reader.
    assert "Shared competency Clerk Operator Communication II.1 II.1 Safety not used II.2" in matrix
    assert "Mentoring not used not used" in matrix
    assert '<span class="visually-hidden">not used</span>' in (out / "shared/matrix.html").read_text(encoding="utf-8")
    home = page_text(out / "index.html")
    assert "Shared competencies : the 3 competencies these 2 jobs share" in home


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_job_pages_name_the_other_jobs_and_the_ways_between_them(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    competency = page_text(out / "clerk/competencies/talking.html")
    assert "Other jobs that need it A shared competency: Communication Operator : II.1 Communication" in competency
    indicator = page_text(out / "operator/indicators/listens-actively.html")
    assert "Other jobs that list it" in indicator and "Clerk : II.1.a Listens actively" in indicator
    model = page_text(out / "operator/index.html")
    assert "this job needs 2 of the 3 the jobs of this site share" in model
    assert "From Clerk to Operator" in model
    html = (out / "clerk/index.html").read_text(encoding="utf-8")
    assert 'href="../shared/compare.html?from=clerk"' in html
    path = page_text(out / "shared/paths/clerk--operator.html")
    assert "Clerks who want to work in the field." in path
    assert "1 shared competencies, 2 to gain, 1 no longer needed." in path
    assert "Both list: II.1.a → II.1.a Listens actively" in path
    assert "To gain for Operator: II.1.b Radios the control room" in path
    assert "What Operator adds I.1 Pumping I.1.a Runs pumps II.2 Safety II.2.a Wears protective equipment" in path
    assert "What Clerk needs and Operator does not I.1 Filing" in path


@pytest.mark.sphinx(
    "html", testroot="family", freshenv=True, confoverrides={**PYDATA, "templates_path": [str(SITE_TEMPLATES)]}
)
def test_family_pages_have_the_current_branch_of_the_family_as_their_sidebar(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)

    def sidebar(page: str) -> str:
        text = (out / page).read_text(encoding="utf-8")
        start = text.index('<ul class="current nav bd-sidenav">')
        return text[start : text.index("</nav>", start)]

    # The index's entries: the shared competencies, the matrix, the compare page, the career path.
    entries = [f"competencies/{c}.html" for c in ("communication", "safety", "mentoring")]
    entries += ["matrix.html", "compare.html", "paths/clerk--operator.html"]
    index = sidebar("shared/index.html")
    assert re.findall(r'href="([^"]*)"', index) == entries
    assert "aria-current" not in index  # the index is the root of this navigation, not one of its entries
    # On an indicator's page, one folder down: the current competency open on the page itself (""), the others closed.
    indicator = sidebar("shared/indicators/listens-actively.html")
    assert re.findall(r'href="([^"]*)"', indicator) == [f"../{entries[0]}", "", *(f"../{e}" for e in entries[1:])]
    assert '<a aria-current="page" class="current reference internal" href="">Listens actively' in indicator
    assert "<details" not in indicator  # only the current branch has children: nothing to fold


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_compare_page_data_objects_and_former_ids(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    script = (out / "shared/family-data.js").read_text(encoding="utf-8")
    prefix = f"window.{DATA_VARIABLE} = "
    assert script.startswith(prefix)
    data = json.loads(script[len(prefix) :].rstrip().rstrip(";"))
    assert data == json.loads((out / "_exports/family.json").read_text(encoding="utf-8"))
    compare_html = (out / "shared/compare.html").read_text(encoding="utf-8")
    assert '<script src="../shared/family-data.js"></script>' in compare_html
    # the script's address names a checksum of the file published, as Sphinx's own scripts do
    published = (out / "_static/comp-compare.js").read_bytes()
    assert f'<script src="../_static/comp-compare.js?v={zlib.crc32(published):08x}"></script>' in compare_html
    # The short address at the site's root forwards there, keeping the pair (query and fragment).
    root = (out / "compare.html").read_text(encoding="utf-8")
    assert '<script>location.replace("shared/compare.html" + location.search + location.hash);</script>' in root
    assert '<a href="shared/compare.html">' in root
    inventory = load_inventory(out / "objects.inv", "https://intranet.example/")
    assert inventory["comp:shared-competency"]["shared/communication"][2].endswith(
        "shared/competencies/communication.html"
    )
    assert inventory["comp:shared-competency"]["shared/talking-with-people"][2].endswith(
        "shared/competencies/communication.html"
    )
    assert "shared/listens-actively" in inventory["comp:shared-indicator"]
    assert "shared/clerk--operator" in inventory["comp:career-path"]
    redirect = (out / "shared/competencies/talking-with-people.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=communication.html"' in redirect
    home = page_text(out / "index.html")
    assert (
        "Communication (shared competency)" in home
        and "Listens actively to customers' concerns (shared indicator)" in home
    )
    search = (out / "searchindex.js").read_text(encoding="utf-8")
    assert "Communication (shared competency)" in search


@pytest.mark.sphinx("html", testroot="family", freshenv=True, tags=["riverside"])
def test_a_variant_that_drops_a_use_no_longer_lists_the_job(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    text = page_text(out / "shared/competencies/communication.html")
    assert "Needed in 1 job" in text and "Clerk" in text and "Operator" not in text
    assert "Communication (1 job)" in page_text(out / "shared/index.html")
    assert "No other job of this site needs it." in page_text(out / "clerk/competencies/talking.html")


def _rebuild(
    make_app: Callable[..., SphinxTestApp], srcdir: Path, read: list[str] | None = None, **overrides: Any
) -> SphinxTestApp:
    """Build again in the same folders; the documents Sphinx reads are added to `read`."""
    app = make_app("html", srcdir=srcdir, confoverrides=overrides)
    if read is not None:
        app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    app.build()
    return app


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = path.stat().st_mtime_ns + 5 * 10**9  # the stamp moves even on a coarse file system
    os.utime(path, ns=(later, later))


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_editing_one_job_updates_the_pages_of_the_others(app: SphinxTestApp, make_app) -> None:
    app.build()
    srcdir, out = Path(app.srcdir), Path(app.outdir)
    assert "Operator : II.1 Communication (Intermediate Expertise)" in page_text(
        out / "clerk/competencies/talking.html"
    )
    app.cleanup()
    _edit(srcdir / "competency_src" / "operator.yaml", "(Intermediate Expertise)", "(Advanced Expertise)")
    read: list[str] = []
    _rebuild(make_app, srcdir, read)
    # The family's pages that show the operator's qualifier are read again, the others are not.
    assert "shared/competencies/communication" in read
    assert not {"shared/index", "shared/competencies/safety", "shared/competencies/mentoring"} & set(read)
    assert "Operator : II.1 Communication (Advanced Expertise)" in page_text(out / "clerk/competencies/talking.html")
    assert "(Advanced Expertise)" in page_text(out / "shared/competencies/communication.html")
    assert "(Advanced Expertise)" in (out / "shared/family-data.js").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_a_job_no_longer_sharing_a_competency_leaves_every_export_of_the_family(
    app: SphinxTestApp, make_app, tmp_path: Path
) -> None:
    """Each job's JSON lists the whole library with the jobs that use each item: when the operator
    stops sharing Safety, which the clerk does not use, the clerk's JSON changes too (found by the
    incremental-equals-clean state machine: it kept naming the operator)."""
    app.build()
    srcdir, out = Path(app.srcdir), Path(app.outdir)
    assert _users(out / "_exports" / "clerk.json", "safety") == ["operator"]
    app.cleanup()
    _edit(srcdir / "competency_src" / "operator.yaml", "        shared: safety\n", "")
    _rebuild(make_app, srcdir)
    assert _users(out / "_exports" / "clerk.json", "safety") == []
    assert _users(out / "_exports" / "operator.json", "safety") == []
    clean = make_app("html", srcdir=srcdir, builddir=tmp_path / "clean", freshenv=True)
    clean.build()
    for name in ("clerk.json", "operator.json"):
        assert (out / "_exports" / name).read_bytes() == (Path(clean.outdir) / "_exports" / name).read_bytes()


def _users(export: Path, shared_id: str) -> list[str]:
    shared = json.loads(export.read_text(encoding="utf-8"))["shared"]
    return [job["model"] for item in shared if item["id"] == shared_id for job in item["jobs"]]


def _pydata() -> dict[str, Any]:
    # A list of its own for each build: the theme adds its folder to `templates_path`, whose default
    # list is shared by the builds of one process, and a longer list is another configuration.
    return {**PYDATA, "templates_path": []}


def test_editing_one_job_writes_again_only_the_family_pages_showing_it(make_app, tmp_path: Path) -> None:
    """The family's pages have the theme's sidebar: they are all written again only when a family
    page's title or toctree changed, not whenever one of them was read."""
    srcdir = copy_root("family", tmp_path / "family")
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides=_pydata())
    app.build()
    app.cleanup()
    out = Path(app.outdir)
    family = sorted(out.glob("shared/**/*.html"))
    assert len(family) > 5
    stamp = time.time_ns() + 86_400 * 10**9  # a later stamp than any write (an older one would be outdated)
    for page in family:
        os.utime(page, ns=(stamp, stamp))
    _edit(srcdir / "competency_src" / "operator.yaml", "(Intermediate Expertise)", "(Advanced Expertise)")
    read: list[str] = []
    _rebuild(make_app, srcdir, read, **_pydata()).cleanup()
    written = {str(p.relative_to(out)) for p in family if p.stat().st_mtime_ns != stamp}
    # The pages showing the operator's qualifier, read again; not the other family pages, nor the
    # index whose toctree lists them (Sphinx renders a page's parents with it: the same bytes, kept).
    assert {"shared/competencies/communication", "shared/paths/clerk--operator"} <= set(read)
    shown = {"shared/competencies/communication.html", "shared/paths/clerk--operator.html"}
    assert written == shown, written
    assert len(family) - len(written) >= 5

    sources = srcdir / "competency_src"
    _edit(sources / "shared" / "library.yaml", "title: Communication", "title: Talking Clearly")
    _edit(sources / "clerk.yaml", "title: communication", "title: talking clearly")
    _edit(sources / "operator.yaml", "title: Communication (Advanced", "title: Talking Clearly (Advanced")
    _rebuild(make_app, srcdir, read, **_pydata()).cleanup()
    # The title is in every family page's sidebar: all of them are written again, and show it.
    for page in family:
        assert page.stat().st_mtime_ns != stamp, page
        assert "Talking Clearly" in page.read_text(encoding="utf-8"), page


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_editing_the_library_reads_again_only_the_family_pages_showing_it(app: SphinxTestApp, make_app) -> None:
    app.build()
    app.cleanup()
    srcdir, out = Path(app.srcdir), Path(app.outdir)
    data = out / "shared" / "family-data.js"
    before = data.stat().st_mtime_ns
    os.utime(data, ns=(before - 10**9, before - 10**9))  # so that any rewrite shows
    read: list[str] = []
    _rebuild(make_app, srcdir, read).cleanup()
    assert read == [] and data.stat().st_mtime_ns == before - 10**9  # a no-op writes no family data

    _edit(srcdir / "competency_src" / "shared" / "library.yaml", "Exchanging information", "Sharing information")
    _rebuild(make_app, srcdir, read)
    assert "shared/competencies/communication" in read
    assert not {"shared/competencies/safety", "shared/matrix"} & set(read)
    assert "Sharing information with others" in page_text(out / "shared/competencies/communication.html")


@pytest.mark.sphinx("html", testroot="family", freshenv=True, confoverrides=PYDATA)
def test_a_new_shared_competency_reaches_every_family_pages_sidebar(app: SphinxTestApp, make_app) -> None:
    """The family's pages have the theme's sidebar, made of every toctree: a page added to the index
    is in the sidebar of the pages that were not read again."""
    app.build()
    app.cleanup()
    srcdir, out = Path(app.srcdir), Path(app.outdir)
    _edit(
        srcdir / "competency_src" / "shared" / "library.yaml",
        "  - id: mentoring\n    title: Mentoring\n",
        "  - id: mentoring\n    title: Mentoring\n  - id: first-aid\n    title: First Aid\n",
    )
    read: list[str] = []
    _rebuild(make_app, srcdir, read, **PYDATA)
    assert "shared/compare" not in read  # written again for its sidebar, not read
    for page in ("shared/compare.html", "shared/matrix.html", "shared/competencies/safety.html"):
        assert 'first-aid.html">First Aid</a>' in (out / page).read_text(encoding="utf-8"), page


def test_an_edit_builds_again_only_the_career_paths_of_the_jobs_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A career path's page shows its two jobs and the library: with the library and the set of jobs
    as they were, only the paths of a changed job are built to be compared with their digests."""
    write_family(tmp_path, jobs=4, shared=6, per_model=12)
    site = load_site(tmp_path)
    family = family_of(site)
    assert family is not None
    recorded = {d: digests.page_digest(family_page(family, s, d)) for d, s in family_stubs(site)}
    built: list[str] = []

    def building(family: Any, stub: dict[str, str], docname: str) -> Any:
        built.append(docname)
        return family_page(family, stub, docname)

    monkeypatch.setattr(digests, "family_page", building)
    assert digests.changed_family_pages(site, recorded, {"job-03"}) == set()
    paths = sorted(d for d in built if d.startswith("shared/paths/"))
    assert paths == ["shared/paths/job-02--job-03", "shared/paths/job-03--job-04"]
    assert "shared/index" in built and "shared/matrix" in built  # they show every job

    built.clear()
    changed = {**recorded, "shared/paths/job-01--job-02": "an older digest"}
    assert digests.changed_family_pages(site, changed, None) == {"shared/paths/job-01--job-02"}
    assert len([d for d in built if d.startswith("shared/paths/")]) == 3  # the library changed: every path


@pytest.mark.slow
def test_the_example_familys_utility_no_longer_lists_the_job_it_drops(tmp_path: Path) -> None:
    """`make html SOURCES=examples/family/competency_src UTILITY=lakeside`, as family.md shows it."""
    site = copy_site(tmp_path)
    sources = "examples/family/competency_src"
    out = site / "_build" / "sources" / "lakeside"
    result = make_html(site, out, sources=sources, utility="lakeside", warnings_are_errors=True)
    assert result.returncode == 0, result.stdout + result.stderr
    published = out / "html"
    focus = page_text(published / "shared" / "competencies" / "customer-focus.html")
    assert "Needed in 2 jobs" in focus and "Meter Reader" not in focus
    assert "Customer Focus (2 jobs)" in page_text(published / "shared" / "index.html")
    reader = page_text(published / "meter-reader" / "index.html")
    assert "Lakeside Water (invented example)'s version of the model" in reader
    # The job's page of it keeps its address, saying the utility leaves it out.
    dropped = page_text(published / "meter-reader" / "competencies" / "customer-focus.html")
    assert "Lakeside Water (invented example) does not use this competency (excluded by the utility)" in dropped
