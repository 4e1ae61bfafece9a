"""When the cycle collector runs during a build (theme/garbage.py), and what a build leaves alive."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from docutils import nodes

from competency.theme import garbage
from competency.theme.build_speed import HTMLBuilder


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The generation of every collection the collector runs while a test runs."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    frozen = gc.get_freeze_count()
    yield seen
    gc.callbacks.remove(note)
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()


def test_pages_are_written_with_a_full_collection_every_so_many_pages(
    full_collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(garbage, "PAGES_PER_COLLECTION", 3)
    thresholds = gc.get_threshold()
    seen_at: list[int] = []
    for _page in garbage.collected_in_steps(range(7)):
        cycle: list[object] = []
        cycle.append(cycle)  # a page's nodes are cycles like this one
        seen_at.append(full_collections.count(2))
    assert seen_at == [0, 0, 0, 1, 1, 1, 2]  # after pages 3 and 6, and no other full collection
    assert gc.get_threshold() == thresholds  # as it was, once the pages are written
    assert gc.get_freeze_count() > 0  # what outlived the collections is frozen


def test_the_collector_is_left_alone_when_someone_paused_it(full_collections: list[int]) -> None:
    gc.disable()
    try:
        assert list(garbage.collected_in_steps(range(600))) == list(range(600))
        with garbage.paused_then_frozen():
            pass
        assert 2 not in full_collections and not gc.isenabled()
    finally:
        gc.enable()


def test_preparing_pauses_the_collector_and_freezes_what_it_made(full_collections: list[int]) -> None:
    with garbage.paused_then_frozen():
        assert not gc.isenabled()
        made = [[n] for n in range(10)]
    assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    assert all(o is not made[0] for o in gc.get_objects())  # frozen: no collection walks it


def test_a_rendered_title_is_not_kept_in_a_document_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx renders a title by putting it into a document; the titles lent to the environment
    live until the build ends, and each kept its document (6,500 of them at 5,000 indicators)."""
    rendered: list[nodes.Node] = []

    class Renderer(HTMLBuilder):
        def __init__(self) -> None:  # no Sphinx application: only render_partial is used
            pass

    def render(self: object, node: nodes.Node) -> dict[str, str]:
        document = nodes.document(None, None)
        document.append(node)  # what Sphinx's render_partial does
        rendered.append(node)
        return {"title": node.astext()}

    monkeypatch.setattr(HTMLBuilder.__mro__[1], "render_partial", render)  # Sphinx's, below ours
    title = nodes.title("", "I.1 Communication")
    assert Renderer().render_partial(title) == {"title": "I.1 Communication"}
    assert title.parent is None and rendered and rendered[0] is not title
