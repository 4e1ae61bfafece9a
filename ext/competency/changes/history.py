"""How each item changed from edition to edition, computed from the editions' sources with diff.py.

The versions compared are the editions, oldest first, then the sources of this build. Between two
consecutive versions `diff_model` tells which items were added, reworded, moved and renamed; an item
is followed across renames (its `aliases`), so the history of a current item starts in the edition
that first had it, under whatever id it had then. The same pass records, for every id any edition
published, the last edition that had it (a withdrawal page links to it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..pages.items import page_docname
from ..sources.editions import Edition, check_editions, edition_site, load_editions, require_revision
from ..sources.model import Model
from ..sources.site import Site
from .diff import Change, diff_model, item_views

#: Object types with a page, and so a history.
ITEM_TYPES = ("section", "competency", "indicator", "responsibility")


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One change of one item, in one edition ("" = since the latest edition, not released yet)."""

    edition: str
    #: "added", "reworded", "moved" or "renamed".
    change: str
    field: str = ""
    #: The earlier wording (reworded), code (moved) or id (renamed).
    old: str = ""
    new: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemHistory:
    """What happened to one current item, oldest first, and its page in each edition that had it."""

    events: tuple[Event, ...] = ()
    #: (edition name, the item's page in that edition) for each edition that has it, oldest first.
    pages: tuple[tuple[str, str], ...] = ()

    @property
    def unreleased(self) -> bool:
        """Whether the current wording or place is newer than the latest edition."""
        return any(e.edition == "" for e in self.events)


@dataclass(frozen=True, slots=True, kw_only=True)
class EditionIndex:
    """The editions of a site and what the build shows of them."""

    editions: tuple[Edition, ...]
    #: "model/item" (current ids) -> its history.
    histories: Mapping[str, ItemHistory] = field(default_factory=dict)
    #: "model/item" (ids as each edition had them) -> (the last edition that had it, its page there).
    last_seen: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def latest(self) -> Edition:
        return self.editions[-1]

    def edition(self, name: str) -> Edition:
        return next(e for e in self.editions if e.name == name)

    def key(self) -> str:
        """What pages show of the editions changes exactly when the records do (revisions never change)."""
        return json.dumps([[e.name, e.date, e.revision, e.note] for e in self.editions])


def load_edition_index(site: Site, cache_dir: Path | None = None) -> EditionIndex | None:
    """The editions of the site's source folder with every item's history; None when there are none.

    Raises SourceError (located in editions.yaml or the models) when a record is wrong, an edition's
    commit is missing from the clone, or an id an edition published vanished without a record.
    """
    editions = load_editions(site.source_dir)
    if not editions:
        return None
    for edition in editions:
        require_revision(site.source_dir, edition)  # a located error, with the fetch command, before reading it
    sites = [edition_site(site.source_dir, e, cache_dir) for e in editions]
    check_editions(site, editions, sites)
    return edition_index(editions, sites, site)


def edition_index(editions: Sequence[Edition], sites: Sequence[Site], current: Site) -> EditionIndex:
    """The histories, last editions and changes of `editions` (with their `sites`), then `current`."""
    versions: list[tuple[str, Mapping[str, Model]]] = [
        (e.name, s.written) for e, s in zip(editions, sites, strict=True)
    ]
    versions.append(("", current.written))
    histories: dict[str, ItemHistory] = {}
    last_seen: dict[str, tuple[str, str]] = {}
    model_ids = dict.fromkeys(m for _name, models in versions for m in models)
    for model_id in model_ids:
        chain = [(name, models.get(model_id)) for name, models in versions]
        for item_id, history in _model_histories(model_id, chain).items():
            histories[f"{model_id}/{item_id}"] = history
        for name, model in chain[:-1]:
            for view in item_views(model).values() if model is not None else ():
                if view.objtype in ITEM_TYPES:
                    last_seen[f"{model_id}/{view.id}"] = (name, page_docname(model_id, view.objtype, view.id))
    return EditionIndex(editions=tuple(editions), histories=histories, last_seen=last_seen)


def _model_histories(model_id: str, chain: list[tuple[str, Model | None]]) -> dict[str, ItemHistory]:
    """The history of every item of the last version of a model (by its id there)."""
    events: dict[str, list[Event]] = {}
    pages: dict[str, list[tuple[str, str]]] = {}
    before: Model | None = None
    for name, model in chain:
        if model is None:
            events, pages, before = {}, {}, None  # the model is not in this version: its items start afresh
            continue
        views = {v.id: v for v in item_views(model).values() if v.objtype in ITEM_TYPES}
        carried_events: dict[str, list[Event]] = {}
        carried_pages: dict[str, list[tuple[str, str]]] = {}
        renamed = {}
        changes = diff_model(before, model) if before is not None else ()
        for change in changes:
            if change.change == "renamed" and change.old_id in events:
                renamed[change.id] = change.old_id
        for item_id in views:
            old_id = renamed.get(item_id, item_id)
            if before is not None and old_id in events:
                carried_events[item_id] = list(events[old_id])
                carried_pages[item_id] = list(pages[old_id])
            else:
                carried_events[item_id] = [Event(edition=name, change="added")]
                carried_pages[item_id] = []
        for change in changes:
            event = _event(name, change)
            if event is not None and change.id in views and carried_events[change.id][0].edition != name:
                carried_events[change.id].append(event)
        if name:
            for item_id, view in views.items():
                carried_pages[item_id].append((name, page_docname(model_id, view.objtype, item_id)))
        events, pages, before = carried_events, carried_pages, model
    return {item_id: ItemHistory(events=tuple(events[item_id]), pages=tuple(pages[item_id])) for item_id in events}


def _event(edition: str, change: Change) -> Event | None:
    """A change of diff.py as an event of an item's history (None for the kinds histories leave out)."""
    if change.change == "renamed":
        return Event(edition=edition, change="renamed", old=change.old_id or "")
    if change.change == "reworded":
        return Event(edition=edition, change="reworded", field=change.field or "", old=change.old or "")
    if change.change == "moved":
        return Event(edition=edition, change="moved", old=change.old_code or "", new=change.code)
    return None
