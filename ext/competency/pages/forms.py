"""The HR forms of a model: appraisal form, self-assessment, interview guide and job posting text.

Every form is built from the model as this site publishes it (a utility's wording, exclusions
and additions included), so a form never drifts from the model. What is rated is an indicator
where it is defined (a competency without indicators is rated as a whole); a position that
repeats an indicator (section V) shows its text and names the position where it is rated.
The self-assessment and the posting text work in the browser (static/comp-forms.js): their
controls are written here as escaped HTML, and nothing they hold ever leaves the browser.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.i18n import format_date

from ..sources.model import CompetencyPlacement, IndicatorPlacement, Model
from ..sources.scales import ANCHORS_EDITORIAL_NOTE, QUESTIONS_EDITORIAL_NOTE, SCALE_EDITORIAL_NOTE, Level, RatingScale
from ..sphinx_ext.inline import inline_nodes, plain_text
from ..sphinx_ext.nodes import mark_boxes
from .items import PageContext, page_docname, with_permalink
from .kinds import FORM_PAGES, model_page_title
from .parts import (
    code_node,
    competency_label,
    doc_link,
    heading,
    link,
    page_section,
    paragraph,
    static_script,
    text_paragraphs,
)

#: Model-wide pages printed as forms: a footer with the job, edition and page numbers, no link targets.
PRINTED_FORMS = ("profile", *(kind for kind, _title in FORM_PAGES))
SCRIPT = "comp-forms.js"


def form_links(model: Model) -> list[nodes.paragraph]:
    """One line per form, for the model page and the home page."""
    return [paragraph(doc_link(page_docname(model.id, kind, ""), title)) for kind, title in FORM_PAGES]


# -- what the forms list -------------------------------------------------------------------------------


def _form_sections(model: Model) -> Iterator[tuple[str, list[CompetencyPlacement]]]:
    """(section heading, its competency placements) of every section that lists competencies."""
    for section in model.sections:
        placements = list(section.placements())
        if placements:
            yield section.heading + (f" ({section.qualifier})" if section.qualifier else ""), placements


def _rows(model: Model, placement: CompetencyPlacement) -> Iterator[tuple[str, str, str, str]]:
    """(code, id, text, where it is rated: "" when here) of every line of a competency placement."""
    if not placement.indicators:
        competency = model.competencies[placement.competency]
        if placement.is_reference:
            return
        what = competency.description or f"{competency_label(competency)}, as a whole"
        yield placement.code, competency.id, what, ""
        return
    for ind in placement.indicators:
        yield ind.code, ind.indicator, model.indicators[ind.indicator].text, _rated_at(model, ind)


def _rated_at(model: Model, ind: IndicatorPlacement) -> str:
    return model.home_of_indicator(ind.indicator)[1].code if ind.is_reference else ""


def _heading_of(model: Model, placement: CompetencyPlacement) -> str:
    label = f"{placement.code} {competency_label(model.competencies[placement.competency])}"
    if placement.is_reference:
        label += f" (the same competency as {model.home_of_competency(placement.competency).code})"
    return label


def _job_line(model: Model) -> str:
    variant = model.variant
    return model.title + (f" ({variant.utility_name})" if variant and variant.utility_name else "")


# -- shared parts ----------------------------------------------------------------------------------------


def _rating_row(label: str, levels: Sequence[Level]) -> nodes.table:
    """One row to tick a level in: the label, then a box under each level of the scale."""
    return _table(
        [3, *([2] * len(levels))],
        ["", *(v.label for v in levels)],
        [[label, _boxes(len(levels))]],
        ["comp-form-rating"],
    )


def _table(widths: list[int], head: list[nodes.Node | str] | None, rows: list[list[Any]], classes: list[str]):
    table = nodes.table(classes=["comp-form-table", *classes])
    group = nodes.tgroup(cols=len(widths))
    table += group
    group += [nodes.colspec(colwidth=w) for w in widths]
    if head is not None:
        thead = nodes.thead()
        group += thead
        thead += _row(head)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table


def _row(cells: list[Any]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        if isinstance(cell, mark_boxes):
            row += cell  # its cells, one node
            continue
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += paragraph(cell) if cell else []
        elif isinstance(cell, list) or cell is not None:
            entry += cell
        row += entry
    return row


def _boxes(count: int) -> mark_boxes:
    """A row's cells each holding an empty box to mark by hand."""
    return mark_boxes(count=count)


