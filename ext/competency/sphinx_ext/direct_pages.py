"""The pages of the models written without a document: which they are, and the objects they document.

An item page is a few lines the extension builds from the model in memory; as a Sphinx document
it would be a stub file, read, transformed, pickled, loaded again, resolved and then written, which
is most of the time of a large build (manual/performance.md). These pages have no stub and no
document: the HTML builder writes them from the model (theme/direct_pages.py), and their objects
(roles, objects.inv, the indicator index) are recorded here from the site when a build starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..pages.dispatch import page_context
from ..pages.items import PageContext
from ..pages.kinds import MODEL_WIDE_PAGES, is_direct_page
from ..sources.model import Model
from ..sources.site import Site
from .config import SiteLinks
from .domain import ObjectEntry
from .stubs import model_stub_list


@dataclass(frozen=True, slots=True)
class DirectPage:
    """A page written from the model: its document name (its URL path), stub and standing in this site."""

    docname: str
    stub: dict[str, str]
    #: "live" (in this site's navigation and search), "unused" (left out by this site) or "foreign"
    #: (another utility's addition): the same as the reader's statuses for such pages.
    status: str

    @property
    def model_id(self) -> str:
        return self.stub["model"]


def direct_pages(site: Site) -> dict[str, DirectPage]:
    """Every page of the published models that is written without a document, by docname, in the
    models' order (the order of their stubs)."""
    pages = {}
    for model_id, written in site.written.items():
        model = site.models[model_id]
        for docname, stub in model_stub_list(written, site):
            if not is_direct_page(stub):
                continue
            pages[docname] = DirectPage(docname, stub, _status(model, written, stub["page"], stub["item"]))
    return pages


def _status(model: Model, written: Model, kind: str, item: str) -> str:
    if kind == "model" or kind in MODEL_WIDE_PAGES or model.kind_of(item) == kind:
        return "live"
    return "unused" if written.kind_of(item) == kind else "foreign"


def direct_context(site: Site, page: DirectPage, urls: SiteLinks) -> PageContext:
    return page_context(site, page.model_id, page.stub["item"], page.docname, urls)


def direct_objects(
    site: Site, pages: dict[str, DirectPage], urls: SiteLinks
) -> Iterator[tuple[tuple[str, str], ObjectEntry]]:
    """((objtype, full name), entry) of the object each page documents, as the reader records them:
    live items first in search, left-out items resolvable but hidden, other utilities' none."""
    for page in pages.values():
        kind = page.stub["page"]
        if page.status == "foreign" or kind in MODEL_WIDE_PAGES:  # the overviews and forms are no objects
            continue
        shown = direct_context(site, page, urls).shown_as(kind)
        entry = ObjectEntry(page.docname, "", shown, priority=1 if page.status == "live" else -1)
        yield (kind, page.model_id if kind == "model" else f"{page.model_id}/{page.stub['item']}"), entry
