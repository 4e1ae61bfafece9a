"""The build's speed-ups (build_speed.py, the comp domain's GeneratedLinks) change how often work is done,
never what is written."""

from __future__ import annotations

import functools
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
import sphinx.search
from docutils import nodes
from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.search.en import SearchEnglish
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import new_document

import competency.sphinx_ext.extension
from competency.pages.parts import doc_link
from competency.siteconf import NEVER_EMPTY_TEMPLATES, TEMPLATES
from competency.sphinx_ext.domain import GeneratedLinks, comp_domain
from competency.theme import post_transforms
from competency.theme.build_speed import OUTPUTS_WRITTEN, TEMPLATE_CACHE, HTMLBuilder, SearchEnglishStemmedOnce

#: The site's theme, with the site's templates (theirs and a shared header: siteconf.py).
PYDATA = {
    "html_theme": "pydata_sphinx_theme",
    "html_theme_options": {"navigation_depth": 3},
    "templates_path": [str(TEMPLATES)],
}
#: The same site's options: one header link before the "More" menu, whose ids the theme numbers per page.
WITH_MORE_MENU = {**PYDATA, "html_theme_options": {**PYDATA["html_theme_options"], "header_links_before_dropdown": 1}}
KEPT = ("searchindex.js", "objects.inv", "comp-indicators.html", "search.html")


def _files(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name != ".buildinfo" and "_static" not in p.parts
    }


def test_stems_are_the_english_stems() -> None:
    once, plain = SearchEnglishStemmedOnce({}), SearchEnglish({})
    words = ["Explains", "explaining", "meters", "Meter", "readings", "safety", "reads", "read", "hazards"]
    assert [once.stem(w) for w in words * 2] == [plain.stem(w) for w in words * 2]
    assert once.stem("readings") == "read"


@pytest.mark.sphinx(
    "html",
    testroot="two-models",
    srcdir="speed-same-site",
    freshenv=True,
    confoverrides={
        **WITH_MORE_MENU,
        # The breadcrumbs, which are empty on the home page, are not rendered to find that out (the
        # site's other never-empty templates are empty here: the test site sets no copyright).
        "html_theme_options": {
            **WITH_MORE_MENU["html_theme_options"],
            "templates_skip_empty_check": ["sidebar-nav-bs.html", "navbar-nav.html", "breadcrumbs.html"],
        },
    },
)
def test_the_speed_ups_change_nothing_in_the_site(
    app: SphinxTestApp,
    make_app: Callable[..., SphinxTestApp],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # A page with headings below its title, whose in-page table of contents is shown.
    Path(app.srcdir, "headings.md").write_text(
        "---\norphan: true\n---\n# Headings\n\n## First part\n\nText.\n\n## Second part\n\nText.\n",
        encoding="utf-8",
    )
    tocs: list[str] = []
    render_partial = StandaloneHTMLBuilder.render_partial

    def spy(builder: Any, node: Any) -> dict[str, str]:
        if isinstance(node, nodes.bullet_list):
            tocs.append(node.astext())
        return render_partial(builder, node)

    with monkeypatch.context() as spying:
        spying.setattr(StandaloneHTMLBuilder, "render_partial", spy)
        app.build()
    # rendered where it is shown only: not on the pages whose one heading is their title
    assert [toc.split() for toc in tocs] == [["Headings", "First", "part", "Second", "part"]]
    assert isinstance(app.builder, HTMLBuilder)
    assert "breadcrumbs.html" in NEVER_EMPTY_TEMPLATES  # as the site has it
    fast = _files(Path(app.outdir))
    fast_warnings = app.warning.getvalue()
    app.cleanup()
    with monkeypatch.context() as plain:
        plain.setattr(competency.sphinx_ext.extension, "setup_build_speed", lambda _app: None)
        plain.setattr(GeneratedLinks, "run", lambda _self, **_kwargs: None)  # Sphinx's resolver does it all
        plain.setitem(sphinx.search.languages, "en", SearchEnglish)
        plain.setattr(post_transforms, "ACTS_ONLY_ON", {})  # every post-transform on every page
        plain.setattr(post_transforms, "RESOLVED_ACTS_ONLY_ON", {})  # and every doctree-resolved handler
        slow_app = make_app(
            "html", srcdir=Path(app.srcdir), builddir=tmp_path / "plain", freshenv=True, confoverrides=WITH_MORE_MENU
        )
        slow_app.build()
        assert not isinstance(slow_app.builder, HTMLBuilder)
    slow = _files(Path(slow_app.outdir))
    assert sorted(fast) == sorted(slow)
    assert len([name for name in fast if name.endswith(".html")]) > 20
    assert [name for name in fast if fast[name] != slow[name]] == []
    # what the speed-ups touch is on the pages: breadcrumbs, the header's links, no empty page contents
    page = fast["meter-reader/indicators/reports-hazards.html"].decode()
    assert 'class="bd-breadcrumbs"' in page and "nav-link nav-internal" in page
    # the header, shared by the pages of a folder, has its "More" menu (the narrow screen's links have none)
    assert page.count('id="pst-nav-more-links"') == 1 and "pst-nav-more-links-2" not in page
    assert "onthispage" not in page
    assert "onthispage" in fast["headings.html"].decode() and "Second part</a>" in fast["headings.html"].decode()
    assert fast_warnings == "" and slow_app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="two-models", srcdir="speed-header", freshenv=True, confoverrides=PYDATA)
