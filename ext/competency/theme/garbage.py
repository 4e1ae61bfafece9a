"""When Python's cycle collector runs during a build.

Every docutils node points to its parent and its document, so every page built, resolved and
written is a cycle of objects that only the cycle collector frees. By default it runs when enough
objects were created, and each full collection walks every object still alive: the site, the
environment, the titles lent to it and the search index, ever larger as pages are written. At
5,000 indicators, a serial build spent a fifth of its time there (17 s of 76, measured with
`gc.callbacks`; manual/performance.md). So:

- while Sphinx loads the environment and the extension loads the models, the collector is paused
  (a million objects are created, none of them garbage), and what was loaded is then frozen:
  later collections do not walk it;
- while the builder prepares writing (the titles, tables of contents and places of every page
  without a document are lent to the environment, and the pages an edit may change are built),
  it is paused too, and what was made then frozen: it lives until the pages are written;
- while pages are written, full collections run only every `PAGES_PER_COLLECTION` pages (and the
  young generations as usual): each one frees the pages written since the last and freezes what
  is still alive (their titles and search entries, kept to the end of the build), so no object is
  walked by more than one full collection.

Everything frozen is unfrozen when the build ends (tests run many builds in one process).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sphinx.application import Sphinx

#: Pages written between two full collections: about a hundredth of the heap each time.
PAGES_PER_COLLECTION = 250
#: Young collections between two full ones while pages are written: never, before the next step.
_NO_FULL_COLLECTIONS = 1_000_000

T = TypeVar("T")


def collected_in_steps(pages: Iterable[T]) -> Iterator[T]:
    """The pages, with a full collection (then a freeze of what survives it) after every
    `PAGES_PER_COLLECTION` of them, and none in between."""
    if not gc.isenabled():
        yield from pages  # someone else decides (a test, or a caller that paused it)
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], _NO_FULL_COLLECTIONS)
    try:
        for n, page in enumerate(pages, 1):
            yield page
            if n % PAGES_PER_COLLECTION == 0:
                gc.collect()
                gc.freeze()
    finally:
        gc.set_threshold(*thresholds)


@contextmanager
def paused_then_frozen() -> Iterator[None]:
    """No collection while the block runs; what it made (and still lives) is frozen after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _pause_while_loading(app: Sphinx, config: Any) -> None:
    """config-inited: Sphinx loads the environment next, and the extension the models
    (builder-inited)."""
    if gc.isenabled():
        gc.disable()
        app.connect("builder-inited", _resume, priority=950)  # after the models are loaded (500)
        app.connect("build-finished", _unfreeze, priority=0)


def _resume(app: Sphinx) -> None:
    # What was loaded lives as long as the build: later collections need not walk it again.
    gc.freeze()
    gc.enable()


def _unfreeze(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup_garbage(app: Sphinx) -> None:
    app.connect("config-inited", _pause_while_loading, priority=900)
