"""The benchmark's model generator writes models the loader and the importer accept (no timing here: see
`make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.generate import generate_model, model_sizes, write_models, write_published_texts

from competency import cli
from competency.loader import load_model


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
