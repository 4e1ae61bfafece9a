"""The pages each model has besides its items' pages, by kind: named once for the URLs, the stubs,
the sidebar and the forms."""

from __future__ import annotations

#: The overview pages of a model, in the sidebar's order: (kind, label).
OVERVIEW_PAGES = (
    ("matrix", "Responsibilities and competencies"),
    ("profile", "Job profile"),
    ("variant", "Utility variants"),
)
#: The form pages of every model (forms.py): (page kind, what the page is called), in the order pages list them.
FORM_PAGES = (
    ("appraisal", "Appraisal form"),
    ("self-assessment", "Self-assessment"),
    ("interview", "Interview guide"),
    ("posting", "Job posting text"),
)
#: Model-wide pages (one each per model, at <model-id>/<kind>.html): the overviews and the HR forms.
MODEL_WIDE_PAGES = tuple(kind for kind, _label in (*OVERVIEW_PAGES, *FORM_PAGES))
#: Item pages written straight from the model, without a document (theme/direct_pages.py): one per
#: competency, indicator and responsibility, nearly all of a site's pages, each built from what the
#: extension already knows.
DIRECT_PAGES = ("competency", "indicator", "responsibility")


def is_direct_page(stub: dict[str, str]) -> bool:
    """Whether a page (by its stub) is written without a document: a model's indicator pages, in
    every variant (live, left out or another utility's), so the stubs stay the same for all of them."""
    return stub.get("page") in DIRECT_PAGES
