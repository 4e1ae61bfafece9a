"""What item pages show of the editions: how to cite the item (its permanent link and a link pinned
to the current edition), its history, and on a withdrawal page the last edition that had it.

Links into an edition are plain relative addresses (`editions/<name>/<page>.html`): the editions are
separate builds published into the same site (edition_build.py), so Sphinx cannot resolve them, and
they never move.
"""

from __future__ import annotations

from docutils import nodes

from ..changes.history import EditionIndex, Event, ItemHistory
from ..sphinx_ext.inline import inline_nodes
from .items import PageContext
from .kinds import MODEL_WIDE_PAGES
from .parts import bullet_list, display, heading, paragraph

FIELD_WORDS = {"text": "wording", "title": "title", "subitems": "sub-items"}


def edition_href(ctx_docname: str, edition: str, docname: str, base_url: str = "") -> str:
    """The address of a page of an edition, from a page of the current site (in full with a base URL)."""
    path = f"editions/{edition}/{docname}.html"
    if base_url:
        return base_url.rstrip("/") + "/" + path
    return "../" * ctx_docname.count("/") + path


def address_link(text: str, uri: str, classes: tuple[str, ...] = ()) -> nodes.reference:
    return nodes.reference("", text, refuri=uri, classes=list(classes))


def _named(index: EditionIndex, name: str) -> str:
    edition = index.edition(name)
    return f"edition {edition.name} ({edition.date})"


# -- the current site's item pages --------------------------------------------------------------------


def edition_parts(ctx: PageContext, kind: str, index: EditionIndex | None) -> list[nodes.Node]:
    """How to cite a live item, and its history: appended to its page when the site has editions."""
    if index is None or kind == "model":
        return []
    history = index.histories.get(f"{ctx.model.id}/{ctx.item}")
    if history is None:
        return []
    return [_cite(ctx, kind, index, history), *_history(ctx, index, history)]


def _cite(ctx: PageContext, kind: str, index: EditionIndex, history: ItemHistory) -> nodes.container:
    latest = index.latest
    box = nodes.container(classes=["comp-cite"])
    shown = display(ctx.model, kind, ctx.item)
    pinned = dict(history.pages).get(latest.name)
    if pinned is not None and not history.unreleased:
        uri = edition_href(ctx.docname, latest.name, pinned, ctx.base_url)
        shown_uri = edition_href("", latest.name, pinned, ctx.base_url)  # from the site's root, as HR copies it
        box += paragraph(
            nodes.strong("This wording, pinned: ", "This wording, pinned: "),
            address_link(shown_uri, uri, ("comp-pinned-link",)),
            f" (edition {latest.name}: it never changes; the permanent link above always shows the current wording).",
            classes=["comp-cite-pinned"],
        )
        cite = f"{shown}. {ctx.model.title}, edition {latest.name} ({latest.date}). {shown_uri}"
    else:
        box += paragraph(
            nodes.strong("Not yet in an edition: ", "Not yet in an edition: "),
            f"this wording is newer than edition {latest.name} ({latest.date}); it gets a pinned link when the "
            "next edition is released.",
            *_earlier(ctx.docname, latest.name, pinned),
            classes=["comp-cite-pinned"],
        )
        cite = f"{shown}. {ctx.model.title}, current wording after edition {latest.name} ({latest.date})."
    how = nodes.strong("How to cite: ", "How to cite: ")
    box += paragraph(how, nodes.literal(cite, cite), classes=["comp-cite-how"])
    return box


def _earlier(docname: str, edition: str, pinned: str | None) -> list[nodes.Node | str]:
    if pinned is None:
        return []
    return [" The wording of edition ", address_link(edition, edition_href(docname, edition, pinned)), " is kept."]


def _history(ctx: PageContext, index: EditionIndex, history: ItemHistory) -> list[nodes.Node]:
    lines = [_event_line(ctx, index, event, history) for event in history.events]
    result: list[nodes.Node] = [heading("History"), bullet_list(lines, classes=["comp-history"])]
    if history.pages:
        editions = paragraph("In each edition: ", classes=["comp-history-editions"])
        for n, (name, docname) in enumerate(history.pages):
            if n:
                editions += nodes.Text(" · ")
            editions += address_link(f"{name} ({index.edition(name).date})", edition_href(ctx.docname, name, docname))
        result.append(editions)
    return result


def _when(index: EditionIndex, event: Event) -> str:
    if event.edition:
        return f"in {_named(index, event.edition)}"
    return f"since edition {index.latest.name} (not yet released)"


def _event_line(ctx: PageContext, index: EditionIndex, event: Event, history: ItemHistory) -> nodes.paragraph:
    when = _when(index, event)
    if event.change == "added":
        return paragraph(f"Added {when}.", classes=["comp-history-added"])
    if event.change == "renamed":
        return paragraph(f"Renamed {when}: formerly ", nodes.literal(event.old, event.old), ".")
    if event.change == "moved":
        return paragraph(f"Moved {when}: {event.old} → {event.new}.", classes=["comp-history-moved"])
    what = FIELD_WORDS.get(event.field, event.field)
    line = paragraph(f"Reworded {when} ({what}); the earlier wording: ", classes=["comp-history-reworded"])
    if event.old:
        line += nodes.inline("", "", *inline_nodes(event.old), classes=["comp-history-old"])
    else:
        line += nodes.Text("(none)")
    return line


def last_edition_parts(ctx: PageContext, kind: str, index: EditionIndex | None) -> list[nodes.Node]:
    """On a withdrawal page: the last edition that had the item, and a link to it there."""
    if index is None or kind in MODEL_WIDE_PAGES:
        return []
    key = ctx.item if kind == "model" else f"{ctx.model.id}/{ctx.item}"
    seen = index.last_seen.get(key) if kind != "model" else None
    if seen is None:
        return []
    name, docname = seen
    return [
        paragraph(
            f"Last published in {_named(index, name)}: ",
            address_link("see it as it stood", edition_href(ctx.docname, name, docname), ("comp-last-edition",)),
            ".",
            classes=["comp-withdrawn-edition"],
        )
    ]
