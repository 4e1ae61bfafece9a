"""Links in model text: which targets are allowed, and checking that each one exists.

The same text is shown on several pages at different depths (an indicator's text is on its own
page, its competency's page and the model's page), so a relative link would lead somewhere
different from each of them, or out of the site. Only three kinds of target are allowed:

- `https://...` and `http://...` addresses (another site, opened by the reader's browser);
- `comp:<kind>:<name>`: an item of a model, named as the `{comp:<kind>}` roles name it
  (`comp:indicator:meter-reader/reads-meters-accurately`, `comp:model:meter-reader`);
- `/<page>`: a hand-written page of the site, from the site's root (`/about`).

Anything else (a relative path such as `genindex.html` or `../../x`, an anchor `#x`, another
scheme such as `mailto:` or `ftp:`) is a located error. (markdown-it never makes a link of a
`javascript:`, `vbscript:`, `file:` or `data:` target: it is shown as the text it is.)

`check_form` runs in the loader on every string of a source file; `check_targets` runs once
every model is loaded, for `competency check` and the build alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .markup import link_targets
from .model import Model
from .problems import Location, Problem
from .yamlfile import JsonPath, YamlDocument

ITEM_KINDS = ("model", "section", "competency", "indicator", "responsibility")
_NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ITEM = re.compile(rf"^comp:(?P<kind>[a-z]+):(?P<name>{_NAME}(?:/{_NAME})?)$")
_PAGE = re.compile(r"^/(?P<page>[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*)(?:\.html|\.md)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """One allowed link target."""

    #: web, item or page.
    kind: str
    #: The object type (item links) or "" .
    role: str = ""
    #: The item's full name, or the page's document name; "" for web links.
    name: str = ""


def parse_target(href: str) -> Link | str:
    """The link a target names, or the message saying why it is not allowed."""
    if href.startswith(("http://", "https://")):
        return Link(kind="web") if urlsplit(href).netloc else "an http(s) address needs a host name"
    if href.startswith("comp:"):
        match = _ITEM.match(href)
        if not match or match["kind"] not in ITEM_KINDS:
            return f"'{href}' is not a link to an item"
        if (match["kind"] == "model") != ("/" not in match["name"]):
            return f"'{href}' is not a link to an item"
        return Link(kind="item", role=match["kind"], name=match["name"])
    if href.startswith("#"):
        return f"the anchor '{href}' is not checked and means a different place on each page showing the text"
    if href.startswith("/") and not href.startswith("//"):
        match = _PAGE.match(href)
        if match:
            return Link(kind="page", name=match["page"])
        return f"'{href}' is not a page of the site (anchors and queries are not allowed)"
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", href)
    if scheme:
        return f"links with '{scheme[1]}:' are not allowed"
    return f"the relative link '{href}' leads to a different place from each page showing the text"


HINT = (
    "link an item with comp:<kind>:<model>/<id> (e.g. comp:indicator:meter-reader/reports-hazards), "
    "a page of the site from its root (/about), or an https:// address"
)


def _strings(data: Any, where: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*where, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from _strings(value, (*where, n))


def document_links(document: YamlDocument) -> Iterator[tuple[Location, str, Link | str]]:
    """Every link in the text of a source file: where, its target, and what it is (or what is wrong)."""
    for where, text in _strings(document.data):
        if "](" not in text:
            continue  # no inline link: nothing to parse (ids, codes, most text)
        for href in link_targets(text):
            yield document.positions.at(where), href, parse_target(href)


def check_form(document: YamlDocument) -> list[Problem]:
    """A problem for every link in a file whose target is not one of the allowed kinds."""
    return [
        Problem(location=location, message=f"link to '{href}' not allowed: {link}", hint=HINT)
        for location, href, link in document_links(document)
        if isinstance(link, str)
    ]


def site_pages(docs_dir: Path) -> frozenset[str]:
    """The hand-written pages of a site: its Markdown files, without folders starting with _ or ."""
    if not docs_dir.is_dir():
        return frozenset()
    pages = set()
    for path in docs_dir.rglob("*.md"):
        relative = path.relative_to(docs_dir)
        if not any(part.startswith(("_", ".")) for part in relative.parts):
            pages.add(relative.with_suffix("").as_posix())
    return frozenset(pages)


def check_targets(
    documents: Iterable[YamlDocument], models: Mapping[str, Model], pages: frozenset[str] | None
) -> list[Problem]:
    """A problem for every item or page link whose target does not exist (pages: None = not known)."""
    problems = []
    for document in documents:
        for location, href, link in document_links(document):
            if isinstance(link, str) or link.kind == "web":
                continue
            if link.kind == "item":
                missing = _missing_item(models, link)
            elif pages is None:
                continue
            else:
                missing = "" if link.name in pages else f"there is no page '{link.name}' in the site"
            if missing:
                problems.append(
                    Problem(location=location, message=f"broken link to '{href}': {missing}", hint=_fix(link))
                )
    return problems


def _missing_item(models: Mapping[str, Model], link: Link) -> str:
    model_id, _, item_id = link.name.partition("/")
    model = models.get(model_id)
    if model is None:
        return f"there is no model '{model_id}'"
    if link.role == "model":
        return ""
    kind = model.kind_of(item_id)
    if kind is None:
        return f"the model '{model_id}' has no item '{item_id}'"
    if kind != link.role:
        return f"'{item_id}' is {_article(kind)} {kind}, not {_article(link.role)} {link.role}"
    return ""


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _fix(link: Link) -> str:
    if link.kind == "page":
        return "name a Markdown page of the site from its root, without .md: /about"
    return "name the item by its current id, as the {comp:" + link.role + "} role does"
