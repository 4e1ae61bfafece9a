"""Loading model files: the data model built from YAML, and located errors for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from competency.sources import yamlfile
from competency.sources.loader import letter, load_model
from competency.sources.problems import SourceError
from competency.sources.yamlfile import read_yaml

from .conftest import REPO

CSR = REPO / "competency_src" / "customer-service-representative.yaml"
EXAMPLE = REPO / "tests" / "roots" / "test-basic" / "competency_src" / "meter-reader.yaml"


def test_letters_continue_past_z() -> None:
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def test_customer_service_model_has_every_part_of_the_source() -> None:
    model = load_model(CSR)
    assert [s.code for s in model.sections] == ["I", "II", "III", "IV", "V"]
    assert [s.kind for s in model.sections] == [
        "technical",
        "non-technical",
        "foundational",
        "responsibilities",
        "superior-performance",
    ]
    technical, non_technical, foundational, responsibilities, superior = model.sections
    assert [len(p.indicators) for p in technical.competencies] == [3, 3, 3]
    assert [len(p.indicators) for p in non_technical.competencies] == [6, 6, 3, 5, 4]
    assert [len(p.indicators) for p in superior.competencies] == [4, 3, 8, 6]
    assert [g.code for g in foundational.groups] == ["III.1", "III.2"]
    assert [len(g.competencies) for g in foundational.groups] == [2, 7]
    assert len(responsibilities.responsibilities) == 4
    assert model.note and model.note.startswith("This is a generic competency model")
    assert superior.note and "The numbering of the competencies" in superior.note
    computer = model.competencies["computer-skills"]
    assert computer.qualifier == "Basic Expertise"
    assert computer.preamble and computer.preamble.startswith("Applying knowledge and expertise")


def test_section_v_repeats_are_the_same_objects() -> None:
    model = load_model(CSR)
    superior = model.section("superior-performance")
    interpersonal, customer_focus = superior.competencies[0], superior.competencies[1]
    assert interpersonal.is_reference and interpersonal.competency == "interpersonal-skills"
    assert customer_focus.is_reference and customer_focus.competency == "customer-focus"
    assert all(p.is_reference for p in interpersonal.indicators)
    # V.1.c is II.4.d: one indicator, two codes.
    codes = [p.code for _, p in model.placements_of_indicator(interpersonal.indicators[2].indicator)]
    assert codes == ["II.4.d", "V.1.c"]
    defined = {i for c in model.competencies.values() for i in c.indicators}
    assert len(defined) == len(model.indicators) == 9 + 24 + 8 + 6


def test_foundational_computer_skills_is_competency_one() -> None:
    model = load_model(CSR)
    first = model.section("foundational").groups[0].competencies[0]
    assert first.is_reference and first.code == "III.1.a"
    assert [p.code for p in model.placements_of_competency(first.competency)] == ["I.1", "III.1.a"]


def test_last_source_line_is_learning_orientation_f() -> None:
    model = load_model(CSR)
    learning = model.competencies["learning-orientation"]
    last = model.indicators[learning.indicators[-1]]
    assert last.text == "Recognizes and addresses own development needs"
    assert model.home_of_indicator(last.id)[1].code == "V.4.f"
    assert "numbering slip" in CSR.read_text(encoding="utf-8")


def test_every_responsibility_is_supported_by_known_items() -> None:
    model = load_model(CSR)
    for responsibility in model.responsibilities.values():
        assert responsibility.supported_by
        assert all(model.kind_of(i) in ("competency", "indicator") for i in responsibility.supported_by)


def _broken(tmp_path: Path, text: str, name: str = "meter-reader") -> SourceError:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_model(path)
    return caught.value


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_key_names_line_column_and_suggestion(tmp_path: Path) -> None:
    text = _example().replace(
        "        qualifier: Basic Expertise\n        preamble", "        qualifer: Basic Expertise\n        preamble"
    )
    (problem,) = _broken(tmp_path, text).problems
    assert problem.location.line == _line_of(text, "qualifer:")
    assert problem.location.column == 9
    assert "unknown key 'qualifer' in competency" in problem.message
    assert "did you mean 'qualifier'?" in problem.hint


def test_missing_required_field(tmp_path: Path) -> None:
    text = _example().replace("            text: Reports hazards to the supervisor\n", "")
    (problem,) = _broken(tmp_path, text).problems
    assert problem.message == "indicator is missing its 'text'"
    assert problem.location.line == _line_of(text, "id: reports-hazards")


def test_duplicate_id_points_at_first_definition(tmp_path: Path) -> None:
    text = _example().replace("id: initiative", "id: driving")
    (problem,) = _broken(tmp_path, text).problems
    first = _line_of(text, "id: driving")
    assert f"already used on line {first}" in problem.message
    assert problem.location.line > first


def test_dangling_reference_suggests_a_known_id(tmp_path: Path) -> None:
    text = _example().replace("- ref: reports-hazards", "- ref: report-hazards")
    (problem,) = _broken(tmp_path, text).problems
    assert problem.message == "unknown indicator 'report-hazards'"
    assert "did you mean 'reports-hazards'?" in problem.hint
    assert problem.location.line == _line_of(text, "ref: report-hazards")


def test_wrong_type(tmp_path: Path) -> None:
    text = _example().replace(
        "subitems:\n              - Mechanical meters\n              - Radio-read meters", "subitems: Mechanical meters"
    )
    (problem,) = _broken(tmp_path, text).problems
    assert "should be a list" in problem.message
    assert problem.location.line == _line_of(text, "subitems:")


def test_invalid_yaml(tmp_path: Path) -> None:
    text = _example().replace("title: Meter Reader", "title: [Meter Reader")
    (problem,) = _broken(tmp_path, text).problems
    assert problem.message.startswith("invalid YAML")
    assert problem.location.line >= _line_of(text, "title: [Meter")


def test_tab_indentation(tmp_path: Path) -> None:
    text = _example().replace("    kind: technical", "\tkind: technical", 1)
    (problem,) = _broken(tmp_path, text).problems
    assert "tab" in problem.message
    assert problem.location.line == _line_of(text, "\tkind")


def test_duplicate_key(tmp_path: Path) -> None:
    text = _example().replace("title: Meter Reader\n", "title: Meter Reader\ntitle: Reader\n")
    (problem,) = _broken(tmp_path, text).problems
    assert problem.message == "duplicate key 'title'"
    assert problem.location.line == _line_of(text, "title: Reader")


def test_file_name_must_match_model_id(tmp_path: Path) -> None:
    (problem,) = _broken(tmp_path, _example(), name="reader").problems
    assert "differs from the file name 'reader.yaml'" in problem.message


def test_an_id_must_be_lowercase_words(tmp_path: Path) -> None:
    text = _example().replace("id: driving", "id: ../Driving Skills")
    (problem,) = _broken(tmp_path, text).problems
    assert "'../Driving Skills' is not a valid id" in problem.message


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = _example().replace("qualifier: Basic Expertise\n        preamble", "qualifer: x\n        preamble")
    text = text.replace("kind: foundational", "kind: fundamentals")
    problems = _broken(tmp_path, text).problems
    assert len(problems) == 2
    assert "did you mean 'foundational'?" in problems[1].hint or "one of" in problems[1].hint


def test_an_indicator_defined_where_section_v_reuses_a_competency_belongs_to_it(tmp_path: Path) -> None:
    text = _example().replace(
        "          - ref: reports-hazards\n",
        "          - ref: reports-hazards\n"
        "          - id: coaches-new-readers\n"
        "            text: Coaches new readers\n",
    )
    path = tmp_path / "meter-reader.yaml"
    path.write_text(text, encoding="utf-8")
    model = load_model(path)
    assert model.competencies["safety-awareness"].indicators[-1] == "coaches-new-readers"
    assert model.indicators["coaches-new-readers"].competency == "safety-awareness"
    assert model.home_of_indicator("coaches-new-readers")[1].code == "V.1.b"


def _pure_compose(text: str) -> object:
    """The node tree as ruamel's own parser makes it (what `_compose` falls back to)."""
    yaml = YAML(typ="rt")
    yaml.Scanner = yamlfile._SafeScanner
    yaml.Composer = yamlfile._SafeComposer
    return yaml.compose(text)


