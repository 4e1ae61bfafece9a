"""The parse cache: reused while nothing changed, never stale after an edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from competency import source_cache
from competency.site import load_site as real_load
from competency.source_cache import load_site_cached

from .conftest import REPO


def test_cache_is_reused_and_refreshed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-variants" / "competency_src", source)
    cache = tmp_path / "cache" / "sources.pickle"
    first = load_site_cached(source, cache)
    assert cache.is_file()
    loads: list[Path] = []
    monkeypatch.setattr(source_cache, "load_site", lambda folder: loads.append(folder) or real_load(folder))
    second = load_site_cached(source, cache)
    assert loads == [] and second.written.keys() == first.written.keys()
    model = source / "line-locator.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace(
            "Marks buried lines before digging", "Marks buried lines the day before digging"
        ),
        encoding="utf-8",
    )
    later = model.stat().st_mtime_ns + 5_000_000_000
    os.utime(model, ns=(later, later))
    third = load_site_cached(source, cache)
    assert loads == [source]  # the edit invalidated the cache
    assert third.written["line-locator"].indicators["marks-lines"].text == "Marks buried lines the day before digging"


def test_a_broken_cache_file_is_ignored(tmp_path: Path) -> None:
    source = REPO / "tests" / "roots" / "test-variants" / "competency_src"
    cache = tmp_path / "sources.pickle"
    cache.write_bytes(b"not a pickle")
    site = load_site_cached(source, cache)
    assert "meter-reader" in site.written
