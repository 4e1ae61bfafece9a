"""Importing a competency model from its published plain-text shape.

The published models are plain text: roman-numbered section headings,
numbered competencies with lettered behavioural indicators, "Note:"
paragraphs, numbered foundational groups with lettered items, and numbered
responsibilities. `import_text` turns such a text into the plain data of a
YAML model (see competency-model.schema.json) and a list of problems.

It works in two passes. The first reads the lines into drafts that keep the
text's own structure and line numbers; the second gives every item a
readable, meaning-derived id and turns repeated competencies and indicators
into references. Nothing is dropped silently: every non-blank line ends up
in the model, or in a problem, or in `ImportResult.skipped`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources.loader import ROMAN, letter
from ..sources.model import SECTION_KINDS
from ..sources.problems import Location, Problem, did_you_mean

JsonPath = tuple[str | int, ...]

#: Each kind's title as the published texts write it (for messages).
KIND_TITLES = {
    "technical": "Technical Competencies",
    "non-technical": "Non-Technical Competencies",
    "foundational": "Foundational Competencies",
    "responsibilities": "Most Important Responsibilities",
    "superior-performance": "Competencies for Superior Performance",
}
SECTION_TITLES = {title.lower(): kind for kind, title in KIND_TITLES.items()}
#: Kinds whose sections list numbered competencies with lettered indicators.
COMPETENCY_KINDS = frozenset({"technical", "non-technical", "superior-performance"})
ROMAN_VALUES = {numeral: n for n, numeral in enumerate(ROMAN, start=1)}

#: Words left out of indicator ids, so that ids carry the meaning-bearing words.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "by",
        "with",
        "from",
        "as",
        "into",
        "its",
        "it",
        "is",
        "are",
        "be",
        "that",
        "this",
        "these",
        "those",
        "their",
        "his",
        "her",
        "he",
        "she",
        "they",
        "them",
        "he-she",
        "his-her",
        "s",
    }
)
ID_WORDS = 5
MAX_ID = 80

_TITLE_LINE = re.compile(r"^(?P<series>.*?)\bCompetency Model\s*:\s*(?P<title>.*)$", re.IGNORECASE)
_NOTE = re.compile(r"^Note\s*:\s*(?P<text>.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^(?P<marker>[IVX]+)\.(?:\s+(?P<text>.*))?$")
_NUMBER_SUB = re.compile(r"^(?P<marker>\d+)\.(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^(?P<marker>\d+)\.(?:\s+(?P<text>.*))?$")
#: Roman sub-item markers of two letters or more; "i.", "v." and "x." are read as letters first.
_ROMAN_SUB = re.compile(r"^(?P<marker>ii|iii|iv|vi|vii|viii|ix|xi|xii)\.(?:\s+(?P<text>.*))?$")
_LETTERED = re.compile(r"^(?P<marker>[a-z])\.(?:\s+(?P<text>.*))?$")
_TRAILING_PARENS = re.compile(r"^(?P<title>.*?)\s*\((?P<qualifier>[^()]*)\)$")
#: A parenthesis after a competency title is a qualifier only when it says a level, so
#: that titles such as "Supervisory Control and Data Acquisition (SCADA)" stay whole.
_QUALIFIER_WORDS = re.compile(
    r"\b(expertise|knowledge|expected|proficien\w*|awareness|familiarity|level)\b", re.IGNORECASE
)
_DESCRIPTION = re.compile(r"^(?P<title>[^:]+?)\s*:\s+(?P<description>.+)$")
#: List markers the published shape does not use: bullets, "(a)", "a)", "1)", "- ".
_UNKNOWN_MARKER = re.compile(
    r"^(?P<marker>[\u2022\u2023\u2043\u2219\u25aa\u25cf\u25e6\u00b7*+\u2013\u2014-]"
    r"|\((?:[A-Za-z]{1,2}|\d{1,3}|[ivxIVX]{1,5})\)|(?:[A-Za-z]{1,2}|\d{1,3}|[ivx]{1,5})\))(?:\s+|$)(?P<text>.*)$"
)
#: Page numbers that PDF extraction leaves between pages: "Page 3 of 7", "Page 3", "3 / 7", "- 3 -".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|[-\u2013]\s*\d+\s*[-\u2013])$", re.I
)
#: A word cut at a line end by PDF extraction: "indi-" then "cators ..." on the next line.
_CUT_WORD = re.compile(r"(?P<head>\w*[a-z])-$")
#: Characters that are not text: C0 and C1 controls (tab and form feed are white space), separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
#: Larger texts are refused before they are read: the published models are about 10 kB, and the YAML
#: a text gives is larger than the text and must stay under the loader's limit (yamlfile.MAX_BYTES).
MAX_TEXT_BYTES = 512 * 1024


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceLine:
    """One line of the text, classified on its own (context decides the rest)."""

    #: 1-based line number.
    number: int
    #: Leading white space (tabs and non-breaking spaces count as one).
    indent: int
    #: blank, section, note, numbered, number-sub, roman-sub, lettered, text, unknown-marker, no-words
    #: or removed (by the cleaning pass).
    kind: str
    #: The numeral, number or letter before the period ("II", "3", "b"), else "".
    marker: str = ""
    #: The words after the marker, white space collapsed.
    text: str = ""
    #: The whole line with white space collapsed (what a message quotes).
    content: str = ""


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


# -- text helpers ---------------------------------------------------------------------------------


def collapse(text: str) -> str:
    """Text with every run of white space (tabs, non-breaking spaces) made one space."""
    return " ".join(text.split())


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: 'Customer’s Bill' -> 'customers-bill'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0]
    return slug


def indicator_slug(text: str) -> str:
    """The id words of an indicator or responsibility: its first significant words."""
    words = [slugify(word) for word in text.split()]
    significant = [word for word in words if word and word not in STOPWORDS]
    return slugify(" ".join(significant[:ID_WORDS]))


def near_key(text: str) -> str:
    """Text without case, punctuation or quote style: equal keys mean 'nearly the same'."""
    kept = (ch for ch in text.casefold() if not unicodedata.category(ch).startswith("P"))
    return collapse("".join(kept))


def title_from_file(path: Path) -> str:
    """'customer-service-representative.txt' -> 'Customer Service Representative'."""
    return collapse(re.sub(r"[-_]+", " ", path.stem)).title()


def _title_key(title: str) -> str:
    text = re.sub(r"[\u2010-\u2015-]+", "-", title.casefold())
    return collapse(re.sub(r"\bnon\s*-?\s*technical\b", "non-technical", text))


def split_qualifier(title: str, *, any_words: bool = False) -> tuple[str, str | None]:
    """'Computer Skills (Basic Expertise)' -> ('Computer Skills', 'Basic Expertise')."""
    match = _TRAILING_PARENS.match(title)
    if not match or not match["title"]:
        return title, None
    qualifier = collapse(match["qualifier"])
    if not qualifier or not (any_words or _QUALIFIER_WORDS.search(qualifier)):
        return title, None
    return match["title"], qualifier


# -- pass 0: bytes -> classified lines ------------------------------------------------------------------


def decode(raw: bytes, path: Path) -> tuple[str, list[Problem]]:
    """UTF-8 text without BOM; bad bytes become U+FFFD and the first one is reported."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as exc:
        start = exc.start
    line = raw.count(b"\n", 0, start) + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    byte = raw[start]
    guess = "Windows-1252 or Latin-1" if 0x80 <= byte <= 0xFF else "an unknown encoding"
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    others = text.count("\ufffd") - 1
    more = f"; {others} more such byte(s) follow" if others > 0 else ""
    problem = Problem(
        location=Location(path=path, line=line, column=column),
        message=f"byte 0x{byte:02X} is not valid UTF-8 (the file looks like {guess}){more}",
        hint="re-save the file as UTF-8; the bad bytes were read as \ufffd",
    )
    return text, [problem]


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them, whatever the line endings (LF, CRLF, CR)."""
    return re.split(r"\r\n|\r|\n", text)


def classify(number: int, raw: str) -> SourceLine:
    """What one line looks like on its own."""
    if raw == REMOVED:
        return SourceLine(number=number, indent=0, kind="removed")
    stripped = raw.strip()
    indent = len(raw) - len(raw.lstrip())
    content = collapse(stripped)
    if not content:
        return SourceLine(number=number, indent=indent, kind="blank")
    for kind, pattern in (
        ("section", _SECTION),
        ("note", _NOTE),
        ("number-sub", _NUMBER_SUB),
        ("numbered", _NUMBERED),
        ("roman-sub", _ROMAN_SUB),
        ("lettered", _LETTERED),
    ):
        match = pattern.match(content)
        if match:
            marker = match.groupdict().get("marker") or ""
            text = collapse(match["text"] or "")
            return SourceLine(number=number, indent=indent, kind=kind, marker=marker, text=text, content=content)
    unknown = _UNKNOWN_MARKER.match(content)
    if unknown:
        return SourceLine(
            number=number,
            indent=indent,
            kind="unknown-marker",
            marker=unknown["marker"],
            text=unknown["text"],
            content=content,
        )
    kind = "section" if _title_key(split_qualifier(content, any_words=True)[0]) in SECTION_TITLES else "text"
    if not any(ch.isalnum() for ch in content):
        kind = "no-words"
    return SourceLine(number=number, indent=indent, kind=kind, text=content, content=content)


# -- pass 1: lines -> drafts --------------------------------------------------------------------------


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
class _Item:
    """An indicator, foundational item, responsibility or sub-item; wrapped lines join it."""

    line: SourceLine
    parts: list[str]
    subitems: list[_Item] = field(default_factory=list)
    #: The marker the text gave it when it was renumbered ("1"), else "".
    corrected_from: str = ""

    @property
    def text(self) -> str:
        return collapse(" ".join(self.parts))


@dataclass(slots=True)
class _Heading:
    """A numbered competency or foundational group, with what the text lists under it."""

    line: SourceLine
    title: str
    preamble: _Paragraphs = field(default_factory=_Paragraphs)
    items: list[_Item] = field(default_factory=list)
    #: Letter -> line of the item that used it (to report a repeated letter).
    letters: dict[str, int] = field(default_factory=dict)
    #: True when the heading could not be read: what it lists is skipped too.
    skipped: bool = False


@dataclass(slots=True)
class _Section:
    line: SourceLine
    #: One of SECTION_KINDS, or None for a section that is not recognised (its lines are skipped).
    kind: str | None
    title: str = ""
    qualifier: str | None = None
    note: _Paragraphs = field(default_factory=_Paragraphs)
    headings: list[_Heading] = field(default_factory=list)
    responsibilities: list[_Item] = field(default_factory=list)
    #: Number -> line of the competency, group or responsibility that used it.
    numbers: dict[int, int] = field(default_factory=dict)


#: The target of a line with no marker that belongs to a skipped item.
_SKIP = object()


@dataclass(slots=True)
class _Reader:
    """Pass 1: reads classified lines into drafts, reporting what does not fit."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SourceLine] = field(default_factory=list)
    title_line: SourceLine | None = None
    note: _Paragraphs = field(default_factory=_Paragraphs)
    sections: list[_Section] = field(default_factory=list)
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
        if not self.seen_content and line.kind == "text" and _TITLE_LINE.match(line.content):
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
        self.skip(line, f"this line fits nowhere: '{_quote(line.content)}'", hint)

    def on_unknown_marker(self, line: SourceLine) -> None:
        self.skip(
            line,
            f"unknown list marker '{line.marker}': '{_quote(line.content)}'",
            "the text marks competencies 1., 2., indicators a., b. and sub-items i., ii.: "
            "renumber the line, or join it to the line above",
        )

    def on_no_words(self, line: SourceLine) -> None:
        self.skip(line, f"a line without words: '{_quote(line.content)}'", "remove it, or write what it stands for")

    # -- sections and notes ----------------------------------------------------------------------------

    def on_section(self, line: SourceLine) -> None:
        if line.marker and line.marker not in ROMAN_VALUES:
            self.skip(
                line,
                f"unknown section numeral '{line.marker}.'; its lines are skipped",
                f"sections are numbered {ROMAN[0]}. to {ROMAN[-1]}.: correct the numeral",
            )
            self.sections.append(_Section(line=line, kind=None))
            return
        title, qualifier = split_qualifier(line.text, any_words=True)
        kind = SECTION_TITLES.get(_title_key(title))
        section = _Section(line=line, kind=kind, title=title, qualifier=qualifier)
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

    def check_order(self, section: _Section) -> None:
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
        elif isinstance(target, _Item) and not self.after_blank:
            target.parts.append(line.text)
        else:
            self.nowhere(
                line,
                "to continue the item above, remove the blank line before this one; "
                "to add a note, start the paragraph with 'Note:'",
            )

    # -- numbered and lettered lines ------------------------------------------------------------------

    def on_marked(self, line: SourceLine, section: _Section) -> None:
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

    def current_indicator(self, section: _Section) -> _Item | None:
        heading = section.headings[-1] if section.headings else None
        if section.kind not in COMPETENCY_KINDS or not heading or heading.skipped or not heading.items:
            return None
        return heading.items[-1]

    def is_subitem(self, line: SourceLine, section: _Section) -> bool:
        """An 'i.', 'v.' or 'x.' is a roman sub-item when indented or when it is not the next letter."""
        if line.marker not in "ivx" or not self.current_indicator(section):
            return False
        return line.indent > 0 or line.marker != letter(len(section.headings[-1].items))

    def add_subitem(self, line: SourceLine, section: _Section) -> None:
        indicator = self.current_indicator(section)
        assert indicator is not None  # callers check
        subitem = _Item(line=line, parts=[line.text])
        indicator.subitems.append(subitem)
        self.open = subitem

    def on_number(self, line: SourceLine, section: _Section) -> None:
        number = int(line.marker)
        heading = section.headings[-1] if section.headings else None
        in_lettered_list = section.kind in COMPETENCY_KINDS and heading and heading.items and not heading.skipped
        if in_lettered_list and number in section.numbers and not self.starts_list(line):
            self.add_misnumbered(line, section)
            return
        self.check_number(line, section, "competency" if section.kind in COMPETENCY_KINDS else "group")
        new = _Heading(line=line, title=line.text, skipped=not line.text)
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

    def add_misnumbered(self, line: SourceLine, section: _Section) -> None:
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

    def check_number(self, line: SourceLine, section: _Section, what: str) -> None:
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

    def add_item(self, line: SourceLine, section: _Section, *, letter_marker: str, corrected_from: str = "") -> None:
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
            item = _Item(line=line, parts=[line.text], corrected_from=corrected_from)
            heading.items.append(item)
            self.open = item

    def check_letter(self, line: SourceLine, heading: _Heading, marker: str, what: str) -> None:
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

    def on_responsibility_line(self, line: SourceLine, section: _Section) -> None:
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
            item = _Item(line=line, parts=[line.text])
            section.responsibilities.append(item)
            self.open = item


