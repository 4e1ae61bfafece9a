"""Inline Markdown in model text, parsed: markdown-it with HTML off and only the rules model text may use.

The sources check the links of model text (links.py); the pages render it (sphinx_ext/inline.py).
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def markdown_parser() -> MarkdownIt:
    return MarkdownIt("zero", {"html": False, "linkify": False}).enable(
        ["emphasis", "backticks", "link", "escape", "entity"]
    )


def link_targets(text: str) -> list[str]:
    """The target of every inline link in a piece of model text.

    markdown-it never makes a link of a `javascript:`, `vbscript:`, `file:` or `data:` target:
    such a "link" is shown as the characters it is, like any other markup it does not know.
    """
    tokens = markdown_parser().parseInline(" ".join(text.split()))
    return [str(t.attrGet("href") or "") for t in tokens[0].children or [] if t.type == "link_open"]
