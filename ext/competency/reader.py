"""Reading a stub: the source parser that builds an item page from the model.

Stubs are registered as their own source type, so Sphinx hands them to this
parser instead of reStructuredText or MyST: the page is built directly as
nodes from the loaded model (no text is ever parsed as markup), the model file
is declared as the page's dependency, and the page's objects are recorded in
the comp domain.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from docutils.parsers import Parser
from sphinx.util import logging

from .config import competency_config
from .domain import CompetencyDomain, ObjectEntry
from .model import Model
from .overview_pages import matrix_page, profile_page
from .page_parts import display
from .pages import PAGE_BUILDERS, PageContext
from .state import indicator_order, site_of

logger = logging.getLogger(__name__)

BUILDERS = {**PAGE_BUILDERS, "matrix": matrix_page, "profile": profile_page}


class CompetencyPageParser(Parser):
    """Parses the `.comp` stubs written by stubs.py."""

    supported = ("competency",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.current_document.docname
        stub: dict[str, str] = json.loads(inputstring)
        site = site_of(env)
        model = site.models.get(stub["model"])
        if model is None or stub["page"] not in BUILDERS:
            # A stub left from a removed model; stubs.py removes these, so only a hand-made file gets here.
            logger.warning("%s is not a page of any model", docname, type="competency", subtype="stub",
                           location=docname)
            return
        env.note_dependency(str(model.path))
        ctx = PageContext(model=model, item=stub["item"], docname=docname,
                          base_url=competency_config(env.config).base_url)
        document += BUILDERS[stub["page"]](ctx)
        _record_objects(env.get_domain("comp"), model, stub["page"], stub["item"], docname)


def _record_objects(domain: Any, model: Model, page: str, item: str, docname: str) -> None:
    assert isinstance(domain, CompetencyDomain)
    if page in ("matrix", "profile"):
        return
    fullname = model.id if page == "model" else f"{model.id}/{item}"
    parent = order = ""
    if page == "indicator":
        competency, placement = model.home_of_indicator(item)
        parent = f"{model.title}: {display(model, 'competency', competency.competency)}"
        order = f"{model.id}/{indicator_order(model)[item]:06d}"
    domain.note_object(page, fullname, ObjectEntry(docname, "", display(model, page, item), parent, order),
                       location=docname)
