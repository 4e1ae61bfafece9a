"""The navigation sidebar of item pages: only the current branch of the current model.

The theme renders the sidebar by resolving the model's whole toctree and
editing it with BeautifulSoup for every page, so its cost grows with the
model's size on every page (half of a large build, measured in
manual/performance.md). Item pages know exactly where they are, so their
sidebar is written here from the model instead: the model's sections, the
current section's competencies (or responsibilities) and the current
competency's indicators, in the theme's own markup.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..pages.items import page_docname
from ..pages.kinds import OVERVIEW_PAGES
from ..pages.parts import display
from ..sources.family import FAMILY_FOLDER
from ..sources.model import Model
from ..sphinx_ext.state import shown_page, site_of

#: Siblings shown before and after the current page; the rest are one "more" link to their parent.
SIBLINGS_AROUND = 10


def _where(model: Model, pagename: str) -> tuple[str | None, str | None]:
    """(section id, competency id) of the branch a page belongs to."""
    parts = pagename.split("/")
    if len(parts) != 3:
        return None, None
    folder, item = parts[1], parts[2]
    if folder == "sections" and model.kind_of(item) == "section":
        return item, None
    if folder == "competencies" and item in model.competencies:
        return model.home_of_competency(item).section, item
    if folder == "indicators" and item in model.indicators:
        competency, _ = model.home_of_indicator(item)
        return competency.section, competency.competency
    if folder == "responsibilities" and item in model.responsibilities:
        return next(s.id for s in model.sections if item in s.responsibilities), None
    return None, None


class _Entries:
    """The sidebar's entries for one page, in the markup and classes of pydata-sphinx-theme's sidebar
    (sidebar-nav-bs.html), which its CSS and script style."""

    def __init__(self, pagename: str, uri: Any) -> None:
        self.pagename, self.uri = pagename, uri

    def item(self, level: int, docname: str, label: str, children: Sequence[str] = ()) -> str:
        on_path = docname == self.pagename or bool(children)
        classes = f"toctree-l{level}" + (" current active" if on_path else "") + (" has-children" if children else "")
        current = docname == self.pagename
        link = 'aria-current="page" class="current reference internal"' if current else 'class="reference internal"'
        nested = f"<ul>{''.join(children)}</ul>" if children else ""
        return (
            f'<li class="{classes}"><a {link} href="{html.escape(self.uri(docname))}">'
            f"{html.escape(label)}</a>{nested}</li>"
        )

    def more(self, level: int, count: int, parent: str, label: str) -> str:
        text = f"… {count:,} more in {label}"
        return (
            f'<li class="toctree-l{level} comp-nav-more"><a class="reference internal" '
            f'href="{html.escape(self.uri(parent))}">{html.escape(text)}</a></li>'
        )

    def window(
        self, level: int, pages: list[tuple[str, str]], parent: str, label: str, children: dict[str, list[str]]
    ) -> list[str]:
        """The entries of (docname, label) siblings around the current one; the rest are a link to the parent."""
        current = next(
            (n for n, (docname, _) in enumerate(pages) if docname == self.pagename or docname in children), 0
        )
        start = max(0, min(current - SIBLINGS_AROUND, len(pages) - 2 * SIBLINGS_AROUND - 1))
        end = start + 2 * SIBLINGS_AROUND + 1
        shown = [self.item(level, docname, text, children.get(docname, [])) for docname, text in pages[start:end]]
        before = [self.more(level, start, parent, label)] if start > 0 else []
        after = [self.more(level, len(pages) - end, parent, label)] if end < len(pages) else []
        return before + shown + after

    @staticmethod
    def sidebar(entries: list[str]) -> str:
        # Internal: the markup of pydata-sphinx-theme's sidebar. Public API: none; a theme hook
        # taking the sidebar's entries would replace it.
        return f'<ul class="current nav bd-sidenav">{"".join(entries)}</ul>'


def sidebar_html(model: Model, pagename: str, uri: Any) -> str:
    """The sidebar of a page of `model`; `uri(docname)` gives a link relative to the page."""
    section_id, competency_id = _where(model, pagename)
    out = _Entries(pagename, uri)

    def window(level: int, pages: list[tuple[str, str]], parent: str, children: dict[str, list[str]]) -> list[str]:
        return out.window(level, pages, parent, display(model, *_kind_and_id(model, parent)), children)

    entries = []
    for section in model.sections:
        children: list[str] = []
        section_page = page_docname(model.id, "section", section.id)
        if section.id == section_id:
            siblings = [
                (page_docname(model.id, "responsibility", r), display(model, "responsibility", r))
                for r in section.responsibilities
            ]
            nested: dict[str, list[str]] = {}
            for placement in section.placements():
                if placement.is_reference:
                    continue
                competency_page = page_docname(model.id, "competency", placement.competency)
                siblings.append((competency_page, display(model, "competency", placement.competency)))
                if placement.competency == competency_id:
                    indicators = [
                        (page_docname(model.id, "indicator", i), display(model, "indicator", i))
                        for i in model.competencies[placement.competency].indicators
                    ]
                    nested[competency_page] = window(3, indicators, competency_page, {})
            children = window(2, siblings, section_page, {k: v for k, v in nested.items() if v})
        entries.append(out.item(1, section_page, section.heading, children))
    entries += [out.item(1, page_docname(model.id, kind, ""), label) for kind, label in OVERVIEW_PAGES]
    return out.sidebar(entries)


def family_sidebar_html(env: BuildEnvironment, pagename: str, uri: Any) -> str:
    """The sidebar of a page of the family's folder: the family index's entries (the shared
    competencies, the matrix, the compare page, the career paths) around the current one, and the
    current shared competency's indicators, as the theme would list them from the same toctrees
    but for the current branch only (the theme resolved the whole family toctree on every page).
    "" for a page the family's navigation does not list (a former id's redirect page is in no
    toctree, and keeps the theme's handling)."""
    root = f"{FAMILY_FOLDER}/index"
    if not pagename.startswith(f"{FAMILY_FOLDER}/") or root not in env.toctree_includes:
        return ""

    def pages(docname: str) -> list[tuple[str, str]]:
        return [(d, env.titles[d].astext()) for d in env.toctree_includes.get(docname, ()) if d in env.titles]

    out = _Entries(pagename, uri)
    entries = pages(root)
    listed = pagename == root
    children: dict[str, list[str]] = {}
    for docname, title in entries:
        below = pages(docname)
        if docname == pagename or pagename in dict(below):
            listed = True
            if below:
                children[docname] = out.window(2, below, docname, title, {})
    if not listed:
        return ""
    label = env.titles[root].astext() if root in env.titles else root
    return out.sidebar(out.window(1, entries, root, label, children))


