"""Per-page work of Sphinx's HTML builder and of the theme that a site of thousands of small pages
would otherwise repeat on every page.

Each was measured (manual/performance.md); each changes how often work is done, never what is written:

- the search index stems every word of every page, and item pages repeat the same few thousand
  words: each distinct word is stemmed once (the Snowball stemmer was a tenth of a large build);
- every page renders the titles of its parents (breadcrumbs) and of the previous and next pages
  through a fresh docutils document and translator: each distinct title is rendered once;
- a rebuild that changes nothing (reads, writes and removes no page) loads and writes again the
  search index, the object inventory, the domain indices and the search page: they are kept;
- with -j, Sphinx writes pages in forked processes, which does not pay for a few hundred pages:
  they are written in this process (reading stays parallel);
- the theme renders the header's links for every page, finding the current one by walking every
  toctree entry of the site (which grows with the pages squared), and the rest of the header
  around them: the pages of a model in one folder share one header (templates/sections/header.html);
- every page makes the tag of each stylesheet and script it loads, finding its path relative to the
  page and resolving its file on disk for the checksum: each tag is made once per folder;
- Jinja looks at every template file on disk each time a page renders or includes it, to reload
  it if it changed: templates do not change during a build; and each build compiled them all
  again: their compiled code is kept between builds;
- Sphinx writes every page it renders, whether its bytes changed or not (the home page, read again
  whenever a model changes, and the search page, written with the search index): a page whose file
  already holds the same bytes is left as it is, so neither publishing nor a reader's cache sees a
  change;
- the theme renders the in-page table of contents and the breadcrumbs of every page to find out
  whether they are empty: a page whose only heading is its title has no table of contents, and only
  the home page and an untitled page have no breadcrumbs;
- Python's cycle collector walked the loaded environment and models again and again, and every
  page written: when it runs is garbage.py's.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Set
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2 import FileSystemBytecodeCache
from sphinx.application import ENV_PICKLE_FILENAME, Sphinx

# Internal: the HTML builder is replaced by a subclass overriding steps of its pipeline (below).
# Public API: none; Sphinx has no event or setting to skip or cache these steps.
from sphinx.builders.html import INVENTORY_FILENAME
from sphinx.search.en import SearchEnglish

from ..exports.files import write_bytes
from ..sphinx_ext.build_record import REPLACED_FILES, record
from ..sphinx_ext.domain import comp_domain
from .direct_pages import SEARCH_PER_WORD, PagesWithoutDocumentsBuilder
from .garbage import setup_garbage
from .nav import model_of_page


class SearchEnglishStemmedOnce(SearchEnglish):
    """English search (the same stems, the same browser-side stemmer), stemming each word once."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = super().stem(word)
        return stem


