"""The canonical YAML layout of source files, shared by `competency fmt` and `competency import`.

Formatting goes through ruamel.yaml's round-trip mode so that comments, key
order and quoting survive. Before a formatted text is written it is checked
against the original: the plain data must be equal and every comment line
must still be there, otherwise the file is left alone.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

JsonPath = tuple[str | int, ...]

#: Wide enough that no real text is re-wrapped: a long line stays one line.
WIDTH = 4096
#: Lists whose items get a blank line between them (when the items hold lists), as hand-written models have.
SPACED_LISTS = frozenset({"sections", "competencies", "groups"})


def round_trip_yaml() -> YAML:
    """The one ruamel configuration every writer uses."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    return yaml


def dump(data: Any) -> str:
    stream = io.StringIO()
    round_trip_yaml().dump(data, stream)
    return stream.getvalue()


def plain_data(text: str) -> Any:
    """What a YAML text means, without comments or layout (to check that formatting kept it)."""
    return YAML(typ="safe", pure=True).load(text)


def comment_lines(text: str) -> list[str]:
    """The comment lines of a text, without their indentation."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


class FormatError(Exception):
    """Formatting would change the data or drop a comment; the file must be left alone."""


def canonical(text: str) -> str:
    """The text in the canonical layout; raise FormatError if that would change anything but layout."""
    formatted = dump(round_trip_yaml().load(text))
    if plain_data(formatted) != plain_data(text):
        raise FormatError("formatting would change the data")
    lost = _missing(comment_lines(text), comment_lines(formatted))
    if lost:
        raise FormatError(f"formatting would drop the comment '{lost}'")
    return formatted


def _missing(before: Iterable[str], after: Iterable[str]) -> str:
    remaining = list(after)
    for comment in before:
        if comment not in remaining:
            return comment
        remaining.remove(comment)
    return ""


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp makes the file private; keep the mode of the file it replaces.
        Path(temporary).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        Path(temporary).replace(path)  # os.replace: atomic within one folder
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- building a commented document from plain data -------------------------------------------------------


def model_document(
    model: dict[str, Any], *, header: str, comments: Iterable[tuple[JsonPath, str]] = ()
) -> CommentedMap:
    """Plain model data as a block-style document with a header and comments above items."""
    document = _commented(model, key="")
    document.yaml_set_start_comment(header)
    for where, text in comments:
        _comment_before(document, where, text)
    return document


def _commented(value: Any, *, key: str) -> Any:
    if isinstance(value, dict):
        return CommentedMap((k, _commented(v, key=k)) for k, v in value.items())
    if isinstance(value, list):
        items = CommentedSeq(_commented(v, key="") for v in value)
        if key in SPACED_LISTS and _has_lists(value):
            for index in range(1, len(items)):
                items.yaml_set_comment_before_after_key(index, before="\n")
        return items
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)  # paragraphs stay readable as a `|-` block
    return value


def _has_lists(items: list[Any]) -> bool:
    """Items that hold lists are long enough to want a blank line between them."""
    return any(isinstance(v, list) for item in items if isinstance(item, dict) for v in item.values())


def _comment_before(document: CommentedMap, where: JsonPath, text: str) -> None:
    """Put a comment above the list item at `where` (a path alternating keys and indexes)."""
    parent: Any = document
    for step in where[:-1]:
        parent = parent[step]
    # Items of a list met after n keys start at column 4 * (n - 1) + 2 in this layout.
    keys = sum(1 for step in where if isinstance(step, str))
    parent.yaml_set_comment_before_after_key(where[-1], before=text, indent=4 * (keys - 1) + 2)
