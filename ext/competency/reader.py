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
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import competency_config
from .domain import CompetencyDomain, ObjectEntry
from .overview_pages import matrix_page, profile_page
from .page_parts import display
from .pages import PAGE_BUILDERS, PageContext, page_docname
from .site import Site
from .state import indicator_order, site_of
from .variant_pages import foreign_page, redirect_page, unused_page, variant_page

logger = logging.getLogger(__name__)

MODEL_PAGES = {"model": PAGE_BUILDERS["model"], "matrix": matrix_page, "profile": profile_page, "variant": variant_page}


class CompetencyPageParser(Parser):
    """Parses the `.comp` stubs written by stubs.py."""

    supported = ("competency",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.current_document.docname
        stub: dict[str, str] = json.loads(inputstring)
        site = site_of(env)
        model = site.models.get(stub["model"])
        if model is None:
            # A stub of a removed model; stubs.py removes these, so only a hand-made file gets here.
            logger.warning(
                "%s is not a page of any model", docname, type="competency", subtype="stub", location=docname
            )
            return
        for path in (model.path, model.variant.overlay_path if model.variant else None):
            if path is not None:
                env.note_dependency(str(path))
        settings = competency_config(env.config)
        ctx = PageContext(
            model=model,
            written=site.written[model.id],
            item=stub["item"],
            docname=docname,
            base_url=settings.base_url,
            generic_url=settings.generic_url,
        )
        page, status = _build_page(ctx, stub, site)
        live = status == "live"
        document += page
        if not live:
            # Not part of this site: reachable by its URL only, out of navigation and search.
            env.metadata[docname].update({"orphan": True, "nosearch": True})
        domain = env.get_domain("comp")
        assert isinstance(domain, CompetencyDomain)
        if status != "foreign":  # another utility's addition is no object of this site
            _record_objects(domain, ctx, stub, live)


def _build_page(ctx: PageContext, stub: dict[str, str], site: Site) -> tuple[nodes.section, str]:
    """The page's nodes, and what the item is to this site: live, unused, foreign or a redirect."""
    kind = stub["page"]
    if kind in MODEL_PAGES:
        return MODEL_PAGES[kind](ctx), "live"
    if kind == "redirect":
        return redirect_page(ctx, stub["kind"], stub["alias"]), "redirect"
    if ctx.model.kind_of(ctx.item) == kind:
        return PAGE_BUILDERS[kind](ctx), "live"
    if ctx.written.kind_of(ctx.item) == kind:
        return unused_page(ctx, kind), "unused"
    return foreign_page(ctx, kind, _owners(site, ctx.model.id, kind, ctx.item)), "foreign"


def _owners(site: Site, model_id: str, kind: str, item_id: str) -> list[tuple[str, str]]:
    """(utility name, item text) of every overlay that adds this item."""
    owners = []
    for overlay in site.overlays.values():
        adaptation = overlay.models.get(model_id)
        for addition in adaptation.add if adaptation else ():
            items = [addition.data, *addition.data.get("indicators", ())]
            for item in items:
                if item.get("id") == item_id:
                    owners.append((overlay.name, str(item.get("text") or item.get("title") or item_id)))
    return owners or [("another utility", item_id)]


def _record_objects(domain: CompetencyDomain, ctx: PageContext, stub: dict[str, str], live: bool) -> None:
    kind, model, docname = stub["page"], ctx.model, ctx.docname
    if kind in ("matrix", "profile", "variant"):
        return
    if kind == "redirect":
        # The former id still resolves, in roles and in objects.inv, to the item's current page.
        target = page_docname(model.id, stub["kind"], ctx.item)
        domain.note_redirect(docname, target)
        if stub["kind"] in ("matrix", "profile", "variant"):
            return
        old_model = stub.get("alias_model", model.id)
        name = old_model if stub["kind"] == "model" else f"{old_model}/{stub['alias']}"
        shown = ObjectEntry(target, "", _display(ctx, stub["kind"]), priority=-1, recorded_by=docname)
        domain.note_object(stub["kind"], name, shown, location=docname)
        return
    fullname = model.id if kind == "model" else f"{model.id}/{ctx.item}"
    parent = order = ""
    if kind == "indicator" and live:
        competency, _placement = model.home_of_indicator(ctx.item)
        parent = f"{model.title}: {display(model, 'competency', competency.competency)}"
        order = f"{model.id}/{indicator_order(model)[ctx.item]:06d}"
    entry = ObjectEntry(docname, "", _display(ctx, kind), parent, order, 1 if live else -1)
    domain.note_object(kind, fullname, entry, location=docname)


def _display(ctx: PageContext, kind: str) -> str:
    for model in (ctx.model, ctx.written):
        if model.kind_of(ctx.item) == kind or (kind == "model" and model.id == ctx.item):
            return display(model, kind, ctx.item)
    return ctx.item


def setup_reader(app: Any) -> None:
    app.add_source_parser(CompetencyPageParser)
    app.connect("html-page-context", _redirect_head)


def _redirect_head(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Redirect pages send the browser on at once and name the current page as canonical."""
    env: BuildEnvironment = app.env
    domain = env.get_domain("comp")
    assert isinstance(domain, CompetencyDomain)
    target = domain.data["redirects"].get(pagename)
    if target is None:
        return
    url = context["pathto"](target)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta http-equiv="refresh" content="0; url={url}">\n<link rel="canonical" href="{url}">'
    )
