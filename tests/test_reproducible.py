"""Reproducible builds: two clean builds of the same sources give byte-identical sites.

The date printed on pages comes from SOURCE_DATE_EPOCH (conf.py; the Makefile exports the date of the
last commit), `html_last_updated_fmt` is None (no build time on pages), and nothing depends on the
checkout's path, the hash seed of the Python process, or the number of parallel jobs.
"""

from __future__ import annotations

import difflib
import filecmp
import json
import runpy
from pathlib import Path

import pytest

from .conftest import REPO
from .robustness.sitebuild import EPOCH, make_html
from .test_real_site import MODEL, copy_site


def differences(first: Path, second: Path) -> list[str]:
    """Files that are in only one folder or differ byte for byte (relative paths)."""

    def files(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    mine, theirs = files(first), files(second)
    different = sorted(mine ^ theirs)
    for name in sorted(mine & theirs):
        if not filecmp.cmp(first / name, second / name, shallow=False):
            different.append(name)
    return different


def explain_differences(first: Path, second: Path, names: list[str], limit: int = 4000) -> str:
    """What differs in each named file, readably (the search index key by key), for a failure message."""
    parts = []
    for name in names:
        a, b = first / name, second / name
        if not (a.is_file() and b.is_file()):
            parts.append(f"{name}: only in {'the first' if a.is_file() else 'the second'} folder")
            continue
        left, right = a.read_text(encoding="utf-8", errors="replace"), b.read_text(encoding="utf-8", errors="replace")
        if name.endswith("searchindex.js"):
            mine, theirs = (json.loads(t[t.index("(") + 1 : t.rindex(")")]) for t in (left, right))
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key) != theirs.get(key):
                    parts.append(
                        f"{name} [{key}]:\n  first:  {mine.get(key)!r:.1500}\n  second: {theirs.get(key)!r:.1500}"
                    )
            continue
        diff = difflib.unified_diff(
            left.splitlines(), right.splitlines(), "first/" + name, "second/" + name, lineterm=""
        )
        parts.append("\n".join(diff))
    return "\n".join(parts)[:limit]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real site built twice from scratch: different checkout paths, hash seeds and job counts."""
    outputs = []
    for name, seed, jobs in [("first-checkout", "1", "auto"), ("second/checkout/elsewhere", "2", "1")]:
        site = tmp_path_factory.mktemp("reproducible") / name
        site.mkdir(parents=True)
        copy_site(site)
        out = site / "_build" / "generic"
        result = make_html(site, out, jobs=jobs, PYTHONHASHSEED=seed)
        assert result.returncode == 0, result.stderr
        outputs.append(out / "html")
    return outputs[0], outputs[1]


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    assert len(list(first.rglob("*.html"))) > 50
    # Every file, .buildinfo and the search index included: nothing is expected to differ.
    assert differences(first, second) == []


@pytest.mark.slow
def test_pages_carry_no_build_time_or_path(two_builds: tuple[Path, Path]) -> None:
    first, _ = two_builds
    page = (first / MODEL / "index.html").read_text(encoding="utf-8")
    assert "Last updated" not in page
    assert "reproducible" not in page and "checkout" not in page  # the source folder's path
    assert str(Path.home()) not in page


def test_the_site_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """conf.py turns SOURCE_DATE_EPOCH into `today`, so |today| and the copyright year never drift."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = runpy.run_path(str(REPO / "conf.py"))
    assert config["today"] == "2023-11-14"
    assert config["html_last_updated_fmt"] is None
