"""`competency import`: plain text -> YAML model, with every line accounted for."""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency.cli import main
from competency.cli.import_model import render
from competency.importer.ids import indicator_slug, near_key, slugify
from competency.importer.text import ImportResult, import_text
from competency.sources.loader import load_model
from competency.sources.model import Model
from competency.sources.yamlformat import canonical
from competency.sphinx_ext.inline import plain_text

REPO = Path(__file__).parents[1]
DATA = REPO / "tests" / "data" / "import"
SHARED_SOURCE = Path(__file__).parents[1].parent / "shared" / "source"
CSR_TEXT = DATA / "customer-service-representative.txt"
CSR_CURATED = REPO / "competency_src" / "customer-service-representative.yaml"


def import_file(path: Path, **options: Any) -> ImportResult:
    return import_text(path.read_bytes(), path=path, **options)


def load_imported(result: ImportResult, folder: Path, source: Path = CSR_TEXT) -> Model:
    """Write the import as `competency import` does and load it as the site build does."""
    target = folder / f"{result.model['id']}.yaml"
    target.write_text(render(result, source), encoding="utf-8")
    return load_model(target)


def collapse(text: str | None) -> str | None:
    return " ".join(text.split()) if text else text


def messages(result: ImportResult, severity: str | None = None) -> list[str]:
    return [p.message for p in result.problems if severity in (None, p.severity)]


# -- what a model says, whatever its ids ---------------------------------------------------------------


def outline(model: Model) -> list[Any]:
    """Every section, placement and text of a model in order, with ids replaced by what they name."""
    return [
        (
            section.code,
            section.kind,
            section.title,
            section.qualifier,
            collapse(section.note),
            [(g.code, g.title) for g in section.groups],
            [placement_outline(model, p) for p in section.placements()],
            [
                (model.responsibilities[r].code, collapse(model.responsibilities[r].text))
                for r in section.responsibilities
            ],
        )
        for section in model.sections
    ]


def placement_outline(model: Model, placement: Any) -> tuple[Any, ...]:
    competency = model.competencies[placement.competency]
    indicators = [
        (p.code, p.is_reference, collapse(model.indicators[p.indicator].text), model.indicators[p.indicator].subitems)
        for p in placement.indicators
    ]
    return (
        placement.code,
        placement.is_reference,
        competency.title,
        competency.qualifier,
        collapse(competency.description),
        collapse(competency.preamble),
        indicators,
    )


def count_reuse(model: Model) -> tuple[int, int]:
    placements = list(model.competency_placements())
    return (sum(p.is_reference for p in placements), sum(i.is_reference for p in placements for i in p.indicators))


# -- nothing lost --------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Text without white space, parentheses and colons: how a line's words survive import."""
    return re.sub(r"[\s():]", "", text)


_MARKER = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-z]{1,4}\.|Note\s*:)\s*")


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def lost_lines(text: str, result: ImportResult) -> list[str]:
    """Non-blank lines whose words are neither in the model nor in a message (or a message about their line)."""
    haystack = _squash("".join([*strings(result.model), *(p.message for p in result.problems)]))
    reported = {p.location.line for p in result.problems} | {line.number for line in result.skipped}
    lost = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        words = _squash(_MARKER.sub("", " ".join(line.split())))
        if words and words not in haystack and number not in reported:
            lost.append(f"{number}: {line}")
    return lost


# -- the Customer Service Representative text ---------------------------------------------------------


def test_in_repo_copy_of_the_csr_text_is_the_shared_source() -> None:
    shared = SHARED_SOURCE / "customer-service-representative.txt"
    if shared.is_file():  # beside the clone in CI and on developer machines
        assert CSR_TEXT.read_bytes() == shared.read_bytes()
    assert CSR_TEXT.read_text(encoding="utf-8").startswith(" Note:  This is a generic competency model")


def test_csr_text_imports_to_the_curated_model(tmp_path: Path) -> None:
    result = import_file(CSR_TEXT)
    assert result.errors == ()
    imported = load_imported(result, tmp_path)
    curated = load_model(CSR_CURATED)
    assert outline(imported) == outline(curated)
    assert imported.id == curated.id == "customer-service-representative"
    assert collapse(imported.note) == collapse(curated.note)


