"""What a utility changed, shown on the pages it changed: notices and the departments it names."""

from __future__ import annotations

from docutils import nodes

from ..sources.model import Model
from ..sphinx_ext.inline import inline_nodes
from .parts import bullet_list, doc_link, heading, paragraph

#: How a reworded field is named on the pages.
FIELD_NAMES = {
    "text": "wording",
    "title": "title",
    "qualifier": "qualifier",
    "description": "description",
    "preamble": "introduction",
    "note": "note",
    "source": "source",
}


def variant_notice(model: Model, item_id: str, docname: str, generic_href: str) -> list[nodes.Node]:
    """On a page whose item the utility reworded or added: what it changed, and the generic model's wording."""
    variant = model.variant
    if variant is None or not variant.utility_name:
        return []
    if item_id in variant.reworded:
        box = nodes.admonition(classes=["comp-variant-change"])
        box += nodes.title("", f"Changed for {variant.utility_name}")
        box += paragraph(
            f"{variant.utility_name} words this item differently from the generic model. The generic model's wording:"
        )
        for name, generic in variant.reworded[item_id].items():
            box += paragraph(nodes.strong("", f"{FIELD_NAMES.get(name, name).capitalize()}: "), *inline_nodes(generic))
        box += generic_pointer("See this item in the generic model", docname, generic_href)
        return [box]
    if item_id in variant.added:
        kind = model.kind_of(item_id) or "item"
        box = nodes.admonition(classes=["comp-variant-change", "comp-variant-added"])
        box += nodes.title("", f"Added by {variant.utility_name}")
        box += paragraph(
            f"This {kind} is {variant.utility_name}'s own: the generic {model.title} model does not have it. ",
            doc_link(f"{model.id}/variant", f"Everything {variant.utility_name} changes"),
            ".",
        )
        return [box]
    return []


def generic_pointer(label: str, docname: str, generic_href: str) -> nodes.paragraph:
    """A link to the generic site's page when its address is configured; else where that page is, as text."""
    if generic_href:
        return paragraph(nodes.reference("", label, refuri=generic_href, classes=["comp-generic-link"]))
    return paragraph(
        "In the generic site this is the page ",
        nodes.literal("", f"{docname}.html"),
        ".",
        classes=["comp-site-where"],
    )


def departments(model: Model, responsibility: str | None) -> list[nodes.Node]:
    """The utility's departments (all of them, or those a responsibility refers customers to)."""
    variant = model.variant
    chosen = [
        d
        for d in (variant.departments if variant else ())
        if responsibility is None or d.responsibility == responsibility
    ]
    if not chosen:
        return []
    return [
        heading("Departments customers are referred to"),
        bullet_list(paragraph(nodes.strong("", d.name), f": {d.handles}") for d in chosen),
    ]