def _write_space(label: str, lines: int = 3) -> nodes.container:
    """A labelled space to write in by hand."""
    block = nodes.container(classes=["comp-write", f"comp-write-{lines}"])
    block += paragraph(label, classes=["comp-write-label"])
    return block


def _header_fields(model: Model, labels: list[str]) -> nodes.table:
    rows = [[nodes.strong(label, label), _job_line(model) if label in ("Job", "Position") else ""] for label in labels]
    return _table([1, 3], None, rows, ["comp-form-fields"])


def _scale_part(scale: RatingScale | None, instructions: str) -> list[nodes.Node]:
    parts: list[nodes.Node] = [heading("Instructions"), paragraph(instructions)]
    if scale is None:
        parts.append(
            paragraph(
                "This site has no rating scale: write a rating in words. (Maintainers: see the rating scale "
                "in the HR forms guide.)",
                classes=["comp-form-note"],
            )
        )
        return parts
    parts += text_paragraphs(scale.note)
    rows = [[nodes.strong(v.label, v.label), paragraph(*inline_nodes(v.description))] for v in scale.levels]
    parts.append(_table([1, 4], [f"{scale.title} level", "What it means"], rows, ["comp-form-scale"]))
    expected = scale.levels[scale.position(scale.expected)].label
    parts.append(paragraph(f"The job expects “{expected}” or higher for effective performance."))
    if scale.editorial:
        parts.append(paragraph(SCALE_EDITORIAL_NOTE, classes=["comp-editorial"]))
    return parts


def _anchors(model: Model, competency_id: str) -> list[nodes.Node]:
    rating = model.rating
    anchors = rating.anchors.get(competency_id) if rating else None
    if not anchors or rating is None or rating.scale is None:
        return []
    items = nodes.bullet_list(classes=["comp-form-anchors"])
    for level in rating.scale.levels:
        if level.id in anchors:
            entry = nodes.list_item()
            entry += paragraph(nodes.strong(level.label, level.label), ": ", *inline_nodes(anchors[level.id]))
            items += entry
    return [items, paragraph(ANCHORS_EDITORIAL_NOTE, classes=["comp-editorial"])]


def _item_text(model: Model, item_id: str, text: str, rated_at: str) -> list[nodes.Node]:
    kind = "indicator" if item_id in model.indicators else "competency"
    para = paragraph(link(model.id, kind, item_id, inline_nodes(text)))
    if rated_at:
        para += nodes.Text(f" (rated at {rated_at})")
    parts: list[nodes.Node] = [para]
    if kind == "indicator":
        parts += [paragraph(*inline_nodes(s), classes=["comp-subitem"]) for s in model.indicators[item_id].subitems]
    return parts


def _start(ctx: PageContext, kind: str) -> nodes.section:
    page = page_section(kind, ctx.model.id, [nodes.Text(model_page_title(ctx.model.title, kind))])
    page["classes"].append("comp-printed-form")
    return page


def _levels(model: Model) -> tuple:
    return model.rating.scale.levels if model.rating and model.rating.scale else ()


# -- appraisal form --------------------------------------------------------------------------------------


def appraisal_page(ctx: PageContext) -> nodes.section:
    """A printable appraisal form: header fields, instructions, every competency to rate, summary, signatures."""
    model = ctx.model
    page = _start(ctx, "appraisal")
    page += paragraph(
        "Print this form, or fill in the ",
        doc_link(page_docname(model.id, "self-assessment", ""), "self-assessment"),
        " in the browser.",
        classes=["comp-screen-only"],
    )
    page += _header_fields(model, ["Employee", "Job", "Reviewer", "Review period", "Date"])
    scale = model.rating.scale if model.rating else None
    page += _scale_part(
        scale,
        "For each indicator, mark the one level that best describes what the employee usually does, and "
        "note the evidence for your ratings under each competency. An indicator listed again (section V) "
        "is rated where it is first listed.",
    )
    levels = _levels(model)
    for section_heading, placements in _form_sections(model):
        page += heading(section_heading)
        for placement in placements:
            block = nodes.container(classes=["comp-form-competency"])
            block += heading(_heading_of(model, placement), level=3)
            block += _anchors(model, placement.competency) if not placement.is_reference else []
            rows = []
            for code, item_id, text, rated_at in _rows(model, placement):
                if levels:
                    marks = [None] * len(levels) if rated_at else [_boxes(len(levels))]
                else:
                    marks = ["" if rated_at else None]
                rows.append([code, _item_text(model, item_id, text, rated_at), *marks])
            if rows:
                head = ["Code", "Indicator", *(v.label for v in levels)] if levels else ["Code", "Indicator", "Rating"]
                widths = [2, 9, *([2] * len(levels))] if levels else [2, 9, 4]
                block += _table(widths, head, rows, ["comp-form-rating"])
            if not placement.is_reference:
                block += _write_space("Evidence and comments")
            page += block
    page += heading("Overall summary")
    page += _write_space("Strengths", 3)
    page += _write_space("Areas to develop, and how", 3)
    if levels:
        page += _rating_row("Overall rating", levels)
    page += _signatures(["Employee", "Reviewer"])
    return with_permalink(ctx, page)