def test_each_page_has_its_own_current_header_link(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    model_page = _header(out / "meter-reader/index.html")
    item_page = _header(out / "meter-reader/indicators/reports-hazards.html")
    other_item = _header(out / "line-locator/indicators/marks-lines.html")
    assert 'href="#" aria-current="page"' in model_page  # a header link shows its own page
    assert "aria-current" not in item_page
    assert _current_link(model_page) == "#"
    assert _current_link(item_page) == "../index.html"  # its own model, from its own folder
    assert _current_link(other_item) == "../index.html"
    matrix = _header(out / "meter-reader/matrix.html")  # in the model page's own folder
    assert "aria-current" not in matrix and _current_link(matrix) == "index.html"
    assert 'href="../../line-locator/index.html"' in item_page
    assert 'href="../../meter-reader/index.html"' in other_item
    assert _current_link(_header(out / "roles.html")) == "#"
    # rendered once per model's folder (and whether the page has an in-page table of contents)
    shared = app.builder.__dict__["_shared_header_navs"]
    sections = {key[1:] for key in shared if key[0] == "header section"}
    models = ("meter-reader", "line-locator")
    model_pages = [p.relative_to(out) for model in models for p in (out / model).rglob("*.html")]
    folders = {str(p.parent) for p in model_pages}
    assert ("meter-reader/indicators", "meter-reader", False) in sections
    assert {folder for folder, _model, _toc in sections} <= folders
    assert len(sections) <= 2 * len(folders) and len(sections) < len(model_pages) / 3


def _header(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("<header") : html.index("</header>")]


def _current_link(header: str) -> str:
    current = header[header.index('<li class="nav-item current active">') :]
    return current.split('href="', 1)[1].split('"', 1)[0]


@pytest.mark.sphinx("html", testroot="two-models", srcdir="speed-no-op", freshenv=True)
def test_a_no_op_rebuild_keeps_the_indices(app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]) -> None:
    app.build()
    app.cleanup()
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    written = {name: (outdir / name).stat().st_mtime_ns for name in KEPT}
    contents = {name: (outdir / name).read_bytes() for name in KEPT}

    assert _build_again(make_app, srcdir) == ""
    assert {name: (outdir / name).stat().st_mtime_ns for name in KEPT} == written
    assert {name: (outdir / name).read_bytes() for name in KEPT} == contents

    # A missing one is written again.
    (outdir / "objects.inv").unlink()
    assert _build_again(make_app, srcdir) == ""
    assert (outdir / "objects.inv").read_bytes() == contents["objects.inv"]

    # A build stopped after reading (the environment saved, the indices not yet written) is finished:
    # the indices are written again; the pages among them hold the same bytes and are left as they are.
    pickle = Path(app.doctreedir, "environment.pickle")
    later = max(written.values()) + 1
    os.utime(pickle, ns=(later, later))
    assert _build_again(make_app, srcdir) == ""
    assert all((outdir / name).stat().st_mtime_ns > later for name in KEPT if not name.endswith(".html"))
    assert Path(app.doctreedir, OUTPUTS_WRITTEN).stat().st_mtime_ns > later
    assert {name: (outdir / name).read_bytes() for name in KEPT} == contents
    assert _build_again(make_app, srcdir) == ""
    assert {name: (outdir / name).stat().st_mtime_ns for name in KEPT if name.endswith(".html")} == {
        name: time for name, time in written.items() if name.endswith(".html")
    }

    # An edit changes them.
    model = srcdir / "competency_src" / "meter-reader.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("Reports hazards to the supervisor", "Reports hazards at once"),
        encoding="utf-8",
    )
    assert _build_again(make_app, srcdir) == ""
    assert b"Reports hazards at once" in (outdir / "comp-indicators.html").read_bytes()
    assert (outdir / "searchindex.js").read_bytes() != contents["searchindex.js"]


