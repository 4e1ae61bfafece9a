"""Pass 0 of an import: bytes into cleaned, classified lines (what PDF extraction and bad bytes leave
in a text removed or reported, every line given its kind, marker and text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..sources.problems import Location, Problem
from .ids import collapse, title_key

#: Each kind's title as the published texts write it (for messages).
KIND_TITLES = {
    "technical": "Technical Competencies",
    "non-technical": "Non-Technical Competencies",
    "foundational": "Foundational Competencies",
    "responsibilities": "Most Important Responsibilities",
    "superior-performance": "Competencies for Superior Performance",
}


SECTION_TITLES = {title.lower(): kind for kind, title in KIND_TITLES.items()}


TITLE_LINE = re.compile(r"^(?P<series>.*?)\bCompetency Model\s*:\s*(?P<title>.*)$", re.IGNORECASE)


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


#: Characters that are not text: C0 and C1 controls (tab and form feed are white space), separators,
#: and the bidirectional embeddings and overrides the loader refuses (sources/yamlfile.py).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ufffe\uffff]")


#: Larger texts are refused before they are read: the published models are about 10 kB, and the YAML
#: a text gives is larger than the text and must stay under the loader's limit (yamlfile.MAX_BYTES).
MAX_TEXT_BYTES = 512 * 1024


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


def split_qualifier(title: str, *, any_words: bool = False) -> tuple[str, str | None]:
    """'Computer Skills (Basic Expertise)' -> ('Computer Skills', 'Basic Expertise')."""
    match = _TRAILING_PARENS.match(title)
    if not match or not match["title"]:
        return title, None
    qualifier = collapse(match["qualifier"])
    if not qualifier or not (any_words or _QUALIFIER_WORDS.search(qualifier)):
        return title, None
    return match["title"], qualifier


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
    kind = "section" if title_key(split_qualifier(content, any_words=True)[0]) in SECTION_TITLES else "text"
    if not any(ch.isalnum() for ch in content):
        kind = "no-words"
    return SourceLine(number=number, indent=indent, kind=kind, text=content, content=content)


def quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
class Cleaner:
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
        self.report(index, f"{message}: '{quote(content)}'; removed", hint, pdf=True)
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
