"""Which item pages an edit changes: digests of what every page shows.

Declaring the model file as every page's dependency would make Sphinx re-read
all pages of a model when one indicator changes. Instead each page's digest
(a hash of its nodes) is kept in the environment when it is read; when a
source file changes, the model's pages are built again in memory (cheap: no
parsing, no transforms) and only the pages whose digest differs are re-read.
The other pages of the model are re-written, not re-read, because their
navigation (sidebar, previous/next) may name the edited item.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Iterable, Mapping, Set
from pathlib import Path

from docutils import nodes

from ..pages.dispatch import build_page, page_context
from ..pages.family import family_key, family_page, family_stubs
from ..pages.kinds import is_direct_page
from ..sources.family import family_of
from ..sources.model import Model
from ..sources.scales import SCALE_FILE
from ..sources.site import Site
from .config import SiteLinks
from .stubs import model_stub_list
from .tool_code import tool_key


def page_digest(page: nodes.Node) -> str:
    """A hash of everything a page shows (its nodes, before Sphinx's transforms)."""
    return hashlib.sha256(pickle.dumps(page, protocol=5)).hexdigest()[:24]


def inputs_key(
    site: Site, model: Model, tags: Iterable[str], urls: SiteLinks, stamps: Mapping[Path, tuple[int, int]]
) -> str:
    """What a model's pages are built from: its file, every overlay, the tags and the link settings.

    `stamps` are the files' stamps taken before they were read; a file without one (created while
    the build started) gets none, so the next build sees it as changed.
    """
    files = [model.path, *(overlay.path for overlay in site.overlays.values()), site.source_dir / SCALE_FILE]
    editions = site.editions.key() if site.editions is not None else ""  # pages show the editions' records
    # Other jobs of the family that the model's pages name (pages/family.py), as they are shown.
    return json.dumps(
        [
            tool_key(),
            [(str(p), stamps.get(p)) for p in files],
            sorted(tags),
            list(urls),
            editions,
            family_key(site, model.id),
        ]
    )


def changed_pages(site: Site, model_id: str, digests: Mapping[str, str], urls: SiteLinks) -> set[str]:
    """The pages of a model whose content differs from the digests recorded when they were read."""
    written = site.written[model_id]
    changed = set()
    for docname, stub in model_stub_list(written, site):
        if is_direct_page(stub):
            continue  # no document to read again: written from the model (direct_pages.py)
        ctx = page_context(site, model_id, stub["item"], docname, urls)
        page, _status = build_page(ctx, stub, site)
        if digests.get(docname) != page_digest(page):
            changed.add(docname)
    return changed


def family_pages_key(site: Site, stamps: Mapping[Path, tuple[int, int]]) -> str | None:
    """What the family's own pages are built from besides the models: the library file (None: no family)."""
    if site.library is None:
        return None
    return json.dumps([tool_key(), str(site.library.path), stamps.get(site.library.path)])


def changed_family_pages(site: Site, digests: Mapping[str, str], changed_models: Set[str] | None = None) -> set[str]:
    """The family's pages whose content differs from the digests recorded when they were read.

    A family has a few hundred pages at most (one per shared competency, shared indicator and
    declared career path), each showing a few jobs: building them in memory after an edit costs
    far less than reading them all again. When only `changed_models` changed (the library and the
    set of jobs as they were), a career path's page, which shows its two jobs and the library only,
    is built only when one of its jobs changed: the paths were most of this work (17 of the
    benchmark family's 140 pages, 0.8 s of 1.2 s profiled).
    """
    family = family_of(site)
    if family is None:
        return set()
    unaffected_paths = (
        set()
        if changed_models is None
        else {path.id for path in family.library.paths if not {path.source, path.target} & changed_models}
    )
    return {
        docname
        for docname, stub in family_stubs(site)
        if not (stub["page"] == "career-path" and "alias" not in stub and stub["item"] in unaffected_paths)
        and digests.get(docname) != page_digest(family_page(family, stub, docname))
    }