def _signatures(who: list[str]) -> list[nodes.Node]:
    block = nodes.container(classes=["comp-form-signatures"])
    block += heading("Signatures")
    block += _table([2, 4, 2], ["", "Signature", "Date"], [[person, "", ""] for person in who], ["comp-form-sign"])
    return [block]


# -- interview guide ---------------------------------------------------------------------------------------


def interview_page(ctx: PageContext) -> nodes.section:
    """What to probe in an interview: each competency, its indicators, the questions, notes and a rating."""
    model = ctx.model
    page = _start(ctx, "interview")
    page += _header_fields(model, ["Candidate", "Position", "Interviewer", "Date"])
    scale = model.rating.scale if model.rating else None
    page += _scale_part(
        scale,
        "For each competency, ask for recent examples of the behaviours listed, note what the candidate "
        "says and does, and mark one level.",
    )
    levels = _levels(model)
    questions = model.rating.questions if model.rating else {}
    for section_heading, placements in _form_sections(model):
        own = [p for p in placements if not p.is_reference]
        if not own:
            continue
        page += heading(section_heading)
        for placement in own:
            block = nodes.container(classes=["comp-form-competency"])
            block += heading(_heading_of(model, placement), level=3)
            block += paragraph("Look for:", classes=["comp-form-label"])
            look_for = nodes.bullet_list(classes=["comp-form-lookfor"])
            for code, item_id, text, rated_at in _rows(model, placement):
                entry = nodes.list_item()
                entry += paragraph(code_node(code), " ")
                entry[0] += _item_text(model, item_id, text, rated_at)[0].children
                look_for += entry
            block += look_for
            asked = questions.get(placement.competency, ())
            if asked:
                block += paragraph("Questions:", classes=["comp-form-label"])
                listing = nodes.enumerated_list(classes=["comp-form-questions"])
                for question in asked:
                    entry = nodes.list_item()
                    entry += paragraph(*inline_nodes(question))
                    listing += entry
                block += listing
                block += paragraph(QUESTIONS_EDITORIAL_NOTE, classes=["comp-editorial"])
            block += _anchors(model, placement.competency)
            block += _write_space("Notes", 3)
            if levels:
                block += _rating_row("Rating", levels)
            page += block
    page += heading("Overall")
    page += _write_space("Recommendation and reasons", 3)
    page += _signatures(["Interviewer"])
    return with_permalink(ctx, page)


# -- self-assessment ---------------------------------------------------------------------------------------


