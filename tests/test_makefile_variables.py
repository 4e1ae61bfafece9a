"""No Makefile variable reaches a shell: hostile values are refused, clearly, before anything runs.

These run `make` itself (no `-n`): if a value were pasted into a command line, the command in it
would run and create the file the tests look for.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from benchmarks.timing import plain_environment

from competency.publishing.build_site import main

from .conftest import REPO

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def payloads(marker: Path) -> list[str]:
    return [
        f'x";touch {marker};"',
        f"x';touch {marker};'",
        f"$(shell touch {marker})",
        f"`touch {marker}`",
        f"$$(touch {marker})",
        f"x;touch {marker}",
        f"x touch {marker}",
        f"x\ntouch {marker}",
    ]


def make(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`make` as a person types it (not as a sub-make of `make test`, whose settings it would inherit)."""
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=REPO,
        env=plain_environment(SOURCE_DATE_EPOCH="0"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("target", "variable", "what"),
    [
        ("html", "UTILITY", "empty or a utility name (letters, digits, _ and -)"),
        ("serve", "UTILITY", "empty or a utility name (letters, digits, _ and -)"),
        ("live", "UTILITY", "empty or a utility name (letters, digits, _ and -)"),
        ("variants", "UTILITY", "empty or a utility name (letters, digits, _ and -)"),
        ("serve", "PORT", "a port number"),
        ("html", "JOBS", "'auto' or a number of processes"),
        ("html", "PYTHON", "a Python command (a name or path)"),
        ("html", "SOURCE_DATE_EPOCH", "a number of seconds"),
    ],
)
def test_a_hostile_value_runs_nothing(tmp_path: Path, target: str, variable: str, what: str) -> None:
    marker = tmp_path / "p"
    for value in payloads(marker):
        result = make(target, f"{variable}={value}")
        assert not marker.exists(), f"make {target} {variable}={value!r} ran a command"
        assert result.returncode == 2, (value, result.stdout, result.stderr)
        assert f"{variable} must be {what}; got: " in result.stderr, (value, result.stderr)
        assert result.stdout == ""  # stopped before any recipe


def test_valid_values_pass_the_check() -> None:
    result = make("-n", "html", "UTILITY=north_shore", "JOBS=2", "PYTHON=/usr/bin/python3.11")
    assert result.returncode == 0, result.stderr
    recipe = result.stdout.splitlines()[-1]
    assert "competency.publishing.build_site " in recipe and recipe.endswith('--utility "$UTILITY" --jobs "$JOBS"')
    serve = make("-n", "serve", "UTILITY=north_shore", "PORT=8080")
    assert serve.returncode == 0, serve.stderr
    assert '--directory "_build/${SOURCES:+sources/}${UTILITY:-generic}/html"' in serve.stdout


def test_the_build_command_checks_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    source = REPO / "tests" / "roots" / "test-variants"
    assert main(["--root", str(source), "--utility", "smalltown"]) == 2
    assert "unknown utility 'smalltown'. Known utilities: big_city, small_town" in capsys.readouterr().err
    for jobs in ("0", "-1", "many", "1;true"):
        assert main(["--root", str(source), "--jobs", jobs]) == 2
        assert f"JOBS must be 'auto' or a number of processes from 1 to 256, not {jobs!r}" in capsys.readouterr().err
    assert not (source / "_build").exists()  # refused before anything was written
