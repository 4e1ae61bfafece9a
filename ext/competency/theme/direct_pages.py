"""Writing the item pages that have no document (sphinx_ext/direct_pages.py) with the HTML builder.

Each page is built from the model as nodes (the same nodes the reader would build), its links are
resolved by Sphinx's post-transforms, and it is written and indexed for search by the builder's own
`write_doc` and `write_doc_serialized`, so it looks exactly like a document's page. What those
steps read of a document (its title, metadata, table of contents and place in the navigation) is
lent to the environment for the time pages are written, never pickled with it.

A page is written again only when what it shows may have changed: the pages of a model whose
sources changed (the model key, sphinx_ext/state.py), all of them when the site's settings,
templates or header changed, and any whose file is missing. Pages that name items of other models
through roles in model text are written again whenever any model changed, as documents are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence, Set
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

# Internal: Sphinx's writing of one document, for the documents written in workers (below).
# Public API: Builder.write_documents, which writes every document in this process.
from sphinx.builders import _write_docname

# Internal: the HTML builder, extended to write the pages without a document (below).
# Public API: `html-collect-pages` renders a template only (see PagesWithoutDocumentsBuilder).
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.display import status_iterator
from sphinx.util.docutils import new_document
from sphinx.util.parallel import ParallelTasks, make_chunks

from ..pages.dispatch import build_page
from ..pages.items import page_docname
from ..pages.kinds import MODEL_WIDE_PAGES, model_page_title
from ..pages.parts import display
from ..sphinx_ext.build_log import build_settings_digest
from ..sphinx_ext.build_record import record, recorded
from ..sphinx_ext.config import competency_config
from ..sphinx_ext.digests import page_digest
from ..sphinx_ext.direct_pages import DirectPage, direct_context
from ..sphinx_ext.domain import comp_domain, names_items_through_roles
from ..sphinx_ext.stubs import STUB_SUFFIX
from ..sphinx_ext.tool_code import tool_key
from .garbage import collected_in_steps, paused_then_frozen
from .nav import SIDEBAR_ATTRIBUTE, model_of_page, navigation_digest, page_sidebar
from .post_transforms import apply_post_transforms

RECORD_KEY = "direct_pages"
PROGRESS = "writing pages from the models... "
#: With -j, at least this many pages are written in worker processes: a fork per chunk of pages
#: does not pay for a few; at about 500 pages the workers were already faster (manual/performance.md).
PARALLEL_WRITE_MIN_PAGES = 200


class DirectPageWriter:
    """The pages of one build written without documents: which to write, and writing them."""

    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self.env = builder.env
        self.domain = comp_domain(self.env)
        self.pages: dict[str, DirectPage] = self.domain.direct_pages
        self._lent: list[tuple[dict[str, Any], str, Any]] = []
        saved = recorded(builder.sphinx_app, RECORD_KEY)
        self._saved: dict[str, Any] = saved if isinstance(saved, dict) else {}
        self.urls = competency_config(builder.config).site_links()
        #: The direct pages whose output file exists.
        self.present = self._present_outputs()
        self.shared = self._shared_key()
        self.keys = self._keys()
        self._built: dict[str, nodes.section] = {}
        #: docname -> [title, the pages its toctree lists] of the pages whose title or place in the
        #: navigation is known only from their nodes (model, section, overview and form pages, and
        #: the pages of items this site leaves out), kept so that no build makes them only for that.
        self.outlines: dict[str, list[Any]] = {}
        self.digests: dict[str, list[str]] = {}  # docname -> [content digest, navigation digest]
        self.referrers: list[str] = []
        #: docname -> sidebar of the pages to write whose navigation digest was taken before writing.
        self._sidebars: dict[str, str] = {}
        #: The pages that may have changed: the pages of a model whose key changed, the pages naming
        #: other models' items (when any model changed) and the pages whose file is missing.
        self.to_check = self._pages_to_check()
        #: Of those, the pages whose content changed: their search entries are made again.
        self.to_index = self._content_changed()

    # -- which pages ----------------------------------------------------------------------------------

    def _shared_key(self) -> list[Any]:
        """What every page shows besides its model: the site's settings, templates and header (the
        root document's entries and their titles)."""
        header = [
            (docname, self.shown_title(docname))
            for docname in self.env.toctree_includes.get(self.builder.config.root_doc, ())
        ]
        return [
            tool_key(),
            build_settings_digest(self.builder.sphinx_app),
            self.builder.templates.newest_template_mtime(),
            header,
        ]

    def _keys(self) -> dict[str, str]:
        """model id -> what its direct pages are made of: its model key and the shared key."""
        model_keys = self.domain.changes.model_keys or {}
        return {model_id: json.dumps([model_keys.get(model_id), self.shared]) for model_id in self._model_ids()}

    def shown_title(self, docname: str) -> str:
        """A page's title as the header and the navigation show it, a direct page's included."""
        if docname in self.env.titles:
            return str(self.env.titles[docname].astext())
        page = self.pages.get(docname)
        if page is None or not self._titled_by_model(page):
            return ""
        return display(self.domain.site.models[page.model_id], page.stub["page"], page.stub["item"])

    @staticmethod
    def _titled_by_model(page: DirectPage) -> bool:
        """Whether a page's title is its item's code and title, known from the model without its nodes."""
        return page.status == "live" and page.stub["page"] in TITLED_BY_MODEL

    def _model_ids(self) -> list[str]:
        return sorted({page.model_id for page in self.pages.values()})

    def _pages_to_check(self) -> list[str]:
        saved_keys = self._saved_part("keys")
        changed = {m for m in self._model_ids() if saved_keys.get(m) != self.keys[m]}
        # Pages naming other models' items through roles show their codes and titles.
        referrers = set(self._saved.get("referrers", ())) if changed else set()
        return [
            docname
            for docname, page in self.pages.items()
            if page.model_id in changed or docname in referrers or docname not in self.present
        ]

    def _content_changed(self) -> set[str]:
        """Build the pages to check whose file exists (kept for writing) and compare what they show
        with last time. A missing page is written anyway: it is built when it is written (on a clean
        build, all of them, built one by one while workers write the pages before them)."""
        saved = self._saved_part("digests")
        changed = set()
        for docname in self.to_check:
            if docname not in self.present:
                self.digests[docname] = ["", ""]  # its content digest is taken when it is built
                changed.add(docname)
                continue
            section = self._built[docname] = self._build(self.pages[docname])
            self.digests[docname] = [page_digest(section)[:16], ""]
            if saved.get(docname, [None])[0] != self.digests[docname][0]:
                changed.add(docname)
        return changed

    def _saved_part(self, name: str) -> dict[str, Any]:
        """A part of the last build's record ("keys", "digests", "documents"), empty if none."""
        part = self._saved.get(name)
        return part if isinstance(part, dict) else {}

    def _present_outputs(self) -> set[str]:
        """The direct pages whose output file exists (one listing per folder, no stat per file)."""
        present: set[str] = set()
        suffix = self.builder.out_suffix
        for folder in {docname.rpartition("/")[0] for docname in self.pages}:
            try:
                names = [entry.name for entry in Path(self.builder.outdir, folder).iterdir()]
            except OSError:
                continue
            present.update(f"{folder}/{name[: -len(suffix)]}" for name in names if name.endswith(suffix))
        return present

    # -- lending what writing reads of a document -------------------------------------------------

    def lend_to_environment(self) -> None:
        """Titles, metadata, tables of contents and places in the navigation of every direct page,
        for the builder's relations (previous, next, parents) and page context; taken back by
        `take_back`. A page's place is below the page of its item's parent (an indicator below its
        competency), in the model's order, as a hidden toctree would put it."""
        if self._lent:
            return  # lent already (the inventory asks again)
        env = self.env
        below: dict[str, list[str]] = {}
        for docname, page in self.pages.items():
            title, includes = self._outline(page)
            self._lend(env.titles, docname, title)
            self._lend(env.longtitles, docname, title)
            self._lend(env.tocs, docname, _table_of_contents(docname, title))
            self._lend(env.toc_num_entries, docname, 1)
            metadata = {} if page.status == "live" else {"orphan": True, "nosearch": True}
            self._lend(env.metadata, docname, metadata)
            if includes:
                below.setdefault(docname, []).extend(includes)
            if page.status == "live" and page.stub["page"] == "indicator":
                # No page lists an indicator's in a toctree: it goes below its competency's.
                below.setdefault(self._parent(page), []).append(docname)
        for parent, children in below.items():
            self._lend(env.toctree_includes, parent, [*env.toctree_includes.get(parent, ()), *children])

    def _lend(self, mapping: dict[str, Any], key: str, value: Any) -> None:
        self._lent.append((mapping, key, mapping.get(key, _MISSING)))
        mapping[key] = value

    def take_back(self) -> None:
        for mapping, key, before in reversed(self._lent):
            if before is _MISSING:
                mapping.pop(key, None)
            else:
                mapping[key] = before
        self._lent.clear()

    def _outline(self, page: DirectPage) -> tuple[nodes.title, list[str]]:
        """A page's title and the pages its toctree lists (model page: its sections, overviews and
        forms; section page: its responsibilities and competencies), as its nodes have them: from
        the nodes built for this build, else as recorded by the last build (the page's key did not
        change), else from nodes built for that. An item page's title is its code and title."""
        kind = page.stub["page"]
        if self._titled_by_model(page) and kind not in ("model", "section"):
            return nodes.title("", "", nodes.Text(self.shown_title(page.docname))), []
        if kind in TITLED_BY_KIND:  # the overviews and forms: large pages, built only to be written
            title = model_page_title(self.domain.site.models[page.model_id].title, kind)
            return nodes.title("", "", nodes.Text(title)), []
        docname = page.docname
        saved = self._saved_part("outlines").get(docname)
        if docname not in self._built and docname not in self.to_check and _is_outline(saved):
            self.outlines[docname] = saved
            return nodes.title("", "", nodes.Text(saved[0])), list(saved[1])
        section = self._built.get(docname) or self._built_now(docname)
        title = section.next_node(nodes.title)
        includes = [entry for toctree in section.findall(addnodes.toctree) for entry in toctree["includefiles"]]
        self.outlines[docname] = [title.astext(), includes]
        return title.deepcopy(), includes

    def _built_now(self, docname: str, *, keep: bool = True) -> nodes.section:
        """A page's nodes built now (a page to check whose file is missing), kept for writing."""
        section = self._build(self.pages[docname])
        if keep:
            self._built[docname] = section
        if docname in self.digests and not self.digests[docname][0]:
            self.digests[docname][0] = page_digest(section)[:16]
        return section

    def _build(self, page: DirectPage) -> nodes.section:
        section, _status = build_page(direct_context(self.domain.site, page, self.urls), page.stub, self.domain.site)
        return section

    def lend_as_documents(self) -> None:
        """For the object inventory: each page is a document to the standard domain (`std:doc`), as
        it was when pages had documents (another project may link to one with `:doc:`)."""
        self.lend_to_environment()  # their titles, which the inventory shows
        for docname in self.pages:
            self._lend(self.env.all_docs, docname, 0)

    def _parent(self, page: DirectPage) -> str:
        model = self.domain.site.models[page.model_id]
        competency, _placement = model.home_of_indicator(page.stub["item"])
        return page_docname(page.model_id, "competency", competency.competency)

    # -- writing --------------------------------------------------------------------------------------

    def write(self, documents: Sequence[str]) -> None:
        """Write the pages whose content or navigation changed, as Sphinx writes a document's page:
        with -j, in worker processes (`_write_in_workers`), where the `documents` to write go too;
        else the builder writes those first, Sphinx's own way (`write_documents_now`)."""
        saved = self._saved_part("digests")
        writing = []
        for docname in self.to_check:
            if docname in self.to_index:
                writing.append(docname)  # written anyway: its navigation digest is taken then
                continue
            sidebar = page_sidebar(self.builder, docname)
            self.digests[docname][1] = navigation_digest(self.builder, docname, self.shared, sidebar)
            if saved.get(docname) != self.digests[docname]:
                writing.append(docname)
                self._sidebars[docname] = sidebar
        if writing and self.builder.parallel_ok and len(writing) >= PARALLEL_WRITE_MIN_PAGES:
            self._write_in_workers(writing, documents)
        else:
            self.builder.write_documents_now(set(documents))
            progress = status_iterator(writing, PROGRESS, "darkgreen", len(writing), self.builder.config.verbosity)
            for docname in collected_in_steps(progress):
                self.builder.write_doc(docname, self._resolved(docname))
        before = self._saved.get("referrers", ())
        kept = [d for d in before if d in self.pages and d not in self.to_check]
        self.referrers = sorted({*kept, *self.referrers})

    def _resolved(self, docname: str) -> nodes.document:
        """A page's document, its links resolved and its search entry made (in the process that
        writes it: a worker hands its search entries and digests back, `_write_in_workers`)."""
        section = self._built.pop(docname, None) or self._built_now(docname, keep=False)  # written once
        sidebar = self._sidebars.pop(docname, None)
        if sidebar is None:
            sidebar = page_sidebar(self.builder, docname)
        if not self.digests[docname][1]:
            self.digests[docname][1] = navigation_digest(self.builder, docname, self.shared, sidebar)
        for toctree in list(section.findall(addnodes.toctree)):
            # Hidden, as Sphinx resolves a document's (its wrapper stays, empty): the navigation
            # it stands for is lent to the environment (lend_to_environment).
            toctree.parent.remove(toctree)
        document = new_document(docname, self.builder.docsettings)
        document += section
        setattr(document, SIDEBAR_ATTRIBUTE, sidebar)  # made once, for the digest and the page
        # Lent, as a copy as Sphinx's title collector makes: rendering a title (render_partial) moves
        # the node into a document of its own, and the page's own title would then be written as
        # the title of that document (left out of the page's body).
        self.env.titles[docname] = self.env.longtitles[docname] = _detached_copy(section.next_node(nodes.title))
        if names_items_through_roles(document):
            self.referrers.append(docname)
        apply_post_transforms(self.env, document, docname)  # links, as for a document
        if docname in self.to_index:
            self.builder.write_doc_serialized(docname, document)  # the search index
        return document

    def _write_in_workers(self, writing: list[str], documents: Sequence[str]) -> None:
        """As many workers as -j allows, each forked with a chunk of page names: it builds, resolves,
        indexes and writes them, and hands back what this process keeps (their search entries, the
        images they show, their digests and which of them name items through roles). Unlike
        Sphinx's parallel writing of documents, this process resolves nothing itself: it would be
        the slower half of the work, and hold each chunk's pages until a worker takes them.

        The `documents` (the family's pages, the home and About pages) are written by the same
        workers, each as Sphinx writes a document: written first, by this process alone, the
        family's 140 pages left a core idle for 4 s of a 33 s build (manual/performance.md)."""
        builder = self.builder

        def write_chunk(chunk: list[str]) -> dict[str, Any]:
            referrers = len(self.referrers)
            images = set(builder.images)
            with _own_search_entries(builder) as entries:
                for docname in collected_in_steps(chunk):
                    if docname in self.pages:
                        builder.write_doc(docname, self._resolved(docname))
                    else:
                        # Internal: Sphinx's writing of one document (resolved, indexed, written).
                        # Public API: Builder.write_documents, which writes them all in this process.
                        _write_docname(docname, env=self.env, builder=builder, tags=builder.tags)
            return {
                "digests": {docname: self.digests[docname] for docname in chunk if docname in self.pages},
                "referrers": self.referrers[referrers:],
                "images": {path: name for path, name in builder.images.items() if path not in images},
                "search": entries,
            }

        def written(chunk: list[str], result: dict[str, Any]) -> None:
            self.digests.update(result["digests"])
            self.referrers.extend(result["referrers"])
            builder.images.update(result["images"])
            _add_search_entries(builder, result["search"])
            for docname in chunk:
                self._built.pop(docname, None)  # built here before the fork, written there
            next(progress, None)

        first, rest = writing[0], writing[1:]
        builder.write_doc(first, self._resolved(first))  # templates compiled before the workers fork
        nproc = builder.sphinx_app.parallel
        chunks = make_chunks([*documents, *rest], nproc)
        progress = status_iterator(chunks, PROGRESS, "darkgreen", len(chunks), builder.config.verbosity)
        tasks = ParallelTasks(nproc)
        for chunk in chunks:
            tasks.add_task(write_chunk, chunk, written)
        tasks.join()

    def save(self, documents: dict[str, str]) -> None:
        """build-finished, after a build that succeeded: what the pages were made from, and the
        navigation digest of every document's page written (`documents`)."""
        digests = {d: v for d, v in self._saved_part("digests").items() if d in self.pages}
        outlines = {d: v for d, v in self._saved_part("outlines").items() if d in self.pages}
        navigation = self._saved_part("documents")
        known = self.env.found_docs
        record(
            self.builder.sphinx_app,
            RECORD_KEY,
            {
                "keys": self.keys,
                "referrers": self.referrers,
                "digests": {**digests, **self.digests},
                "outlines": {**outlines, **self.outlines},
                "documents": {**{d: v for d, v in navigation.items() if d in known}, **documents},
            },
        )

    def saved_navigation(self, docname: str) -> str | None:
        """The navigation digest a document's page had when it was last written."""
        navigation: str | None = self._saved_part("documents").get(docname)
        return navigation


