"""Which page a stub gets: the builders of every kind of page, for the reader and the page digests."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from ..sources.family import family_of
from ..sources.site import Site
from ..sphinx_ext.config import SiteLinks
from .edition_parts import edition_parts, last_edition_parts
from .forms import FORM_BUILDERS
from .items import PAGE_BUILDERS, PageContext
from .overview import matrix_page, profile_page
from .variant import foreign_page, redirect_page, unused_page, variant_page, withdrawn_page

MODEL_PAGES: dict[str, Callable[[PageContext], nodes.section]] = {
    "model": PAGE_BUILDERS["model"],
    "matrix": matrix_page,
    "profile": profile_page,
    "variant": variant_page,
    **FORM_BUILDERS,  # the HR forms
}


def page_context(site: Site, model_id: str, item: str, docname: str, urls: SiteLinks) -> PageContext:
    """What a page is built from; the reader and the digests must build pages from the same."""
    withdrawn = site.withdrawn_models.get(model_id)
    return PageContext(
        model=withdrawn or site.models[model_id],
        written=withdrawn or site.written[model_id],
        item=item,
        docname=docname,
        base_url=urls.base_url,
        site_urls=urls.sites,
        utilities=tuple((o.utility, o.name) for o in site.overlays.values() if model_id in o.models),
        edition=site.edition,
        family=family_of(site),
    )


def build_page(ctx: PageContext, stub: dict[str, str], site: Site) -> tuple[nodes.section, str]:
    """The page's nodes, and what the item is to this site: live, unused, foreign, withdrawn or a redirect."""
    kind = stub["page"]
    if kind == "withdrawn":
        withdrawal = ctx.written.withdrawal
        replacement = site.models.get(withdrawal.replaced_by or "") if withdrawal else None
        page = withdrawn_page(ctx, stub["kind"], replacement.title if replacement else "")
        page += last_edition_parts(ctx, stub["kind"], site.editions)
        return page, "withdrawn"
    if kind in MODEL_PAGES:
        return MODEL_PAGES[kind](ctx), "live"
    if kind == "redirect":
        return redirect_page(ctx, stub["kind"], stub["alias"]), "redirect"
    if ctx.model.kind_of(ctx.item) == kind:
        page = PAGE_BUILDERS[kind](ctx)
        page += edition_parts(ctx, kind, site.editions)  # how to cite it, and its history
        return page, "live"
    if ctx.written.kind_of(ctx.item) == kind:
        return unused_page(ctx, kind), "unused"
    return foreign_page(ctx, kind, owners(site, ctx.model.id, kind, ctx.item)), "foreign"


def owners(site: Site, model_id: str, kind: str, item_id: str) -> list[tuple[str, str, str]]:
    """(utility tag, utility name, item text) of every overlay that adds this item."""
    found = []
    for overlay in site.overlays.values():
        adaptation = overlay.models.get(model_id)
        for addition in adaptation.add if adaptation else ():
            for item in [addition.data, *addition.data.get("indicators", ())]:
                if item.get("id") == item_id:
                    found.append((overlay.utility, overlay.name, str(item.get("text") or item.get("title") or item_id)))
    return found or [("", "another utility", item_id)]
