"""The CI workflow builds every variant as its own job and assembles one site: its steps, run here.

The test reads `.github/workflows/site.yml` and runs the commands of its `run:` steps, job by job,
for a small site (made by `competency init`, with the meter-reader model and two utilities): the
`variants` job's list becomes the `build` job's matrix, each matrix entry's build runs on its own,
and the `assemble` job assembles what they built. The two steps only a CI runner has are done as
it does them: `upload-artifact` copies a job's `path` away under its `name`, `download-artifact`
puts every artifact in a folder of its name below its `path`. Steps that install the tool are left
out (the test runs with it installed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from benchmarks.timing import plain_environment
from ruamel.yaml import YAML

from competency.cli import main as competency_main
from competency.publishing.assemble_site import AssembleError, assemble

from .conftest import REPO

pytestmark = [
    pytest.mark.skipif(not shutil.which("make"), reason="make is not installed"),
    pytest.mark.slow,  # three builds through make
]

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
ROOT = REPO / "tests" / "roots" / "test-variants"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.]+)\s*\}\}")


def small_site(folder: Path) -> Path:
    """A site made by `competency init`, built with this repository's Makefile and environment."""
    site = folder / "site"
    assert competency_main(["init", str(site), "--name", "Small site"]) == 0
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO / name, site / name)  # kept older than .venv's install marker: no reinstall
    (site / ".venv").symlink_to(REPO / ".venv")
    shutil.copy(ROOT / "competency_src" / "meter-reader.yaml", site / "competency_src" / "meter-reader.yaml")
    shutil.copytree(ROOT / "competency_src" / "utilities", site / "competency_src" / "utilities")
    return site


def expand(text: str, values: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: values[m.group(1)], text)


def run_job(job: dict, site: Path, values: dict[str, str], artifacts: Path, output: Path) -> None:
    base = plain_environment(
        PATH=f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        SOURCE_DATE_EPOCH="0",
        GITHUB_OUTPUT=str(output),
    )
    for step in job["steps"]:
        uses = step.get("uses", "")
        with_ = {k: expand(str(v), values) for k, v in (step.get("with") or {}).items()}
        if uses.startswith("actions/upload-artifact"):
            shutil.copytree(site / with_["path"], artifacts / with_["name"])
        elif uses.startswith("actions/download-artifact"):
            shutil.copytree(artifacts, site / with_["path"])
        elif "run" in step and step.get("name") != "Install the tool":
            env = {**base, **{k: expand(str(v), values) for k, v in (step.get("env") or {}).items()}}
            done = subprocess.run(
                ["bash", "-e", "-c", expand(step["run"], values)],
                cwd=site,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, (
                f"step {step.get('name')!r} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )


def test_the_workflow_builds_each_variant_as_a_job_and_assembles_one_site(tmp_path: Path) -> None:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "variants" and jobs["assemble"]["needs"] == "build"
    site = small_site(tmp_path)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()

    listed = tmp_path / "variants-output"
    run_job(jobs["variants"], site, {}, artifacts, listed)
    variants_line = listed.read_text(encoding="utf-8").strip()
    assert variants_line == 'variants=["generic", "big_city", "small_town"]'
    matrix = jobs["build"]["strategy"]["matrix"]["variant"]
    assert matrix == "${{ fromJSON(needs.variants.outputs.variants) }}"

    for variant in ("generic", "big_city", "small_town"):
        run_job(jobs["build"], site, {"matrix.variant": variant}, artifacts, tmp_path / "build-output")
    assert sorted(p.name for p in artifacts.iterdir()) == ["big_city", "generic", "small_town"]
    built = {
        v: {p.relative_to(artifacts / v): p.read_bytes() for p in (artifacts / v).rglob("*") if p.is_file()}
        for v in ("generic", "big_city")
    }

    run_job(jobs["assemble"], site, {}, artifacts, tmp_path / "assemble-output")
    out = site / "_build" / "site"
    index = (out / "index.html").read_text(encoding="utf-8")
    for variant, name in (
        ("generic", "Generic models"),
        ("big_city", "Big City Water Authority"),
        ("small_town", "Small Town Water"),
    ):
        assert f'<a href="{variant}/index.html">{name}</a>' in index
        assert (out / variant / "meter-reader" / "index.html").is_file()
    # Each variant is its own build, copied whole and unchanged.
    for variant, files in built.items():
        assert {
            p.relative_to(out / variant): p.read_bytes() for p in (out / variant).rglob("*") if p.is_file()
        } == files
    assert "Big City Water Authority" in (out / "big_city" / "meter-reader" / "index.html").read_text(encoding="utf-8")
    assert "Big City Water Authority" not in (out / "generic" / "meter-reader" / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_missing_variant_stops_the_assembly_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "competency_src"
    shutil.copytree(ROOT / "competency_src" / "utilities", source / "utilities")
    for variant in ("generic", "big_city"):
        (tmp_path / "_build" / variant / "html").mkdir(parents=True)
        (tmp_path / "_build" / variant / "html" / "index.html").write_text("<p>built</p>", encoding="utf-8")
    with pytest.raises(AssembleError, match="no built site for small_town"):
        assemble(tmp_path / "_build", tmp_path / "site", source, "Sites")
    assert not (tmp_path / "site").exists()