_MISSING = object()
#: The pages whose title is their item's code and title (`display`), when this site publishes the item.
TITLED_BY_MODEL = ("model", "section", "competency", "indicator", "responsibility")
#: The model-wide pages whose title is the model's and what the page is (`model_page_title`).
TITLED_BY_KIND = tuple(kind for kind in MODEL_WIDE_PAGES if kind != "variant")


def _is_outline(saved: Any) -> bool:
    return isinstance(saved, list) and len(saved) == 2 and isinstance(saved[0], str) and isinstance(saved[1], list)


def _detached_copy(title: nodes.title) -> nodes.title:
    """A copy of a page's title that does not keep its page alive: docutils' copy of a node keeps
    the node's reference to its document (a resolved page's text nodes have one), and the titles
    lent stay until every page is written: with the whole document of each, a build held every page
    it wrote (725 MiB at 5,000 indicators, 292 MiB without)."""
    copy = title.deepcopy()
    for node in copy.findall():
        node.document = None
    return copy


#: The parts of Sphinx's search index that feeding a page adds to (page -> ..., word -> pages).
SEARCH_PER_PAGE = ("_titles", "_filenames", "_all_titles", "_index_entries")
SEARCH_PER_WORD = ("_mapping", "_title_mapping")


@contextmanager
def _own_search_entries(builder: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """While a worker writes its pages, the search entries they make go to mappings of their own
    (given), which the worker hands back: the search index is written by the main process."""
    entries: dict[str, dict[str, Any]] = {}
    indexer = builder.indexer
    if indexer is None:
        yield entries
        return
    # Internal: the mappings of sphinx.search.IndexBuilder that `feed` adds a page's entries to.
    # Public API: none; IndexBuilder has no way to feed pages in other processes and join them.
    kept = {name: getattr(indexer, name) for name in (*SEARCH_PER_PAGE, *SEARCH_PER_WORD)}
    for name in kept:
        entries[name] = {}
        # Internal: as above. Public API: as above.
        setattr(indexer, name, entries[name])
    try:
        yield entries
    finally:
        for name, mapping in kept.items():
            # Internal: as above. Public API: as above.
            setattr(indexer, name, mapping)


def _add_search_entries(builder: Any, entries: dict[str, dict[str, Any]]) -> None:
    """Join the search entries a worker made (`_own_search_entries`) to this process's index."""
    indexer = builder.indexer
    if indexer is None or not entries:
        return
    # Internal: as in _own_search_entries. Public API: as there.
    for name in SEARCH_PER_PAGE:
        getattr(indexer, name).update(entries[name])
    for name in SEARCH_PER_WORD:
        mapping = getattr(indexer, name)
        for word, pages in entries[name].items():
            mapping.setdefault(word, set()).update(pages)


def _table_of_contents(docname: str, title: nodes.title) -> nodes.bullet_list:
    """A page's table of contents as Sphinx's collector makes it for a page whose only heading is its
    title (the theme looks into it to leave it out)."""
    reference = nodes.reference("", "", *title.deepcopy().children, internal=True, refuri=docname, anchorname="")
    return nodes.bullet_list("", nodes.list_item("", addnodes.compact_paragraph("", "", reference)))


# Internal: the HTML builder is replaced by a subclass writing, besides the documents' pages, the
# pages without a document, and keeping them in the search index and the object inventory.
# Public API: `html-collect-pages` renders a template with a context, but cannot give a page a
# document's body, search entry, inventory entry and place in the navigation.
class PagesWithoutDocumentsBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, writing the pages without a document too (DirectPageWriter)."""

    name = "html"
    _direct: DirectPageWriter

    def __init__(self, app: Sphinx, env: Any) -> None:
        super().__init__(app, env)
        self.sphinx_app = app  # for the build record (Sphinx 9 deprecates `Builder.app`)

    # Internal: the first step of writing, where the builder learns which pages it writes.
    # Public API: none; Sphinx has no step for pages besides documents.
    def prepare_writing(self, docnames: Set[str]) -> None:
        with paused_then_frozen():  # what is made here lives until the pages are written
            self._direct = DirectPageWriter(self)
            if docnames or self._direct.to_check:
                self._direct.lend_to_environment()  # before Sphinx works out the pages' relations
            self._documents = self._documents_to_write(docnames)
            self.plan_writing(self._documents)
            super().prepare_writing(self._documents)

    def _documents_to_write(self, docnames: Set[str]) -> set[str]:
        """Of the documents Sphinx would write, those a build must write: every one it read, every
        hand-written one, every one naming items through roles, every one whose file is missing, and
        the pages of models written again only for their navigation (state.pages_naming_changed_items)
        if it changed: their body is all known when they are read (page digests), and their sidebar
        is the extension's (nav.py). Other pages have the theme's sidebar, made of every toctree."""
        self._navigation: dict[str, str] = {}
        if not docnames and not self._direct.to_check:
            return set()
        # Sphinx's own step, ahead of it: prepare_writing does it again (a few hundredths of a second),
        # but needs to know the documents written first, for the search index.
        self.relations = self.env.collect_relations()
        domain = comp_domain(self.env)
        read, referrers = domain.documents_touched, domain.referrers
        written = set()
        # Every page's header, and the navigation of the documents next to the models' pages (the
        # home page, the page after the last model's), show pages without a document, whose titles
        # Sphinx does not know when it finds what to write: any document (few: hand-written,
        # family, withdrawn and former ids' pages), handed over or not, is written again when its
        # navigation changed.
        for docname in self.env.found_docs:
            navigation = navigation_digest(self, docname, self._direct.shared)
            self._navigation[docname] = navigation
            if self._direct.saved_navigation(docname) != navigation or (
                docname in docnames
                and (
                    docname in read
                    or docname in referrers
                    or Path(self.env.doc2path(docname)).suffix != STUB_SUFFIX
                    or model_of_page(self.env, docname) is None  # the theme's sidebar: all the toctrees
                    or not self.get_output_path(docname).is_file()
                )
            ):
                written.add(docname)
        return written

    def plan_writing(self, docnames: Set[str]) -> None:
        """Called once the pages this build writes are known, before anything is written."""

    def save_page_records(self) -> None:
        """What this build's pages were made from, for the next build (build-finished)."""
        if hasattr(self, "_direct"):  # a build that got as far as writing
            navigation = self._navigation
            self._direct.save({d: navigation[d] for d in self._documents if d in navigation})

    # Internal: writing the documents' pages, of which only those found above are written.
    # Public API: none (as for prepare_writing).
    def write_documents(self, docnames: Set[str]) -> None:
        """Nothing yet: finish() writes the documents found by `_documents_to_write` (some of which
        Sphinx did not hand over, and with none handed over Sphinx does not call this) with the
        pages without a document, under -j in the same workers."""

    def write_documents_now(self, documents: Set[str]) -> None:
        """The documents' pages, as Sphinx writes them (when the pages without a document are not
        written in workers)."""
        if documents:
            super().write_documents(documents)

    # Internal: the context of a document's page, which a page without a document shares.
    # Public API: `html-page-context` comes after the source is copied.
    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        context = super().get_doc_context(docname, body, metatags)
        if docname in self._direct.pages:
            context["sourcename"] = ""  # no source to copy or show (html_copy_source)
        return context

    # Internal: the step after the documents are written, before the indices.
    # Public API: none (as for prepare_writing).
    def finish(self) -> None:
        try:
            self._direct.write(sorted(self._documents))
            super().finish()  # indices, search index and inventory, with the pages still lent
        finally:
            self._direct.take_back()

    # Internal: loading (and pruning) the search index.
    # Public API: none; `IndexBuilder.prune` keeps documents only.
    def load_indexer(self, docnames: Set[str]) -> None:
        # The pages without a document keep their entries unless this build writes them again.
        kept = set(self._direct.pages).difference(self._direct.to_index)
        with _pruning_keeps(self.indexer, kept):
            super().load_indexer(docnames)

    # Internal: writing the search index, which Sphinx prunes to its documents first.
    # Public API: none (as for load_indexer).
    def dump_search_index(self) -> None:
        with _pruning_keeps(self.indexer, set(self._direct.pages)):
            super().dump_search_index()

    # Internal: writing objects.inv, where every document is a `std:doc` object.
    # Public API: none; the standard domain lists documents only.
    def dump_inventory(self) -> None:
        self._direct.lend_as_documents()  # taken back with the rest when finish() ends
        super().dump_inventory()


@contextmanager
def _pruning_keeps(indexer: Any, pages: set[str]) -> Iterator[None]:
    """While Sphinx prunes the search index to the documents it knows, keep `pages` too."""
    if indexer is None:
        yield
        return
    prune = indexer.prune
    # Internal: sphinx.search.IndexBuilder.prune, called by the builder with the documents to keep.
    # Public API: none; the builder asking which pages besides documents the index holds would do.
    indexer.prune = lambda docnames: prune({*docnames, *pages})
    try:
        yield
    finally:
        del indexer.prune


def _save_direct_pages(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: what the pages written were made from, after a build that succeeded."""
    if exception is None and isinstance(app.builder, PagesWithoutDocumentsBuilder):
        app.builder.save_page_records()


def setup_direct_pages(app: Sphinx) -> None:
    app.add_builder(PagesWithoutDocumentsBuilder, override=True)
    app.connect("build-finished", _save_direct_pages)