def _raw(markup: str) -> nodes.raw:
    return nodes.raw("", markup, format="html")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def self_assessment_page(ctx: PageContext) -> nodes.section:
    """The form working in the browser: answers kept in this browser only, exported and imported as files."""
    model = ctx.model
    page = _start(ctx, "self-assessment")
    variant = model.utility or "generic"
    scale = model.rating.scale if model.rating else None
    page += paragraph(
        "Choose a level for each indicator and write notes. Your answers are kept in this browser only, "
        "on this computer, for this job and this site; nothing is sent anywhere. Export them to keep a copy "
        "or to move them to another computer, and import them again there.",
    )
    page += _raw(
        '<div class="comp-sa-tools comp-screen-only" role="group" aria-label="Your answers">'
        '<button type="button" data-sa-action="export-csv">Export as CSV</button>'
        '<button type="button" data-sa-action="export-json">Export as JSON</button>'
        '<label class="comp-sa-import">Import a CSV or JSON file '
        '<input type="file" id="comp-sa-import" accept=".csv,.json,text/csv,application/json"></label>'
        '<button type="button" data-sa-action="print">Print with answers</button>'
        '<button type="button" data-sa-action="clear">Clear all answers</button>'
        '<p class="comp-sa-status" id="comp-sa-status" role="status" aria-live="polite"></p></div>'
    )
    page += _header_fields(model, ["Name", "Job", "Date"])
    page += _scale_part(
        scale,
        "For each indicator, choose the level that best describes what you usually do. An indicator listed "
        "again (section V) is rated where it is first listed.",
    )
    levels = _levels(model)
    data = {
        "model": model.id,
        "variant": variant,
        "levels": [{"id": v.id, "label": v.label} for v in levels],
        "expected": scale.expected if scale else None,
        "family": ctx.family is not None,
    }
    form = nodes.container(ids=["comp-self-assessment"], classes=["comp-sa-form"])
    # In an attribute, escaped: no text of the sources ever stands inside a script element.
    form += _raw(f'<div id="comp-sa-data" hidden data-form="{_e(json.dumps(data, sort_keys=True))}"></div>')
    for section_heading, placements in _form_sections(model):
        form += heading(section_heading)
        for placement in placements:
            block = nodes.container(classes=["comp-form-competency"])
            block += heading(_heading_of(model, placement), level=3)
            block += _anchors(model, placement.competency) if not placement.is_reference else []
            block += _raw("".join(_rating_html(model, placement, row, levels) for row in _rows(model, placement)))
            if not placement.is_reference:
                competency = model.competencies[placement.competency]
                field_id = f"comp-sa-note-{competency.id}"
                block += _raw(
                    f'<div class="comp-sa-note"><label for="{field_id}">Notes and evidence: '
                    f"{_e(competency_label(competency))}</label>"
                    f'<textarea id="{field_id}" data-sa-note="{_e(competency.id)}" rows="3"></textarea></div>'
                )
            form += block
    page += form
    page += heading("Summary: strengths and gaps")
    page += _raw('<div id="comp-sa-summary" class="comp-sa-summary"><p>Choose levels above to see a summary.</p></div>')
    page += heading("Against a target job")
    if ctx.family is not None and len(ctx.family.models) > 1:
        others = [m for m in ctx.family.models if m.id != model.id]
        options = "".join(f'<option value="{_e(m.id)}">{_e(m.title)}</option>' for m in others)
        page += _raw(
            '<div class="comp-sa-target"><label for="comp-sa-target">Target job</label> '
            f'<select id="comp-sa-target"><option value="">Choose a job</option>{options}</select>'
            '<div id="comp-sa-develop" aria-live="polite"></div></div>'
            '<script src="../shared/family-data.js"></script>'
        )
    else:
        page += paragraph(
            "This site has no family of jobs, so there is no other job to compare with. On a site whose jobs "
            "share competencies, this part shows what to develop for a target job.",
            classes=["comp-form-note"],
        )
    page += _raw(static_script("../", SCRIPT))
    return with_permalink(ctx, page)


def _rating_html(model: Model, placement: CompetencyPlacement, row: tuple[str, str, str, str], levels) -> str:
    code, item_id, text, rated_at = row
    label = f'<span class="comp-code">{_e(code)}</span> {_e(plain_text(text))}'
    subitems = model.indicators[item_id].subitems if item_id in model.indicators else ()
    subs = "".join(f'<span class="comp-subitem">{_e(plain_text(s))}</span>' for s in subitems)
    if rated_at:
        return f'<p class="comp-sa-repeat">{label} (rated at {_e(rated_at)}){subs}</p>'
    if not levels:
        field_id = f"comp-sa-rate-{item_id}"
        return (
            f'<div class="comp-sa-item"><label for="{field_id}">{label}</label>{subs}'
            f'<input type="text" id="{field_id}" data-sa-rating-text="{_e(item_id)}"></div>'
        )
    options = "".join(
        f'<label class="comp-sa-level"><input type="radio" name="comp-sa-{_e(item_id)}" value="{_e(v.id)}" '
        f'data-sa-rating="{_e(item_id)}"> {_e(v.label)}</label>'
        for v in levels
    )
    return (
        f'<fieldset class="comp-sa-item" data-sa-item="{_e(item_id)}" data-sa-code="{_e(code)}" '
        f'data-sa-text="{_e(plain_text(text))}"><legend>{label}</legend>{subs}'
        f'<div class="comp-sa-levels">{options}</div></fieldset>'
    )


# -- job posting text ----------------------------------------------------------------------------------------


