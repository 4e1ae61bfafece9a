"""Pass 2 of an import: drafts into the plain data of a YAML model, every item given its id and repeated
competencies and indicators turned into references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources.loader import ROMAN, letter
from ..sources.problems import Location, Problem
from .drafts import DESCRIPTION, Heading, Item, Section
from .ids import MAX_ID, indicator_slug, near_key, slugify
from .lines import SourceLine, split_qualifier

JsonPath = tuple[str | int, ...]

#: A title that ends as a line cut short does: a comma, an ampersand, a slash, a hyphen or a word such
#: as "and" or "of" that a title does not end with.
_CONTINUED = re.compile(r"(?:[,&/\u2013\u2014-]|\b(?:and|or|of|the|for|with|to|in|on))\s*$", re.IGNORECASE)


def _shortened(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


@dataclass(frozen=True, slots=True)
class _Defined:
    """An item defined earlier, as a later repetition refers to it."""

    id: str
    code: str
    text: str
    qualifier: str | None = None
    extra: str | None = None


@dataclass(slots=True)
class Builder:
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

    def sections(self, drafts: list[Section]) -> list[dict[str, Any]]:
        built: list[dict[str, Any]] = []
        for draft in (d for d in drafts if d.kind):
            code = ROMAN[len(built)] if len(built) < len(ROMAN) else str(len(built) + 1)
            built.append(self.section(draft, code, ("sections", len(built))))
        return built

    def section(self, draft: Section, code: str, where: JsonPath) -> dict[str, Any]:
        assert draft.kind is not None
        entry: dict[str, Any] = {"id": self.claim(draft.kind, "section"), "kind": draft.kind, "title": draft.title}
        put(entry, "qualifier", draft.qualifier)
        put(entry, "note", draft.note.value())
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

    def groups(self, draft: Section, code: str, where: JsonPath) -> list[dict[str, Any]]:
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

    def competency(self, heading: Heading, code: str, where: JsonPath) -> dict[str, Any]:
        title, qualifier = split_qualifier(heading.title)
        preamble = heading.preamble.value()
        if title[:1].islower():
            # "g. Logs chlorine residuals taken at" wrapped before "2. sample points per route".
            self.warn(
                heading.line,
                f"{code} '{title}' begins with a small letter: is it the end of the line above, wrapped "
                "before a number?",
                "a competency's title begins with a capital; if the line continues the one above, join the two "
                "lines in the text and import again",
            )
        if _CONTINUED.search(title):
            # "1. Instrument Calibration and Maintenance of Spectrophotometers," wrapped before
            # "Turbidimeters and pH Meters (Basic Expertise)", which would be read as the preamble.
            self.warn(
                heading.line,
                f"{code} '{title}' ends as if it went on: does the title continue in the next line?",
                "a competency's title is one line"
                + (f", and the next line was read as its preamble: '{_shortened(preamble)}'" if preamble else "")
                + "; if the title goes on, join the two lines in the text and import again",
            )
        earlier = self.competencies.get(title.casefold())
        if earlier:
            entry: dict[str, Any] = {"ref": earlier.id}
            self.check_repeat(heading.line, code, earlier, qualifier, preamble, "preamble")
        else:
            entry = {"id": self.claim(slugify(title), "competency"), "title": title}
            put(entry, "qualifier", qualifier)
            put(entry, "preamble", preamble)
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

    def indicator(self, item: Item, code: str, where: JsonPath) -> dict[str, Any]:
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
                f"they differ only in case, spacing, punctuation or quote style; if they are the same, "
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

    def foundational_item(self, item: Item, code: str) -> dict[str, Any]:
        match = DESCRIPTION.match(item.text)
        title_part, description = (match["title"], match["description"]) if match else (item.text, None)
        title, qualifier = split_qualifier(title_part)
        earlier = self.competencies.get(title.casefold())
        if earlier:
            self.check_repeat(item.line, code, earlier, qualifier, description, "description")
            return {"ref": earlier.id}
        entry: dict[str, Any] = {"id": self.claim(slugify(title), "competency"), "title": title}
        put(entry, "qualifier", qualifier)
        put(entry, "description", description)
        self.competencies[title.casefold()] = _Defined(entry["id"], code, title, qualifier, description)
        self.origins[entry["id"]] = (item.line.number, code)
        return entry

    def responsibility(self, item: Item) -> dict[str, Any]:
        return {"id": self.claim(indicator_slug(item.text), "responsibility"), "text": item.text}


def put(entry: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        entry[key] = value