def test_csr_counts_and_reuse(tmp_path: Path) -> None:
    imported = load_imported(import_file(CSR_TEXT), tmp_path)
    curated = load_model(CSR_CURATED)
    for model in (imported, curated):
        assert len(model.competencies) == 18
        assert len(model.indicators) == 47
        assert len(model.responsibilities) == 4
        assert count_reuse(model) == (3, 7)  # III.1.a and V.1, V.2; V.1.a-d and V.2.a-c
    superior = imported.section("superior-performance")
    assert [p.competency for p in superior.competencies[:2]] == ["interpersonal-skills", "customer-focus"]
    assert all(i.is_reference for p in superior.competencies[:2] for i in p.indicators)


def test_csr_numbering_slip_is_corrected_with_a_warning_and_a_comment() -> None:
    result = import_file(CSR_TEXT)
    (warning,) = result.warnings
    assert warning.location.line == 119
    assert "indicator numbered '1.' inside the lettered list of 'Learning Orientation'" in warning.message
    assert "imported as its indicator 'f.'" in warning.message
    text = render(result, CSR_TEXT)
    assert "# Indicator f: the text (line 119) numbers it '1.', a numbering slip;" in text
    comment_at = text.index("# Indicator f:")
    assert text.index("text: Recognizes and addresses own development needs") > comment_at


def test_csr_text_loses_no_line() -> None:
    assert lost_lines(CSR_TEXT.read_text(encoding="utf-8"), import_file(CSR_TEXT)) == []


def test_ids_are_readable_and_stable_across_runs() -> None:
    first, second = import_file(CSR_TEXT), import_file(CSR_TEXT)
    assert first.model == second.model
    assert render(first, CSR_TEXT) == render(second, CSR_TEXT)
    competencies = first.model["sections"][0]["competencies"]
    assert [c["id"] for c in competencies] == [
        "computer-skills",
        "billing-systems-and-procedures",
        "water-treatment-system-distribution-system",
    ]
    assert competencies[0]["indicators"][1]["id"] == "using-site-specific-email-system"


def test_import_output_is_already_formatted() -> None:
    text = render(import_file(CSR_TEXT), CSR_TEXT)
    assert canonical(text) == text
    assert text.startswith("# Imported from customer-service-representative.txt by `competency import`.")
    assert "Ids are permanent" in text


# -- ids ----------------------------------------------------------------------------------------------------


def test_slugs() -> None:
    assert slugify("Water Treatment System / Distribution System") == "water-treatment-system-distribution-system"
    assert slugify("Customer’s Bill") == "customers-bill"
    assert indicator_slug("Conveys to customers, both through content and tone, that he/she understands") == (
        "conveys-customers-both-through-content"
    )
    assert len(slugify("word " * 40)) <= 80


def test_duplicate_ids_get_numbered_suffixes_in_text_order() -> None:
    text = (
        "I. Technical Competencies\n1. Meters\na. Reads meters daily\n"
        "2. Meters!\na. Reads meters, daily\nb. Reads meters daily!\n"
    )
    result = import_text(text, path=Path("x.txt"))
    first, second = result.model["sections"][0]["competencies"]
    assert (first["id"], second["id"]) == ("meters", "meters-2")
    assert [i["id"] for i in second["indicators"]] == ["reads-meters-daily-2", "reads-meters-daily-3"]


def test_near_key_ignores_punctuation_and_quote_style() -> None:
    assert near_key("Shows others’ behavior.") == near_key("shows others' behavior")
    assert near_key("Self-Control") == near_key("Self Control") == near_key("self control")
    assert near_key("Self Control") != near_key("Self Care")


# -- every part of the shape: the small model ------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> ImportResult:
    return import_file(DATA / "small-model.txt")


def section(result: ImportResult, kind: str) -> dict[str, Any]:
    return next(s for s in result.model["sections"] if s["kind"] == kind)


def test_small_model_loads_and_loses_nothing(small: ImportResult, tmp_path: Path) -> None:
    assert small.errors == ()
    model = load_imported(small, tmp_path, DATA / "small-model.txt")
    assert [s.kind for s in model.sections] == [
        "technical",
        "non-technical",
        "foundational",
        "responsibilities",
        "superior-performance",
    ]
    assert [s.id for s in model.sections] == [s.kind for s in model.sections]
    assert lost_lines((DATA / "small-model.txt").read_text(encoding="utf-8"), small) == []


