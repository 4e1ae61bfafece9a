"""Importing a competency model from its published plain-text shape.

The published models are plain text: roman-numbered section headings,
numbered competencies with lettered behavioural indicators, "Note:"
paragraphs, numbered foundational groups with lettered items, and numbered
responsibilities. `import_text` turns such a text into the plain data of a
YAML model (see competency-model.schema.json) and a list of problems.

It works in passes, one module each: lines.py cleans the text (what PDF
extraction and bad bytes leave) and classifies its lines; drafts.py reads the
lines into drafts that keep the text's own structure and line numbers;
assembly.py gives every item a readable, meaning-derived id (ids.py) and turns
repeated competencies and indicators into references. Nothing is dropped
silently: every non-blank line ends up in the model, or in a problem, or in
`ImportResult.skipped`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources.markup import as_published
from ..sources.model import SECTION_KINDS
from ..sources.problems import Location, Problem
from .assembly import Builder, JsonPath, put
from .drafts import Reader
from .ids import collapse, slugify, title_from_file
from .lines import (
    KIND_TITLES,
    MAX_TEXT_BYTES,
    TITLE_LINE,
    Cleaner,
    SourceLine,
    classify,
    decode,
    split_lines,
    too_large,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    """The model's plain data, what was wrong, what was left out and the comments to write."""

    model: dict[str, Any]
    problems: tuple[Problem, ...] = ()
    #: Lines that are not in the model (each is explained by a problem).
    skipped: tuple[SourceLine, ...] = ()
    #: Comments to write above items: (path of the item in `model`, comment text).
    comments: tuple[tuple[JsonPath, str], ...] = ()
    #: Competency or indicator id -> (line of the text, display code), to say where each came from.
    origins: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def import_text(raw: bytes | str, *, path: Path, model_id: str | None = None, strict: bool = False) -> ImportResult:
    """Read a model's plain text into model data; `path` names the text in problems.

    `strict`: traces of PDF extraction (page numbers, running headers, words cut at line ends)
    are errors instead of being removed with a warning.
    """
    size = len(raw.encode("utf-8", errors="replace") if isinstance(raw, str) else raw)
    if size > MAX_TEXT_BYTES:
        return ImportResult(
            model={"id": model_id or "model", "title": "", "sections": []}, problems=(too_large(path, size),)
        )
    text, problems = decode(raw, path) if isinstance(raw, bytes) else (raw.removeprefix("\ufeff"), [])
    cleaner = Cleaner(path=path, strict=strict, problems=problems)
    raw_lines = cleaner.clean(split_lines(text))
    lines = [classify(n, line) for n, line in enumerate(raw_lines, start=1)]
    reader = Reader(path=path, problems=problems, skipped=cleaner.removed)
    reader.read(lines)
    title, source = _model_title(reader, path)
    builder = Builder(path=path)
    chosen_id = model_id or slugify(title) or "model"
    builder.used_ids.add(chosen_id)
    model: dict[str, Any] = {"id": chosen_id, "title": title}
    put(model, "source", source)
    put(model, "note", reader.note.value())
    model["sections"] = builder.sections(reader.sections)
    _check_sections(reader, model, path)
    model = _words_as_published(model)
    if model_id is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", model_id):
        reader.problems.append(
            Problem(
                location=Location(path=path),
                message=f"the model id '{model_id}' is not lowercase words joined by hyphens",
                hint="e.g. --id water-operator",
            )
        )
    problems_found = sorted([*reader.problems, *builder.problems], key=lambda p: p.location.line)
    return ImportResult(
        model=model,
        problems=tuple(problems_found),
        skipped=tuple(reader.skipped),
        comments=tuple(builder.comments),
        origins=builder.origins,
    )


#: The keys of model data whose values are text, which pages read as inline Markdown (model-format.md).
_TEXT_KEYS = frozenset({"title", "source", "note", "qualifier", "description", "preamble", "text", "subitems"})


def _words_as_published(data: Any, key: str = "") -> Any:
    """The model data with every text written so that its page shows the published words as they are:
    a published `*high*` or `[rev. 3](2024)` is no emphasis or link (markup.as_published)."""
    if isinstance(data, dict):
        return {k: _words_as_published(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_words_as_published(item, key) for item in data]
    return as_published(data) if key in _TEXT_KEYS and isinstance(data, str) else data


def _model_title(reader: Reader, path: Path) -> tuple[str, str | None]:
    """The job title (from '<Series> Competency Model: <Job Title>', else the file name) and source."""
    line = reader.title_line
    match = TITLE_LINE.match(line.content) if line else None
    if line and match and match["title"].strip():
        return collapse(match["title"]), line.content
    if line:
        reader.report(
            line,
            "the title line has an empty job title; the file name gives the title",
            "write the job title after 'Competency Model:'",
        )
        reader.skipped.append(line)
    return title_from_file(path), None


def _check_sections(reader: Reader, model: dict[str, Any], path: Path) -> None:
    kinds = [s["kind"] for s in model["sections"]]
    if not reader.sections:
        reader.problems.append(
            Problem(
                location=Location(path=path, line=1),
                message="no section headings found",
                hint="a model's text has headings such as 'I. Technical Competencies'",
            )
        )
        return
    missing = [kind for kind in SECTION_KINDS if kind not in kinds]
    if missing:
        names = ", ".join(f"'{KIND_TITLES[kind]}'" for kind in missing)
        reader.problems.append(
            Problem(
                location=Location(path=path, line=reader.sections[-1].line.number),
                message=f"the text has no {names} section{'s' if len(missing) > 1 else ''}",
                severity="warning",
                hint="fine if this job's model has none; otherwise add the heading",
            )
        )
