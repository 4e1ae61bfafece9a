"""Pass 1 of an import: classified lines into drafts that keep the text's own structure and line numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources.loader import ROMAN, letter
from ..sources.model import SECTION_KINDS
from ..sources.problems import Location, Problem, did_you_mean
from .ids import collapse, title_key
from .lines import KIND_TITLES, SECTION_TITLES, TITLE_LINE, SourceLine, quote, split_qualifier

#: Kinds whose sections list numbered competencies with lettered indicators.
COMPETENCY_KINDS = frozenset({"technical", "non-technical", "superior-performance"})


ROMAN_VALUES = {numeral: n for n, numeral in enumerate(ROMAN, start=1)}


DESCRIPTION = re.compile(r"^(?P<title>[^:]+?)\s*:\s+(?P<description>.+)$")


@dataclass(slots=True)
class _Paragraphs:
    """A note or preamble: paragraphs, each joined from its lines."""

    paragraphs: list[str] = field(default_factory=list)

    def add(self, text: str, *, new_paragraph: bool) -> None:
        if new_paragraph or not self.paragraphs:
            self.paragraphs.append(text)
        else:
            self.paragraphs[-1] = collapse(f"{self.paragraphs[-1]} {text}")

    def value(self) -> str | None:
        kept = [p for p in self.paragraphs if p]
        return "\n\n".join(kept) or None


@dataclass(slots=True)
class Item:
    """An indicator, foundational item, responsibility or sub-item; wrapped lines join it."""

    line: SourceLine
    parts: list[str]
    subitems: list[Item] = field(default_factory=list)
    #: The marker the text gave it when it was renumbered ("1"), else "".
    corrected_from: str = ""

    @property
    def text(self) -> str:
        return collapse(" ".join(self.parts))


@dataclass(slots=True)
class Heading:
    """A numbered competency or foundational group, with what the text lists under it."""

    line: SourceLine
    title: str
    preamble: _Paragraphs = field(default_factory=_Paragraphs)
    items: list[Item] = field(default_factory=list)
    #: Letter -> line of the item that used it (to report a repeated letter).
    letters: dict[str, int] = field(default_factory=dict)
    #: True when the heading could not be read: what it lists is skipped too.
    skipped: bool = False


@dataclass(slots=True)
class Section:
    line: SourceLine
    #: One of SECTION_KINDS, or None for a section that is not recognised (its lines are skipped).
    kind: str | None
    title: str = ""
    qualifier: str | None = None
    note: _Paragraphs = field(default_factory=_Paragraphs)
    headings: list[Heading] = field(default_factory=list)
    responsibilities: list[Item] = field(default_factory=list)
    #: Number -> line of the competency, group or responsibility that used it.
    numbers: dict[int, int] = field(default_factory=dict)


#: The target of a line with no marker that belongs to a skipped item.
_SKIP = object()


@dataclass(slots=True)
class Reader:
    """Pass 1: reads classified lines into drafts, reporting what does not fit."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SourceLine] = field(default_factory=list)
    title_line: SourceLine | None = None
    note: _Paragraphs = field(default_factory=_Paragraphs)
    sections: list[Section] = field(default_factory=list)
    #: What a line without a marker continues: paragraphs, an item, _SKIP or None.
    open: Any = None
    after_blank: bool = False
    seen_content: bool = False
    #: Every line, to look ahead (line n is lines[n - 1]).
    lines: list[SourceLine] = field(default_factory=list)

    def read(self, lines: list[SourceLine]) -> None:
        self.open = self.note
        self.lines = lines
        for line in lines:
            if line.kind == "removed":
                continue  # reported when it was removed; it neither joins nor separates
            if line.kind == "blank":
                self.after_blank = True
                continue
            self.dispatch(line)
            self.after_blank = False
            self.seen_content = True

    def dispatch(self, line: SourceLine) -> None:
        if not self.seen_content and line.kind == "text" and TITLE_LINE.match(line.content):
            self.title_line = line
            return
        handlers: dict[str, Callable[[SourceLine], None]] = {
            "section": self.on_section,
            "note": self.on_note,
            "text": self.on_text,
            "unknown-marker": self.on_unknown_marker,
            "no-words": self.on_no_words,
        }
        handler = handlers.get(line.kind)
        if handler:
            handler(line)
        elif not self.sections:
            self.nowhere(
                line,
                "numbered and lettered lines belong in a section: "
                "put a heading such as 'I. Technical Competencies' above them",
            )
        elif self.sections[-1].kind is None:
            self.skipped.append(line)
        else:
            self.on_marked(line, self.sections[-1])

    # -- problems ----------------------------------------------------------------------------------

    def report(self, line: SourceLine, message: str, hint: str = "", severity: str = "error") -> None:
        self.problems.append(
            Problem(location=Location(path=self.path, line=line.number), message=message, hint=hint, severity=severity)
        )

    def skip(self, line: SourceLine, message: str, hint: str = "") -> None:
        """Report a line that cannot be imported, and what continues it is skipped with it."""
        self.report(line, message, hint)
        self.skipped.append(line)
        self.open = _SKIP

    def nowhere(self, line: SourceLine, hint: str) -> None:
        self.skip(line, f"this line fits nowhere: '{quote(line.content)}'", hint)

    def on_unknown_marker(self, line: SourceLine) -> None:
        self.skip(
            line,
            f"unknown list marker '{line.marker}': '{quote(line.content)}'",
            "the text marks competencies 1., 2., indicators a., b. and sub-items i., ii.: "
            "renumber the line, or join it to the line above",
        )

    def on_no_words(self, line: SourceLine) -> None:
        self.skip(line, f"a line without words: '{quote(line.content)}'", "remove it, or write what it stands for")

    # -- sections and notes ----------------------------------------------------------------------------

    def on_section(self, line: SourceLine) -> None:
        if line.marker and line.marker not in ROMAN_VALUES:
            self.skip(
                line,
                f"unknown section numeral '{line.marker}.'; its lines are skipped",
                f"sections are numbered {ROMAN[0]}. to {ROMAN[-1]}.: correct the numeral",
            )
            self.sections.append(Section(line=line, kind=None))
            return
        title, qualifier = split_qualifier(line.text, any_words=True)
        kind = SECTION_TITLES.get(title_key(title))
        section = Section(line=line, kind=kind, title=title, qualifier=qualifier)
        if not title:
            self.skip(
                line,
                f"section {line.marker} has an empty title",
                "write the section's title after the numeral, e.g. 'II. Non-Technical Competencies'",
            )
        elif kind is None:
            known = list(KIND_TITLES.values())
            self.skip(
                line,
                f"unknown section '{title}'; its lines are skipped",
                did_you_mean(title, known) or f"the sections are: {', '.join(known)}",
            )
        else:
            self.check_order(section)
            self.open = section.note
        if not title:
            section.kind = None
        self.sections.append(section)

    def check_order(self, section: Section) -> None:
        """Report a repeated, out-of-order or missing section (one problem per heading)."""
        known = [s for s in self.sections if s.kind]
        line, numeral = section.line, section.line.marker
        same_kind = next((s for s in known if s.kind == section.kind), None)
        same_numeral = next((s for s in known if numeral and s.line.marker == numeral), None)
        numbered = [ROMAN_VALUES[s.line.marker] for s in known if s.line.marker in ROMAN_VALUES]
        value = ROMAN_VALUES.get(numeral, 0)
        last_kind = known[-1].kind if known else None
        if same_kind or same_numeral:
            first = same_kind or same_numeral
            self.report(
                line,
                f"section '{_heading(section)}' repeats section '{_heading(first)}' of line {first.line.number}",
                "merge the two sections, or correct the numeral and title",
            )
        elif last_kind and SECTION_KINDS.index(section.kind) < SECTION_KINDS.index(last_kind):
            self.report(
                line,
                f"section '{_heading(section)}' is out of order: it comes after '{_heading(known[-1])}'",
                "sections go: " + ", ".join(SECTION_KINDS),
            )
        elif value and numbered and value != max(numbered) + 1:
            missing = ", ".join(ROMAN[n - 1] for n in range(max(numbered) + 1, value)) or "?"
            self.report(
                line,
                f"section {missing} is missing: section {numeral} follows section {ROMAN[max(numbered) - 1]}",
                "add the missing section or correct the numerals",
            )

    def on_note(self, line: SourceLine) -> None:
        section = self.sections[-1] if self.sections else None
        if section and section.kind is None:
            self.skipped.append(line)
            return
        target = section.note if section else self.note
        target.add(line.text, new_paragraph=True)
        self.open = target

    def on_text(self, line: SourceLine) -> None:
        target = self.open
        if target is _SKIP:
            self.skipped.append(line)
        elif isinstance(target, _Paragraphs):
            target.add(line.text, new_paragraph=self.after_blank)
        elif isinstance(target, Item) and not self.after_blank:
            target.parts.append(line.text)
        else:
            self.nowhere(
                line,
                "to continue the item above, remove the blank line before this one; "
                "to add a note, start the paragraph with 'Note:'",
            )

    # -- numbered and lettered lines ------------------------------------------------------------------

    def on_marked(self, line: SourceLine, section: Section) -> None:
        if section.kind == "responsibilities":
            self.on_responsibility_line(line, section)
        elif line.kind in ("number-sub", "roman-sub") and self.current_indicator(section):
            self.add_subitem(line, section)
        elif line.kind in ("numbered", "number-sub"):
            self.on_number(line, section)
        elif line.kind == "lettered" and self.is_subitem(line, section):
            self.add_subitem(line, section)
        elif line.kind == "lettered":
            self.add_item(line, section, letter_marker=line.marker)
        else:
            self.nowhere(line, "a sub-item (i., ii., ...) must follow an indicator")

    def current_indicator(self, section: Section) -> Item | None:
        heading = section.headings[-1] if section.headings else None
        if section.kind not in COMPETENCY_KINDS or not heading or heading.skipped or not heading.items:
            return None
        return heading.items[-1]

    def is_subitem(self, line: SourceLine, section: Section) -> bool:
        """An 'i.', 'v.' or 'x.' is a roman sub-item when indented or when it is not the next letter."""
        if line.marker not in "ivx" or not self.current_indicator(section):
            return False
        return line.indent > 0 or line.marker != letter(len(section.headings[-1].items))

    def add_subitem(self, line: SourceLine, section: Section) -> None:
        indicator = self.current_indicator(section)
        assert indicator is not None  # callers check
        subitem = Item(line=line, parts=[line.text])
        indicator.subitems.append(subitem)
        self.open = subitem

    def on_number(self, line: SourceLine, section: Section) -> None:
        number = int(line.marker)
        heading = section.headings[-1] if section.headings else None
        in_lettered_list = section.kind in COMPETENCY_KINDS and heading and heading.items and not heading.skipped
        if in_lettered_list and number in section.numbers and not self.starts_list(line):
            self.add_misnumbered(line, section)
            return
        self.check_number(line, section, "competency" if section.kind in COMPETENCY_KINDS else "group")
        new = Heading(line=line, title=line.text, skipped=not line.text)
        section.headings.append(new)
        if new.skipped:
            self.skip(
                line,
                f"{_what(section)} {number} has an empty title; what it lists is skipped",
                "write the title after the number",
            )
        else:
            self.open = new.preamble if section.kind in COMPETENCY_KINDS else None

    def starts_list(self, line: SourceLine) -> bool:
        """Whether a numbered line heads a list of its own (the next line with words is 'a.' or a preamble)."""
        following = next((n for n in self.lines[line.number :] if n.kind != "blank"), None)
        return following is not None and (following.kind == "text" or following.marker == "a")

    def add_misnumbered(self, line: SourceLine, section: Section) -> None:
        heading = section.headings[-1]
        expected = letter(len(heading.items))
        self.report(
            line,
            f"indicator numbered '{line.marker}.' inside the lettered list of "
            f"'{heading.title}'; imported as its indicator '{expected}.'",
            "if it starts a new competency, renumber it in the text and import again",
            "warning",
        )
        self.add_item(line, section, letter_marker=expected, corrected_from=line.marker)

    def check_number(self, line: SourceLine, section: Section, what: str) -> None:
        number = int(line.marker)
        if number in section.numbers:
            self.report(
                line,
                f"duplicate {what} number {number} (first used on line {section.numbers[number]})",
                "renumber the items of this section 1, 2, 3, ...",
            )
            return
        last = max(section.numbers, default=0)
        if number != last + 1:
            self.report(line, f"{what} {number} follows {what} {last}", "is one missing?", "warning")
        section.numbers[number] = line.number

    def add_item(self, line: SourceLine, section: Section, *, letter_marker: str, corrected_from: str = "") -> None:
        heading = section.headings[-1] if section.headings else None
        what = "indicator" if section.kind in COMPETENCY_KINDS else "lettered item"
        if heading is None:
            self.skip(
                line,
                f"{what} '{line.marker}.' comes before any {_what(section)}",
                f"put a numbered {_what(section)} heading above it",
            )
        elif heading.skipped:
            self.skipped.append(line)
            self.open = _SKIP
        elif not line.text:
            self.skip(line, f"{what} '{line.marker}.' is empty", "write its text after the letter, or remove it")
        else:
            self.check_letter(line, heading, letter_marker, what)
            item = Item(line=line, parts=[line.text], corrected_from=corrected_from)
            heading.items.append(item)
            self.open = item

    def check_letter(self, line: SourceLine, heading: Heading, marker: str, what: str) -> None:
        if marker in heading.letters:
            self.report(
                line,
                f"duplicate {what} letter '{marker}' in '{heading.title}' "
                f"(first used on line {heading.letters[marker]})",
                "reletter the list a, b, c, ...",
            )
            return
        expected = letter(len(heading.items))
        if marker != expected:
            self.report(
                line,
                f"{what} '{marker}.' of '{heading.title}' comes where '{expected}.' was expected",
                "is one missing?",
                "warning",
            )
        heading.letters[marker] = line.number

    def on_responsibility_line(self, line: SourceLine, section: Section) -> None:
        if line.kind not in ("numbered", "number-sub"):
            self.skip(
                line,
                f"a lettered item '{line.marker}.' among the responsibilities",
                "responsibilities are numbered 1., 2., ...: number it, or join it to the one above",
            )
        elif not line.text:
            self.skip(line, f"responsibility {line.marker} is empty", "write its text after the number")
        else:
            self.check_number(line, section, "responsibility")
            item = Item(line=line, parts=[line.text])
            section.responsibilities.append(item)
            self.open = item


def _what(section: Section) -> str:
    return "competency" if section.kind in COMPETENCY_KINDS else "group"


def _heading(section: Section) -> str:
    return f"{section.line.marker}. {section.title}" if section.line.marker else section.title
