"""All sources of one site: every model in competency_src/ and every utility overlay beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .family import Library, load_library
from .links import check_form, check_targets
from .loader import load_model_document
from .model import Model
from .overlay import UtilityOverlay, load_overlay
from .problems import Location, Problem, SourceError, did_you_mean
from .scales import SCALE_FILE, with_ratings
from .source_files import not_regular
from .yamlfile import YamlDocument, read_yaml

#: Overlays live in this subfolder of the source folder; their file names are the utility names.
OVERLAY_FOLDER = "utilities"
#: Withdrawn models keep their last version in this subfolder, with a `withdrawal:` record.
WITHDRAWN_FOLDER = "withdrawn"
#: The record of the published editions (editions.py) sits beside the models; it is not a model.
EDITIONS_FILE = "editions.yaml"


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
    #: Models taken out of the site, as last published (every page answers with a withdrawal page), by id.
    withdrawn_models: Mapping[str, Model] = field(default_factory=dict)
    #: The published editions and every item's history (history.EditionIndex), or None.
    editions: Any = None
    #: The edition these sources are, in the build of an earlier edition ("" for the current sources).
    edition: str = ""
    #: The shared competency library of a family of jobs (family.py), or None.
    library: Library | None = None

    def files(self) -> list[Path]:
        paths = [m.path for m in (*self.written.values(), *self.withdrawn_models.values())]
        library = [self.library.path] if self.library else []
        scale = [self.source_dir / SCALE_FILE] if (self.source_dir / SCALE_FILE).is_file() else []
        return paths + [o.path for o in self.overlays.values()] + library + scale

    def any_model(self, model_id: str) -> Model | None:
        """A published model, or a withdrawn one, by id."""
        return self.models.get(model_id) or self.withdrawn_models.get(model_id)


def model_files(source_dir: Path) -> list[Path]:
    """The model files of a source folder (utility overlays live in a subfolder; editions.yaml is no model).

    Every entry named *.yaml is listed, whatever it is: one that is not a regular file
    (a FIFO, a dangling link) is reported when it is loaded, never skipped in silence.
    """
    return sorted(p for p in source_dir.glob("*.yaml") if p.name != EDITIONS_FILE)


def overlay_files(source_dir: Path) -> list[Path]:
    return sorted((source_dir / OVERLAY_FOLDER).glob("*.yaml"))


def withdrawn_model_files(source_dir: Path) -> list[Path]:
    return sorted((source_dir / WITHDRAWN_FOLDER).glob("*.yaml"))


def _readable_models(
    paths: Iterable[Path],
    load_document: Callable[[Path], tuple[Model, YamlDocument]],
    problems: list[Problem],
) -> Iterator[tuple[Path, Model, YamlDocument]]:
    """Each model file that reads without a problem; the problems of the others go to `problems`."""
    for path in paths:
        problem = not_regular(path)  # before the cache looks at the file's time
        if problem:
            problems.append(problem)
            continue
        try:
            model, document = load_document(path)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        yield path, model, document


def load_site(
    source_dir: Path,
    load_document: Callable[[Path], tuple[Model, YamlDocument]] = load_model_document,
    pages: frozenset[str] | None = None,
    read_document: Callable[[Path], YamlDocument] = read_yaml,
) -> Site:
    """Load every model and overlay of a folder; raise SourceError with every problem of every file.

    `load_document` reads one model file, `read_document` the library (source_cache.py passes ones
    that reuse unchanged files).
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
    for _path, model, document in _readable_models(model_files(source_dir), load_document, problems):
        if model.withdrawal is not None:
            problems.append(
                Problem(
                    location=model.withdrawal.location,
                    message=f"the model '{model.id}' has a `withdrawal:` record but is still published",
                    hint=f"move the file to {WITHDRAWN_FOLDER}/ to withdraw the model, or remove `withdrawal:`",
                )
            )
        models[model.id], documents[model.id] = model, document
    withdrawn = _load_withdrawn_models(source_dir, models, load_document, problems)
    # A folder without models is a site with none yet (a new site from `competency init`).
    problems.extend(_model_names_in_two_models(models, documents))
    overlay_documents: list[YamlDocument] = []
    overlays = _load_overlays(source_dir, models, problems, overlay_documents) if not problems else {}
    library = _load_library(source_dir, models, documents, problems, read_document) if not problems else None
    if not problems:
        try:
            with_ratings(source_dir, models, documents)  # the HR forms' scale, anchors and questions
        except SourceError as exc:
            problems.extend(exc.problems)
    if not problems:
        problems += check_targets([*documents.values(), *overlay_documents], models, pages)
    if problems:
        raise SourceError(problems)
    return Site(
        source_dir=source_dir,
        models=models,
        written=models,
        documents=documents,
        overlays=overlays,
        withdrawn_models=withdrawn,
        library=library,
    )


def _load_library(
    source_dir: Path,
    models: dict[str, Model],
    documents: dict[str, YamlDocument],
    problems: list[Problem],
    read_document: Callable[[Path], YamlDocument],
) -> Library | None:
    try:
        return load_library(source_dir, models, documents, read_document)
    except SourceError as exc:
        problems.extend(exc.problems)
        return None


def _load_withdrawn_models(
    source_dir: Path,
    models: dict[str, Model],
    load_document: Callable[[Path], tuple[Model, YamlDocument]],
    problems: list[Problem],
) -> dict[str, Model]:
    """The withdrawn models: each file is a model's last version with a `withdrawal:` record."""
    withdrawn: dict[str, Model] = {}
    published = {name: m.id for m in models.values() for name in (m.id, *m.aliases)}
    for path, model, _document in _readable_models(withdrawn_model_files(source_dir), load_document, problems):
        top = Location(path=path, line=1, column=1)
        if model.withdrawal is None:
            problems.append(
                Problem(
                    location=top,
                    message=f"the withdrawn model '{model.id}' has no `withdrawal:` record",
                    hint='add `withdrawal: {since: "YYYY-MM-DD", note: "why"}` at the top level',
                )
            )
            continue
        if model.id in published:
            problems.append(
                Problem(
                    location=top,
                    message=f"the model '{model.id}' is withdrawn here and published as '{published[model.id]}'",
                    hint="remove this file if the model is back, or remove the model from the published ones",
                )
            )
            continue
        target = model.withdrawal.replaced_by
        if target is not None and target not in models and not (source_dir / f"{target}.yaml").is_file():
            problems.append(
                Problem(
                    location=model.withdrawal.location,
                    message=f"the withdrawal of '{model.id}' names an unknown model '{target}' as replacement",
                    hint=did_you_mean(target, models) or "name a model of the source folder",
                )
            )
        withdrawn[model.id] = model
    return withdrawn


def _model_names_in_two_models(models: dict[str, Model], documents: dict[str, YamlDocument]) -> list[Problem]:
    """A model's alias may not be another model's id or alias: both name the same URL folder."""
    owners = {model_id: model_id for model_id in models}
    problems = []
    for model in models.values():
        for n, alias in enumerate(model.aliases):
            owner = owners.setdefault(alias, model.id)
            if owner == model.id:
                continue
            what = "the id" if alias == owner else "an alias"
            problems.append(
                Problem(
                    location=documents[model.id].positions.at(("aliases", n)),
                    message=f"the alias '{alias}' is {what} of model '{owner}' ({models[owner].path.name})",
                    hint="a model's alias keeps its former folder; that folder belongs to the other model: "
                    "remove the alias",
                )
            )
    return problems


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
