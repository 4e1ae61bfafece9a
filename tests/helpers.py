"""Small helpers for reading built HTML in tests."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path


def page_text(path: Path) -> str:
    """The visible text of the article part of a built page, whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    match = re.search(
        r'<div class="body" role="main">(.*?)<div class="clearer">|<article[^>]*>(.*?)</article>', html, re.S
    )
    body = next(g for g in match.groups() if g is not None) if match else html
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def collapse(text: str) -> str:
    return " ".join(text.split())