def posting_page(ctx: PageContext) -> nodes.section:
    """Choose competencies and indicators and copy them, with codes and permanent links, into a posting."""
    model = ctx.model
    page = _start(ctx, "posting")
    page += paragraph(
        "Choose the competencies and indicators a job posting should name, then copy them as plain text, "
        "Markdown or HTML. Each item keeps its code and its permanent link."
    )
    base = ctx.base_url.rstrip("/") + "/" if ctx.base_url else ""
    parts = [
        f'<div class="comp-posting" id="comp-posting" data-title="{_e(_job_line(model))}" data-base="{_e(base)}">',
        '<div class="comp-posting-tools" role="group" aria-label="Choose">'
        '<button type="button" data-posting-action="all">Choose all</button>'
        '<button type="button" data-posting-action="none">Choose none</button></div>',
    ]
    for section_heading, placements in _form_sections(model):
        own = [p for p in placements if not p.is_reference]
        if not own:
            continue
        parts.append(f"<h2>{_e(section_heading)}</h2>")
        for placement in own:
            competency = model.competencies[placement.competency]
            docname = page_docname(model.id, "competency", competency.id)
            parts.append(
                f'<fieldset class="comp-posting-competency"><legend><label><input type="checkbox" checked '
                f'data-posting-competency="{_e(competency.id)}" data-code="{_e(placement.code)}" '
                f'data-text="{_e(competency_label(competency))}" data-page="{_e(docname)}.html"> '
                f'<span class="comp-code">{_e(placement.code)}</span> {_e(competency_label(competency))}'
                "</label></legend>"
            )
            for ind in placement.indicators:
                indicator = model.indicators[ind.indicator]
                page_name = page_docname(model.id, "indicator", indicator.id)
                parts.append(
                    f'<label class="comp-posting-indicator"><input type="checkbox" checked '
                    f'data-posting-indicator="{_e(indicator.id)}" data-code="{_e(ind.code)}" '
                    f'data-text="{_e(plain_text(indicator.text))}" data-page="{_e(page_name)}.html"> '
                    f'<span class="comp-code">{_e(ind.code)}</span> {_e(plain_text(indicator.text))}</label>'
                )
            parts.append("</fieldset>")
    parts.append(
        '<div class="comp-posting-copy" role="group" aria-label="Copy">'
        '<button type="button" data-posting-format="text">Copy as plain text</button>'
        '<button type="button" data-posting-format="markdown">Copy as Markdown</button>'
        '<button type="button" data-posting-format="html">Copy as HTML</button>'
        '<p id="comp-posting-status" role="status" aria-live="polite"></p></div>'
        '<label for="comp-posting-preview">What is copied</label>'
        '<textarea id="comp-posting-preview" readonly rows="12"></textarea></div>' + static_script("../", SCRIPT)
    )
    page += _raw("".join(parts))
    return with_permalink(ctx, page)


FORM_BUILDERS = {
    "appraisal": appraisal_page,
    "self-assessment": self_assessment_page,
    "interview": interview_page,
    "posting": posting_page,
}


# -- printing ------------------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the style element or the string."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;()'-–·/&" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def print_footer(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: printed forms and the job profile carry the job, edition and page numbers."""
    from ..sphinx_ext.config import competency_config
    from ..sphinx_ext.state import site_of

    parts = pagename.split("/")
    if len(parts) != 2 or parts[1] not in PRINTED_FORMS or doctree is None:
        return
    model = site_of(app.env).models.get(parts[0])
    if model is None:
        return
    title = dict(FORM_PAGES).get(parts[1], "Job profile")
    settings = competency_config(app.config)
    if settings.edition:  # an edition's own build: the edition HR cites, as its banner and exports name it
        version = f"edition {settings.edition} ({settings.edition_date})"
    else:  # the current site: the date of its sources (a later edition may differ from it)
        version = "sources of " + (
            app.config.today or format_date(app.config.today_fmt or "%Y-%m-%d", language=app.config.language)
        )
    footer = f"{_job_line(model)} · {title} · {version}"
    context["metatags"] = context.get("metatags", "") + (
        "\n<style>@media print { @page { @bottom-left { content: "
        f"{_css_string(footer)}; font-size: 8pt; }} "
        '@bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } } }</style>'
    )


def setup_form_pages(app: Sphinx) -> None:
    app.add_css_file("comp-forms.css")
    app.connect("html-page-context", print_footer)