def test_title_line_gives_title_id_and_source(small: ImportResult) -> None:
    assert small.model["title"] == "Meter Reader"
    assert small.model["id"] == "meter-reader"
    assert small.model["source"] == "Water Utility Competency Model: Meter Reader"


def test_without_title_line_the_file_name_gives_title_and_id() -> None:
    result = import_text("I. Technical Competencies\n1. Safety\n", path=Path("water-operator.txt"))
    assert (result.model["id"], result.model["title"]) == ("water-operator", "Water Operator")
    assert import_text("I. Technical Competencies\n", path=Path("a.txt"), model_id="lab-analyst").model["id"] == (
        "lab-analyst"
    )


def test_general_and_section_notes_keep_their_paragraphs(small: ImportResult) -> None:
    assert small.model["note"] == (
        "This small model exercises every part of the plain-text shape. It has a general note of two "
        "paragraphs, the first one wrapped.\n\nReaders should check each part against the imported YAML."
    )
    assert section(small, "non-technical")["note"] == (
        "Non-technical competencies are observed on the job.\n\nThey are the same for every route."
    )
    assert section(small, "responsibilities")["note"] == "Responsibilities guided the choice of competencies."


def test_qualifiers_preamble_wrapped_indicator_and_subitems(small: ImportResult) -> None:
    equipment, safety, geography = section(small, "technical")["competencies"]
    assert (equipment["title"], equipment["qualifier"]) == ("Meter Reading Equipment", "In-Depth Expertise")
    assert equipment["preamble"] == "Applying knowledge and expertise in the following areas:"
    reading, recording, reporting = equipment["indicators"]
    assert reading["text"] == "Reading dials, digital registers and handheld devices accurately, even in poor light"
    assert recording["subitems"] == ["at the start of a route", "at the end of a route"]
    assert reporting["subitems"] == ["Cracked registers", "Missing seals"]
    assert safety == {"id": "safety-around-traffic", "title": "Safety Around Traffic"}  # no indicators
    assert geography["qualifier"] == "Basic knowledge"


def test_foundational_items_refs_qualifiers_and_descriptions(small: ImportResult) -> None:
    technical, non_technical = section(small, "foundational")["groups"]
    assert section(small, "foundational")["qualifier"] == "Mostly expected on entry into the position"
    assert technical["id"] == "technical-foundational"
    assert technical["competencies"] == [
        {"ref": "meter-reading-equipment"},
        {"id": "safe-driving", "title": "Safe Driving", "qualifier": "Basic knowledge"},
    ]
    assert non_technical["competencies"] == [
        {
            "id": "reading",
            "title": "Reading",
            "description": "Ability to understand written material – route sheets and “work orders”",
        }
    ]


def test_wrapped_responsibility_joins_its_first_line(small: ImportResult) -> None:
    texts = [r["text"] for r in section(small, "responsibilities")["responsibilities"]]
    assert texts == [
        "Reads meters on the assigned route and records each reading before the end of the shift",
        "Reports damaged or tampered meters",
    ]


def test_superior_performance_reuses_and_flags_near_duplicates(small: ImportResult) -> None:
    focus, learning = section(small, "superior-performance")["competencies"]
    assert focus["ref"] == "customer-focus"
    assert focus["indicators"][0] == {"ref": "greets-customers-politely"}
    assert [i.get("text") for i in focus["indicators"][1:]] == [
        "Explains why the meter is read!",
        "Remembers regular customers' names",
        "Thanks customers for their patience",
    ]
    assert learning["id"] == "learning-orientation"
    near = [(p.location.line, p.message) for p in small.warnings]
    assert near == [(46, "V.1.b is nearly II.1.b: same indicator?"), (47, "V.1.c is nearly II.1.c: same indicator?")]


def test_repeated_competency_with_other_wording_warns_what_the_reference_leaves_out() -> None:
    text = (
        "I. Technical Competencies\n1. Safety (Basic Expertise)\na. Wears gloves\n"
        "III. Foundational Competencies\n1. Technical Foundational Competencies\n"
        "a. Safety (In-Depth Expertise): Working safely\n"
    )
    result = import_text(text, path=Path("x.txt"))
    assert section(result, "foundational")["groups"][0]["competencies"] == [{"ref": "safety"}]
    (warning,) = [p for p in result.warnings if "repeats" in p.message]
    assert warning.location.line == 6
    assert "qualifier 'In-Depth Expertise'" in warning.message
    assert "description 'Working safely'" in warning.message


