"""Small helpers of the tests: copying a test root, reading built HTML."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html import unescape
from pathlib import Path

ROOTS = Path(__file__).resolve().parent / "roots"
#: The settings every test root shares (a root keeps its own conf.py only when it is another kind of project).
ROOT_CONF = ROOTS / "conf.py"


def copy_root(name: str, dest: Path, ignore: Callable[[str, list[str]], set[str]] | None = None) -> Path:
    """A copy of tests/roots/test-<name>/ at dest that builds on its own (sphinx-build, make, a subprocess).

    Symlinks are followed, as by shutil.copytree: the copy's models are files of its own, to edit.
    """
    shutil.copytree(ROOTS / f"test-{name}", dest, ignore=ignore)
    write_root_conf(dest)
    return dest


def write_root_conf(folder: Path) -> None:
    """Gives a folder the test roots' shared conf.py, unless it has a conf.py already."""
    conf = folder / "conf.py"
    if not conf.exists():
        shutil.copyfile(ROOT_CONF, conf)


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