class HTMLBuilder(PagesWithoutDocumentsBuilder):
    """Sphinx's HTML builder, without work whose result is already there.

    - Each distinct title is rendered once. A title renders the same wherever it is shown; its XML
      says everything the rendering depends on (text, markup, attributes), so it is the key.
    - A build that writes no page (nothing changed) keeps the search index, the object inventory,
      the domain indices and the search page, which depend only on what was read: Sphinx would load
      the search index and write them all again, a second of every no-op rebuild of a large site.
      They are kept only when they were written after the last read (the environment pickle, which
      Sphinx saves whenever it read something), so a build interrupted before writing them redoes
      them.
    - With -j, fewer than `parallel_write_min_pages` pages are written in this process.
    - A page whose file already holds the bytes rendered is not written again (`_PagePath`).
    - The in-page table of contents of a page with one heading, which nothing shows, is not rendered.
    """

    name = "html"
    _outputs_current = False
    _removed_docs = False
    _toc_shown_nowhere = False
    #: Fewer pages than this to write are written in this process even with -j: Sphinx's parallel
    #: writing forks a process per chunk of pages and hands each one its doctrees, which costs more
    #: than it saves below a couple of thousand pages on a two-core machine (manual/performance.md).
    #: Reading stays parallel, which pays at every size.
    parallel_write_min_pages = 1500

    # Internal: Sphinx's template loader and its Jinja environment.
    # Public API: none; Sphinx creates the environment with Jinja's default, reloading.
    def init_templates(self) -> None:
        super().init_templates()
        environment = getattr(self.templates, "environment", None)
        if environment is not None:
            # Jinja looks at each template file on disk whenever a page renders or includes it
            # (200,000 times at 5,000 indicators), to reload it if it changed: not during a build.
            environment.auto_reload = False
            # Every build compiled the theme's templates again (0.1 s of an edit's few seconds): the
            # compiled code is kept beside Sphinx's environment, keyed by each template's source,
            # so a changed template is compiled again.
            folder = Path(self.doctreedir, TEMPLATE_CACHE)
            folder.mkdir(parents=True, exist_ok=True)
            environment.bytecode_cache = FileSystemBytecodeCache(str(folder))

    # Internal: handle_page writes each page it renders to the path this returns (`Path.write_text`).
    # Public API: none; Sphinx writes every page it renders, whether its bytes changed or not.
    def get_output_path(self, page_name: str, /) -> Path:
        path = _PagePath(super().get_output_path(page_name))
        path._kept = functools.partial(self._page_kept, page_name)
        return path

    def _page_kept(self, page_name: str, path: Path) -> None:
        """A page's file was left as it was: unless Sphinx would then take its document for outdated."""
        if page_name not in self.env.all_docs:
            return
        # Sphinx reads a document again while its source or the newest template is newer than its
        # page (get_outdated_docs): the kept page's time moves past them, as a write would have.
        newest = max(Path(self.env.doc2path(page_name)).stat().st_mtime, self._newest_template_mtime)
        if path.stat().st_mtime <= newest:
            os.utime(path)

    @functools.cached_property
    def _newest_template_mtime(self) -> float:
        """Once per build: Sphinx finds it by looking at every template file on disk."""
        mtime: float = self.templates.newest_template_mtime()
        return mtime

    # Internal: every title is rendered through this method, once per page that shows it.
    # Public API: none (a cache of rendered titles in Sphinx would replace it).
    def render_partial(self, node: nodes.Node | None) -> dict[str, str]:
        if isinstance(node, nodes.bullet_list) and self._toc_shown_nowhere:
            return {"fragment": "", "title": ""}  # the table of contents of get_doc_context, below
        if not isinstance(node, nodes.title):
            return super().render_partial(node)
        rendered: dict[str, dict[str, str]] = self.__dict__.setdefault("_rendered_titles", {})
        key = str(node)
        if key not in rendered:
            # A copy: Sphinx puts the node it renders into a document of its own, which the node
            # would then keep alive (a page's lent title, until the build ends: 6,500 documents at
            # 5,000 indicators, walked by every full collection of the garbage collector).
            rendered[key] = super().render_partial(node.deepcopy())
        return dict(rendered[key])  # callers may change the dict they get

    # Internal: the context of a page, whose in-page table of contents Sphinx renders with
    # render_partial. Public API: none; Sphinx renders it whether a template shows it or not.
    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        if self.env.toc_num_entries.get(docname, 2) > 1:
            return super().get_doc_context(docname, body, metatags)
        # With one entry (the page's title) the table of contents is shown nowhere: not by the
        # theme (display_toc is false, page-toc left out by _skip_empty_templates), not by Sphinx's
        # localtoc. Rendering it took a document and a translator of its own, on every item page.
        self._toc_shown_nowhere = True
        try:
            return super().get_doc_context(docname, body, metatags)
        finally:
            self._toc_shown_nowhere = False

    # Internal: the step that forks writer processes under -j.
    # Public API: none; a setting for the smallest parallel write would replace it.
    def write_documents_now(self, documents: Set[str]) -> None:
        parallel = self.parallel_ok
        self.parallel_ok = parallel and len(documents) >= self.parallel_write_min_pages
        try:
            super().write_documents_now(documents)
        finally:
            self.parallel_ok = parallel

    # Called by PagesWithoutDocumentsBuilder.prepare_writing, once it knows which pages it writes.
    # Public API: none; Sphinx would need to keep its indices when no page is written.
    def plan_writing(self, docnames: Set[str]) -> None:
        # A removed document leaves the indices without rewriting a page: they are written again.
        self._outputs_current = (
            not docnames
            and not self._direct.to_check
            and not self._removed_docs
            and self._written_since_last_read(self.searchindex_filename, INVENTORY_FILENAME)
        )

    # Internal: loading (and pruning) the search index.
    # Public API: none; Sphinx's prune would need to drop words left with no page.
    def load_indexer(self, docnames: Set[str]) -> None:
        if self._outputs_current:
            return
        super().load_indexer(docnames)
        # Sphinx's prune leaves every word of the pages written again, with no page: the words of
        # removed or reworded text would stay in the index, which a clean build does not have.
        indexer: Any = self.indexer
        # Internal: the mappings of sphinx.search.IndexBuilder (word -> set of docnames).
        # Public API: none; IndexBuilder.prune dropping words left with no page would replace this.
        for mapping in (getattr(indexer, name) for name in SEARCH_PER_WORD):
            for word in [word for word, docnames_with_word in mapping.items() if not docnames_with_word]:
                del mapping[word]

    # Internal: writing the domain indices, skipped when they are current.
    # Public API: none (as for prepare_writing).
    def write_domain_indices(self) -> None:
        names = [f"{name}{self.out_suffix}" for name, *_ in self.domain_indices]
        if not (self._outputs_current and self._written_since_last_read(*names)):
            super().write_domain_indices()
        # Sphinx writes no page for an index without entries (a variant that leaves out every
        # indicator), and leaves the one an earlier build wrote: it goes, as in a clean build.
        written = {name for name, *_ in self.domain_indices}
        for domain in self.env.domains.sorted():
            for index in domain.indices:
                name = f"{domain.name}-{index.name}"
                if name not in written:
                    Path(self.outdir, f"{name}{self.out_suffix}").unlink(missing_ok=True)

    # Internal: writing the search page, skipped when it is current.
    # Public API: none (as for prepare_writing).
    def gen_additional_pages(self) -> None:
        # The search page shows no document: kept with the indices (pages from conf.py might not be).
        search_page = f"search{self.out_suffix}"
        if self.config.html_additional_pages or not (
            self._outputs_current and self._written_since_last_read(search_page)
        ):
            super().gen_additional_pages()

    # Internal: writing the search index, skipped when it is current.
    # Public API: none (as for prepare_writing).
    def dump_search_index(self) -> None:
        if not self._outputs_current:
            super().dump_search_index()

    # Internal: writing objects.inv, skipped when it is current.
    # Public API: none (as for prepare_writing).
    def dump_inventory(self) -> None:
        if not self._outputs_current:
            super().dump_inventory()

    def _written_since_last_read(self, *names: str) -> bool:
        # The pages' own times cannot say it: a page holding the same bytes is not written again.
        try:
            last_read = Path(self.doctreedir, ENV_PICKLE_FILENAME).stat().st_mtime_ns
            finished = Path(self.doctreedir, OUTPUTS_WRITTEN).stat().st_mtime_ns
        except OSError:
            return False
        return finished > last_read and all(Path(self.outdir, name).is_file() for name in names)


