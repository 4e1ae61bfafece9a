"""`competency check` and the build find the same problems, each in the file that causes it.

Each case is a mistake that takes two files (a model and an overlay, or two models), which the build
used to report at lines of the model file, or only in one utility's build, while `competency check`
found nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO
from ..helpers import copy_root
from .guard import run_check

EXAMPLE = REPO / "manual" / "examples" / "meter-reader.yaml"


def overlay(competency: str, indicator: str = "") -> str:
    return f"""name: Acme Water
models:
  meter-reader:
    add:
      - in: technical
        competency:
          {competency}
          title: Added competency
          indicators:
            - id: added-indicator
              text: An added indicator
              {indicator}
"""


CASES = {
    "an added id that is a group's": (
        {"utilities/acme.yaml": overlay("id: technical-foundational")},
        "utilities/acme.yaml:7:15: error: the added id 'technical-foundational' already exists in model 'meter-reader'",
    ),
    "an added id that is the model's": (
        {"utilities/acme.yaml": overlay("id: meter-reader")},
        "utilities/acme.yaml:7:15: error: the added id 'meter-reader' already exists in model 'meter-reader'",
    ),
    "an added alias naming an existing item": (
        {"utilities/acme.yaml": overlay("id: new-one\n          aliases: [meter-reading]")},
        "utilities/acme.yaml:8:21: error: the added alias 'meter-reading' already exists in model 'meter-reader'",
    ),
    "an added indicator's alias naming an existing item": (
        {"utilities/acme.yaml": overlay("id: new-two", "aliases: [reports-hazards]")},
        "utilities/acme.yaml:12:25: error: the added alias 'reports-hazards' already exists in model 'meter-reader'",
    ),
    "an added item's only: expression that does not parse": (
        {"utilities/acme.yaml": overlay("id: new-three\n          only: 'acme or'")},
        "utilities/acme.yaml:8:17: error: the `only:` expression 'acme or' is not valid",
    ),
    "a model alias that is another model's id": (
        {
            "other.yaml": EXAMPLE.read_text(encoding="utf-8").replace(
                "id: meter-reader", "id: other\naliases: [meter-reader]", 1
            )
        },
        "other.yaml:5:11: error: the alias 'meter-reader' is the id of model 'meter-reader' (meter-reader.yaml)",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_build_report_the_same_problem(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    site = tmp_path / "site"
    copy_root("hostile", site, ignore=shutil.ignore_patterns("hostile.yaml", "meter-reader.yaml"))
    shutil.copy(EXAMPLE, site / "competency_src" / "meter-reader.yaml")
    for name, text in files.items():
        (site / "competency_src" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "competency_src" / name).write_text(text, encoding="utf-8")
    check = run_check(Path("competency_src"), cwd=site)
    assert check.returncode == 1, check.stderr
    assert check.stderr.startswith(f"competency_src/{expected}"), check.stderr
    location, _, message = expected.partition(": error: ")
    for tags in ([], ["-t", "acme"]) if "utilities/" in expected else ([],):
        build = subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-b", "html", *tags, str(site), str(site / "_build")],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        )
        assert build.returncode == 1, build.stderr
        assert "Traceback" not in build.stderr
        assert f"competency_src/{location}: ERROR: {message}" in build.stderr, build.stderr
