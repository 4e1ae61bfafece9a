"""make html's sphinx-build (publishing/sphinx_run.py): the same build and exit status as `python -m
sphinx`, its output flushed before the process ends without Python's teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.timing import plain_environment

from competency.publishing.build_site import SPHINX_MODULE

from .helpers import copy_root

#: Without the forced colours of a CI log, so that both commands print plain text.
PLAIN = plain_environment()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # To pipes, as when make html is logged: what the build printed arrives whole.
    return subprocess.run(
        [sys.executable, "-m", SPHINX_MODULE, *args],
        env=PLAIN,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_build_ends_with_its_status_and_everything_it_printed(tmp_path: Path) -> None:
    site = copy_root("two-models", tmp_path / "site")
    done = _run("-b", "html", "-W", "-n", str(site), str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().startswith("Running Sphinx") and done.stdout.rstrip().endswith("/out.")
    assert "build succeeded" in done.stdout
    assert (tmp_path / "out" / "meter-reader" / "indicators" / "reports-hazards.html").is_file()
    assert (tmp_path / "out" / "searchindex.js").is_file() and (tmp_path / "out" / "objects.inv").is_file()


def test_a_failed_build_ends_with_sphinx_builds_status_and_its_messages(tmp_path: Path) -> None:
    site = copy_root("two-models", tmp_path / "site")
    (site / "index.md").write_text("# Home\n\n{comp:indicator}`meter-reader/no-such-indicator`\n", encoding="utf-8")
    done = _run("-b", "html", "-W", "-n", "-q", str(site), str(tmp_path / "out"))
    plain = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", str(site), str(tmp_path / "plain")],
        env=PLAIN,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == plain.returncode != 0
    assert "no-such-indicator" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.replace(str(tmp_path / "out"), "OUT") == plain.stderr.replace(str(tmp_path / "plain"), "OUT")
