"""The competency model as immutable records.

A model's items (competencies, indicators, responsibilities) are defined once
and then *placed*: a placement is an item shown at a position, with the display
code that position gives it (II.4.d). Reuse is reference, not copy: when
section V repeats indicator II.4.d as V.1.c, the indicator has two placements
and is still one object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Location

if TYPE_CHECKING:
    from .scales import ModelRating

SECTION_KINDS = ("technical", "non-technical", "foundational", "responsibilities", "superior-performance")

#: Object types of the `comp` domain, with the URL folder of their pages.
PAGE_FOLDERS = {
    "section": "sections",
    "competency": "competencies",
    "indicator": "indicators",
    "responsibility": "responsibilities",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """A behavioural indicator, defined once in its competency."""

    #: Permanent id, unique in the model.
    id: str
    #: The indicator's words (inline Markdown).
    text: str
    #: Sub-items printed under the indicator, in order.
    subitems: tuple[str, ...] = ()
    #: Former ids, kept so that old links still work.
    aliases: tuple[str, ...] = ()
    #: Sphinx tag expression limiting the indicator to some variants.
    only: str | None = None
    #: Id of the competency that defines it.
    competency: str
    #: Where it is defined.
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Competency:
    """A competency, defined once; it may be placed in several sections."""

    #: Permanent id, unique in the model.
    id: str
    #: Its name, e.g. "Computer Skills".
    title: str
    #: Printed in parentheses after the title, e.g. "Basic Expertise".
    qualifier: str | None = None
    #: One-line definition (foundational competencies).
    description: str | None = None
    #: Sentence introducing the indicators.
    preamble: str | None = None
    #: Ids of the indicators it defines, in order.
    indicators: tuple[str, ...] = ()
    #: Former ids, kept so that old links still work.
    aliases: tuple[str, ...] = ()
    #: Sphinx tag expression limiting the competency to some variants.
    only: str | None = None
    #: Where it is defined.
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Responsibility:
    """One of the job's most important responsibilities."""

    #: Permanent id, unique in the model.
    id: str
    #: Display code from its position, e.g. "IV.2".
    code: str
    #: The responsibility's words (inline Markdown).
    text: str
    #: Ids of the competencies and indicators that support it (an editorial mapping).
    supported_by: tuple[str, ...] = ()
    #: Former ids, kept so that old links still work.
    aliases: tuple[str, ...] = ()
    #: Sphinx tag expression limiting the responsibility to some variants.
    only: str | None = None
    #: Where it is defined.
    location: Location


