"""Bad inputs give one clear, located error, quickly: never a traceback, never a hang.

Every file of corpus/ is checked twice: through the loader API (`load_model`, under a time limit) and
through the command line (`competency check DIR` in a subprocess, exit status 1 and
`FILE:LINE:COL: error: ...` on stderr).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from competency.sources.loader import load_model
from competency.sources.problems import SourceError
from competency.sources.site import load_site
from competency.sources.yamlfile import MAX_BYTES, MAX_DEPTH

from ..conftest import REPO
from .guard import run_check, time_limit

CORPUS = Path(__file__).with_name("corpus")
EXAMPLE = REPO / "manual" / "examples" / "meter-reader.yaml"
#: Seconds a bad file may take to be refused (most take a few milliseconds).
LIMIT = 5


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    column: int
    #: The start of the message (the hint follows in parentheses).
    message: str
    hint: str = ""


CASES = [
    Case("yaml-syntax.yaml", 3, 7, "invalid YAML: expected ',' or ']', but got ':'", "check the indentation"),
    Case("tab-indentation.yaml", 10, 1, "a tab character is used for indentation", "replace the tab with spaces"),
    Case("duplicate-key.yaml", 3, 1, "duplicate key 'title'", "it is already set on line 2"),
    Case("unknown-key.yaml", 15, 9, "unknown key 'qualifer' in competency", "did you mean 'qualifier'?"),
    Case("wrong-type.yaml", 20, 23, "'Mechanical meters' should be a list", "subitems takes a list here"),
    Case("unknown-kind.yaml", 37, 11, "unknown kind 'fundamental'", "did you mean 'foundational'?"),
    Case(
        "not-a-mapping.yaml",
        1,
        1,
        "'[{'id': 'not-a-mapping'}, {'title': 'A list, not a model'}]' should be a mapping",
        "the file takes a mapping here",
    ),
    Case("empty.yaml", 1, 1, "the file is empty", "write a model or remove the file"),
    Case("comments-only.yaml", 1, 1, "the file is empty", "write a model or remove the file"),
    Case("two-documents.yaml", 79, 1, "a second YAML document (---) is not allowed", "a source file holds one model"),
    Case(
        "not-utf8.yaml",
        2,
        11,
        "byte 0xE9 is not valid UTF-8 (the file looks like Windows-1252 or Latin-1)",
        "re-save the file as UTF-8",
    ),
    Case("nul-character.yaml", 2, 13, "the character U+0000 is not allowed in a YAML file", "printable text only"),
    Case("id-dot-dot.yaml", 45, 17, "'../../driving' is not a valid id", "lowercase letters, digits"),
    Case("id-space.yaml", 45, 17, "'Driving Skills' is not a valid id", "lowercase letters, digits"),
    Case("model-id-dot-dot.yaml", 1, 5, "'../../outside' is not a valid id", "lowercase letters, digits"),
    Case("duplicate-id.yaml", 74, 13, "the id 'driving' is already used on line 45", "must be unique in the model"),
    Case(
        "other.yaml",
        4,
        5,
        "the model id 'meter-reader' differs from the file name 'other.yaml'",
        "rename the file to meter-reader.yaml or change the id",
    ),
    # `ref` can only name an item defined with `id`, so a reference cycle cannot be written: a ref to an
    # item that is itself only referenced, or to the item it sits in, is an unknown or wrong-kind item.
    Case("ref-to-a-ref.yaml", 71, 14, "unknown competency 'leadership'", "define a competency with this id first"),
    Case(
        "ref-to-itself.yaml",
        73,
        18,
        "'safety-awareness' is a competency, not an indicator",
        "refer to an indicator here",
    ),
    Case("deep-nesting.yaml", 2, 48, f"nesting deeper than {MAX_DEPTH} levels", "check the brackets"),
    Case("deep-block-nesting.yaml", 23, 43, f"nesting deeper than {MAX_DEPTH} levels", "check the indentation"),
    Case("billion-laughs.yaml", 4, 8, "YAML aliases (*a) are not allowed", "use `ref:` to reuse an item"),
    Case("merge-key.yaml", 37, 9, "YAML aliases (*base) are not allowed", "use `ref:` to reuse an item"),
    Case("python-tag.yaml", 2, 8, "the YAML tag '!!python/object/apply:os.system' is not allowed", "remove the tag"),
    Case("include-tag.yaml", 2, 8, "the YAML tag '!include' is not allowed", "remove the tag"),
    Case("nul-escape.yaml", 5, 8, "the character U+0000 (NUL) is not allowed in a text", "printable characters"),
    Case("escape-character.yaml", 5, 8, "the character U+001B (ESCAPE) is not allowed in a text", "remove it"),
    Case("line-separator.yaml", 5, 8, "the character U+2028 (LINE SEPARATOR) is not allowed", "as a new line"),
    Case("bidi-override.yaml", 5, 8, "the character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed", "another order"),
    Case("lone-surrogate.yaml", 5, 8, "the text holds a lone surrogate (U+D800)", "write the character itself"),
    Case("huge-number.yaml", 5, 8, "the number 99999999999999999999... (5000 characters) is too large", "quotes"),
    Case(
        "invisible-text.yaml",
        5,
        8,
        "the title of this model is empty: it holds only spaces or invisible characters",
        "write the text",
    ),
    Case(
        "only-expression.yaml",
        17,
        15,
        "the `only:` expression 'millbrook and' is not valid: unexpected token 'end of the expression'",
        "combine tag names with and, or, not",
    ),
]
IDS = [case.file.removesuffix(".yaml") for case in CASES]


def test_every_corpus_file_has_a_case() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(case.file for case in CASES)


def _refused(path: Path) -> SourceError:
    """The error of loading a file, which must come within the time limit."""
    with time_limit(LIMIT), pytest.raises(SourceError) as caught:
        load_model(path)
    return caught.value


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loader_gives_a_located_error(case: Case) -> None:
    error = _refused(CORPUS / case.file)
    problem = error.problems[0]
    assert problem.message.startswith(case.message)
    assert case.hint in problem.hint
    assert (problem.location.line, problem.location.column) == (case.line, case.column)
    assert all(p.location.line >= 1 and p.location.column >= 1 for p in error.problems)


@pytest.fixture(scope="module")
def checked_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], float]:
    """`competency check` run once over a folder holding every corpus file (every problem at once)."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, folder / "src", ignore=shutil.ignore_patterns("*.md"))
    started = time.monotonic()
    result = run_check(Path("src"), cwd=folder)
    return result, time.monotonic() - started


