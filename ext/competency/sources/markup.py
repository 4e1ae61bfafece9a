"""Inline Markdown in model text, parsed: markdown-it with HTML off and only the rules model text may use.

The sources check the links of model text (links.py); the pages render it (sphinx_ext/inline.py).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


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


#: What markdown-it may read as markup in model text: a backslash before each shows it as it is.
_MARKUP_CHARACTERS = re.compile(r"([\\`*_\[\]&])")


def shown_words(text: str) -> str:
    """The words inline Markdown shows for `text` (markup read, spacing collapsed as pages show it)."""
    tokens = markdown_parser().parseInline(" ".join(text.split()))
    return "".join(_shown(token) for token in tokens[0].children or [])


def _shown(token: Token) -> str:
    return token.content if token.type in ("text", "code_inline") else " " if token.type == "softbreak" else ""


def as_published(text: str) -> str:
    """Published words written as model text that shows them as they are: unchanged when Markdown
    would show them so (`form_id`, `*69`, `<b>`), each markup character escaped when it would not
    (`*high*` would lose its asterisks, `[rev. 3](2024)` would be a link)."""
    if shown_words(text) == " ".join(text.split()):
        return text
    return _MARKUP_CHARACTERS.sub(r"\\\1", text)
