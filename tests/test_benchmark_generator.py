"""The benchmark's model generator writes models the loader and the importer accept (no timing here: see
`make bench`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from benchmarks.generate import (
    COMMON_SHARED,
    generate_model,
    model_sizes,
    write_family,
    write_models,
    write_published_texts,
)
from sphinx.testing.util import SphinxTestApp

from competency import cli
from competency.sources.family import family_of
from competency.sources.loader import load_model
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
    """The benchmark's --from-text path: the published shape, read back by `competency import`."""
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
