"""What a utility's variant adds to pages: change notices, pages of items it does not use,
redirects from former ids, withdrawal pages, and the summary of everything it changes."""

from __future__ import annotations

from docutils import nodes

from ..sources.model import Model
from ..sphinx_ext.config import GENERIC
from ..sphinx_ext.inline import inline_nodes, plain_text
from .items import PageContext, page_docname, with_permalink
from .kinds import MODEL_WIDE_PAGES
from .parts import (
    bullet_list,
    competency_label,
    display,
    doc_link,
    heading,
    item_title,
    link,
    page_section,
    paragraph,
)
from .variant_notes import FIELD_NAMES, departments, generic_pointer


def unused_page(ctx: PageContext, kind: str) -> nodes.section:
    """An item of the model that this site does not use: the URL still works, and says why.

    Its title has no code: the site's own items are numbered without it, so its generic code may be
    another item's here.
    """
    written, model = ctx.written, ctx.model
    page = page_section(kind, ctx.item, [nodes.Text(item_title(written, kind, ctx.item))])
    variant = model.variant
    reason = variant.excluded.get(ctx.item, "") if variant else ""
    who = variant.utility_name if variant and variant.utility_name else "This site"
    page += paragraph(f"{who} does not use this {kind}", f" ({reason})." if reason else ".", classes=["comp-unused"])
    page += heading("The generic definition")
    page += paragraph(*inline_nodes(_definition(written, kind, ctx.item)), classes=["comp-lead"])
    if model.utility:
        page += generic_pointer("See it in the generic model", ctx.docname, ctx.site_page(GENERIC, ctx.docname))
    page += paragraph(link(model.id, "model", model.id, f"Back to {model.title}"))
    return with_permalink(ctx, page)


def foreign_page(ctx: PageContext, kind: str, owners: list[tuple[str, str, str]]) -> nodes.section:
    """An item another utility added: not part of this site, but its URL does not break."""
    model = ctx.model
    text = owners[0][2]
    page = page_section(kind, ctx.item, [nodes.Text(plain_text(text))])
    names = ", ".join(name for _tag, name, _text in owners)
    page += paragraph(
        f"This {kind} is an addition of {names} to the {model.title} model. It is not part of this site.",
        classes=["comp-unused"],
    )
    for tag, name, _text in owners:
        href = ctx.site_page(tag, ctx.docname)
        if href:  # only where that utility's site has a configured address
            page += paragraph(nodes.reference("", f"See it on {name}'s site", refuri=href, classes=["comp-site-link"]))
    page += paragraph(link(model.id, "model", model.id, f"Back to {model.title}"))
    return with_permalink(ctx, page)


def redirect_page(ctx: PageContext, kind: str, alias: str) -> nodes.section:
    """The page at a former id's URL: a link (and, in HTML, an immediate redirect) to the current page."""
    page = page_section("redirect", alias, [nodes.Text(f"Moved: {alias}")])
    target = page_docname(ctx.model.id, kind, ctx.item)
    what = kind if kind in ("section", "competency", "indicator", "responsibility") else "page"
    page += paragraph(
        f"This {what} was renamed. Its page is now ",
        doc_link(target, ctx.shown_as(kind)),
        ". Please update your link.",
    )
    return page


def withdrawn_page(ctx: PageContext, kind: str, replacement_title: str = "") -> nodes.section:
    """The page at a withdrawn item's URL (or any page of a withdrawn model): it says so, shows the
    last wording and links to what replaces it. It is built from the withdrawal record in the sources."""
    written = ctx.written
    record = written.withdrawn.get(ctx.item) if kind != "model" else None
    withdrawal = written.withdrawal
    what = kind if kind in ("section", "competency", "indicator", "responsibility") else "competency model"
    if record is not None:
        wording, since, note = record.wording, record.since, record.note
        title = plain_text(wording)
        said = f"This {what} was withdrawn from the {written.title} model ({since})."
    elif kind == "model" or kind in MODEL_WIDE_PAGES or withdrawal is None:
        wording, title = "", written.title
        since, note = (withdrawal.since, withdrawal.note) if withdrawal else ("", None)
        said = f"The {written.title} competency model was withdrawn ({since})."
    else:  # an item of a withdrawn model, as the model last had it
        wording, title = _definition(written, kind, ctx.item), display(written, kind, ctx.item)
        since, note = withdrawal.since, withdrawal.note
        said = f"This {what} was part of the {written.title} competency model, which was withdrawn ({since})."
    page = page_section("withdrawn", ctx.item, [nodes.Text(f"Withdrawn: {title}")])
    page += paragraph(said, classes=["comp-withdrawn"])
    if note:
        page += paragraph(*inline_nodes(note), classes=["comp-withdrawn-note"])
    if wording:
        page += heading("Its last wording")
        page += paragraph(*inline_nodes(wording), classes=["comp-lead"])
    if record is not None and record.replaced_by:
        replacement = record.replaced_by
        target_kind = written.kind_of(replacement) or ""
        page += paragraph(
            f"It is replaced by the {target_kind} ",
            link(written.id, target_kind, replacement, display(written, target_kind, replacement)),
            ".",
            classes=["comp-withdrawn-replacement"],
        )
    elif withdrawal is not None and withdrawal.replaced_by:
        page += paragraph(
            "It is replaced by the ",
            link(withdrawal.replaced_by, "model", withdrawal.replaced_by, replacement_title or withdrawal.replaced_by),
            " model.",
            classes=["comp-withdrawn-replacement"],
        )
    if withdrawal is None:
        page += paragraph(link(written.id, "model", written.id, f"Back to {written.title}"))
    return with_permalink(ctx, page)


