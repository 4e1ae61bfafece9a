"""What a utility changed, shown on the pages it changed: notices and the departments it names."""

from __future__ import annotations

from docutils import nodes

from .inline import inline_nodes
from .model import Model
from .page_parts import bullet_list, heading, paragraph

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


def variant_notice(model: Model, item_id: str, generic_href: str) -> list[nodes.Node]:
    """On a page whose item the utility reworded: its name, and the model's own wording."""
    variant = model.variant
    if variant is None or not variant.utility_name or item_id not in variant.reworded:
        return []
    box = nodes.admonition(classes=["comp-variant-change"])
    box += nodes.title("", f"Changed for {variant.utility_name}")
    box += paragraph(
        f"{variant.utility_name} words this item differently from the generic model. The generic model's wording:"
    )
    for name, generic in variant.reworded[item_id].items():
        box += paragraph(nodes.strong("", f"{FIELD_NAMES.get(name, name).capitalize()}: "), *inline_nodes(generic))
    box += paragraph(
        nodes.reference(
            "",
            "See this item in the generic model",
            refuri=generic_href,
            classes=["comp-generic-link"],
        )
    )
    return [box]


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
