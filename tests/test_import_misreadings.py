"""`competency import` says what it does not understand (tests/data/import/, README there lists each file).

Traces of PDF extraction (page numbers, running headers, words cut at line ends) are removed with a
warning, or refused with --strict; unknown list markers, lines without words, control characters and
unknown section numerals are errors at their line; a text too large is refused before it is read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import competency.importer.text
from competency.cli import main
from competency.importer.lines import MAX_TEXT_BYTES
from competency.importer.text import import_text

from .conftest import REPO
from .test_importer import DATA, lost_lines, strings


def _problems(name: str, **options: bool) -> list[tuple[int, str, str]]:
    path = DATA / name
    result = import_text(path.read_bytes(), path=path, **options)
    assert lost_lines(path.read_bytes().decode("utf-8", errors="replace"), result) == []
    return [(p.location.line, p.severity, p.message) for p in result.problems]


PDF_TRACES = [
    (5, "a word cut at the line end: 'read-' and 'ing' joined as 'reading'"),
    (8, "a page number: 'Page 1 of 2'; removed"),
    (9, "a running page header or footer: 'Water Utility Competency Model: Meter Reader'; removed"),
    (18, "a page number: 'Page 2 of 2'; removed"),
    (19, "a running page header or footer: 'Water Utility Competency Model: Meter Reader'; removed"),
]


def test_pdf_traces_are_removed_with_a_warning_each() -> None:
    assert _problems("pdf-extract.txt") == [(line, "warning", message) for line, message in PDF_TRACES]
    result = import_text((DATA / "pdf-extract.txt").read_bytes(), path=DATA / "pdf-extract.txt")
    first = result.model["sections"][0]["competencies"][0]["indicators"][0]["text"]
    assert first == (
        "Reads dials and digital registers accurately, even in poor light, and records each reading in the route book"
    )
    assert not any("Page" in text or "Competency Model" in text for text in strings(result.model["sections"]))
    assert [s["title"] for s in result.model["sections"]][1] == "Non-Technical Competencies"


def test_pdf_traces_are_errors_in_strict_mode() -> None:
    assert _problems("pdf-extract.txt", strict=True) == [(line, "error", message) for line, message in PDF_TRACES]


def test_cli_imports_a_pdf_text_with_warnings_and_refuses_it_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "meter-reader.yaml"
    assert main(["import", str(DATA / "pdf-extract.txt"), "-o", str(output)]) == 0
    assert output.is_file()
    assert "pdf-extract.txt:8: warning: a page number: 'Page 1 of 2'; removed" in capsys.readouterr().err
    strict_output = tmp_path / "strict" / "meter-reader.yaml"
    strict_output.parent.mkdir()
    assert main(["import", str(DATA / "pdf-extract.txt"), "-o", str(strict_output), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "pdf-extract.txt:5: error: a word cut at the line end" in err and "nothing written" in err
    assert not strict_output.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "defect-unknown-markers.txt",
            [
                (4, "unknown list marker '•': '• Reads meters'"),
                (5, "unknown list marker '(a)': '(a) Reads dials'"),
                (6, "unknown list marker 'a)': 'a) Reads registers'"),
                (7, "unknown list marker '1)': '1) Reads handhelds'"),
                (8, "a line without words: '_______'"),
            ],
        ),
        ("defect-control-characters.txt", [(3, "control character(s) U+0000, U+001B in the text; removed")]),
        ("defect-unknown-numeral.txt", [(4, "unknown section numeral 'XX.'; its lines are skipped")]),
    ],
)
def test_what_the_importer_does_not_understand_is_an_error_at_its_line(
    name: str, expected: list[tuple[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = [(line, message) for line, severity, message in _problems(name) if severity == "error"]
    assert errors[: len(expected)] == expected
    output = tmp_path / "meter-reader.yaml"
    assert main(["import", str(DATA / name), "-o", str(output)]) == 1
    assert not output.exists()
    assert f"{name}:{expected[0][0]}:" in capsys.readouterr().err


def test_no_control_character_reaches_the_model() -> None:
    path = DATA / "defect-control-characters.txt"
    assert b"\0" in path.read_bytes()
    result = import_text(path.read_bytes(), path=path)
    assert not any(c in text for text in strings(result.model) for c in "\0\x1b")
    assert result.problems[0].location.column == 12


def test_no_bidi_override_reaches_the_model(tmp_path: Path) -> None:
    """A right-to-left override pasted into a text would show what follows it reversed (the loader
    refuses it): the importer removes it, at its line and column, as it does a control character."""
    text = (DATA / "defect-control-characters.txt").read_text(encoding="utf-8")
    path = tmp_path / "override.txt"
    path.write_text(text.replace("me\0ters\x1b[31m", "meters \u202eon foot"), encoding="utf-8")
    result = import_text(path.read_bytes(), path=path)
    assert not any("\u202e" in text for text in strings(result.model))
    assert any("meters on foot" in text for text in strings(result.model))  # the words stay
    errors = [(p.location.line, p.location.column, p.message) for p in result.problems if p.severity == "error"]
    assert errors == [(3, 17, "control character(s) U+202E in the text; removed")]  # after "a. Reads meters "


def test_a_text_too_large_is_refused_before_it_is_read_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    small = (DATA / "small-model.txt").read_bytes()
    big.write_bytes(small * (5 * 1024 * 1024 // len(small) + 1))
    monkeypatch.setattr(competency.importer.text, "classify", _never_called)  # proves nothing is parsed
    output = tmp_path / "big-model.yaml"
    assert main(["import", str(big), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert f"{big}: error: the text is 5.0 MB; a model's text is limited to {MAX_TEXT_BYTES // 1024} kB" in err
    assert str(output.name) not in err and not output.exists()
    # The library refuses it too, before it classifies a line.
    assert import_text(big.read_bytes(), path=big).errors[0].message.startswith("the text is 5.0 MB")


def _never_called(*_args: object) -> None:
    raise AssertionError("the text was parsed")


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "model.txt"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "competency.cli", "import", str(fifo), "-o", str(tmp_path / "model.yaml")],
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "a FIFO (named pipe), not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_title_wrapped_over_two_lines_is_warned_about() -> None:
    """The title's second line would be read as the preamble, its qualifier with it, and the id made
    of the half title: the comma at the end gives it away."""
    text = (
        "I. Technical Competencies\n1. Instrument Calibration and Maintenance of Spectrophotometers,\n"
        "Turbidimeters and pH Meters (Basic Expertise)\na. Calibrates meters\nII. Non-Technical Competencies\n"
        "1. Communication and\na. Listens\n2. Research and Development\na. Reads\n"
    )
    result = import_text(text, path=Path("wrapped.txt"))
    warned = {p.location.line: p.message for p in result.problems if p.severity == "warning"}
    assert warned[2] == (
        "I.1 'Instrument Calibration and Maintenance of Spectrophotometers,' ends as if it went on: does the "
        "title continue in the next line?"
    )
    hint = next(p.hint for p in result.problems if p.location.line == 2)
    assert "the next line was read as its preamble: 'Turbidimeters and pH Meters (Basic Expertise)'" in hint
    assert "ends as if it went on" in warned[6]  # "1. Communication and"
    assert 8 not in warned  # a title with "and" inside it is whole


def test_a_line_wrapped_before_a_number_is_warned_about() -> None:
    """A lettered item wrapped before a number reads as a competency: the small letter gives it away."""
    text = (
        "I. Technical Competencies\n1. Water Quality\na. Logs chlorine residuals taken at\n"
        "2. sample points per route\nb. Reads meters\nII. Non-Technical Competencies\n1. Communication\n"
        "a. Listens\n"
    )
    result = import_text(text, path=Path("wrapped.txt"))
    assert (4, "warning") in [(p.location.line, p.severity) for p in result.problems]
    assert (
        "I.2 'sample points per route' begins with a small letter: is it the end of the line above, wrapped "
        "before a number?"
    ) in [p.message for p in result.problems]
    assert not [p for p in result.problems if "small letter" in p.message and p.location.line != 4]
