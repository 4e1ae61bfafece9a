"""Located problems in competency sources, and how they are reported.

Every mistake a maintainer can make in a source file becomes one `Problem`
naming the file, line and column, what is wrong and what to do about it.
Loading collects all problems of a file before giving up, so one run shows
every mistake at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A place in a source file (1-based line and column, as editors show them)."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong in a source file."""

    location: Location
    #: What is wrong, in one sentence.
    message: str
    #: What to do about it; empty when the message says it all.
    hint: str = ""
    #: Warnings are reported but do not stop the build.
    severity: str = "error"

    def __post_init__(self) -> None:
        # Text quoted from a source may hold invisible characters (U+2028, a tab, a NUL): show them
        # escaped, so that every problem stays one readable line.
        for name in ("message", "hint"):
            object.__setattr__(self, name, visible(getattr(self, name)))

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class SourceError(Exception):
    """Raised when sources have errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def visible(text: str) -> str:
    """Text with characters that do not print (control characters, line separators) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it.

    The entry itself is not resolved: a symbolic link is named as it is, not as its target.
    """
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
