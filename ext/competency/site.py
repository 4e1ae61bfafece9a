"""All sources of one site: every model in competency_src/ and every utility overlay beside them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .family import Library, load_library
from .loader import load_model_document
from .model import Model
from .overlay import UtilityOverlay, load_overlay
from .problems import Location, Problem, SourceError
from .scales import SCALE_FILE, with_ratings
from .yamlfile import YamlDocument

#: Overlays live in this subfolder of the source folder; their file names are the utility names.
OVERLAY_FOLDER = "utilities"


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """Every model and overlay of a source folder."""

    #: The folder the sources were read from.
    source_dir: Path
    #: The models as this site publishes them (a utility's variant, `only:` applied), by id.
    models: Mapping[str, Model] = field(default_factory=dict)
    #: The models as written in their files, every item included, by id.
    written: Mapping[str, Model] = field(default_factory=dict)
    #: The parsed model files, by model id.
    documents: Mapping[str, YamlDocument] = field(default_factory=dict)
    #: Every utility overlay, by utility name.
    overlays: Mapping[str, UtilityOverlay] = field(default_factory=dict)
    #: The utility whose site this is, or None for the generic site.
    utility: UtilityOverlay | None = None
    #: The shared competency library of a family of jobs (family.py), or None.
    library: Library | None = None

    def files(self) -> list[Path]:
        library = [self.library.path] if self.library else []
        scale = [self.source_dir / SCALE_FILE] if (self.source_dir / SCALE_FILE).is_file() else []
        return [m.path for m in self.written.values()] + [o.path for o in self.overlays.values()] + library + scale


def model_files(source_dir: Path) -> list[Path]:
    """The model files of a source folder (utility overlays live in a subfolder)."""
    return sorted(p for p in source_dir.glob("*.yaml") if p.is_file())


def overlay_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in (source_dir / OVERLAY_FOLDER).glob("*.yaml") if p.is_file())


def load_site(
    source_dir: Path,
    load_document: Callable[[Path], tuple[Model, YamlDocument]] = load_model_document,
) -> Site:
    """Load every model and overlay of a folder; raise SourceError with every problem of every file.

    `load_document` reads one model file (source_cache.py passes one that reuses unchanged files).
    """
    if not source_dir.is_dir():
        raise SourceError(
            [
                Problem(
                    location=Location(path=source_dir),
                    message="the source folder does not exist",
                    hint="set competency_source_dir in conf.py or pass the folder",
                )
            ]
        )
    problems: list[Problem] = []
    models: dict[str, Model] = {}
    documents: dict[str, YamlDocument] = {}
    for path in model_files(source_dir):
        try:
            model, document = load_document(path)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        models[model.id], documents[model.id] = model, document
    if not models and not problems:
        problems.append(
            Problem(
                location=Location(path=source_dir),
                message="no model files (*.yaml) found",
                hint="add a model, e.g. with `competency import`",
            )
        )
    overlays = _load_overlays(source_dir, models, problems) if not problems else {}
    library = _load_library(source_dir, models, documents, problems) if not problems else None
    if not problems:
        try:
            with_ratings(source_dir, models, documents)  # the HR forms' scale, anchors and questions
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)
    return Site(
        source_dir=source_dir, models=models, written=models, documents=documents, overlays=overlays, library=library
    )


def _load_library(
    source_dir: Path, models: dict[str, Model], documents: dict[str, YamlDocument], problems: list[Problem]
) -> Library | None:
    try:
        return load_library(source_dir, models, documents)
    except SourceError as exc:
        problems.extend(exc.problems)
        return None


def _load_overlays(source_dir: Path, models: dict[str, Model], problems: list[Problem]) -> dict[str, UtilityOverlay]:
    overlays: dict[str, UtilityOverlay] = {}
    for path in overlay_files(source_dir):
        try:
            overlay = load_overlay(path, models)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        overlays[overlay.utility] = overlay
    return overlays
