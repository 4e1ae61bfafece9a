"""The item pages: what each page of a model shows, as docutils nodes.

Every function receives a `PageContext` and returns the page's top section.
Pages link to each other through `page_parts.link` (resolved by the comp
domain when written), so a moved item never leaves a stale URL behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from ..sources.model import PAGE_FOLDERS, CompetencyPlacement, Model, Section
from ..sphinx_ext.config import GENERIC
from ..sphinx_ext.inline import inline_nodes, plain_text
from .kinds import MODEL_WIDE_PAGES
from .parts import (
    EDITORIAL_NOTE,
    badge,
    bullet_list,
    code_node,
    competency_label,
    competency_link,
    display,
    doc_link,
    heading,
    hidden_toctree,
    indicator_link,
    item_title,
    link,
    page_section,
    paragraph,
    permalink_node,
    responsibility_link,
    section_link,
    section_size,
    std_link,
    text_paragraphs,
)
from .variant_notes import departments, variant_notice

if TYPE_CHECKING:
    from ..sources.family import Family


@dataclass(frozen=True, slots=True, kw_only=True)
class PageContext:
    """What a page is built from."""

    #: The model as published on this site (after the utility's overlay, if any).
    model: Model
    #: Id of the item the page shows (the model id for model-wide pages).
    item: str
    #: The page's document name.
    docname: str
    #: The model as written in its file (every item, the model's own wording).
    written: Model
    #: Site address for permanent links, or "".
    base_url: str = ""
    #: (site, address) of every site whose public address is configured (`competency_site_urls`).
    site_urls: tuple[tuple[str, str], ...] = ()
    #: (tag, display name) of every utility that adapts this model.
    utilities: tuple[tuple[str, str], ...] = ()
    #: The edition this page belongs to, in the build of an edition ("" on the current site).
    edition: str = ""
    #: The family of jobs the model belongs to (family.py), or None.
    family: Family | None = None

    def site_page(self, site: str, docname: str) -> str:
        """The address of a page in another site ("generic" or a utility's tag), or "" when not configured.

        Sites are published separately, so a link between them is written only where the setting
        gives the other site's address: a guessed one breaks whenever a site is served alone. A page
        of an edition links to the same edition of the other site.
        """
        base = dict(self.site_urls).get(site, "")
        edition = f"editions/{self.edition}/" if self.edition else ""
        return f"{base}{edition}{docname}.html" if base else ""

    def shown_as(self, kind: str) -> str:
        """How the page's item is named: code and title as this site has it; an item it leaves out by
        its title alone (its generic code may belong to another item of this site)."""
        if kind in MODEL_WIDE_PAGES:
            return f"{self.model.title}: {kind}"
        record = self.written.withdrawn.get(self.item) if kind != "model" else None
        if record is not None and record.kind == kind:
            return f"{plain_text(record.wording)} (withdrawn)"
        if self.written.withdrawal is not None and (kind == "model" or self.written.kind_of(self.item) == kind):
            return display(self.written, kind, self.item) + " (withdrawn)"
        if self.model.kind_of(self.item) == kind or (kind == "model" and self.model.id == self.item):
            return display(self.model, kind, self.item)
        if self.written.kind_of(self.item) == kind:
            return item_title(self.written, kind, self.item)
        return self.item

    def docname_of(self, objtype: str, item_id: str) -> str:
        return page_docname(self.model.id, objtype, item_id)


def page_docname(model_id: str, objtype: str, item_id: str) -> str:
    """The permanent document name (and URL path) of an item page: derived from ids only."""
    if objtype == "model":
        return f"{model_id}/index"
    if objtype in MODEL_WIDE_PAGES:
        return f"{model_id}/{objtype}"
    return f"{model_id}/{PAGE_FOLDERS[objtype]}/{item_id}"


def with_permalink(ctx: PageContext, section: nodes.section) -> nodes.section:
    """Every page ends the same way: its permanent link, and what the utility changed in it."""
    section.insert(1, permalink_node(ctx.docname, ctx.edition, ctx.base_url))
    section.insert(2, variant_notice(ctx.model, ctx.item, ctx.docname, ctx.site_page(GENERIC, ctx.docname)))
    return section


# -- model ------------------------------------------------------------------------------------------


def model_page(ctx: PageContext) -> nodes.section:
    model = ctx.model
    page = page_section("model", model.id, [nodes.Text(model.title)])
    page += paragraph("Job competency model", classes=["comp-kicker"])
    if model.source:
        page += paragraph(nodes.strong("Source: ", "Source: "), *inline_nodes(model.source), classes=["comp-source"])
    if model.note:
        note = nodes.note()
        note += text_paragraphs(model.note)
        page += note
    variant = model.variant
    if variant and variant.utility_name:
        page += paragraph(
            f"This is {variant.utility_name}'s version of the model: ",
            doc_link(page_docname(model.id, "variant", ""), "what it changes"),
            ".",
            classes=["comp-variant-intro"],
        )
        for note_text in variant.notes:
            page += paragraph(*inline_nodes(note_text), classes=["comp-local-note"])
    page += heading("Sections")
    page += bullet_list(
        [paragraph(section_link(model, s), " ", badge(s.kind), " ", _section_count(model, s))] for s in model.sections
    )
    page += heading("Across the model")
    page += bullet_list(
        [
            paragraph(
                doc_link(
                    page_docname(model.id, "matrix", ""), "Responsibilities and the competencies that support them"
                )
            ),
            paragraph(
                doc_link(page_docname(model.id, "profile", ""), "Printable job profile (the whole model on one page)")
            ),
            paragraph(_index_link("Index of every indicator")),
            paragraph(doc_link(page_docname(model.id, "variant", ""), "Utility variants of this model")),
        ]
    )
    page += heading("HR forms")
    page += _form_links(model)
    page += departments(model, None)
    page += _family("model_family_nodes", ctx, model.id)
    page += hidden_toctree(
        ctx.docname,
        [
            *(ctx.docname_of("section", s.id) for s in model.sections),
            *(page_docname(model.id, kind, "") for kind in MODEL_WIDE_PAGES),
        ],
    )
    return with_permalink(ctx, page)


def _form_links(model: Model) -> nodes.bullet_list:
    from .forms import form_links  # form_pages builds on this module

    return bullet_list(form_links(model))


def _section_count(model: Model, section: Section) -> str:
    if section.responsibilities:
        return f"({len(section.responsibilities)} responsibilities)"
    competencies, indicators = section_size(section)
    return f"({competencies} competencies, {indicators} indicators)" if indicators else f"({competencies} competencies)"


def _index_link(text: str) -> nodes.Node:
    return std_link("ref", "comp-indicators", text)


# -- section ----------------------------------------------------------------------------------------


def section_page(ctx: PageContext) -> nodes.section:
    model = ctx.model
    section = model.section(ctx.item)
    page = page_section("section", section.id, [nodes.Text(section.heading)])
    page += paragraph(badge(section.kind), " ", link(model.id, "model", model.id, model.title), classes=["comp-meta"])
    if section.qualifier:
        page += paragraph(f"({section.qualifier})", classes=["comp-qualifier"])
    page += text_paragraphs(section.note, classes=["comp-section-note"])
    own_pages: list[str] = []
    if section.responsibilities:
        page += paragraph(EDITORIAL_NOTE, classes=["comp-editorial"])
        page += bullet_list(
            paragraph(responsibility_link(model, model.responsibilities[r])) for r in section.responsibilities
        )
        page += paragraph(
            doc_link(page_docname(model.id, "matrix", ""), "See all responsibilities against competencies")
        )
        own_pages = [ctx.docname_of("responsibility", r) for r in section.responsibilities]
    for placement in section.competencies:
        page += _placement_block(model, placement)
    for group in section.groups:
        page += heading(f"{group.code} {group.title}")
        page += bullet_list(_placement_line(model, p) for p in group.competencies)
    for placement in section.placements():
        if not placement.is_reference:
            own_pages.append(ctx.docname_of("competency", placement.competency))
    page += hidden_toctree(ctx.docname, own_pages)
    return with_permalink(ctx, page)


def _placement_line(model: Model, placement: CompetencyPlacement) -> nodes.paragraph:
    para = paragraph(competency_link(model, placement.competency, placement.code))
    competency = model.competencies[placement.competency]
    if competency.description:
        para += nodes.Text(": ")
        para += inline_nodes(competency.description)
    if placement.is_reference:
        home = model.home_of_competency(placement.competency)
        para += nodes.Text(f" (the same competency as {home.code})")
    return para


def _placement_block(model: Model, placement: CompetencyPlacement) -> list[nodes.Node]:
    block = nodes.container(classes=["comp-placement"])
    block += _placement_line(model, placement)
    block += bullet_list(
        paragraph(indicator_link(model, model.indicators[i.indicator], i.code)) for i in placement.indicators
    )
    return [block]


# -- competency -------------------------------------------------------------------------------------


def competency_page(ctx: PageContext) -> nodes.section:
    model = ctx.model
    competency = model.competencies[ctx.item]
    placements = model.placements_of_competency(competency.id)
    home = placements[0]
    section = model.section(home.section)
    page = page_section("competency", competency.id, [nodes.Text(f"{home.code} {competency_label(competency)}")])
    page += paragraph(badge(section.kind), " ", section_link(model, section), classes=["comp-meta"])
    if competency.description:
        page += paragraph(*inline_nodes(competency.description), classes=["comp-lead"])
    if competency.preamble:
        page += paragraph(*inline_nodes(competency.preamble), classes=["comp-preamble"])
    if competency.indicators:
        page += heading("Indicators")
        page += bullet_list(
            (paragraph(indicator_link(model, model.indicators[i.indicator], i.code)) for i in home.indicators),
            classes=["comp-indicator-list"],
        )
    if len(placements) > 1:
        page += heading("Where it appears")
        page += bullet_list(_appearance(model, p) for p in placements)
    page += _supports(model, {competency.id})
    page += _family("competency_family_nodes", ctx, competency.id)
    # No toctree of its indicators: their pages are no documents (sphinx_ext/direct_pages.py); the
    # HTML builder places them below this page in the navigation (theme/direct_pages.py).
    return with_permalink(ctx, page)


def _appearance(model: Model, placement: CompetencyPlacement) -> list[nodes.Node]:
    section = model.section(placement.section)
    what = (
        "defined here"
        if not placement.is_reference
        else ("marked for superior performance" if section.kind == "superior-performance" else "listed again")
    )
    line = paragraph(code_node(placement.code), f" in {section.heading}: {what}")
    if not placement.is_reference or not placement.indicators:
        return [line]
    return [
        line,
        bullet_list(
            paragraph(indicator_link(model, model.indicators[i.indicator], i.code)) for i in placement.indicators
        ),
    ]


def _supports(model: Model, item_ids: set[str]) -> list[nodes.Node]:
    """The responsibilities an item supports, marked as the editorial mapping it is."""
    supported = [r for r in model.responsibilities.values() if item_ids.intersection(r.supported_by)]
    if not supported:
        return []
    return [
        heading("Responsibilities it supports"),
        bullet_list(paragraph(responsibility_link(model, r)) for r in supported),
        paragraph(EDITORIAL_NOTE, classes=["comp-editorial"]),
    ]


# -- indicator --------------------------------------------------------------------------------------


def indicator_page(ctx: PageContext) -> nodes.section:
    model = ctx.model
    indicator = model.indicators[ctx.item]
    placements = model.placements_of_indicator(indicator.id)
    home_competency, home = placements[0]
    section = model.section(home_competency.section)
    page = page_section("indicator", indicator.id, [nodes.Text(f"{home.code} {plain_text(indicator.text)}")])
    page += paragraph(
        badge(section.kind),
        " ",
        section_link(model, section),
        " › ",
        competency_link(model, indicator.competency, home_competency.code),
        classes=["comp-meta"],
    )
    page += paragraph(*inline_nodes(indicator.text), classes=["comp-lead"])
    if indicator.subitems:
        page += bullet_list((paragraph(*inline_nodes(s)) for s in indicator.subitems), classes=["comp-subitems"])
    page += heading("Codes")
    page += bullet_list(_indicator_position(model, comp, placement) for comp, placement in placements)
    superior = [p for comp, p in placements if model.section(comp.section).kind == "superior-performance"]
    effective = [p for comp, p in placements if model.section(comp.section).kind != "superior-performance"]
    if superior and effective:
        page += paragraph(
            f"Required for effective performance ({', '.join(p.code for p in effective)}) and marked for "
            f"superior performance ({', '.join(p.code for p in superior)}).",
            classes=["comp-reuse"],
        )
    page += _supports(model, {indicator.id, indicator.competency})
    page += _family("indicator_family_nodes", ctx, indicator.id)
    return with_permalink(ctx, page)


def _indicator_position(model: Model, competency: CompetencyPlacement, placement) -> nodes.paragraph:
    section = model.section(competency.section)
    role = (
        "marked for superior performance"
        if section.kind == "superior-performance"
        else "required for effective performance"
    )
    return paragraph(
        code_node(placement.code),
        f" {role}, in ",
        competency_link(model, competency.competency, competency.code),
        " (",
        section_link(model, section),
        ")",
    )


def _family(part: str, ctx: PageContext, item_id: str) -> list[nodes.Node]:
    """What a job page says of the family of jobs (pages/family.py), when there is one."""
    if ctx.family is None:
        return []
    from . import family as family_pages  # family_pages builds on this module

    if part == "model_family_nodes":
        return family_pages.model_family_nodes(ctx.family, ctx.model, ctx.docname)
    return getattr(family_pages, part)(ctx.family, ctx.model, item_id)


# -- responsibility ---------------------------------------------------------------------------------


def responsibility_page(ctx: PageContext) -> nodes.section:
    model = ctx.model
    responsibility = model.responsibilities[ctx.item]
    section = next(s for s in model.sections if responsibility.id in s.responsibilities)
    page = page_section(
        "responsibility", responsibility.id, [nodes.Text(f"{responsibility.code} {plain_text(responsibility.text)}")]
    )
    page += paragraph(badge(section.kind), " ", section_link(model, section), classes=["comp-meta"])
    page += paragraph(*inline_nodes(responsibility.text), classes=["comp-lead"])
    page += heading("Supported by")
    page += paragraph(EDITORIAL_NOTE, classes=["comp-editorial"])
    items = []
    for item_id in responsibility.supported_by:
        if item_id in model.competencies:
            items.append(paragraph(competency_link(model, item_id, model.home_of_competency(item_id).code)))
        else:
            code = model.home_of_indicator(item_id)[1].code
            items.append(paragraph(indicator_link(model, model.indicators[item_id], code)))
    page += bullet_list(items) if items else paragraph("No competency is mapped to this responsibility yet.")
    page += paragraph(doc_link(page_docname(model.id, "matrix", ""), "See all responsibilities against competencies"))
    page += departments(model, responsibility.id)
    return with_permalink(ctx, page)


PAGE_BUILDERS: dict[str, Callable[[PageContext], nodes.section]] = {
    "model": model_page,
    "section": section_page,
    "competency": competency_page,
    "indicator": indicator_page,
    "responsibility": responsibility_page,
}
