"""Builder-neutral nodes of item pages, and their HTML rendering.

Pages are built from these nodes when they are read; only the HTML writer
turns them into markup (a copy button needs JavaScript, which other builders
do not have), so the same doctree also serves text or LaTeX output.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.writers.html5 import HTML5Translator


class permalink(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lowercase
    """The permanent address of an item page, with a button copying it."""


class kind_badge(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A badge naming a section kind (technical, non-technical, ...)."""


class mark_boxes(nodes.General, nodes.Element):  # noqa: N801
    """The cells of a form's table row holding an empty box to mark by hand, one per level (`count`).

    One node for the row's boxes, where a cell and a box each were two nodes a level: an appraisal
    form has a row per indicator, and every node of a page is walked several times when it is
    written. Its HTML is what Sphinx writes for those cells."""


def visit_permalink_html(self: HTML5Translator, node: permalink) -> None:
    href = posixpath.basename(self.builder.get_target_uri(self.builder.current_docname))
    shown = node["base_url"] + node["path"] if node["base_url"] else node["path"]
    self.body.append(
        '<div class="comp-permalink" role="group" aria-label="Permanent link">'
        '<span class="comp-permalink-label">Permanent link:</span> '
        f'<a class="comp-permalink-url" href="{self.attval(href)}" data-path="{self.attval(node["path"])}">'
        f"{self.encode(shown)}</a> "
        '<button type="button" class="comp-copy-link" data-copy-link>Copy link</button>'
        '<span class="comp-copy-status" role="status" aria-live="polite"></span></div>\n'
    )
    raise nodes.SkipNode


def visit_permalink_text(self: Any, node: permalink) -> None:
    self.add_text(f"Permanent link: {node['base_url'] + node['path']}")
    raise nodes.SkipNode


def visit_permalink_other(self: Any, node: permalink) -> None:
    raise nodes.SkipNode


def visit_badge_html(self: HTML5Translator, node: kind_badge) -> None:
    self.body.append(f'<span class="comp-badge comp-kind-{self.attval(node["kind"])}">')


def depart_badge_html(self: HTML5Translator, node: kind_badge) -> None:
    self.body.append("</span>")


def visit_mark_boxes_html(self: HTML5Translator, node: mark_boxes) -> None:
    self.body.append('<td><span class="comp-box"></span></td>\n' * node["count"])
    node.parent.column += node["count"]  # type: ignore[attr-defined]  # as each cell would move it on
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def setup_nodes(app: Sphinx) -> None:
    app.add_node(
        permalink,
        html=(visit_permalink_html, None),
        text=(visit_permalink_text, None),
        latex=(visit_permalink_other, None),
        man=(visit_permalink_other, None),
        texinfo=(visit_permalink_other, None),
    )
    app.add_node(
        kind_badge,
        html=(visit_badge_html, depart_badge_html),
        text=(_pass, _pass),
        latex=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.add_node(
        mark_boxes,
        html=(visit_mark_boxes_html, None),
        text=(visit_permalink_other, None),
        latex=(visit_permalink_other, None),
        man=(visit_permalink_other, None),
        texinfo=(visit_permalink_other, None),
    )
    app.add_css_file("competency.css")
    app.add_js_file("competency.js", loading_method="defer")
    app.connect("builder-inited", _add_static_path)
    app.connect("config-inited", _default_favicon)


def _add_static_path(app: Sphinx) -> None:
    # Only HTML builders copy static files; others ignore html_static_path.
    app.config.html_static_path.append(str(Path(__file__).parents[1] / "theme" / "static"))


def _default_favicon(app: Sphinx, config: Config) -> None:
    """The site's icon, from the package (a browser asks the server for /favicon.ico without one)."""
    if not config.html_favicon:
        config.html_favicon = str(Path(__file__).parents[1] / "theme" / "static" / "favicon.svg")
