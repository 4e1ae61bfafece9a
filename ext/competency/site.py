"""All sources of one site: every model in competency_src/ and every utility overlay beside them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .links import check_form, check_targets
from .loader import load_model_document
from .model import Model
from .overlay import UtilityOverlay, load_overlay
from .problems import Location, Problem, SourceError
from .source_files import not_regular
from .yamlfile import YamlDocument, read_yaml

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

    def files(self) -> list[Path]:
        return [m.path for m in self.written.values()] + [o.path for o in self.overlays.values()]


def model_files(source_dir: Path) -> list[Path]:
    """The model files of a source folder (utility overlays live in a subfolder).

    Every entry named *.yaml is listed, whatever it is: one that is not a regular file
    (a FIFO, a dangling link) is reported when it is loaded, never skipped in silence.
    """
    return sorted(source_dir.glob("*.yaml"))


def overlay_files(source_dir: Path) -> list[Path]:
    return sorted((source_dir / OVERLAY_FOLDER).glob("*.yaml"))


def load_site(
    source_dir: Path,
    load_document: Callable[[Path], tuple[Model, YamlDocument]] = load_model_document,
    pages: frozenset[str] | None = None,
) -> Site:
    """Load every model and overlay of a folder; raise SourceError with every problem of every file.

    `load_document` reads one model file (source_cache.py passes one that reuses unchanged files).
    `pages` are the hand-written pages links in text may name (`links.site_pages`); None for
    commands that publish no site (export, diff), which leave page links unchecked.
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
        problem = not_regular(path)  # before the cache looks at the file's time
        if problem:
            problems.append(problem)
            continue
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
    overlay_documents: list[YamlDocument] = []
    overlays = _load_overlays(source_dir, models, problems, overlay_documents) if not problems else {}
    if not problems:
        problems += check_targets([*documents.values(), *overlay_documents], models, pages)
    if problems:
        raise SourceError(problems)
    return Site(source_dir=source_dir, models=models, written=models, documents=documents, overlays=overlays)


def _load_overlays(
    source_dir: Path, models: dict[str, Model], problems: list[Problem], documents: list[YamlDocument]
) -> dict[str, UtilityOverlay]:
    overlays: dict[str, UtilityOverlay] = {}
    for path in overlay_files(source_dir):
        try:
            overlay = load_overlay(path, models)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        overlays[overlay.utility] = overlay
        documents.append(read_yaml(path))  # its text's links are checked like a model's
        problems.extend(check_form(documents[-1]))
    return overlays