def _kind_and_id(model: Model, docname: str) -> tuple[str, str]:
    """The kind and id of the item a section or competency page shows."""
    folder, item_id = docname.split("/")[1:3]
    return ("section" if folder == "sections" else "competency"), item_id


def model_of_page(env: BuildEnvironment, pagename: str) -> Model | None:
    """The model whose folder holds a page, if any: every generated page of a model is in its folder."""
    model_id, _, rest = pagename.partition("/")
    return site_of(env).models.get(model_id) if rest else None


def _add_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    sidebar = family_sidebar_html(app.env, pagename, lambda d: app.builder.get_relative_uri(pagename, d))
    if not sidebar and model_of_page(app.env, pagename) is not None:
        # Made already when the page's navigation digest was taken (theme/direct_pages.py).
        made = getattr(doctree, SIDEBAR_ATTRIBUTE, None)
        sidebar = page_sidebar(app.builder, pagename) if made is None else made
    if not sidebar:
        return
    context["comp_sidebar"] = sidebar
    # The theme finds out whether a page has a sidebar by walking every toctree entry of the site,
    # on every page (that grows with the pages squared): these pages always have their sidebar.
    # Internal: pydata-sphinx-theme's page-context function. Public API: none; the theme's
    # `show_nav_level`/`navigation_depth` settings do not spare the walk.
    context["suppress_sidebar_toctree"] = _never


#: The attribute of a page's document that holds the page's sidebar once it is made.
SIDEBAR_ATTRIBUTE = "comp_sidebar"


def page_sidebar(builder: Any, pagename: str) -> str:
    """The sidebar of a page of a model, links relative to the page; "" for any other page."""
    model = model_of_page(builder.env, pagename)
    if model is None:
        return ""
    return sidebar_html(model, pagename, lambda docname: builder.get_relative_uri(pagename, docname))


def navigation_digest(builder: Any, pagename: str, shared: Any, sidebar: str | None = None) -> str:
    """What a page's navigation shows: previous, next, parents (with their titles), its sidebar
    (`page_sidebar`, unless given) and `shared` (the site's header, settings and templates). A
    generated page whose body did not change is written again only when this did
    (theme/direct_pages.py)."""
    env, relations = builder.env, builder.relations
    related = relations.get(pagename) or (None, None, None)
    parents, parent = [], related[0]
    while parent:
        parents.append(shown_page(env, parent))
        parent = (relations.get(parent) or (None,))[0]
    if sidebar is None:
        sidebar = page_sidebar(builder, pagename)
    text = json.dumps([shown_page(env, related[1]), shown_page(env, related[2]), parents, sidebar, shared], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _never(**_kwargs: Any) -> bool:
    return False


def setup_nav(app: Sphinx) -> None:
    # After the theme's handlers, which set the functions replaced on item pages.
    app.connect("html-page-context", _add_sidebar, priority=600)
