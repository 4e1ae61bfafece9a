"""The benchmark's model generator writes models the loader accepts (no timing here: see `make bench`)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.generate import model_sizes, write_models

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