def test_check_command_fails_cleanly_and_quickly(
    checked_corpus: tuple[subprocess.CompletedProcess[str], float],
) -> None:
    result, seconds = checked_corpus
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert seconds < 4 * LIMIT
    names = {case.file for case in CASES}
    for line in result.stderr.splitlines():
        file, _, rest = line.partition(":")
        assert file.removeprefix("src/") in names and re.match(r"\d+:\d+: error: ", rest), line


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_command_gives_a_located_error(
    case: Case, checked_corpus: tuple[subprocess.CompletedProcess[str], float]
) -> None:
    result, _ = checked_corpus
    assert f"src/{case.file}:{case.line}:{case.column}: error: {case.message}" in result.stderr


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.file in ("billion-laughs.yaml", "deep-nesting.yaml", "not-utf8.yaml", "python-tag.yaml")],
    ids=lambda case: case.file,
)
def test_check_command_on_one_bad_file(case: Case, tmp_path: Path) -> None:
    """The same, one file at a time, as a maintainer sees it."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(CORPUS / case.file, source / case.file)
    result = run_check(Path("src"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"src/{case.file}:{case.line}:{case.column}: error: {case.message}")
    assert "Traceback" not in result.stderr


def test_a_copy_with_the_id_of_another_model_is_an_error_beside_it(tmp_path: Path) -> None:
    """Two files cannot both publish the model id meter-reader: the copy is reported, located."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(EXAMPLE, source / "meter-reader.yaml")
    shutil.copy(CORPUS / "other.yaml", source / "other.yaml")
    with pytest.raises(SourceError) as caught:
        load_site(source)
    (problem,) = caught.value.problems
    assert problem.location.path.name == "other.yaml"
    result = run_check(Path("src"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "src/other.yaml:4:5: error: the model id 'meter-reader' differs from the file name 'other.yaml' "
        "(rename the file to meter-reader.yaml or change the id: the id is the folder of every URL)"
    )


def test_a_10_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    big = source / "big.yaml"
    with big.open("w", encoding="utf-8") as stream:
        stream.write("id: big\ntitle: Big\nnote: |-\n")
        line = "  " + "All work and no play makes Jack a dull boy. " * 2 + "\n"
        stream.write(line * (10 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > 10 * 1024 * 1024 > MAX_BYTES
    error = _refused(big)
    (problem,) = error.problems
    assert problem.message == f"the file is 10.0 MB; source files are limited to {MAX_BYTES // 1048576} MB"
    result = run_check(Path("src"), cwd=tmp_path, timeout=LIMIT * 2)
    assert result.returncode == 1
    assert result.stderr.startswith("src/big.yaml:1:1: error: the file is 10.0 MB")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_any_nesting_depth_is_refused_quickly(tmp_path: Path, depth: int) -> None:
    for name, text in [
        ("flow", "id: flow\ntitle: " + "[" * depth + "]" * depth + "\n"),
        ("mapping", "id: mapping\ntitle: " + "{a: " * depth + "}" * depth + "\n"),
        ("block", "id: block\ntitle:\n" + "".join(" " * n + "- \n" for n in range(min(depth, 1000)))),
    ]:
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        error = _refused(path)
        assert error.problems[0].message == f"nesting deeper than {MAX_DEPTH} levels", name


def test_the_supported_depth_is_enough_for_every_model() -> None:
    """The limit leaves room: the real model and the example load."""
    for path in [EXAMPLE, *sorted((REPO / "competency_src").glob("*.yaml"))]:
        with time_limit(LIMIT):
            load_model(path)
