"""`competency fmt`: canonical layout that keeps comments, key order, quoting and every value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from competency.cli import main
from competency.sources import yamlformat
from competency.sources.yamlformat import FormatError, canonical, comment_lines, plain_data

REPO = Path(__file__).parents[1]
CURATED = REPO / "competency_src" / "customer-service-representative.yaml"

#: A hand-edited overlay-like file: odd indentation, comments everywhere, both quote styles, a folded text.
MESSY = """\
# yaml-language-server: $schema=../schema.json
id: water-operator   # the URL folder
title: 'Water Operator'
sections:
- id: technical      # first section
  kind: technical
  title: "Technical Competencies"
  competencies:
      -   id: pumps
          title: Pumps
          # why this indicator exists
          indicators:
          - id: starts-pumps
            text: >-
              Starts and stops pumps
              in the right order
          - id: reads-gauges
            text: 'Reads gauges: pressure, flow'
"""

CANONICAL = """\
# yaml-language-server: $schema=../schema.json
id: water-operator   # the URL folder
title: 'Water Operator'
sections:
  - id: technical    # first section
    kind: technical
    title: "Technical Competencies"
    competencies:
      - id: pumps
        title: Pumps
          # why this indicator exists
        indicators:
          - id: starts-pumps
            text: >-
              Starts and stops pumps
              in the right order
          - id: reads-gauges
            text: 'Reads gauges: pressure, flow'
"""


def test_messy_file_gets_the_canonical_layout() -> None:
    assert canonical(MESSY) == CANONICAL


def test_comments_key_order_and_quoting_are_kept() -> None:
    formatted = canonical(MESSY)
    assert comment_lines(formatted) == comment_lines(MESSY)
    assert list(plain_data(formatted)) == ["id", "title", "sections"]
    assert list(plain_data(formatted)["sections"][0]) == ["id", "kind", "title", "competencies"]
    assert "title: 'Water Operator'" in formatted and 'title: "Technical Competencies"' in formatted
    assert plain_data(formatted) == plain_data(MESSY)


def test_formatting_is_idempotent() -> None:
    once = canonical(MESSY)
    assert canonical(once) == once
    curated = CURATED.read_text(encoding="utf-8")
    assert canonical(curated) == curated  # the curated model is already canonical


def test_refuses_when_the_data_would_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlformat, "dump", lambda data: "id: something-else\n")
    with pytest.raises(FormatError, match="would change the data"):
        canonical("id: water-operator\n")


def test_refuses_when_a_comment_would_be_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlformat, "dump", lambda data: "id: water-operator\n")
    with pytest.raises(FormatError, match="drop the comment '# keep me'"):
        canonical("# keep me\nid: water-operator\n")


def test_cli_rewrites_in_place_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "water-operator.yaml"
    path.write_text(MESSY, encoding="utf-8")
    path.chmod(0o640)
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["water-operator.yaml"]


def test_cli_check_lists_files_that_would_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy, tidy = tmp_path / "messy.yaml", tmp_path / "tidy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(CANONICAL, encoding="utf-8")
    assert main(["fmt", "--check", str(messy), str(tidy)]) == 1
    stderr = capsys.readouterr().err
    assert "messy.yaml: would be reformatted" in stderr and "tidy.yaml" not in stderr
    assert messy.read_text(encoding="utf-8") == MESSY
    assert main(["fmt", "--check", str(tidy)]) == 0


def test_cli_refuses_to_alter_data_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "water-operator.yaml"
    path.write_text(MESSY, encoding="utf-8")
    monkeypatch.setattr(yamlformat, "dump", lambda data: MESSY.replace("Pumps", "Pump"))
    assert main(["fmt", str(path)]) == 1
    assert "not formatted: formatting would change the data" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == MESSY


def test_cli_reports_invalid_yaml_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken, messy = tmp_path / "broken.yaml", tmp_path / "messy.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    messy.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", str(broken), str(messy)]) == 1
    assert "broken.yaml: not formatted:" in capsys.readouterr().err
    assert messy.read_text(encoding="utf-8") == CANONICAL


def test_cli_defaults_to_every_yaml_file_under_competency_src(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "competency_src" / "utilities").mkdir(parents=True)
    model = tmp_path / "competency_src" / "water-operator.yaml"
    overlay = tmp_path / "competency_src" / "utilities" / "springfield.yaml"
    model.write_text(MESSY, encoding="utf-8")
    overlay.write_text("utility: springfield\nmodels:\n- water-operator\n", encoding="utf-8")
    shutil.copy(CURATED, tmp_path / "competency_src" / CURATED.name)
    monkeypatch.chdir(tmp_path)
    assert main(["fmt", "--check"]) == 1
    assert main(["fmt"]) == 0
    assert model.read_text(encoding="utf-8") == CANONICAL
    assert overlay.read_text(encoding="utf-8") == "utility: springfield\nmodels:\n  - water-operator\n"
    assert (tmp_path / "competency_src" / CURATED.name).read_bytes() == CURATED.read_bytes()
    assert main(["fmt", "--check"]) == 0
