"""Inline Markdown in model text, rendered to docutils nodes, safely.

Model text may use emphasis, strong, code and links. Anything else (raw HTML,
MyST roles and directives such as {raw} or {eval-rst}) is shown as the text it
is: markdown-it runs with HTML disabled and only the rules below, and every
character ends up in a Text node that the writers escape.
"""

from __future__ import annotations

from functools import cache

from docutils import nodes
from markdown_it import MarkdownIt

_MARKUP = set("*_`[\\<&")


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("zero", {"html": False, "linkify": False}).enable(
        ["emphasis", "backticks", "link", "escape", "entity"]
    )


def inline_nodes(text: str) -> list[nodes.Node]:
    """The nodes of one piece of model text."""
    text = " ".join(text.split())
    if not _MARKUP.intersection(text):
        return [nodes.Text(text)]  # the common case: plain words, no parsing needed
    tokens = _parser().parseInline(text)
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
            element = _open(token)
            stack[-1] += element
            stack.append(element)
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
    return nodes.reference(refuri=str(token.attrGet("href") or ""))


def plain_text(text: str) -> str:
    """Model text with markup removed, for titles and search."""
    return "".join(node.astext() for node in inline_nodes(text))
