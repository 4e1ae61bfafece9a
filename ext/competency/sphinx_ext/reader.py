"""Reading a stub: the source parser that builds an item page from the model.

Stubs are registered as their own source type, so Sphinx hands them to this
parser instead of reStructuredText or MyST: the page is built directly as
nodes from the loaded model (no text is ever parsed as markup), the source
files are declared as the page's dependencies, and the page's objects are
recorded in the comp domain.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from docutils.parsers import Parser
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..pages.dispatch import build_page, page_context
from ..pages.family import read_family_page
from ..pages.items import PageContext, page_docname
from ..pages.kinds import MODEL_WIDE_PAGES
from .config import competency_config
from .digests import page_digest
from .domain import CompetencyDomain, ObjectEntry, comp_domain
from .state import site_of
from .warning_types import Subtype

logger = logging.getLogger(__name__)


class CompetencyPageParser(Parser):
    """Parses the `.comp` stubs written by stubs.py."""

    supported = ("competency",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        # Published wording is shown exactly ("--" stays "--"), whatever conf.py says of smart quotes.
        document.settings.smart_quotes = False
        docname = env.current_document.docname
        stub: dict[str, str] = json.loads(inputstring)
        if stub.get("family"):  # a page of the family of jobs (pages/family.py)
            read_family_page(env, document, stub, docname)
            return
        site = site_of(env)
        model = site.any_model(stub["model"])
        if model is None:
            # A stub of a removed model; stubs.py removes these, so only a hand-made file gets here.
            logger.warning(
                "%s is not a page of any model", docname, type="competency", subtype=Subtype.STUB, location=docname
            )
            return
        # No dependency on the model file: the page's digest, kept below, lets an edit re-read exactly
        # the pages that show the edited item (digests.py). A withdrawn model's pages are few and
        # have no digests: they depend on its file.
        if model.withdrawal is not None:
            replacement = site.models.get(model.withdrawal.replaced_by or "")
            for path in (model.path, *([replacement.path] if replacement else [])):  # it shows its title
                env.note_dependency(str(path))
        settings = competency_config(env.config)
        ctx = page_context(site, model.id, stub["item"], docname, settings.site_links())
        page, status = build_page(ctx, stub, site)
        comp_domain(env).note_digest(docname, page_digest(page))  # before Sphinx changes the nodes
        live = status == "live"
        document += page
        if not live:
            # Not part of this site: reachable by its URL only, out of navigation and search.
            env.metadata[docname].update({"orphan": True, "nosearch": True})
        domain = comp_domain(env)
        if status != "foreign":  # another utility's addition is no object of this site
            _record_objects(domain, ctx, stub, live)


def _record_objects(domain: CompetencyDomain, ctx: PageContext, stub: dict[str, str], live: bool) -> None:
    kind, model, docname = stub["page"], ctx.model, ctx.docname
    if kind in MODEL_WIDE_PAGES:
        return
    if kind == "withdrawn":
        # Kept resolvable (objects.inv, roles) so that old links lead to the withdrawal page; out of search.
        kind = stub["kind"]
        if kind in MODEL_WIDE_PAGES:
            return
        fullname = model.id if kind == "model" else f"{model.id}/{ctx.item}"
        domain.note_object(kind, fullname, ObjectEntry(docname, "", ctx.shown_as(kind), priority=-1), location=docname)
        return
    if kind == "redirect":
        # The former id still resolves, in roles and in objects.inv, to the item's current page.
        target = page_docname(model.id, stub["kind"], ctx.item)
        domain.note_redirect(docname, target)
        if stub["kind"] in MODEL_WIDE_PAGES:
            return
        old_model = stub.get("alias_model", model.id)
        name = old_model if stub["kind"] == "model" else f"{old_model}/{stub['alias']}"
        shown = ObjectEntry(target, "", ctx.shown_as(stub["kind"]), priority=-1, recorded_by=docname)
        domain.note_object(stub["kind"], name, shown, location=docname)
        return
    fullname = model.id if kind == "model" else f"{model.id}/{ctx.item}"
    entry = ObjectEntry(docname, "", ctx.shown_as(kind), priority=1 if live else -1)
    domain.note_object(kind, fullname, entry, location=docname)


def setup_reader(app: Sphinx) -> None:
    app.add_source_parser(CompetencyPageParser)
    app.connect("html-page-context", _redirect_head)


def _redirect_head(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Redirect pages send the browser on at once and name the current page as canonical."""
    env: BuildEnvironment = app.env
    target = comp_domain(env).redirect_target(pagename)
    if target is None:
        return
    url = context["pathto"](target)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta http-equiv="refresh" content="0; url={url}">\n<link rel="canonical" href="{url}">'
    )