def _outline(node: Any) -> Any:
    """Everything of a node tree that reading a model uses: kinds, tags, values and places."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node.value, list):
        value: Any = [
            (_outline(k), _outline(v)) if isinstance(item, tuple) else _outline(item)
            for item in node.value
            for k, v in [item if isinstance(item, tuple) else (None, None)]
        ]
    else:  # ruamel's own parser marks the fold points of a folded scalar, which reading removes
        value = node.value.replace("\a", "") if node.style == ">" else node.value
    return type(node).__name__, str(node.tag), getattr(node, "style", None) or None, where, value


YAML_FILES = sorted(
    {*REPO.glob("competency_src/**/*.yaml"), *REPO.glob("tests/roots/*/competency_src/**/*.yaml")},
    key=str,
)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_models_read_through_libyaml_are_the_same_nodes_as_through_ruamels_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _outline(yamlfile._compose_from_libyaml_events(text)) == _outline(_pure_compose(text))


def test_models_are_read_through_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    pure: list[str] = []
    monkeypatch.setattr(yamlfile, "YAML", lambda **kw: pure.append("pure") or YAML(**kw))
    assert load_model(CSR).sections and pure == []  # libyaml's events, ruamel's composer


@pytest.mark.parametrize(
    "text",
    [
        "id: a\n\tsections: []\n",  # a tab
        "a: &x 1\nb: *x\n",  # an alias
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # unclosed
        "a: 1\x07\n",  # a control character
        "%YAML 1.2\n---\na: 1\n",  # a directive libyaml does not take
        "a:\n" + "".join("  " * n + "- \n" for n in range(1, 80)),  # deep nesting
    ],
    ids=["tab", "alias", "two-documents", "unclosed", "control", "directive", "deep"],
)
def test_a_file_libyaml_refuses_gets_ruamels_message(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")

    def outcome() -> Any:
        try:
            return read_yaml(path).data
        except SourceError as error:
            return [str(p) for p in error.problems]

    fast = outcome()
    monkeypatch.setattr(yamlfile, "_compose_from_libyaml_events", _refuse)
    assert fast == outcome()
    assert isinstance(fast, list) or text.startswith("%YAML")  # refused, but for the directive


def _refuse(text: str) -> None:
    raise RuntimeError("as without libyaml")