@pytest.mark.sphinx("html", testroot="two-models", srcdir="speed-same-bytes", freshenv=True)
def test_a_page_rendered_with_the_same_bytes_is_not_written_again(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    app.cleanup()
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    pages = ("index.html", "search.html", "meter-reader/indicators/reports-hazards.html")
    before = {name: ((outdir / name).stat().st_mtime_ns, (outdir / name).read_bytes()) for name in pages}

    # An indicator reworded: the home page is read again (its catalogue shows the models) and the
    # search page rendered again with the search index; their bytes are the same, their files kept.
    model = srcdir / "competency_src" / "meter-reader.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("Reports hazards to the supervisor", "Reports hazards at once"),
        encoding="utf-8",
    )
    read = _read_by_build(make_app, srcdir)
    assert "index" in read
    for name in ("index.html", "search.html"):
        assert (outdir / name).stat().st_mtime_ns == before[name][0], name
        assert (outdir / name).read_bytes() == before[name][1], name
    changed = outdir / "meter-reader/indicators/reports-hazards.html"
    assert b"Reports hazards at once" in changed.read_bytes()
    assert changed.stat().st_mtime_ns > before[changed.relative_to(outdir).as_posix()][0]

    # A hand-written page whose source changed but whose page did not: kept, and its time moved past
    # the source's, so that the next build does not take it for outdated and read it again.
    roles, page = srcdir / "roles.md", (outdir / "roles.html").read_bytes()
    roles.write_text(roles.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    time.sleep(0.01)
    now = time.time_ns()  # newer than the page, even on a coarse file system
    os.utime(roles, ns=(now, now))
    assert "roles" in _read_by_build(make_app, srcdir)
    assert (outdir / "roles.html").read_bytes() == page
    assert (outdir / "roles.html").stat().st_mtime_ns > now
    assert _read_by_build(make_app, srcdir) == []


def _read_by_build(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> list[str]:
    """Another sphinx-build run on the same folders (without warnings); the documents it read."""
    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    app.build()
    app.cleanup()
    assert app.warning.getvalue() == ""
    return read


def _build_again(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> str:
    """Another sphinx-build run on the same folders; its warnings."""
    app = make_app("html", srcdir=srcdir)
    app.build()
    app.cleanup()
    return app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_the_cycle_collector_runs_again_after_a_build(app: SphinxTestApp) -> None:
    app.build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.sphinx(
    "html", testroot="basic", srcdir="post-transforms", freshenv=True, confoverrides=PYDATA
)  # a build of its own: the pydata theme leaves its files in the output
def test_a_page_gets_the_post_transforms_that_can_find_something_in_it(app: SphinxTestApp) -> None:
    registered = app.registry.get_post_transforms()
    names = {f"{t.__module__}.{t.__qualname__}": t for t in registered}
    assert set(post_transforms.ACTS_ONLY_ON) <= set(names)  # the table names real post-transforms only
    plain = new_document("page")
    plain += nodes.paragraph("", "", nodes.reference("", "a link", refuri="https://example.org/"))
    plain += nodes.container("", nodes.paragraph("", "a box"))  # a container, no sphinx-design component
    chosen = post_transforms.transforms_for(registered, post_transforms.kinds_held(plain, comp_domain(app.env)))
    assert names["sphinx.transforms.post_transforms.ReferencesResolver"] not in chosen
    assert names["sphinx.transforms.post_transforms.OnlyNodeTransform"] not in chosen
    assert names["sphinx_design.dropdown.DropdownHtmlTransform"] not in chosen
    assert names["pydata_sphinx_theme.short_link.ShortenLinkTransform"] not in chosen
    unknown = [t for t in registered if f"{t.__module__}.{t.__qualname__}" not in post_transforms.ACTS_ONLY_ON]
    assert unknown and all(t in chosen for t in unknown)  # the others always run
    linked = new_document("page")
    address = "https://github.com/org/repo/issues/1"
    dropdown = nodes.container("", addnodes.pending_xref("", nodes.Text("x"), reftype="ref", reftarget="x"))
    dropdown["design_component"] = "dropdown"
    linked += dropdown
    linked += nodes.paragraph("", "", nodes.reference("", address, refuri=address))
    chosen = post_transforms.transforms_for(registered, post_transforms.kinds_held(linked, comp_domain(app.env)))
    assert names["sphinx.transforms.post_transforms.ReferencesResolver"] in chosen
    assert names["competency.sphinx_ext.domain.GeneratedLinks"] in chosen
    assert names["sphinx_design.dropdown.DropdownHtmlTransform"] in chosen
    assert names["sphinx_design.tabs.TabSetHtmlTransform"] not in chosen  # each looks for its own component
    assert names["sphinx_design.aside.AsideHtmlTransform"] not in chosen
    assert names["pydata_sphinx_theme.short_link.ShortenLinkTransform"] in chosen  # a link shown as its address
    app.build()  # the items, which links the extension writes name
    domain = comp_domain(app.env)
    kind, name = next(iter(domain.objects))
    generated = new_document("page")
    generated += nodes.paragraph("", "", addnodes.pending_xref("", nodes.Text("x"), reftype=kind, reftarget=name))
    generated[0][0]["comp:generated"] = True
    chosen = post_transforms.transforms_for(registered, post_transforms.kinds_held(generated, domain))
    assert names["competency.sphinx_ext.domain.GeneratedLinks"] in chosen
    assert names["sphinx.transforms.post_transforms.ReferencesResolver"] not in chosen  # none left for it
    # the extension's links to pages: to a page without a document, or to a document, resolved by it
    for page in (next(iter(domain.direct_pages)), "index"):
        linked_page = new_document("page")
        linked_page += nodes.paragraph("", "", doc_link(page, "a page"))
        chosen = post_transforms.transforms_for(registered, post_transforms.kinds_held(linked_page, domain))
        assert names["sphinx.transforms.post_transforms.ReferencesResolver"] not in chosen, page
        assert names["myst_parser.sphinx_ext.myst_refs.MystReferenceResolver"] not in chosen, page
    unknown_page = new_document("page")
    unknown_page += nodes.paragraph("", "", doc_link("no/such/page", "a page"))
    chosen = post_transforms.transforms_for(registered, post_transforms.kinds_held(unknown_page, domain))
    assert names["sphinx.transforms.post_transforms.ReferencesResolver"] in chosen  # which reports it


@pytest.mark.sphinx("html", testroot="basic", srcdir="resolved-handlers", freshenv=True, confoverrides=PYDATA)
def test_a_page_gets_the_doctree_resolved_handlers_that_can_find_something_in_it(app: SphinxTestApp) -> None:
    app.build()
    listeners = app.events.listeners["doctree-resolved"]
    named = {f"{h.handler.__module__}.{h.handler.__qualname__}": i for i, h in enumerate(listeners)}
    assert set(post_transforms.RESOLVED_ACTS_ONLY_ON) <= set(named)  # the table names real handlers only
    index = named["sphinx_design.extension._resolve_new_tab_refs"]
    original = listeners[index].handler
    calls: list[str] = []

    @functools.wraps(original)
    def spy(*args: Any) -> None:
        calls.append(args[2])
        original(*args)

    listeners[index] = listeners[index]._replace(handler=spy)
    try:
        plain = new_document("page")
        plain += nodes.paragraph("", "", nodes.reference("", "a link", refuri="https://example.org/"))
        post_transforms.apply_post_transforms(app.env, plain, "plain")
        marked = new_document("page")
        link = nodes.reference("", "a card's link", refuri="https://example.org/")
        marked += nodes.container("", nodes.paragraph("", "", link), sd_new_tab=True)
        post_transforms.apply_post_transforms(app.env, marked, "marked")
    finally:
        listeners[index] = listeners[index]._replace(handler=original)
    assert calls == ["marked"]  # left out where nothing opens in a new tab
    assert link["target"] == "_blank"  # and where something does, it did its work
    assert app.events.listeners["doctree-resolved"] == listeners  # every handler is back


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_templates_are_not_looked_at_on_disk_for_every_page(app: SphinxTestApp) -> None:
    environment = app.builder.templates.environment  # type: ignore[attr-defined]
    assert environment.auto_reload is False  # Jinja would stat each template file at each use
    template = environment.get_template("page.html")
    assert environment.get_template("page.html") is template  # kept, not checked again


@pytest.mark.sphinx("html", testroot="two-models", srcdir="speed-compiled-templates", freshenv=True)
def test_the_templates_compiled_code_is_kept_between_builds(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app.build()
    app.cleanup()
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    assert list(Path(app.doctreedir, TEMPLATE_CACHE).glob("*.cache"))
    first = _files(outdir)
    (outdir / "index.html").unlink()  # a page to write again: templates are rendered

    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def recording(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", recording)
    assert _build_again(make_app, srcdir) == ""
    assert (outdir / "index.html").is_file()
    # every template file the pages need came from the cache (strings rendered as templates have none)
    assert [name for name in compiled if name is not None] == []
    assert _files(outdir) == first
