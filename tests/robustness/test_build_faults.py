"""Faults never leave a wrong site: builds killed while reading, writing or publishing, sources saved
while a build reads or writes, and two builds of one checkout at once.

After each fault, the next `make html` (here its command, `python -m competency.publishing.build_site`) must
publish exactly, byte for byte, what a clean build of the sources as they are then publishes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..test_incremental_equals_clean import SECTIONS, copy_sources, write_conf_and_pages
from ..test_reproducible import differences
from .sitebuild import build_env, make_html, make_html_commands

MODEL = "meter-reader"
pytestmark = pytest.mark.slow


def model_text(wording: str, indicators: int = 40) -> str:
    """A model with enough pages that reading and writing each take a while."""
    sections = [
        {
            "id": section,
            "kind": section,
            "title": title,
            "competencies": [
                {
                    "id": f"{section}-{c}",
                    "title": f"Competency {section} {c}",
                    "indicators": [
                        {"id": f"{section}-{c}-{i}", "text": f"{wording} {section} {c} {i}"}
                        for i in range(indicators // 4)
                    ],
                }
                for c in range(2)
            ],
        }
        for section, title in SECTIONS
    ]
    return json.dumps({"id": MODEL, "title": "Meter Reader", "sections": sections}, indent=1)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "competency_src").mkdir(parents=True)
    write_conf_and_pages(site)
    (site / "docs" / "about.md").write_text("# About\n\nThe first words.\n", encoding="utf-8")
    (site / "competency_src" / f"{MODEL}.yaml").write_text(model_text("Reads meters"), encoding="utf-8")
    first = make_html(site, site / "_build" / "generic")
    assert first.returncode == 0, first.stdout + first.stderr
    return site


def assert_published_is_clean(site: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    copy_sources(site, clean)
    result = make_html(clean, clean / "_build" / "generic")
    assert result.returncode == 0, result.stdout + result.stderr
    assert differences(site / "_build" / "generic" / "html", clean / "_build" / "generic" / "html") == []


def assert_nothing_left_to_do(site: Path, last: list[str], jobs: str) -> None:
    """The `last` command run again finds nothing changed (the build that recovered recorded what it
    built); and Sphinx, made to run (another command: `jobs`), finds nothing to publish: its saved
    state and output agree with the published site."""
    again = subprocess.run(last, cwd=site, env=build_env(), capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0 and "Nothing changed since the last build" in again.stdout, again.stdout
    again = make_html(site, site / "_build" / "generic", jobs=jobs)
    assert again.returncode == 0 and "nothing to publish" in again.stdout, again.stdout


def edit_sources(site: Path, wording: str) -> None:
    (site / "competency_src" / f"{MODEL}.yaml").write_text(model_text(wording), encoding="utf-8")
    (site / "docs" / "about.md").write_text(f"# About\n\n{wording}, said the page.\n", encoding="utf-8")


def start_build(site: Path, command: list[str], start_new_session: bool = False) -> subprocess.Popen[str]:
    """A build whose output is read line by line as it is printed."""
    return subprocess.Popen(
        command,
        cwd=site,
        env=build_env(PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=start_new_session,
    )


def serial_command(site: Path) -> list[str]:
    """`make html` with Sphinx's progress shown, serial, so each phase lasts."""
    (command,) = make_html_commands(site, site / "_build" / "generic", jobs="1")
    return [part for part in command if part != "-q"]


def build_until(site: Path, seen: Callable[[str], bool], then: Callable[[subprocess.Popen[str]], None]) -> str:
    """Run a build (Sphinx's progress shown, serial, so each phase lasts); at the first line `seen`
    accepts, call `then` with the process; return everything the build printed."""
    process = start_build(site, serial_command(site), start_new_session=True)
    assert process.stdout is not None
    lines = []
    triggered = False
    for line in process.stdout:
        lines.append(line)
        if not triggered and seen(line):
            triggered = True
            then(process)
    process.wait(timeout=600)
    assert triggered, "the build ended before the moment of the fault:\n" + "".join(lines)
    return "".join(lines)


def kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)


def reading(line: str) -> bool:
    return line.startswith("reading sources... [ 5")  # about halfway


def writing(line: str) -> bool:
    return line.startswith("writing output... [ 5")


def publishing(line: str) -> bool:
    return line.startswith("Publishing ")


@pytest.mark.parametrize("moment", [reading, writing, publishing], ids=["reading", "writing", "publishing"])
def test_a_killed_build_is_followed_by_a_clean_one(site: Path, tmp_path: Path, moment: Callable[[str], bool]) -> None:
    published = site / "_build" / "generic" / "html"
    before = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    edit_sources(site, "Reads water meters")
    build_until(site, moment, kill)
    after = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()} if published.exists() else {}
    if moment is not publishing:
        assert after == before  # killed before publishing: the old site, untouched
    result = make_html(site, site / "_build" / "generic")
    assert result.returncode == 0, result.stdout + result.stderr
    if moment is not publishing:
        assert "building it again from scratch" in result.stdout
    assert "Reads water meters" in (published / "about.html").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (published / MODEL / "indicators").glob("*.html")
    )
    assert_published_is_clean(site, tmp_path)
    assert_nothing_left_to_do(site, make_html_commands(site, site / "_build" / "generic")[0], jobs="1")


@pytest.mark.parametrize("moment", [reading, writing], ids=["reading", "writing"])
def test_sources_saved_during_a_build_are_published(site: Path, tmp_path: Path, moment: Callable[[str], bool]) -> None:
    edit_sources(site, "Reads water meters")
    output = build_until(site, moment, lambda _process: edit_sources(site, "Reads gas meters"))
    assert "The sources changed while the site was being built (attempt 1 of 3)" in output
    assert "The site is in" in output
    model_pages = "".join(
        p.read_text(encoding="utf-8")
        for p in (site / "_build" / "generic" / "html" / MODEL / "indicators").glob("*.html")
    )
    assert "Reads gas meters" in model_pages and "Reads water meters" not in model_pages
    assert_published_is_clean(site, tmp_path)
    assert_nothing_left_to_do(site, serial_command(site), jobs="auto")  # the second attempt was recorded


def test_two_builds_at_once_run_one_after_the_other(site: Path, tmp_path: Path) -> None:
    edit_sources(site, "Reads water meters")
    (command,) = make_html_commands(site, site / "_build" / "generic")
    processes = [
        subprocess.Popen(
            command, cwd=site, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    waited = [output for output in outputs if "Another build of this checkout is running" in output]
    assert len(waited) == 1, outputs
    assert "waiting for it to finish" in waited[0]
    assert_published_is_clean(site, tmp_path)


def test_sphinx_left_running_by_a_killed_build_keeps_the_lock(site: Path, tmp_path: Path) -> None:
    """Killing only `make html`'s process leaves Sphinx writing: no other build starts before it ends.

    Sphinx is held stopped while the second build starts, so the second build meets it however
    loaded the machine is, then let go once the second build says it waits."""
    edit_sources(site, "Reads water meters")
    (command,) = make_html_commands(site, site / "_build" / "generic")
    second: list[subprocess.Popen[str]] = []
    said: list[str] = []

    def kill_the_parent_and_build_again(process: subprocess.Popen[str]) -> None:
        os.kill(process.pid, signal.SIGKILL)  # Sphinx, its child, goes on (its output is still read)
        os.killpg(process.pid, signal.SIGSTOP)  # ... but not before the second build has started
        try:
            build = start_build(site, command)
            second.append(build)
            assert build.stdout is not None
            for line in build.stdout:  # its first line: it waits for the lock, or it builds
                said.append(line)
                break
        finally:
            os.killpg(process.pid, signal.SIGCONT)

    build_until(site, reading, kill_the_parent_and_build_again)
    (build,) = second
    rest, _ = build.communicate(timeout=600)
    output = "".join(said) + rest
    assert build.returncode == 0, output
    assert "Another build of this checkout is running" in said[0], output
    assert "building it again from scratch" in output
    assert_published_is_clean(site, tmp_path)
