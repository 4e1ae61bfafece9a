"""The build record: one file per key in the doctrees folder, each written only when it changes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from competency.sphinx_ext.build_record import RECORD_FOLDER, record, recorded


def _app(tmp_path: Path) -> Any:
    return SimpleNamespace(doctreedir=tmp_path / "doctrees")  # all the record reads of the app


def test_each_key_is_kept_in_a_file_of_its_own(tmp_path: Path) -> None:
    app = _app(tmp_path)
    assert recorded(app, "settings") is None  # nothing recorded yet
    record(app, "settings", "digest-1")
    record(app, "direct_pages", {"digests": {"a/b": ["x", "y"]}})
    folder = tmp_path / "doctrees" / RECORD_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == ["direct_pages.json", "settings.json"]
    assert recorded(app, "settings") == "digest-1"
    assert recorded(app, "direct_pages") == {"digests": {"a/b": ["x", "y"]}}

    # Recording one key leaves the other's file as it was; the same value is not written again.
    pages = folder / "direct_pages.json"
    before = pages.stat().st_mtime_ns
    record(app, "settings", "digest-2")
    record(app, "direct_pages", {"digests": {"a/b": ["x", "y"]}})
    assert pages.stat().st_mtime_ns == before
    assert recorded(app, "settings") == "digest-2"


def test_an_unreadable_record_is_no_record(tmp_path: Path) -> None:
    app = _app(tmp_path)
    record(app, "exports", {"sources": "k"})
    (tmp_path / "doctrees" / RECORD_FOLDER / "exports.json").write_text("{not json", encoding="utf-8")
    assert recorded(app, "exports") is None  # the build then redoes what the record would have spared
    record(app, "exports", {"sources": "k"})
    assert recorded(app, "exports") == {"sources": "k"}


@pytest.mark.parametrize("key", ["", "../escape", "Settings", "a/b", "a.json"])
def test_a_key_is_a_plain_name(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="not a record key"):
        record(_app(tmp_path), key, 1)
