"""Model-wide pages: the responsibility matrix and the printable job profile."""

from __future__ import annotations

from docutils import nodes

from ..sources.model import Model
from ..sphinx_ext.inline import inline_nodes
from .items import PageContext, with_permalink
from .kinds import model_page_title
from .parts import (
    EDITORIAL_NOTE,
    bullet_list,
    competency_link,
    empty_cell,
    heading,
    indicator_link,
    page_section,
    paragraph,
    responsibility_link,
    table_row,
    text_paragraphs,
)


def matrix_page(ctx: PageContext) -> nodes.section:
    """Responsibilities (columns) against the competencies that support them (rows)."""
    model = ctx.model
    page = page_section("matrix", model.id, [nodes.Text(model_page_title(model.title, "matrix"))])
    page += paragraph(EDITORIAL_NOTE, classes=["comp-editorial"])
    responsibilities = list(model.responsibilities.values())
    if not responsibilities:
        page += paragraph("This model lists no responsibilities.")
        return with_permalink(ctx, page)
    page += paragraph(
        "A check mark means the whole competency supports the responsibility; codes name the "
        "indicators that support it."
    )
    page += bullet_list_of_columns(model)
    table = nodes.table(classes=["comp-matrix"])
    group = nodes.tgroup(cols=len(responsibilities) + 1)
    table += group
    group += [nodes.colspec(colwidth=4, stub=1)] + [nodes.colspec(colwidth=1) for _ in responsibilities]
    head = nodes.thead()
    group += head
    head += table_row(
        [nodes.paragraph("", "Competency")]
        + [
            paragraph(nodes.abbreviation(r.code, r.code, explanation=" ".join(r.text.split())))
            for r in responsibilities
        ]
    )
    body = nodes.tbody()
    group += body
    for placement in model.competency_placements():
        if placement.is_reference:
            continue
        competency = model.competencies[placement.competency]
        cells = [paragraph(competency_link(model, competency.id, placement.code))]
        for responsibility in responsibilities:
            supported = set(responsibility.supported_by)
            marks = ["✓"] if competency.id in supported else []
            marks += [model.home_of_indicator(i)[1].code for i in competency.indicators if i in supported]
            cells.append(paragraph(", ".join(marks)) if marks else empty_cell("no"))
        body += table_row(cells)
    page += table
    return with_permalink(ctx, page)


def bullet_list_of_columns(model: Model) -> nodes.bullet_list:
    return bullet_list(paragraph(responsibility_link(model, r)) for r in model.responsibilities.values())


def profile_page(ctx: PageContext) -> nodes.section:
    """The whole model on one page, in published order, with codes: for printing."""
    model = ctx.model
    page = page_section("profile", model.id, [nodes.Text(model_page_title(model.title, "profile"))])
    if model.source:
        page += paragraph(*inline_nodes(model.source), classes=["comp-source"])
    page += text_paragraphs(model.note)
    for section in model.sections:
        block = nodes.container(classes=["comp-profile-section"])
        block += heading(section.heading + (f" ({section.qualifier})" if section.qualifier else ""))
        block += text_paragraphs(section.note, classes=["comp-section-note"])
        for group in section.groups:
            block += heading(f"{group.code} {group.title}", level=3)
            for placement in group.competencies:
                block += _profile_competency(model, placement)
        for placement in section.competencies:
            block += _profile_competency(model, placement)
        if section.responsibilities:
            items = nodes.bullet_list(classes=["comp-profile-list"])
            for rid in section.responsibilities:
                entry = nodes.list_item()
                entry += paragraph(responsibility_link(model, model.responsibilities[rid]))
                items += entry
            block += items
        page += block
    return with_permalink(ctx, page)


def _profile_competency(model: Model, placement) -> nodes.container:
    competency = model.competencies[placement.competency]
    block = nodes.container(classes=["comp-profile-competency"])
    line = paragraph(competency_link(model, competency.id, placement.code), classes=["comp-profile-title"])
    if competency.description:
        line += nodes.Text(": ")
        line += inline_nodes(competency.description)
    block += line
    if competency.preamble and not placement.is_reference:
        block += paragraph(*inline_nodes(competency.preamble), classes=["comp-preamble"])
    if placement.indicators:
        items = nodes.bullet_list(classes=["comp-profile-list"])
        for ind in placement.indicators:
            entry = nodes.list_item()
            entry += paragraph(indicator_link(model, model.indicators[ind.indicator], ind.code))
            for sub in model.indicators[ind.indicator].subitems:
                entry += paragraph(*inline_nodes(sub), classes=["comp-subitem"])
            items += entry
        block += items
    return block
