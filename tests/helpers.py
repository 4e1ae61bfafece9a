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


def load_inventory(path: Path, base: str = "") -> dict[str, dict[str, tuple]]:
    """objects.inv as {type: {name: (project, version, uri, display name)}}, on every Sphinx version."""
    from sphinx.util.inventory import InventoryFile

    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, base, lambda prefix, uri: prefix + uri)
    data = getattr(inventory, "data", inventory)  # a plain dict before Sphinx 8.2
    return {kind: {name: _fields(item) for name, item in items.items()} for kind, items in data.items()}


def _fields(item: object) -> tuple:
    if hasattr(item, "uri"):
        return (item.project_name, item.project_version, item.uri, item.display_name)  # type: ignore[attr-defined]
    return tuple(item)  # type: ignore[arg-type]