def _what(section: _Section) -> str:
    return "competency" if section.kind in COMPETENCY_KINDS else "group"


def _heading(section: _Section) -> str:
    return f"{section.line.marker}. {section.title}" if section.line.marker else section.title


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- pass 2: drafts -> model data ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Defined:
    """An item defined earlier, as a later repetition refers to it."""

    id: str
    code: str
    text: str
    qualifier: str | None = None
    extra: str | None = None


@dataclass(slots=True)
class _Builder:
    """Pass 2: gives ids, turns repetitions into references, builds the plain model data."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    comments: list[tuple[JsonPath, str]] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    competencies: dict[str, _Defined] = field(default_factory=dict)
    indicators: dict[str, _Defined] = field(default_factory=dict)
    near: dict[str, _Defined] = field(default_factory=dict)
    origins: dict[str, tuple[int, str]] = field(default_factory=dict)

    def claim(self, base: str, fallback: str) -> str:
        """A new id from a slug: the same text in the same order always gives the same id."""
        base = base or fallback
        candidate, n = base, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{base[: MAX_ID - len(str(n)) - 1]}-{n}"
        self.used_ids.add(candidate)
        return candidate

    def warn(self, line: SourceLine, message: str, hint: str, severity: str = "warning") -> None:
        self.problems.append(
            Problem(location=Location(path=self.path, line=line.number), message=message, hint=hint, severity=severity)
        )

    def sections(self, drafts: list[_Section]) -> list[dict[str, Any]]:
        built: list[dict[str, Any]] = []
        for draft in (d for d in drafts if d.kind):
            code = ROMAN[len(built)] if len(built) < len(ROMAN) else str(len(built) + 1)
            built.append(self.section(draft, code, ("sections", len(built))))
        return built

    def section(self, draft: _Section, code: str, where: JsonPath) -> dict[str, Any]:
        assert draft.kind is not None
        entry: dict[str, Any] = {"id": self.claim(draft.kind, "section"), "kind": draft.kind, "title": draft.title}
        _put(entry, "qualifier", draft.qualifier)
        _put(entry, "note", draft.note.value())
        if draft.kind == "responsibilities":
            entry["responsibilities"] = [self.responsibility(item) for item in draft.responsibilities]
        elif draft.kind == "foundational":
            entry["groups"] = self.groups(draft, code, (*where, "groups"))
        else:
            entry["competencies"] = [
                self.competency(h, f"{code}.{n}", (*where, "competencies", n - 1))
                for n, h in enumerate((h for h in draft.headings if not h.skipped), start=1)
            ]
        return entry

    def groups(self, draft: _Section, code: str, where: JsonPath) -> list[dict[str, Any]]:
        groups: list[dict[str, Any]] = []
        for heading in (h for h in draft.headings if not h.skipped):
            if not heading.items:
                self.warn(
                    heading.line,
                    f"group '{heading.title}' lists no items; it is left out",
                    "add its lettered items, or remove the heading",
                    "error",
                )
                continue
            group_code = f"{code}.{len(groups) + 1}"
            slug = re.sub(r"-competenc(y|ies)$", "", slugify(heading.title))
            group = {"id": self.claim(slug, "group"), "title": heading.title}
            group["competencies"] = [
                self.foundational_item(item, f"{group_code}.{letter(n)}") for n, item in enumerate(heading.items)
            ]
            groups.append(group)
        return groups

    # -- competencies ---------------------------------------------------------------------------------

    def competency(self, heading: _Heading, code: str, where: JsonPath) -> dict[str, Any]:
        title, qualifier = split_qualifier(heading.title)
        preamble = heading.preamble.value()
        earlier = self.competencies.get(title.casefold())
        if earlier:
            entry: dict[str, Any] = {"ref": earlier.id}
            self.check_repeat(heading.line, code, earlier, qualifier, preamble, "preamble")
        else:
            entry = {"id": self.claim(slugify(title), "competency"), "title": title}
            _put(entry, "qualifier", qualifier)
            _put(entry, "preamble", preamble)
            self.competencies[title.casefold()] = _Defined(entry["id"], code, title, qualifier, preamble)
            self.origins[entry["id"]] = (heading.line.number, code)
        indicators = [
            self.indicator(item, f"{code}.{letter(n)}", (*where, "indicators", n))
            for n, item in enumerate(heading.items)
        ]
        if indicators:
            entry["indicators"] = indicators
        return entry

    def check_repeat(
        self, line: SourceLine, code: str, earlier: _Defined, qualifier: str | None, extra: str | None, extra_name: str
    ) -> None:
        """A repeated competency becomes a reference; say so when its wording differs from the first."""
        differences = []
        if qualifier != earlier.qualifier:
            differences.append(f"qualifier '{qualifier or ''}' (first: '{earlier.qualifier or ''}')")
        if extra and extra != earlier.extra:
            differences.append(f"{extra_name} '{extra}'")  # whole, so that no word is lost unseen
        if differences:
            self.warn(
                line,
                f"{code} repeats {earlier.code} '{earlier.text}' and is imported as a reference, "
                f"but its {' and '.join(differences)} differs and is not kept",
                f"if {code} is a different competency, give it its own title in the YAML",
            )

    def indicator(self, item: _Item, code: str, where: JsonPath) -> dict[str, Any]:
        text = item.text
        subitems = [sub.text for sub in item.subitems]
        earlier = self.indicators.get(text)
        if earlier and (earlier.extra or "") == "\n".join(subitems):
            return {"ref": earlier.id}
        similar = self.near.get(near_key(text))
        if similar and similar.text != text:
            self.warn(
                item.line,
                f"{code} is nearly {similar.code}: same indicator?",
                f"they differ only in punctuation or quote style; if they are the same, "
                f"write `- ref: {similar.id}` for {code}",
            )
        entry: dict[str, Any] = {"id": self.claim(indicator_slug(text), "indicator"), "text": text}
        if subitems:
            entry["subitems"] = subitems
        if item.corrected_from:
            self.comments.append(
                (
                    where,
                    f"Indicator {code.rsplit('.', 1)[-1]}: the text (line {item.line.number}) "
                    f"numbers it '{item.corrected_from}.', a numbering slip;\n"
                    "imported as the next letter of this list.",
                )
            )
        defined = _Defined(entry["id"], code, text, extra="\n".join(subitems))
        self.origins[entry["id"]] = (item.line.number, code)
        self.indicators.setdefault(text, defined)
        self.near.setdefault(near_key(text), defined)
        return entry

    def foundational_item(self, item: _Item, code: str) -> dict[str, Any]:
        match = _DESCRIPTION.match(item.text)
        title_part, description = (match["title"], match["description"]) if match else (item.text, None)
        title, qualifier = split_qualifier(title_part)
        earlier = self.competencies.get(title.casefold())
        if earlier:
            self.check_repeat(item.line, code, earlier, qualifier, description, "description")
            return {"ref": earlier.id}
        entry: dict[str, Any] = {"id": self.claim(slugify(title), "competency"), "title": title}
        _put(entry, "qualifier", qualifier)
        _put(entry, "description", description)
        self.competencies[title.casefold()] = _Defined(entry["id"], code, title, qualifier, description)
        self.origins[entry["id"]] = (item.line.number, code)
        return entry

    def responsibility(self, item: _Item) -> dict[str, Any]:
        return {"id": self.claim(indicator_slug(item.text), "responsibility"), "text": item.text}


def _put(entry: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        entry[key] = value


# -- pass 0b: what PDF extraction and bad bytes leave in a text ------------------------------------------


def too_large(path: Path, size: int) -> Problem:
    return Problem(
        location=Location(path=path),
        message=f"the text is {size / 1048576:.1f} MB; a model's text is limited to {MAX_TEXT_BYTES // 1024} kB",
        hint="check that this is the model's text; a published model is about 10 kB",
    )


#: A line the cleaning pass removed: it is neither text nor a blank line (so it joins nothing and
#: separates nothing). Control characters are removed first, so no line of the text can be this.
REMOVED = "\x00"


@dataclass(slots=True)
class _Cleaner:
    """Removes control characters, page numbers, running headers and words cut at line ends, saying so."""

    path: Path
    strict: bool
    problems: list[Problem]
    #: The lines removed (page numbers, running headers), as the reader's skipped lines.
    removed: list[SourceLine] = field(default_factory=list)
    #: Indexes of the lines where a page ends: a page number or a form feed.
    breaks: set[int] = field(default_factory=set)

    def clean(self, lines: list[str]) -> list[str]:
        lines = [self.controls(n, line) for n, line in enumerate(lines)]
        self.page_lines(lines)
        self.cut_words(lines)
        return lines

    def report(self, index: int, message: str, hint: str, *, pdf: bool, column: int = 0) -> None:
        """A problem at line `index + 1`; traces of PDF extraction are warnings unless strict."""
        if pdf and not self.strict:
            hint += "; `competency import --strict` refuses such a text instead"
        self.problems.append(
            Problem(
                location=Location(path=self.path, line=index + 1, column=column),
                message=message,
                hint=hint,
                severity="warning" if pdf and not self.strict else "error",
            )
        )

    def controls(self, index: int, line: str) -> str:
        found = _CONTROL.search(line)
        if found:
            shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(line)}))
            self.report(
                index,
                f"control character(s) {shown} in the text; removed",
                "a model's text holds printable characters only: remove them from the text",
                pdf=False,
                column=found.start() + 1,
            )
            line = _CONTROL.sub("", line)
        if "\f" in line:  # a page break (white space to the reader)
            self.breaks.add(index)
            line = line.replace("\f", " ")
        return line

    def remove(self, lines: list[str], index: int, message: str, hint: str) -> None:
        content = collapse(lines[index])
        self.report(index, f"{message}: '{_quote(content)}'; removed", hint, pdf=True)
        self.removed.append(SourceLine(number=index + 1, indent=0, kind="text", text=content, content=content))
        lines[index] = REMOVED

    def page_lines(self, lines: list[str]) -> None:
        """Page numbers, and lines repeated only beside page ends (running headers and footers)."""
        numbers = [n for n, line in enumerate(lines) if _PAGE_NUMBER.match(collapse(line))]
        ends = sorted(self.breaks | set(numbers))
        near = {m for end in ends for m in range(end - 2, end + 3)}
        places: dict[str, list[int]] = {}
        for n, line in enumerate(lines):
            content = collapse(line)
            if content and n not in numbers:
                places.setdefault(content, []).append(n)
        first_line = min((found[0] for found in places.values()), default=-1)
        for found in places.values():
            repeats = found[1:] if found[0] == first_line else found  # the text's first line is its title
            if len(found) >= 2 and repeats and all(n in near for n in repeats):
                for n in repeats:
                    self.remove(lines, n, "a running page header or footer", "remove it from the text")
        for n in numbers:
            self.remove(lines, n, "a page number", "remove page numbers and headers from the text")

    def cut_words(self, lines: list[str]) -> None:
        """'indi-' at a line end and 'cators' at the start of the next: one word, joined."""
        for n in range(len(lines) - 1):
            cut = _CUT_WORD.search(lines[n].rstrip())
            following = lines[n + 1].strip()
            if not cut or not following[:1].islower() or re.match(r"^[a-z]{1,4}[.)]", following):
                continue
            word = following.split(maxsplit=1)[0]
            self.report(
                n,
                f"a word cut at the line end: '{cut['head']}-' and '{word}' joined as '{cut['head']}{word}'",
                "check the word; if its hyphen belongs to it, write it whole on one line",
                pdf=True,
            )
            lines[n] = lines[n].rstrip()[:-1] + following
            lines[n + 1] = REMOVED


# -- the whole import -----------------------------------------------------------------------------------


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
    cleaner = _Cleaner(path=path, strict=strict, problems=problems)
    raw_lines = cleaner.clean(split_lines(text))
    lines = [classify(n, line) for n, line in enumerate(raw_lines, start=1)]
    reader = _Reader(path=path, problems=problems, skipped=cleaner.removed)
    reader.read(lines)
    title, source = _model_title(reader, path)
    builder = _Builder(path=path)
    chosen_id = model_id or slugify(title) or "model"
    builder.used_ids.add(chosen_id)
    model: dict[str, Any] = {"id": chosen_id, "title": title}
    _put(model, "source", source)
    _put(model, "note", reader.note.value())
    model["sections"] = builder.sections(reader.sections)
    _check_sections(reader, model, path)
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


def _model_title(reader: _Reader, path: Path) -> tuple[str, str | None]:
    """The job title (from '<Series> Competency Model: <Job Title>', else the file name) and source."""
    line = reader.title_line
    match = _TITLE_LINE.match(line.content) if line else None
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


def _check_sections(reader: _Reader, model: dict[str, Any], path: Path) -> None:
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
