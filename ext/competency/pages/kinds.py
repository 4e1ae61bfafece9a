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
