"""Texts from the sources that the theme would write into pages as HTML, handed to it escaped.

pydata-sphinx-theme (0.24) writes two texts without escaping them, where Sphinx's own templates
escape them:

- the header's links: `_generate_nav_info` in its toctree.py joins `node.astext()` of each linked
  page's title into the markup, and the header links the model pages, whose titles are the models'
  titles (`Customer <img src=x onerror=...> Service` would be an image on every page);
- the site title in the logo and on the search page (`{{ docstitle }}` in navbar-logo.html and
  search.html), which for a utility's site ends with the utility's name from its overlay.

So the header is rendered while the titles of the pages it links are escaped text, and the site
title is given to the templates as markup that is already escaped (Jinja's `|e`, which Sphinx's
templates apply, leaves such markup as it is, so no template shows it escaped twice).

Sphinx 9 errs the other way in its search index: `IndexBuilder.get_objects` HTML-escapes the
objects' names, and searchtools.js escapes them again when it shows a result, so an indicator
whose text holds `<` or `&` would be listed as `&lt;` (titles lost their escaping in Sphinx 8.2,
sphinx-doc/sphinx#13356, object names kept theirs). The index is given the names as text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


@contextmanager
def _header_titles_escaped(env: BuildEnvironment, root_doc: str) -> Iterator[None]:
    """The titles of the pages the header links (the root document's toctree entries), as escaped text."""
    saved = {page: env.titles[page] for page in env.toctree_includes.get(root_doc, ()) if page in env.titles}
    try:
        for page, title in saved.items():
            env.titles[page] = nodes.title("", html.escape(title.astext(), quote=False))
        yield
    finally:
        env.titles.update(saved)


def _object_names_as_text(get_objects: Callable[..., dict[str, list[tuple[Any, ...]]]]) -> Callable[..., Any]:
    def objects(*args: Any, **kwargs: Any) -> dict[str, list[tuple[Any, ...]]]:
        return {
            html.unescape(prefix): [(*entry[:-1], html.unescape(entry[-1])) for entry in entries]
            for prefix, entries in get_objects(*args, **kwargs).items()
        }

    objects.comp_text_names = True  # type: ignore[attr-defined]
    return objects


def _escape_theme_texts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # The builder makes its search indexer just before writing the pages: this is the first moment it exists.
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None and not getattr(indexer.get_objects, "comp_text_names", False):
        # Internal: the search indexer's method listing object names, wrapped to give them as text.
        # Public API: none; a domain's object names marked as text (not HTML) would replace it.
        indexer.get_objects = _object_names_as_text(indexer.get_objects)
    if isinstance(context.get("docstitle"), str):
        context["docstitle"] = escape(context["docstitle"])
    # Internal: pydata-sphinx-theme's page-context function rendering the header links.
    # Public API: none; the theme escaping the titles it writes would replace this.
    render = context.get("generate_header_nav_html")
    if render is None:
        return

    def header_nav(*args: Any, **kwargs: Any) -> str:
        with _header_titles_escaped(app.env, app.config.root_doc):
            return str(render(*args, **kwargs))

    # Internal: as above. Public API: as above.
    context["generate_header_nav_html"] = header_nav


def setup_theme_text(app: Sphinx) -> None:
    # After the theme's handler, which sets the header function (priority 500), and before
    # build_speed.py shares the header between pages (600).
    app.connect("html-page-context", _escape_theme_texts, priority=550)