# -- real-world text ------------------------------------------------------------------------------------


def test_windows_export_bom_crlf_nbsp_tabs_and_curly_punctuation() -> None:
    raw = (DATA / "windows-export.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\xc2\xa0" in raw and b".\t" in raw
    result = import_text(raw, path=DATA / "windows-export.txt")
    assert result.problems == ()
    assert result.model["title"] == "Meter Reader"
    assert result.model["note"] == "Exported from a word processor – with “curly” quotes."
    competency = section(result, "technical")["competencies"][0]
    assert (competency["title"], competency["qualifier"]) == ("Meter Reading", "Basic Expertise")
    assert [i["text"] for i in competency["indicators"]] == ["Reads the customer’s meter accurately", "Notes damage"]
    plain = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\u00a0", " ").replace("\t", " ")
    assert import_text(plain, path=DATA / "windows-export.txt").model == result.model


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_line_endings_give_the_same_model(ending: str) -> None:
    text = (DATA / "small-model.txt").read_text(encoding="utf-8")
    assert (
        import_text(text.replace("\n", ending), path=Path("small-model.txt")).model
        == import_text(text, path=Path("small-model.txt")).model
    )


def test_blank_lines_anywhere_or_none() -> None:
    raw = (DATA / "windows-export.txt").read_bytes().decode("utf-8-sig")
    lines = raw.split("\r\n")
    spaced = "\n\n\n".join(lines)
    assert (
        import_text(spaced, path=DATA / "windows-export.txt").model
        == import_text(raw, path=DATA / "windows-export.txt").model
    )


def test_a_roman_i_is_a_letter_when_it_comes_in_turn() -> None:
    letters = "abcdefghi"
    text = "I. Technical Competencies\n1. Skills\n" + "".join(f"{x}. Does task {x}\n" for x in letters)
    text += "   i. a sub-item of the ninth\n"
    indicators = import_text(text, path=Path("x.txt")).model["sections"][0]["competencies"][0]["indicators"]
    assert len(indicators) == 9
    assert indicators[8] == {"id": "does-task-i", "text": "Does task i", "subitems": ["a sub-item of the ninth"]}


# -- defects -------------------------------------------------------------------------------------------------

DEFECTS = [
    ("defect-indicator-before-competency.txt", 2, "indicator 'a.' comes before any competency"),
    ("defect-duplicate-number.txt", 4, "duplicate competency number 1 (first used on line 2)"),
    ("defect-duplicate-letter.txt", 4, "duplicate indicator letter 'a' in 'Meter Reading' (first used on line 3)"),
    ("defect-missing-section.txt", 7, "section III is missing: section IV follows section II"),
    (
        "defect-repeated-section.txt",
        7,
        "section 'II. Non-Technical Competencies' repeats section 'II. Non-Technical Competencies' of line 4",
    ),
    (
        "defect-out-of-order-section.txt",
        4,
        "section 'I. Technical Competencies' is out of order: it comes after 'II. Non-Technical Competencies'",
    ),
    ("defect-unknown-section.txt", 4, "unknown section 'Competencies for Supervisors'; its lines are skipped"),
    ("defect-latin1.txt", 3, "byte 0xE9 is not valid UTF-8 (the file looks like Windows-1252 or Latin-1)"),
    ("defect-empty-title.txt", 4, "competency 2 has an empty title; what it lists is skipped"),
    ("defect-lettered-responsibility.txt", 12, "a lettered item 'a.' among the responsibilities"),
    ("defect-stray-line.txt", 5, "this line fits nowhere: 'see the route book for details'"),
]


@pytest.mark.parametrize(("name", "line", "message"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_defect_is_reported_at_its_line(name: str, line: int, message: str) -> None:
    path = DATA / name
    result = import_file(path)
    assert [(p.location.line, p.message) for p in result.errors] == [(line, message)]
    assert all(p.hint for p in result.errors)
    assert lost_lines(path.read_bytes().decode("utf-8", errors="replace"), result) == []


@pytest.mark.parametrize(("name", "line", "message"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_cli_refuses_to_write_a_defective_text(
    name: str, line: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "meter-reader.yaml"
    assert main(["import", str(DATA / name), "-o", str(output)]) == 1
    assert not output.exists()
    stderr = capsys.readouterr().err
    assert f"{name}:{line}:" in stderr and message in stderr and "nothing written" in stderr


def test_latin1_byte_is_located_by_column() -> None:
    (error,) = import_file(DATA / "defect-latin1.txt").errors
    assert (error.location.line, error.location.column) == (3, 27)
    assert "re-save the file as UTF-8" in error.hint


def test_force_writes_what_could_be_read_and_lists_what_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "meter-reader.yaml"
    assert main(["import", str(DATA / "defect-unknown-section.txt"), "-o", str(output), "--force"]) == 0
    stderr = capsys.readouterr().err
    for number, content in ((4, "VI. Competencies for Supervisors"), (5, "1. Delegation"), (6, "a. Delegates work")):
        assert f"defect-unknown-section.txt:{number}: skipped: {content}" in stderr
    model = load_model(output)
    assert "delegation" not in model.competencies
    assert len(model.sections) == 5


def test_warnings_print_but_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "customer-service-representative.yaml"
    assert main(["import", str(CSR_TEXT), "-o", str(output)]) == 0
    assert "customer-service-representative.txt:119: warning:" in capsys.readouterr().err
    assert load_model(output).id == "customer-service-representative"


def test_cli_default_output_is_the_id_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(DATA / "small-model.txt")]) == 0
    assert load_model(tmp_path / "meter-reader.yaml").title == "Meter Reader"
    assert main(["import", str(DATA / "small-model.txt")]) == 1  # will not overwrite without --force
    assert main(["import", str(DATA / "small-model.txt"), "--id", "reader"]) == 0
    assert load_model(tmp_path / "reader.yaml").id == "reader"


def test_cli_rejects_an_id_that_differs_from_the_output_name(tmp_path: Path) -> None:
    assert main(["import", str(CSR_TEXT), "-o", str(tmp_path / "a.yaml"), "--id", "b"]) == 2
    assert not (tmp_path / "a.yaml").exists()


# -- generated documents ----------------------------------------------------------------------------------

WORDS = (
    "water",
    "meter",
    "pump",
    "valve",
    "customer",
    "billing",
    "safety",
    "route",
    "crew",
    "report",
    "pressure",
    "main",
    "hydrant",
    "sample",
    "record",
    "checks",
    "explains",
    "uses",
    "keeps",
    "plans",
)
QUALIFIERS = ("Basic Expertise", "In-Depth Expertise", "Basic knowledge")


@st.composite
def phrase(draw: st.DrawFn, min_size: int = 1, max_size: int = 10) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=min_size, max_size=max_size))
    return " ".join(words).capitalize()


@st.composite
def wrapped(draw: st.DrawFn, text: str) -> list[str]:
    """A text as one line or wrapped onto several (continuation lines start with a word)."""
    words = text.split()
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(words) - 1)), max_size=2))) if len(words) > 1 else []
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds) if words[a:b]]