#: Object types an item withdrawn from a model can have (groups have no page).
WITHDRAWABLE = ("section", "competency", "indicator", "responsibility")


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawnItem:
    """The record of an item taken out of a model: its URL keeps answering with a withdrawal page."""

    #: The item's permanent id; it stays reserved (no new item may take it).
    id: str
    #: One of WITHDRAWABLE: the URL folder of its page.
    kind: str
    #: Its last wording: the title of a section or competency, the text of an indicator or responsibility.
    wording: str
    #: The date or revision it was withdrawn in, as the maintainers wrote it (e.g. 2025-03-01, v2.0).
    since: str
    #: Why, or what to do instead (inline Markdown).
    note: str | None = None
    #: Id of the item of this model that replaces it.
    replaced_by: str | None = None
    #: Its former ids, whose URLs now lead to the withdrawal page.
    aliases: tuple[str, ...] = ()
    #: Where the record is written.
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Withdrawal:
    """The record of a whole model taken out of the site (a file in competency_src/withdrawn/)."""

    #: The date or revision it was withdrawn in.
    since: str
    #: Why, or what to use instead (inline Markdown).
    note: str | None = None
    #: Id of the model that replaces it.
    replaced_by: str | None = None
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorPlacement:
    """An indicator shown at one position."""

    #: Display code of this position, e.g. "V.1.c".
    code: str
    #: Id of the indicator shown.
    indicator: str
    #: True when this position repeats an indicator defined elsewhere.
    is_reference: bool
    #: Sphinx tag expression of this placement (from a `ref` entry).
    only: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyPlacement:
    """A competency shown at one position, with the indicators listed there."""

    #: Display code of this position, e.g. "II.4" or "III.1.a".
    code: str
    #: Id of the competency shown.
    competency: str
    #: Id of the section it is placed in.
    section: str
    #: Id of the foundational group it is placed in, if any.
    group: str | None = None
    #: The indicators listed at this position.
    indicators: tuple[IndicatorPlacement, ...] = ()
    #: True when this position repeats a competency defined elsewhere.
    is_reference: bool
    #: Sphinx tag expression of this placement (from a `ref` entry).
    only: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A numbered group of foundational competencies (III.1)."""

    id: str
    #: Display code, e.g. "III.1".
    code: str
    title: str
    competencies: tuple[CompetencyPlacement, ...] = ()
    aliases: tuple[str, ...] = ()
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A section of a model (I to V)."""

    id: str
    #: Roman numeral from its position.
    code: str
    #: One of SECTION_KINDS.
    kind: str
    title: str
    #: Printed in parentheses after the title.
    qualifier: str | None = None
    #: Section note, paragraphs separated by blank lines.
    note: str | None = None
    #: Competencies placed directly in the section (kinds other than foundational).
    competencies: tuple[CompetencyPlacement, ...] = ()
    #: Groups of foundational competencies.
    groups: tuple[Group, ...] = ()
    #: Ids of the responsibilities listed (responsibilities section).
    responsibilities: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    location: Location

    def placements(self) -> Iterator[CompetencyPlacement]:
        """Every competency placement of the section, groups included, in order."""
        yield from self.competencies
        for group in self.groups:
            yield from group.competencies

    @property
    def heading(self) -> str:
        return f"{self.code}. {self.title}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Department:
    """A department of the utility that customers are referred to."""

    name: str
    #: What it handles, e.g. "water quality, taste and odour".
    handles: str
    #: Id of the responsibility that refers customers to it, if any.
    responsibility: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VariantChanges:
    """How a utility's variant differs from the model as written."""

    #: The utility's display name.
    utility_name: str
    #: The overlay file.
    overlay_path: Path | None = None
    #: Item id -> {field: the model's own wording} for every item reworded.
    reworded: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Item id -> why it is left out ("excluded by the utility", "only: <expr>").
    excluded: Mapping[str, str] = field(default_factory=dict)
    #: Ids of the items the utility added.
    added: tuple[str, ...] = ()
    departments: tuple[Department, ...] = ()
    #: Local notes, shown on the model page.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A job competency model, with every item indexed by id."""

    id: str
    title: str
    source: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = ()
    #: The YAML file it was read from.
    path: Path
    sections: tuple[Section, ...]
    competencies: Mapping[str, Competency] = field(default_factory=dict)
    indicators: Mapping[str, Indicator] = field(default_factory=dict)
    responsibilities: Mapping[str, Responsibility] = field(default_factory=dict)
    #: Records of the items taken out of the model, by id.
    withdrawn: Mapping[str, WithdrawnItem] = field(default_factory=dict)
    #: Set when the whole model is withdrawn (its file is kept in competency_src/withdrawn/).
    withdrawal: Withdrawal | None = None

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    #: The utility whose variant this is (its tag), or None for the generic model.
    utility: str | None = None
    #: Variant details: what the utility changed, left out and added (empty for the generic model).
    variant: VariantChanges | None = None
    #: Every position of each competency, the defining one first.
    competency_positions: Mapping[str, tuple[CompetencyPlacement, ...]] = field(default_factory=dict)
    #: Each indicator's place in published order (where it first appears).
    indicator_numbers: Mapping[str, int] = field(default_factory=dict)
    #: Every position of each indicator with its competency placement, the defining one first.
    indicator_positions: Mapping[str, tuple[tuple[CompetencyPlacement, IndicatorPlacement], ...]] = field(
        default_factory=dict
    )
    #: What the HR forms rate with: the site's scale, anchors and interview questions (scales.py), or None.
    rating: ModelRating | None = None

    def indicator_number(self, indicator_id: str) -> int:
        """The indicator's place in published order (where it first appears), for sorting."""
        return self.indicator_numbers.get(indicator_id, len(self.indicator_numbers))

    def competency_placements(self) -> Iterator[CompetencyPlacement]:
        for section in self.sections:
            yield from section.placements()

    def placements_of_competency(self, competency_id: str) -> tuple[CompetencyPlacement, ...]:
        return self.competency_positions.get(competency_id, ())

    def placements_of_indicator(self, indicator_id: str) -> tuple[tuple[CompetencyPlacement, IndicatorPlacement], ...]:
        return self.indicator_positions.get(indicator_id, ())

    def home_of_competency(self, competency_id: str) -> CompetencyPlacement:
        return self.competency_positions[competency_id][0]

    def home_of_indicator(self, indicator_id: str) -> tuple[CompetencyPlacement, IndicatorPlacement]:
        return self.indicator_positions[indicator_id][0]

    def aliases_index(self) -> dict[str, str]:
        """Former id -> current id of every renamed item."""
        items = [*self.competencies.values(), *self.indicators.values(), *self.responsibilities.values()]
        index = {alias: item.id for item in items for alias in item.aliases}
        for section in self.sections:
            index.update(dict.fromkeys(section.aliases, section.id))
        for record in self.withdrawn.values():
            index.update(dict.fromkeys(record.aliases, record.id))
        return index

    def page_ids(self) -> set[str]:
        """Every id with a page in this model: the model, its items, their aliases and withdrawn items."""
        items = [*self.competencies, *self.indicators, *self.responsibilities, *(s.id for s in self.sections)]
        return {self.id, *self.aliases, *items, *self.withdrawn, *self.aliases_index()}

    def kind_of(self, item_id: str) -> str | None:
        """The object type of an item id, or None when the model has no such item."""
        if item_id in self.competencies:
            return "competency"
        if item_id in self.indicators:
            return "indicator"
        if item_id in self.responsibilities:
            return "responsibility"
        if any(s.id == item_id for s in self.sections):
            return "section"
        return None


def index_positions(
    sections: tuple[Section, ...],
) -> tuple[
    dict[str, tuple[CompetencyPlacement, ...]],
    dict[str, tuple[tuple[CompetencyPlacement, IndicatorPlacement], ...]],
]:
    """Where each competency and indicator is shown, definitions first (one pass)."""
    competencies: dict[str, list[CompetencyPlacement]] = {}
    indicators: dict[str, list[tuple[CompetencyPlacement, IndicatorPlacement]]] = {}
    for section in sections:
        for comp in section.placements():
            competencies.setdefault(comp.competency, []).append(comp)
            for ind in comp.indicators:
                indicators.setdefault(ind.indicator, []).append((comp, ind))
    return (
        {k: tuple(sorted(v, key=lambda p: p.is_reference)) for k, v in competencies.items()},
        {k: tuple(sorted(v, key=lambda p: p[1].is_reference)) for k, v in indicators.items()},
    )
