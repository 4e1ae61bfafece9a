"""`competency fmt` changes layout only: no text value is ever changed, whatever characters it holds.

Hypothesis writes models whose texts hold quotes, colons, hashes, brackets, unicode, leading and
trailing spaces and line breaks, in every quoting style a maintainer may use (plain, single, double,
literal and folded blocks), runs `competency fmt` on them and reads the values back.
"""

from __future__ import annotations

import io
import json
import os
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
from competency.sources.yamlfile import read_yaml

from .guard import time_limit

#: FUZZ_EXAMPLES=5000 searches harder, as in test_fuzz.py.
FMT = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TRICKY = [
    *"'\":#-?{}[],&*!|>%@` \t\n\\",
    "  ",
    ": ",
    " #",
    "- ",
    "é",
    "ß",
    "€",
    "中",
    "🙂",
    "\u00a0",
    "\u200b",
    "yes",
    "no",
    "null",
    "~",
    "1e3",
    "0x1F",
    "2024-01-01",
]
texts = (
    st.lists(
        st.sampled_from(TRICKY)
        | st.text(
            # the characters no text may hold: controls, surrogates, separators, bidi overrides (yamlfile.py)
            st.characters(
                codec="utf-8",
                exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                exclude_characters="\u202a\u202b\u202c\u202d\u202e",
            ),
            max_size=5,
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda text: bool(text.strip()))
)
STYLES = ["dumped", "double", "single", "literal", "folded", "plain"]


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fmt-") as folder:
        yield Path(folder)


def scalar(text: str, style: str, indent: int) -> str:
    """The text written in one YAML style, falling back to double quotes where the style cannot hold it."""
    pad = " " * indent
    if style == "single" and "\n" not in text and text.strip() == text:
        return "'" + text.replace("'", "''") + "'"
    block = text.strip(" ") == text and "\t" not in text and "\n\n" not in text and "\n " not in text
    if block and text.strip("\n") == text and (style == "literal" or (style == "folded" and "\n" not in text)):
        lines = text.split("\n")
        return ("|-" if style == "literal" else ">-") + "".join(f"\n{pad}{line}" for line in lines)
    if style == "plain" and _plain_ok(text):
        return text
    if style == "dumped":
        stream = io.StringIO()
        yaml = YAML(typ="safe", pure=True)
        yaml.width = 4096
        yaml.default_flow_style = False
        yaml.dump({"k": text}, stream)
        dumped = stream.getvalue().removeprefix("k: ").rstrip("\n")
        if "\n" not in dumped:
            return dumped
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


def _plain_ok(text: str) -> bool:
    """Safe as a plain scalar: it reads back as the same string."""
    if not text or "\n" in text or text != text.strip():
        return False
    try:
        return YAML(typ="safe", pure=True).load(f"k: {text}\n") == {"k": text}
    except Exception:  # any parse error means: not plain
        return False


@st.composite
def model_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    values = [draw(texts) for _ in range(6)]
    style = lambda: draw(st.sampled_from(STYLES))  # noqa: E731
    title, note, section, competency, text, subitem = values
    source = f"""# A model
id: meter-reader
title: {scalar(title, style(), 2)}
note: {scalar(note, style(), 2)}
sections:
- id: technical   # a comment
  kind: technical
  title: {scalar(section, style(), 4)}
  competencies:
      - id: meter-reading
        title: {scalar(competency, style(), 10)}
        indicators:
        -   id: reads-meters
            text: {scalar(text, style(), 14)}
            subitems:
              - {scalar(subitem, style(), 16)}
"""
    return source, values


def values_of(path: Path) -> list[Any]:
    data = read_yaml(path).data
    section = data["sections"][0]
    competency = section["competencies"][0]
    indicator = competency["indicators"][0]
    return [
        data["title"],
        data["note"],
        section["title"],
        competency["title"],
        indicator["text"],
        indicator["subitems"][0],
    ]


@FMT
@given(document=model_text())
def test_fmt_never_changes_a_text_value(scratch: Path, document: tuple[str, list[str]]) -> None:
    source, values = document
    path = scratch / "meter-reader.yaml"
    path.write_text(source, encoding="utf-8")
    assert values_of(path) == values  # the generator wrote what it meant
    stderr = io.StringIO()
    with redirect_stderr(stderr), time_limit(10):
        status = main(["fmt", str(path)])
    assert values_of(path) == values, stderr.getvalue()
    assert status == 0, f"fmt refused a valid file: {stderr.getvalue()}"
    formatted = path.read_text(encoding="utf-8")
    assert "# a comment" in formatted
    with redirect_stderr(io.StringIO()):
        assert main(["fmt", "--check", str(path)]) == 0  # formatting is stable