@st.composite
def competency_block(draw: st.DrawFn, number: int, titles: list[str]) -> list[str]:
    title = draw(st.sampled_from(titles)) if titles and draw(st.booleans()) else draw(phrase(max_size=3))
    titles.append(title)
    qualifier = draw(st.sampled_from(("", *QUALIFIERS)))
    separator = draw(st.sampled_from((" ", "\t")))  # tabs after markers are common in exports
    lines = [f"{number}.{separator}{title}" + (f" ({qualifier})" if qualifier else "")]
    if draw(st.booleans()):
        lines += draw(wrapped(draw(phrase(min_size=3)) + ":"))
    for n in range(draw(st.integers(0, 4))):
        lines += draw(indicator_lines("abcd"[n]))
    return lines


@st.composite
def indicator_lines(draw: st.DrawFn, letter: str) -> list[str]:
    first, *rest = draw(wrapped(draw(phrase(min_size=2))))
    lines = [f"{letter}. {first}", *rest]
    style = draw(st.sampled_from(("none", "roman", "number")))
    for n in range(draw(st.integers(1, 2)) if style != "none" else 0):
        sub = draw(phrase())
        lines.append(f"   {('i', 'ii')[n]}. {sub}" if style == "roman" else f"{n + 1}.{sub}")
    return lines


