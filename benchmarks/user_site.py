"""The maintainer's checkout the benchmark measures: a copy of this project's layout over generated models.

A site folder holds what a utility's checkout of this project holds: `conf.py`, `Makefile` and
`docs/` copied from the project, `competency_src/` with the generated models (imported from the
published plain-text shape with `competency import`, or written as YAML), the project's rating
scale and two utilities' overlays, in a git repository of its own with the sources committed. Its
`.venv` and `pyproject.toml` are links to the project's, so the copied Makefile finds its
virtualenv up to date and `make html`, `make variants` and `make clean` run in the folder exactly
as a maintainer types them, with the project's `.venv` (the extension installed from this checkout);
no virtualenv is made per site or per run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from benchmarks.generate import model_sizes, write_family, write_models, write_published_texts
from benchmarks.timing import Timed, plain_environment, timed
from competency.pages.family import family_stubs
from competency.sources.model import Model
from competency.sources.site import OVERLAY_FOLDER, load_site
from competency.sphinx_ext.stubs import MARKER, model_stubs

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
#: The models' folder of a checkout (the Makefile's default).
SOURCES = "competency_src"
#: The two utilities whose overlays every site has (`make variants` builds the generic site and both).
UTILITIES = ("small_town", "big_city")
#: Shared competencies of a generated family (--family).
FAMILY_SHARED = 40
#: The example link of docs/about.md names the project's own model; a site folder has generated ones.
ABOUT_EXAMPLE = "customer-service-representative/explains-bill-calculation"
GIT_IDENTITY = {f"GIT_{r}_{k}": v for r in ("AUTHOR", "COMMITTER") for k, v in (("NAME", "Bench"), ("EMAIL", "b@x"))}


@dataclass
class UserSite:
    folder: Path
    #: The models as the project's loader reads them (what the peers are generated from too).
    models: list[Model]
    indicators: int
    #: The pages the models make (model_stubs), the family's pages and the home page: the floor's count.
    item_pages: int
    family_pages: set[str] = field(default_factory=set)

    @property
    def published(self) -> Path:
        """The generic site as `make html` publishes it: the only folder whose pages are counted."""
        return self.folder / "_build" / "generic" / "html"

    @property
    def work(self) -> Path:
        """Where Sphinx writes before publishing (kept between builds: what a rebuild writes again)."""
        return self.folder / "_build" / "generic" / ".work" / "html"


def make_user_site(
    size: int, *, name: str = "", folder: Path | None = None, from_yaml: bool = False, family: bool = False
) -> UserSite:
    """A site folder with `size` indicators over generated models (see the module's docstring), by
    default benchmarks/_work/site-<size> (or benchmarks/_work/<name>).

    By default the models are written in the published plain-text shape and imported with
    `competency import`, as a maintainer brings in a published model; `from_yaml` writes the YAML
    directly. With `family`, the models share FAMILY_SHARED competencies through a library and
    declare a career path from each job to the next (a family has no plain-text shape: YAML).
    """
    folder = folder or WORK / (name or f"site-{size}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name_ in ("conf.py", "Makefile"):
        shutil.copy(ROOT / name_, folder / name_)
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=_generated_stub_folders)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    (folder / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")
    (folder / ".gitignore").write_text("/_build/\n/.venv\n", encoding="utf-8")
    source_dir = folder / SOURCES
    if (ROOT / SOURCES / "hr").is_dir():
        shutil.copytree(ROOT / SOURCES / "hr", source_dir / "hr")
    if family:
        jobs = len(model_sizes(size))
        write_family(source_dir, jobs=jobs, shared=FAMILY_SHARED, per_model=size // jobs)
    elif from_yaml:
        write_models(source_dir, size)
    else:
        import_texts(folder.with_name(f"{folder.name}-texts"), source_dir, size)
    loaded = load_site(source_dir)  # the project's own checks (the library's included)
    models = list(loaded.models.values())
    write_overlays(source_dir / OVERLAY_FOLDER, models)
    loaded = load_site(source_dir)  # and the overlays'
    about = folder / "docs" / "about.md"
    if about.is_file():
        first = next(iter(models[0].indicators))
        text = about.read_text(encoding="utf-8").replace(ABOUT_EXAMPLE, f"{models[0].id}/{first}")
        about.write_text(text, encoding="utf-8")
    shared = {docname for docname, _ in family_stubs(loaded)}
    pages = {docname for model in models for docname, _ in model_stubs(model)}
    commit_sources(folder)
    return UserSite(
        folder=folder,
        models=models,
        indicators=sum(len(m.indicators) for m in models),
        item_pages=len(pages) + len(shared) + 1,
        family_pages=shared,
    )


def _generated_stub_folders(folder: str, names: list[str]) -> list[str]:
    """Stub folders a build of the project left in its docs/ (they are the build's, not the site's)."""
    return [name for name in names if (Path(folder) / name / MARKER).exists()]


def import_texts(texts_dir: Path, models_dir: Path, size: int) -> list[Path]:
    """Plain-text models written into texts_dir, imported into models_dir with `competency import`."""
    shutil.rmtree(texts_dir, ignore_errors=True)
    models_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for text in write_published_texts(texts_dir, size):
        path = models_dir / f"{text.stem}.yaml"
        done = subprocess.run(
            [sys.executable, "-m", "competency.cli", "import", str(text), "-o", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"competency import {text} failed:\n{done.stderr[-3000:]}")
        paths.append(path)
    return paths


def overlays(models: Iterable[Model]) -> dict[str, dict[str, Any]]:
    """Two utilities adapting every model, as the project's example overlays do.

    small_town leaves out the last indicator of the technical section's last competency (no other
    position lists it) and rewords the last indicator (the benchmark edits the first); big_city adds a competency of two
    indicators to the non-technical section and a responsibility.
    """
    small: dict[str, Any] = {}
    big: dict[str, Any] = {}
    for model in models:
        technical = [p for p in model.sections[0].competencies if not p.is_reference and p.indicators]
        adaptation: dict[str, Any] = {
            "note": "The counter staff take calls and payments; treatment questions go to Public Works.",
            "override": {list(model.indicators)[-1]: {"text": "Explains the town's water rules at the counter"}},
        }
        if technical and len(technical[-1].indicators) > 1:
            adaptation["exclude"] = [technical[-1].indicators[-1].indicator]
        small[model.id] = adaptation
        big[model.id] = {
            "note": "Representatives work in the regional contact centre, in shifts.",
            "add": [
                {
                    "competency": {
                        "id": "bilingual-service",
                        "title": "Bilingual Service",
                        "indicators": [
                            {"id": "serves-customers-in-french", "text": "Serves French-speaking customers in French"},
                            {"id": "uses-plain-language", "text": "Uses plain language in both official languages"},
                        ],
                    },
                    "in": model.sections[1].id,
                },
                {"responsibility": {"id": "sets-up-payment-plans", "text": "Sets up payment plans for customers"}},
            ],
        }
    return {
        "small_town": {"name": "Small Town Water", "models": small},
        "big_city": {"name": "Big City Regional Water Authority", "models": big},
    }


def write_overlays(folder: Path, models: Iterable[Model]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.width = 100
    paths = []
    for utility, data in overlays(models).items():
        paths.append(folder / f"{utility}.yaml")
        with paths[-1].open("w", encoding="utf-8") as stream:
            writer.dump(data, stream)
    return paths


def git_environment() -> dict[str, str]:
    return {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull}


def commit_sources(folder: Path) -> None:
    """A checkout is a git repository with its sources committed (the build compares the ids with HEAD)."""
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "models")):
        subprocess.run(["git", *args], cwd=folder, env=git_environment(), capture_output=True, check=True)


def make(folder: Path, *arguments: str) -> Timed:
    """`make ARGUMENTS` in the site folder, as a maintainer types it in a shell (none of `make bench`'s
    settings, SOURCE_DATE_EPOCH included: the Makefile takes it from the last commit)."""
    env = plain_environment()
    env.pop("SOURCE_DATE_EPOCH", None)
    return timed(["make", *arguments], cwd=folder, env=env, what=f"make {' '.join(arguments)}")


def check_project_venv(folder: Path) -> None:
    """Stop unless the copied Makefile finds the project's virtualenv up to date: otherwise its first
    `make html` would install the project from the site folder (and time the install)."""
    env = plain_environment()
    done = subprocess.run(["make", "-q", ".venv/bin/.installed"], cwd=folder, env=env, capture_output=True, check=False)
    if done.returncode:
        sys.exit(f"{ROOT / '.venv'} is missing or older than pyproject.toml: run `make .venv/bin/.installed` first")


def edit_one_indicator(model_path: Path) -> str:
    """Append a word to the first text of a model's own indicator (a shared indicator's words are the
    library's: a job may not change them); return the original YAML to restore."""
    original = model_path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    n = next(
        i
        for i, line in enumerate(lines)
        if line.lstrip().startswith("text: ") and not lines[i - 1].lstrip().startswith("shared: ")
    )
    lines[n] = lines[n].rstrip("\n") + " promptly\n"
    model_path.write_text("".join(lines), encoding="utf-8")
    return original