def variant_page(ctx: PageContext) -> nodes.section:
    """Everything a utility's variant leaves out, adds and rewords, compared with the generic model."""
    model, written = ctx.model, ctx.written
    variant = model.variant
    if variant is None or not variant.utility_name:
        page = page_section("variant", model.id, [nodes.Text(f"{model.title}: utility variants")])
        page += paragraph(
            "This is the generic model. Each utility's site shows its own variant of it: what "
            "it leaves out, adds and rewords is listed on the same page of that site."
        )
        if ctx.utilities:
            page += heading("Utilities that adapt this model")
            page += bullet_list(_utility_entry(ctx, tag, name) for tag, name in ctx.utilities)
        else:
            page += paragraph("No utility adapts this model yet.")
        return with_permalink(ctx, page)
    page = page_section("variant", model.id, [nodes.Text(f"{model.title}: {variant.utility_name}'s variant")])
    page += paragraph(f"How {variant.utility_name} adapts the generic {model.title} model.")
    for note in variant.notes:
        page += paragraph(*inline_nodes(note), classes=["comp-local-note"])
    page += heading("Left out")
    page += _listing(
        [
            # By title alone, linked to its page here: its generic code may be another item's in this site.
            paragraph(
                link(model.id, written.kind_of(i) or "", i, item_title(written, written.kind_of(i) or "", i)),
                f" ({why})",
            )
            for i, why in variant.excluded.items()
            if written.kind_of(i)
        ]
    )
    page += heading("Added")
    page += _listing(
        [
            paragraph(link(model.id, model.kind_of(i) or "", i, display(model, model.kind_of(i) or "", i)))
            for i in variant.added
            if model.kind_of(i)
        ]
    )
    page += heading("Reworded")
    page += _listing([_reworded(model, item_id, fields) for item_id, fields in variant.reworded.items()])
    page += departments(model, None)
    return with_permalink(ctx, page)


def _utility_entry(ctx: PageContext, tag: str, name: str) -> nodes.paragraph:
    """A utility that adapts the model: linked to its site's page when that site's address is configured."""
    href = ctx.site_page(tag, ctx.docname)
    if href:
        return paragraph(nodes.reference("", name, refuri=href))
    where = nodes.literal("", f"{ctx.docname}.html")
    return paragraph(name, " (in its own site, the page ", where, ")", classes=["comp-site-where"])


def _reworded(model: Model, item_id: str, fields: dict[str, str]) -> list[nodes.Node]:
    kind = model.kind_of(item_id)
    name = display(model, kind, item_id) if kind and kind != "model" else model.title
    head = paragraph(link(model.id, kind, item_id, name) if kind else name)
    changes = [
        paragraph(f"{FIELD_NAMES.get(f, f).capitalize()}, generic wording: ", *inline_nodes(old))
        for f, old in fields.items()
    ]
    return [head, bullet_list(changes)]


def _listing(items: list) -> nodes.Node:
    return bullet_list(items) if items else paragraph("Nothing.")


def _definition(model: Model, kind: str, item_id: str) -> str:
    if kind == "competency":
        competency = model.competencies[item_id]
        return competency_label(competency) + (f": {competency.description}" if competency.description else "")
    if kind == "indicator":
        return model.indicators[item_id].text
    if kind == "responsibility":
        return model.responsibilities[item_id].text
    return model.section(item_id).title