@st.composite
def document(draw: st.DrawFn) -> str:
    titles: list[str] = []
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"Water Utility Competency Model: {draw(phrase(max_size=3))}")
    if draw(st.booleans()):
        lines += ["Note: " + draw(phrase(min_size=3)), "", draw(phrase(min_size=3))]
    for numeral, title in (("I", "Technical Competencies"), ("II", "Non-Technical Competencies")):
        lines.append(f"{numeral}. {title}")
        for n in range(1, draw(st.integers(1, 3)) + 1):
            lines += draw(competency_block(n, titles))
    lines += [
        "III. Foundational Competencies (Mostly expected on entry into the position)",
        "1. Technical Foundational Competencies",
        f"a. {draw(phrase(max_size=3))}",
        f"b. {draw(phrase(max_size=3))}: {draw(phrase(min_size=2))}",
        "IV. Most Important Responsibilities",
    ]
    for n in range(1, draw(st.integers(1, 3)) + 1):
        first, *rest = draw(wrapped(draw(phrase(min_size=2))))
        lines += [f"{n}. {first}", *rest]
    lines += ["V. Competencies for Superior Performance", "Note: " + draw(phrase(min_size=3))]
    for n in range(1, draw(st.integers(1, 3)) + 1):
        lines += draw(competency_block(n, titles))
    return draw(layout(lines))


@st.composite
def layout(draw: st.DrawFn, lines: list[str]) -> str:
    """The lines with blank lines where they cannot join two paragraphs, and some line ending."""
    spaced: list[str] = []
    for line in lines:
        continuation = line[:1].islower() and not re.match(r"^[a-z]{1,4}\.", line)
        if spaced and not continuation and draw(st.booleans()):
            spaced.append("")
        spaced.append(line)
    ending = draw(st.sampled_from(("\n", "\r\n")))
    return draw(st.sampled_from(("", "\ufeff"))) + ending.join(spaced) + ending


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_generated_documents_import_without_losing_a_line(text: str) -> None:
    result = import_text(text, path=Path("generated.txt"))
    assert result.errors == ()
    assert lost_lines(text, result) == []
    with tempfile.TemporaryDirectory() as folder:
        model = load_imported(result, Path(folder), Path("generated.txt"))
    assert model.sections[-1].kind == "superior-performance"
    assert import_text(text, path=Path("generated.txt")).model == result.model


MARKUP_WORDS = (
    "Checks the zones marked *high* on the pressure map",
    "Follows SOP [rev. 3](2024) for hydrant flushing",
    "Flags **urgent** `CIS` orders and _late fees_ &amp; credits",
    "Keeps form_id, *69 and <b> as typed",
)


def test_published_markup_characters_are_shown_as_they_are(tmp_path: Path) -> None:
    """Model text is inline Markdown: published words that would read as markup are escaped."""
    indicators = "\n".join(f"{letter}. {words}" for letter, words in zip("abcd", MARKUP_WORDS, strict=True))
    text = (
        "Water Utility Competency Model: Markup Clerk\nI. Technical Competencies\n1. Billing *Systems*\n"
        f"{indicators}\nII. Non-Technical Competencies\n1. Communication\na. Listens\n"
        "III. Foundational Competencies\n1. Technical Foundational Competencies\na. Reading\n"
        "IV. Most Important Responsibilities\n1. Handles *priority* accounts\n"
        "V. Competencies for Superior Performance\n1. Communication\na. Listens\n"
    )
    result = import_text(text, path=Path("markup.txt"))
    assert result.errors == ()
    model = load_imported(result, tmp_path, Path("markup.txt"))  # it loads: no link to check
    shown = [plain_text(model.indicators[i].text) for i in model.competencies["billing-systems"].indicators]
    assert shown == list(MARKUP_WORDS)
    assert plain_text(model.competencies["billing-systems"].title) == "Billing *Systems*"
    assert [plain_text(r.text) for r in model.responsibilities.values()] == ["Handles *priority* accounts"]
    written = render(result, Path("markup.txt"))
    assert "Keeps form_id, *69 and <b> as typed" in written  # words Markdown shows as they are stay as typed
    assert r"Follows SOP \[rev. 3\](2024)" in written
