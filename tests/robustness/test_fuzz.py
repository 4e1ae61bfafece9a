"""Fuzzing the loader: whatever a file holds, it is accepted or refused with located problems.

Hypothesis writes random text and bytes, random nested data, mutations of the documented example
(deleted, swapped, re-indented and duplicated lines, inserted characters) and model-shaped data with
colliding ids and dangling references. `load_model` and `competency check` must either accept each
file or raise `SourceError` whose problems all name a line >= 1: never any other exception.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from competency.cli import main
from competency.sources.loader import load_model
from competency.sources.problems import SourceError

from ..conftest import REPO
from ..helpers import copy_root
from .guard import time_limit

EXAMPLE = REPO / "manual" / "examples" / "meter-reader.yaml"
EXAMPLE_LINES = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)

#: FUZZ_EXAMPLES=5000 pytest tests/robustness/test_fuzz.py searches harder (a few minutes).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: One example may take this long (a normal file loads in milliseconds).
PER_EXAMPLE = 5

#: Characters with a meaning in YAML, so random text hits the parser's corners.
YAML_CHARS = list(":-?[]{},#&*!|>'\"%@` \n\t\\.~0123456789abcxyzABCéü€\u00a0\u2028\ufeff")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Path(folder)


def accepted_or_located(path: Path) -> None:
    """The property: loading either works or fails with located problems only."""
    try:
        with time_limit(PER_EXAMPLE):
            load_model(path)
    except SourceError as exc:
        assert exc.problems, "a SourceError without problems"
        for problem in exc.problems:
            assert problem.location.line >= 1, str(problem)
            assert problem.location.path == path
            assert problem.message
            assert "\n" not in problem.message + problem.hint and (problem.message + problem.hint).isprintable()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    for old in folder.glob("*.yaml"):
        old.unlink()
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


def checked_by_cli(folder: Path) -> str:
    """`competency check FOLDER`, in process: exit status 0 or 1 and located messages, no exception."""
    stderr = io.StringIO()
    with redirect_stderr(stderr), time_limit(PER_EXAMPLE):
        status = main(["check", str(folder)])
    assert status in (0, 1)
    if status == 1:
        lines = stderr.getvalue().rstrip("\n").split("\n")
        assert all(": error: " in line or ": warning: " in line for line in lines), lines
    return stderr.getvalue()


# -- random text -------------------------------------------------------------------------------------


yaml_text = st.text(alphabet=st.sampled_from(YAML_CHARS) | st.characters(codec="utf-8"), max_size=400)


@FUZZ
@given(text=yaml_text)
def test_random_text(scratch: Path, text: str) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", text))


@FUZZ
@given(
    prefix=st.sampled_from(["", "id: meter-reader\ntitle: ", "id: meter-reader\nsections:\n  - "]),
    data=st.binary(max_size=300),
)
def test_random_bytes(scratch: Path, prefix: str, data: bytes) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", prefix.encode() + data))


# -- random nesting ----------------------------------------------------------------------------------


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
keys = st.sampled_from(
    [
        "id",
        "title",
        "sections",
        "kind",
        "competencies",
        "indicators",
        "ref",
        "text",
        "groups",
        "responsibilities",
        "supported_by",
        "aliases",
        "note",
    ]
) | st.text(max_size=8)
nested = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=30
)


@st.composite
def deep(draw: st.DrawFn) -> Any:
    value = draw(nested)
    for _ in range(draw(st.integers(0, 60))):
        value = [value] if draw(st.booleans()) else {draw(keys): value}
    return value


def dumped(data: Any, flow: bool) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@FUZZ
@given(data=deep(), flow=st.booleans())
def test_random_nesting(scratch: Path, data: Any, flow: bool) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", dumped(data, flow)))


# -- mutations of the documented example -------------------------------------------------------------


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "swap", "indent", "insert", "duplicate", "swap-keys"]))
        if operation == "delete":
            del lines[i]
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "indent":
            change = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            stripped = lines[i].lstrip(" ")
            lines[i] = " " * max(0, len(lines[i]) - len(stripped) + change) + stripped
        elif operation == "insert":
            at = draw(st.integers(0, len(lines[i])))
            character = draw(st.sampled_from(YAML_CHARS))
            lines[i] = lines[i][:at] + character + lines[i][at:]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        else:  # swap the values of two keys: `id: x` <-> `ref: y`, `title:` <-> `text:`
            key, sep, value = lines[i].partition(": ")
            other_key, other_sep, other_value = lines[j].partition(": ")
            if sep and other_sep:
                lines[i], lines[j] = key + sep + other_value, other_key + other_sep + value
    return "".join(lines)


@FUZZ
@given(text=mutated_example())
def test_mutated_example(scratch: Path, text: str) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", text))


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(text=mutated_example())
def test_mutated_example_through_the_check_command(scratch: Path, text: str) -> None:
    write(scratch, "meter-reader.yaml", text)
    checked_by_cli(scratch)


# -- model structures --------------------------------------------------------------------------------


ITEM_IDS = ["meter-reading", "driving", "safety", "reads-meters", "reports-hazards", "../x", "Bad Id", "a--b"]
item_id = st.sampled_from(ITEM_IDS)
text_value = (
    st.sampled_from(["Reads meters", "", " ", "<script>alert(1)</script>", "{eval-rst}`x`", "*a*"])
    | st.integers()
    | st.none()
)


@st.composite
def indicator(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"ref": draw(item_id)}
    entry = {"id": draw(item_id), "text": draw(text_value)}
    if draw(st.booleans()):
        entry["subitems"] = draw(st.lists(text_value, max_size=2))
    return entry


@st.composite
def competency(draw: st.DrawFn) -> dict[str, Any]:
    entry: dict[str, Any] = (
        {"ref": draw(item_id)} if draw(st.booleans()) else {"id": draw(item_id), "title": draw(text_value)}
    )
    if draw(st.booleans()):
        entry["indicators"] = draw(st.lists(indicator(), max_size=3))
    if draw(st.integers(0, 9)) == 0:
        entry[draw(st.sampled_from(["qualifer", "aliases", "only", "id"]))] = draw(text_value)
    return entry


@st.composite
def section(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["technical", "non-technical", "foundational", "responsibilities", "superior-performance", "other"]
        )
    )
    entry: dict[str, Any] = {"id": draw(item_id), "kind": kind, "title": draw(text_value)}
    if kind == "foundational":
        entry["groups"] = [
            {"id": draw(item_id), "title": "Group", "competencies": draw(st.lists(competency(), max_size=3))}
        ]
    elif kind == "responsibilities":
        entry["responsibilities"] = [
            {"id": draw(item_id), "text": draw(text_value), "supported_by": draw(st.lists(item_id, max_size=3))}
        ]
    else:
        entry["competencies"] = draw(st.lists(competency(), max_size=4))
    return entry


@st.composite
def model_data(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(st.sampled_from(["meter-reader", "other", "../meter-reader"])),
        "title": draw(text_value),
        "sections": draw(st.lists(section(), min_size=0, max_size=13)),
    }


@FUZZ
@given(data=model_data())
def test_model_structures(scratch: Path, data: dict[str, Any]) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", dumped(data, flow=False)))


def test_the_generators_reach_valid_models(scratch: Path) -> None:
    """Not only errors: a correct model among the generated shapes loads (the generators are not blind)."""
    data = {
        "id": "meter-reader",
        "title": "Meter Reader",
        "sections": [
            {
                "id": "technical",
                "kind": "technical",
                "title": "Technical",
                "competencies": [
                    {
                        "id": "meter-reading",
                        "title": "Meter Reading",
                        "indicators": [{"id": "reads-meters", "text": "x"}],
                    }
                ],
            }
        ],
    }
    load_model(write(scratch, "meter-reader.yaml", dumped(data, flow=False)))
    assert checked_by_cli(scratch).endswith("no problems found\n")


# -- hostile values in every field, through the loader, the check command and the build --------------


#: Lines of the example holding a text value ("key: value"), any of which a hostile value replaces.
TEXT_LINE = re.compile(r"^(\s*(?:- )?(?:title|text|qualifier|preamble|description|note|source): ).*$")
TEXT_LINES = [i for i, line in enumerate(EXAMPLE_LINES) if TEXT_LINE.match(line)]
#: Characters a hostile text is made of: controls, separators, surrogates, bidi and invisible ones.
HOSTILE_CHARACTERS = st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Cf", "Zs", "Mn"]) | st.sampled_from(
    list("\u202e\u2066\u200b\ufeff\u00ad<>&\"'`*_[]a")
)
ONLY_WORDS = ["a", "b", "and", "or", "not", "(", ")", "true", "if", "else", "1", "<", ".", "x-y", ""]


def quoted(text: str) -> str:
    """A YAML double-quoted string writing every character as an escape (lone surrogates included)."""
    return '"' + "".join(f"\\U{ord(c):08x}" if ord(c) > 0xFFFF else f"\\u{ord(c):04x}" for c in text) + '"'


hostile_value = st.one_of(
    st.integers(19, 6000).map(lambda n: "9" * n),  # integers beyond 64 bits, and beyond Python's 4300 digits
    st.integers(16, 6000).map(lambda n: "0x" + "f" * n),
    st.text(HOSTILE_CHARACTERS, max_size=12).map(quoted),
)
only_expression = st.lists(st.sampled_from(ONLY_WORDS), max_size=8).map(lambda words: quoted(" ".join(words)))


@st.composite
def hostile_example(draw: st.DrawFn) -> str:
    """The example with a hostile value in one of its text fields, or an `only:` expression added."""
    lines = list(EXAMPLE_LINES)
    if draw(st.booleans()):
        i = draw(st.sampled_from(TEXT_LINES))
        lines[i] = TEXT_LINE.sub(lambda m: m.group(1) + draw(hostile_value), lines[i].rstrip("\n")) + "\n"
        # A folded value continues on the lines below: they go with it.
        while i + 1 < len(lines) and lines[i + 1].startswith(" " * (len(lines[i]) - len(lines[i].lstrip()) + 2)):
            del lines[i + 1]
    else:
        i = next(n for n, line in enumerate(lines) if line.strip() == "- id: meter-reading")
        lines.insert(i + 1, f"        only: {draw(only_expression)}\n")
    return "".join(lines)


@FUZZ
@given(text=hostile_example())
def test_hostile_values_are_accepted_or_located(scratch: Path, text: str) -> None:
    accepted_or_located(write(scratch, "meter-reader.yaml", text))
    checked_by_cli(scratch)


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 15, 4))
@given(text=hostile_example())
def test_hostile_values_build_or_stop_with_the_check_commands_errors(scratch: Path, text: str) -> None:
    """The build agrees with `competency check`: the same located errors, or a clean build."""
    folder = scratch / "site"
    shutil.rmtree(folder, ignore_errors=True)
    copy_root("hostile", folder, ignore=shutil.ignore_patterns("hostile.yaml"))
    (folder / "competency_src" / "meter-reader.yaml").unlink()
    (folder / "competency_src" / "meter-reader.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    check = checked_by_cli(folder / "competency_src")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(folder), str(folder / "_build")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
    )
    assert "Traceback" not in build.stderr and "Exception occurred" not in build.stderr, build.stderr
    if check.endswith("no problems found\n"):
        assert build.returncode == 0, build.stderr
    else:
        assert build.returncode == 1, build.stderr
        for line in check.splitlines():
            location, _, message = line.partition(": error: ")
            assert f"{location.rpartition('competency_src/')[2]}: ERROR: {message.split(' (')[0]}" in build.stderr
