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


def model_page_title(model_title: str, kind: str) -> str:
    """The title of a model's overview or form page: "<model title>: <what the page is>" (the
    variant page's names the utility in a utility's site: pages/variant.py)."""
    label = dict((*OVERVIEW_PAGES, *FORM_PAGES))[kind]
    return f"{model_title}: {label.lower()}"


#: Model-wide pages (one each per model, at <model-id>/<kind>.html): the overviews and the HR forms.
MODEL_WIDE_PAGES = tuple(kind for kind, _label in (*OVERVIEW_PAGES, *FORM_PAGES))
#: Every page of a model's own is written straight from the model, without a document
#: (theme/direct_pages.py): the model's page, its overview and form pages, and one page per section,
#: competency, indicator and responsibility, nearly all of a site's pages, each built from what the
#: extension already knows. (Withdrawn items' and former ids' pages stay documents: they are few.)
DIRECT_PAGES = ("model", *MODEL_WIDE_PAGES, "section", "competency", "indicator", "responsibility")


def is_direct_page(stub: dict[str, str]) -> bool:
    """Whether a page (by its stub) is written without a document: a model's own pages, in every
    variant (live, left out or another utility's), so the stubs stay the same for all of them."""
    return stub.get("page") in DIRECT_PAGES
