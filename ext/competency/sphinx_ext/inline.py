"""Inline Markdown in model text, rendered to docutils nodes, safely.

Model text may use emphasis, strong, code and links. Anything else (raw HTML,
MyST roles and directives such as {raw} or {eval-rst}) is shown as the text it
is: markdown-it runs with HTML disabled and only the rules below, and every
character ends up in a Text node that the writers escape.

Links may name an item (`comp:<kind>:<name>`) or a page from the site's root
(`/guide-import`); both become cross-references resolved for the page showing
the text. Which targets are allowed is checked when the sources load (sources/links.py).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref

from ..sources.markup import markdown_parser

_MARKUP = set("*_`[\\<&")


def inline_nodes(text: str, *, links: bool = True) -> list[nodes.Node]:
    """The nodes of one piece of model text; `links=False` for text that is itself a link's text.

    (A link inside a link is not HTML: the browser would cut the outer one in two.)
    """
    text = " ".join(text.split())
    if not _MARKUP.intersection(text):
        return [nodes.Text(text)]  # the common case: plain words, no parsing needed
    tokens = markdown_parser().parseInline(text)
    stack: list[nodes.Element] = [nodes.inline()]
    for token in tokens[0].children or []:
        kind = token.type
        if kind == "text":
            stack[-1] += nodes.Text(token.content)
        elif kind in ("softbreak", "hardbreak"):
            stack[-1] += nodes.Text(" ")
        elif kind == "code_inline":
            stack[-1] += nodes.literal(token.content, token.content)
        elif kind in ("em_open", "strong_open", "link_open"):
            element = _open(token) if links or kind != "link_open" else nodes.inline()
            stack[-1] += element
            # A cross-reference holds its text in one inner node, which Sphinx's resolvers expect.
            stack.append(element[0] if isinstance(element, pending_xref) else element)
        elif kind in ("em_close", "strong_close", "link_close") and len(stack) > 1:
            stack.pop()
        else:
            stack[-1] += nodes.Text(token.content)
    return list(stack[0].children)


def _open(token) -> nodes.Element:
    if token.type == "em_open":
        return nodes.emphasis()
    if token.type == "strong_open":
        return nodes.strong()
    href = str(token.attrGet("href") or "")
    if href.startswith("comp:") and href.count(":") == 2:
        _, role, name = href.split(":")
        return _xref("comp", role, name, **{"comp:generated": True})
    if href.startswith("/") and not href.startswith("//"):
        return _xref("std", "doc", "/" + href[1:].removesuffix(".html").removesuffix(".md"))
    return nodes.reference(refuri=href)


def _xref(domain: str, role: str, target: str, **extra: bool) -> pending_xref:
    node = pending_xref("", nodes.inline(), refdomain=domain, reftype=role, reftarget=target, refexplicit=True)
    node["refwarn"] = True
    for name, value in extra.items():
        node[name] = value
    return node


def plain_text(text: str) -> str:
    """Model text with markup removed, for titles and search."""
    return "".join(node.astext() for node in inline_nodes(text))
