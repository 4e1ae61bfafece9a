"""All sources of one site: every model in competency_src/ (and, later, utility overlays)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .loader import load_model
from .model import Model
from .problems import Location, Problem, SourceError


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """Every model of a source folder, by id, in file-name order."""

    #: The folder the models were read from.
    source_dir: Path
    models: Mapping[str, Model] = field(default_factory=dict)

    def files(self) -> list[Path]:
        return [m.path for m in self.models.values()]


def model_files(source_dir: Path) -> list[Path]:
    """The model files of a source folder (utility overlays live in a subfolder)."""
    return sorted(p for p in source_dir.glob("*.yaml") if p.is_file())


def load_site(source_dir: Path) -> Site:
    """Load every model of a folder; raise SourceError with every problem of every file."""
    if not source_dir.is_dir():
        raise SourceError([Problem(location=Location(path=source_dir), message="the source folder does not exist",
                                   hint="set competency_source_dir in conf.py or pass the folder")])
    problems: list[Problem] = []
    models: dict[str, Model] = {}
    for path in model_files(source_dir):
        try:
            model = load_model(path)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        models[model.id] = model
    if not models and not problems:
        problems.append(Problem(location=Location(path=source_dir), message="no model files (*.yaml) found",
                                hint="add a model, e.g. with `competency import`"))
    if problems:
        raise SourceError(problems)
    return Site(source_dir=source_dir, models=models)