#: The folder, in the doctree folder, of the templates' compiled code.
TEMPLATE_CACHE = "templates-compiled"
#: Touched in the doctree folder when a build has written all its outputs (build-finished).
OUTPUTS_WRITTEN = "outputs-written"


class _PagePath(type(Path())):  # type: ignore[misc]  # the concrete class of this system's paths
    """The file Sphinx writes a page to: the same bytes already there are not written again."""

    #: Called with the path when its file was left as it was (paths derived from this one have none).
    _kept: Any = None

    def write_text(
        self, data: str, encoding: str | None = None, errors: str | None = None, newline: str | None = None
    ) -> int:
        if self._kept is None or newline is not None:  # Sphinx's handle_page passes no newline
            return super().write_text(data, encoding, errors, newline)
        text = data.replace("\n", os.linesep) if os.linesep != "\n" else data  # as open() would write it
        if not write_bytes(self, text.encode(encoding or "utf-8", errors or "strict")):
            self._kept(self)
        return len(data)


def _note_outputs_written(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: the outputs are all written, for `_written_since_last_read` of the next build;
    and which of them are only ever replaced whole (the pages, `_PagePath`), which publishing may
    link into the published site rather than copy them (Sphinx rewrites its other files in place)."""
    if exception is None and isinstance(app.builder, HTMLBuilder):
        Path(app.doctreedir, OUTPUTS_WRITTEN).touch()
        pages = app.env.found_docs | set(comp_domain(app.env).direct_pages)
        # This builder writes a page to <outdir>/<page name><suffix> (get_output_path): the names are
        # made as strings, not as 6,500 paths made and made relative again (0.4 s of an edit).
        record(app, REPLACED_FILES, sorted(f"{docname}{app.builder.out_suffix}" for docname in pages))


def _note_removed_docs(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """env-get-outdated: whether this build removes a document (the indices then change)."""
    if isinstance(app.builder, HTMLBuilder):
        # Internal: the builder learns of removed documents from this event only (an attribute of our subclass).
        # Public API: none; the builder's own list of removed documents would replace it.
        app.builder._removed_docs = bool(removed)
    return []


def _share_header_nav(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Render the theme's header once for all the pages of a model in one folder.

    Its links link the same pages, relative to the same folder, and the same one is current (the
    ancestor of every page of the model); its logo, search button and theme switcher are the same.
    Only its button for the in-page table of contents depends on the page: the template names
    whether it shows (templates/sections/header.html). A page that is itself a header link, or one
    out of the navigation, is left alone: its header differs.
    """
    model = model_of_page(app.env, pagename)
    # Internal: pydata-sphinx-theme's page-context function rendering the header links.
    # Public API: none; the theme caching its header per folder would replace this.
    render = context.get("generate_header_nav_html")
    if model is None or render is None:
        return
    if pagename in app.env.toctree_includes.get(app.config.root_doc, ()):
        return
    if app.env.metadata.get(pagename, {}).get("orphan"):
        return  # out of the navigation (an item this site does not use): no header link is current
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    # Internal: the rendered headers are kept on the builder, which lives exactly as long as the build.
    # Public API: none; a per-build store on the application would replace it.
    shared = app.builder.__dict__.setdefault("_shared_header_navs", {})
    # The theme numbers the ids of the header's "More" menu within a page (the header links are
    # shown twice, for wide and narrow screens): a page's n-th is shared with the n-th of the others.
    calls = [0]

    def header_nav(*args: Any, **kwargs: Any) -> str:
        call = (folder, model.id, calls[0], args, tuple(sorted(kwargs.items())))
        calls[0] += 1
        if call not in shared:
            shared[call] = render(*args, **kwargs)
        return shared[call]

    def header_once(*key: Any, caller: Any) -> str:
        """The header section (a Jinja call block), keyed by what of the page it shows."""
        section = ("header section", folder, model.id, *key)
        if section in shared:
            html, links_rendered = shared[section]
            calls[0] += links_rendered  # as if it had rendered them: the page's next links are numbered on
            return html
        before = calls[0]
        html = str(caller())
        shared[section] = (html, calls[0] - before)
        return html

    # Internal: the theme's page-context function, replaced for this page (see above).
    # Public API: none.
    context["generate_header_nav_html"] = header_nav
    context["comp_header_once"] = header_once


def _share_asset_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Make the tag of each stylesheet and script once for all the pages of a folder.

    A tag is the asset's attributes and its path relative to the page's folder, with a checksum of
    its file (the same all build long). An inline script (no file, such as the page's name) is made
    for each page.
    """
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    # Internal: the tags are kept on the builder, which lives exactly as long as the build.
    # Public API: none; a per-build store on the application would replace it.
    shared: dict[Any, str] = app.builder.__dict__.setdefault("_shared_asset_tags", {})
    for name in ("css_tag", "js_tag"):
        # Internal: Sphinx's page-context functions rendering an asset's tag (handle_page).
        # Public API: none; Sphinx caching the tags per folder would replace this.
        make = context.get(name)
        if callable(make):
            context[name] = _tag_once_per_folder(make, shared, (name, folder))


def _tag_once_per_folder(make: Any, shared: dict[Any, str], where: tuple[str, str]) -> Any:
    def tag(asset: Any) -> str:
        filename = asset if isinstance(asset, str) else getattr(asset, "filename", None)
        if not filename:
            return str(make(asset))  # inline: its body is the page's own
        attributes = () if isinstance(asset, str) else tuple(sorted(asset.attributes.items()))
        key = (*where, str(filename), attributes)
        if key not in shared:
            shared[key] = make(asset)
        return shared[key]

    return tag


def _skip_empty_templates(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Leave out the templates that would render empty on this page, known without rendering them.

    The theme renders each template it lists once more per page to find out whether it is empty
    (a millisecond a page for the breadcrumbs): the in-page table of contents of a page whose only
    heading is its title, and the breadcrumbs of the home page or an untitled page (their template
    shows nothing then), are left out here; the others are listed in `templates_skip_empty_check`.
    """
    # Internal: pydata-sphinx-theme's lists of templates in the page context.
    # Public API: the theme's settings of them, which cannot depend on the page.
    items = context.get("theme_secondary_sidebar_items")
    if isinstance(items, list) and app.env.toc_num_entries.get(pagename, 2) <= 1:
        # Internal: as above. Public API: as above.
        context["theme_secondary_sidebar_items"] = [t for t in items if t not in ("page-toc", "page-toc.html")]
    header = context.get("theme_article_header_start")
    if isinstance(header, str):  # the theme's default: "breadcrumbs", a comma-separated list
        header = [name.strip() for name in header.split(",")]
    # An index page's template sets its title itself: the theme's check finds none, as here.
    if isinstance(header, list) and (not context.get("title") or pagename == app.config.root_doc):
        # Internal: as above. Public API: as above.
        context["theme_article_header_start"] = [t for t in header if t not in ("breadcrumbs", "breadcrumbs.html")]


def setup_build_speed(app: Sphinx) -> None:
    setup_garbage(app)
    app.add_search_language(SearchEnglishStemmedOnce)
    app.add_builder(HTMLBuilder, override=True)
    app.connect("env-get-outdated", _note_removed_docs)
    app.connect("build-finished", _note_outputs_written)
    # Before the theme's handlers read the context (priority 500) ...
    app.connect("html-page-context", _skip_empty_templates, priority=400)
    app.connect("html-page-context", _share_asset_tags, priority=400)
    # ... and after the one that sets the header function.
    app.connect("html-page-context", _share_header_nav, priority=600)
