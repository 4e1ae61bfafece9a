"""Building a copy of the real site the way `make html` does: Sphinx into a work folder, then publish."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.timing import plain_environment

from ..conftest import REPO

#: SOURCE_DATE_EPOCH for test builds (the Makefile takes the date of the last commit).
EPOCH = "1700000000"


def make_html_commands(
    site: Path,
    out: Path,
    *,
    warnings_are_errors: bool = False,
    jobs: str = "auto",
    utility: str = "",
    sources: str = "",
    extra: Sequence[str] = (),
) -> list[list[str]]:
    """The command of the Makefile's `html` target for a site copy, output in `out` (like `_build/generic`).

    `extra` are more options of sphinx-build (`-t TAG`, `-D setting=value`).

    Warnings are not errors by default: these tests are about what the build writes, and must not fail
    because a page elsewhere in docs/ is being written.
    """
    assert out.name == (utility or "generic"), "the variant's folder is named after it"
    options = ["-W", "--keep-going"] if warnings_are_errors else ["--keep-going"]
    command = [sys.executable, "-m", "competency.publishing.build_site", "--root", str(site), "--out", str(out.parent)]
    if sources:
        command += ["--sources", sources]
    return [[*command, "--jobs", jobs, "--utility", utility, "--", *options, "-n", "-q", *extra]]


def build_env(**extra: str) -> dict[str, str]:
    """The environment of a build under test: plain (uncoloured) output whatever the terminal or CI
    asks for, since tests read Sphinx's progress lines."""
    return plain_environment(**{"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO / "ext"), **extra})


def make_html(
    site: Path,
    out: Path,
    *,
    timeout: float = 600,
    jobs: str = "auto",
    utility: str = "",
    sources: str = "",
    extra: Sequence[str] = (),
    warnings_are_errors: bool = False,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run the commands one after the other, stopping at the first failure (as make does)."""
    result: subprocess.CompletedProcess[str] | None = None
    commands = make_html_commands(
        site, out, jobs=jobs, utility=utility, sources=sources, extra=extra, warnings_are_errors=warnings_are_errors
    )
    for command in commands:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, env=build_env(**env), cwd=site
        )
        if result.returncode != 0:
            break
    assert result is not None
    return result


def shell_command(site: Path, out: Path, utility: str = "") -> str:
    """The same as one shell line, for a process that is killed."""
    return " && ".join(shlex.join(command) for command in make_html_commands(site, out, utility=utility))
