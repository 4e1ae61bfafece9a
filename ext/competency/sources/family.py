"""A family of jobs: the shared competency library and where each shared item is used.

Several job models need the same competency (Communication, Customer Focus, the
foundational ones). The library (`shared/library.yaml` in the source folder)
defines each shared competency once, with one id and one URL; a job's
competency says `shared: <id>` and keeps what is its own (its id and code, its
qualifier, preamble and indicators). An indicator worded the same in several
jobs is a shared indicator the same way. Career paths the maintainers declare
get a printable comparison page; any other pair is compared by the offline
compare page (compare.py), so nothing grows with the number of jobs squared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Model
from .problems import Location, Problem, SourceError, did_you_mean
from .schema import check_schema
from .yamlfile import YamlDocument, read_yaml

#: The library file, relative to the source folder (a subfolder: the folder's *.yaml are models).
LIBRARY_FILE = Path("shared") / "library.yaml"
LIBRARY_SCHEMA = "shared-library.schema.json"
#: The URL folder of every page of the family (no model may take this id).
FAMILY_FOLDER = "shared"


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedIndicator:
    """Words several jobs list for a shared competency, defined once."""

    id: str
    #: The words (inline Markdown).
    text: str
    #: Id of the shared competency it belongs to.
    competency: str
    aliases: tuple[str, ...] = ()
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedCompetency:
    """A competency several jobs need: one id, one URL, one page."""

    id: str
    #: The shared title, without a qualifier (each job keeps its own).
    title: str
    #: What it is, in words that hold for every job.
    description: str | None = None
    #: Ids of its shared indicators, in order.
    indicators: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class CareerPath:
    """A declared move from one job to another: it gets a static comparison page."""

    source: str
    target: str
    note: str | None = None
    location: Location

    @property
    def id(self) -> str:
        """The page name: both model ids (which never hold a double hyphen)."""
        return f"{self.source}--{self.target}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Library:
    """The library file of a source folder, and every job's use of it as written."""

    path: Path
    competencies: Mapping[str, SharedCompetency] = field(default_factory=dict)
    indicators: Mapping[str, SharedIndicator] = field(default_factory=dict)
    paths: tuple[CareerPath, ...] = ()
    #: model id -> {competency or indicator id -> shared id}, from the models as written.
    uses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def aliases_index(self) -> dict[str, tuple[str, str]]:
        """Former id -> (kind, current id) of every renamed shared item."""
        index: dict[str, tuple[str, str]] = {}
        for kind, table in (("shared-competency", self.competencies), ("shared-indicator", self.indicators)):
            for item in table.values():
                index.update(dict.fromkeys(item.aliases, (kind, item.id)))
        return index


# -- the published text, compared ----------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})


def normalised_text(text: str) -> str:
    """Words as a reader compares them: case, spacing, apostrophe style and a final full stop aside."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.casefold().split()).rstrip(".").strip()


def normalised_title(title: str) -> str:
    """A competency title as published, its qualifier in brackets aside: "Mathematics (Basic Expertise)"."""
    return normalised_text(re.sub(r"\s*\([^()]*\)\s*$", "", title))


# -- loading ------------------------------------------------------------------------------------------


def load_library(
    source_dir: Path,
    models: Mapping[str, Model],
    documents: Mapping[str, YamlDocument],
    read_document: Callable[[Path], YamlDocument] = read_yaml,
) -> Library | None:
    """The library of a source folder (None without one), checked against the models' `shared:` uses.

    `read_document` parses the file (source_cache.py passes one that reuses an unchanged file's parse).
    """
    path = source_dir / LIBRARY_FILE
    uses = dict(_written_uses(documents))
    if not path.is_file():
        problems = [
            Problem(
                location=documents[model_id].positions.at(where),
                message=f"'{shared_id}' is shared, but the source folder has no {LIBRARY_FILE.as_posix()}",
                hint=f"define the shared competency in {LIBRARY_FILE.as_posix()} (competency share does it) "
                "or remove `shared:`",
            )
            for model_id, (shared_id, where, _kind) in _first_use_per_model(documents)
        ]
        if problems:
            raise SourceError(problems)
        return None
    document = read_document(path)
    problems = check_schema(document, LIBRARY_SCHEMA)
    if problems:
        raise SourceError(problems)
    library = _build_library(document, {m: {i: s for i, (s, _w, _k) in u.items()} for m, u in uses.items()})
    problems = _check_library(library, document, models) + _check_uses(library, documents)
    if problems:
        raise SourceError(problems)
    return library


def _build_library(document: YamlDocument, uses: dict[str, dict[str, str]]) -> Library:
    data = document.data or {}
    at = document.positions.at
    competencies: dict[str, SharedCompetency] = {}
    indicators: dict[str, SharedIndicator] = {}
    for n, raw in enumerate(data.get("competencies", ())):
        for m, ind in enumerate(raw.get("indicators", ())):
            indicators.setdefault(
                ind["id"],
                SharedIndicator(
                    id=ind["id"],
                    text=ind["text"],
                    competency=raw["id"],
                    aliases=tuple(ind.get("aliases", ())),
                    location=at(("competencies", n, "indicators", m)),
                ),
            )
        competencies.setdefault(
            raw["id"],
            SharedCompetency(
                id=raw["id"],
                title=raw["title"],
                description=raw.get("description"),
                indicators=tuple(i["id"] for i in raw.get("indicators", ())),
                aliases=tuple(raw.get("aliases", ())),
                location=at(("competencies", n)),
            ),
        )
    paths = tuple(
        CareerPath(source=p["from"], target=p["to"], note=p.get("note"), location=at(("paths", n)))
        for n, p in enumerate(data.get("paths", ()))
    )
    return Library(path=document.path, competencies=competencies, indicators=indicators, paths=paths, uses=uses)


def _check_library(library: Library, document: YamlDocument, models: Mapping[str, Model]) -> list[Problem]:
    """Ids unique in the library (aliases included), paths between two known, different jobs."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    at = document.positions.at
    data = document.data or {}
    for n, raw in enumerate(data.get("competencies", ())):
        entries = [
            (raw["id"], ("competencies", n, "id")),
            *((a, ("competencies", n, "aliases")) for a in raw.get("aliases", ())),
        ]
        for m, ind in enumerate(raw.get("indicators", ())):
            where = ("competencies", n, "indicators", m)
            entries += [(ind["id"], (*where, "id")), *((a, (*where, "aliases")) for a in ind.get("aliases", ()))]
        for name, where in entries:
            if name in seen:
                problems.append(
                    Problem(
                        location=at(where),
                        message=f"the id '{name}' is already used on line {seen[name]}",
                        hint="every shared competency, shared indicator and alias needs an id of its own",
                    )
                )
            else:
                seen[name] = at(where).line or 1
    declared: dict[tuple[str, str], int] = {}  # (from, to) -> the line it is first declared on
    for n, path in enumerate(library.paths):
        for key, model_id in (("from", path.source), ("to", path.target)):
            if model_id not in models:
                problems.append(
                    Problem(
                        location=at(("paths", n, key)),
                        message=f"unknown model '{model_id}' in a career path",
                        hint=did_you_mean(model_id, models) or "name a model of this source folder",
                    )
                )
        if path.source == path.target:
            problems.append(
                Problem(
                    location=at(("paths", n)),
                    message="a career path leads to another job",
                    hint="name two different models",
                )
            )
        if (path.source, path.target) in declared:
            problems.append(
                Problem(
                    location=at(("paths", n)),
                    message=f"this career path is declared already, on line {declared[path.source, path.target]}",
                    hint="remove the repeat",
                )
            )
        declared.setdefault((path.source, path.target), at(("paths", n)).line or 1)
    if FAMILY_FOLDER in models:
        problems.append(
            Problem(
                location=Location(path=models[FAMILY_FOLDER].path, line=1, column=1),
                message=f"the model id '{FAMILY_FOLDER}' is the folder of the shared pages",
                hint="choose another model id",
            )
        )
    return problems


def _written_uses(documents: Mapping[str, YamlDocument]) -> Iterator[tuple[str, dict[str, tuple[str, Any, str]]]]:
    """model id -> {item id -> (shared id, where it is written, kind)} from the models' files."""
    for model_id, document in documents.items():
        uses: dict[str, tuple[str, Any, str]] = {}
        for where, entry, kind in model_entries(document.data):
            if "shared" in entry and "id" in entry:
                uses[entry["id"]] = (entry["shared"], (*where, "shared"), kind)
        yield model_id, uses


def _first_use_per_model(documents: Mapping[str, YamlDocument]) -> Iterator[tuple[str, tuple[str, Any, str]]]:
    for model_id, uses in _written_uses(documents):
        if uses:
            yield model_id, next(iter(uses.values()))


def model_entries(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any], str]]:
    """Every competency and indicator entry of a model's data, with where it is and its kind."""
    for s, section in enumerate(data.get("sections", ())):
        lists = [(("sections", s, "competencies"), section.get("competencies", ()))]
        lists += [
            (("sections", s, "groups", g, "competencies"), group.get("competencies", ()))
            for g, group in enumerate(section.get("groups", ()))
        ]
        for where, competencies in lists:
            for c, competency in enumerate(competencies):
                yield (*where, c), competency, "competency"
                for i, indicator in enumerate(competency.get("indicators", ())):
                    yield (*where, c, "indicators", i), indicator, "indicator"


def _check_uses(library: Library, documents: Mapping[str, YamlDocument]) -> list[Problem]:
    """Each `shared:` names a library item of its kind, with the same title or words."""
    problems: list[Problem] = []
    aliases = library.aliases_index()
    for document in documents.values():
        used: dict[str, str] = {}
        owners: dict[str, str | None] = {}  # the job's competency id -> the shared competency it uses
        owner: tuple[str, str | None] = ("", None)  # the competency whose indicators follow, its shared id
        for where, entry, kind in model_entries(document.data):
            if kind == "competency":
                if "id" in entry:
                    owners[entry["id"]] = entry.get("shared")
                competency_id = entry.get("id") or entry.get("ref", "")
                owner = (competency_id, owners.get(competency_id))
            if "shared" not in entry or "id" not in entry:
                continue
            shared_id, at = entry["shared"], document.positions.at((*where, "shared"))
            table = library.competencies if kind == "competency" else library.indicators
            if shared_id not in table:
                if shared_id in aliases:
                    hint = f"'{shared_id}' is a former id: write `{aliases[shared_id][1]}`"
                else:
                    hint = did_you_mean(shared_id, table) or f"define it in {LIBRARY_FILE.as_posix()} first"
                problems.append(Problem(location=at, message=f"unknown shared {kind} '{shared_id}'", hint=hint))
                continue
            if shared_id in used:
                problems.append(
                    Problem(
                        location=at,
                        message=f"'{entry['id']}' and '{used[shared_id]}' are both uses of the shared {kind} "
                        f"'{shared_id}'",
                        hint="a job uses a shared item once; place it again with `ref:` instead",
                    )
                )
            used[shared_id] = entry["id"]
            problems += _wording_problem(library, kind, shared_id, entry, at)
            if kind == "indicator":
                problems += _owner_problem(library, shared_id, entry, owner, at)
    return problems


def _owner_problem(
    library: Library, shared_id: str, entry: dict[str, Any], owner: tuple[str, str | None], at: Location
) -> list[Problem]:
    """A shared indicator is listed under the job's use of its shared competency: its page names
    that competency, and lists each job's code of it."""
    expected = library.indicators[shared_id].competency
    competency_id, owner_shared = owner
    if owner_shared == expected or (owner_shared and owner_shared not in library.competencies):
        return []  # an unknown shared competency is reported once, where it is named
    under = f"'{competency_id}', a use of '{owner_shared}'" if owner_shared else f"the job's own '{competency_id}'"
    return [
        Problem(
            location=at,
            message=f"'{entry['id']}' uses the shared indicator '{shared_id}' of the shared competency "
            f"'{expected}', but is listed under {under}",
            hint=f"list it under the job's use of '{expected}' (`shared: {expected}`), or remove `shared:` to "
            "keep the words as this competency's own indicator",
        )
    ]


def _wording_problem(library: Library, kind: str, shared_id: str, entry: dict[str, Any], at: Location) -> list[Problem]:
    if kind == "competency":
        shared_title = library.competencies[shared_id].title
        if normalised_title(entry["title"]) != normalised_title(shared_title):
            return [
                Problem(
                    location=at,
                    message=f"the title '{entry['title']}' is not the shared competency's title '{shared_title}'",
                    hint="a use keeps the shared title (case, spacing, apostrophes, a final full stop and a qualifier "
                    "in brackets may differ); use another shared competency or remove `shared:`",
                )
            ]
        return []
    shared = library.indicators[shared_id]
    if normalised_text(entry["text"]) != normalised_text(shared.text):
        return [
            Problem(
                location=at,
                message=f"the words of '{entry['id']}' are not those of the shared indicator '{shared_id}'",
                hint=f"the shared words are: {shared.text}",
            )
        ]
    return []


# -- the family as this site publishes it --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Use:
    """One job's use of a shared item."""

    model: Model
    #: Id of the job's own competency or indicator.
    item: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    """Which published job uses which shared item (a utility's variant leaves out what it drops)."""

    library: Library
    #: The models as this site publishes them, in site order.
    models: tuple[Model, ...]
    #: shared id -> its uses, in model order.
    users: Mapping[str, tuple[Use, ...]]
    #: (model id, item id) -> shared id.
    shared_of: Mapping[tuple[str, str], str]

    def uses_of(self, shared_id: str) -> tuple[Use, ...]:
        return self.users.get(shared_id, ())

    def shared_id(self, model_id: str, item_id: str) -> str | None:
        return self.shared_of.get((model_id, item_id))

    def paths_of(self, model_id: str) -> list[CareerPath]:
        return [p for p in self.library.paths if model_id in (p.source, p.target)]

    def model(self, model_id: str) -> Model | None:
        return next((m for m in self.models if m.id == model_id), None)


def build_family(library: Library, models: Mapping[str, Model]) -> Family:
    """Uses of the published models: an item a variant leaves out is no use there."""
    users: dict[str, list[Use]] = {}
    shared_of: dict[tuple[str, str], str] = {}
    for model in models.values():
        for item_id, shared_id in library.uses.get(model.id, {}).items():
            if item_id in model.competencies or item_id in model.indicators:
                users.setdefault(shared_id, []).append(Use(model=model, item=item_id))
                shared_of[(model.id, item_id)] = shared_id
    return Family(
        library=library,
        models=tuple(models.values()),
        users={k: tuple(v) for k, v in users.items()},
        shared_of=shared_of,
    )


#: The family of the last sites asked for. Every page of a build asks with the same Site object;
#: building it once per build keeps each page's work constant (Site holds dicts and cannot be hashed).
_FAMILIES: list[tuple[Any, Family]] = []


def family_of(site: Any) -> Family | None:
    """The family of a site (None without a library), built once per Site object."""
    library = getattr(site, "library", None)
    if library is None:
        return None
    for known, family in _FAMILIES:
        if known is site:
            return family
    family = build_family(library, site.models)
    _FAMILIES[:] = [*_FAMILIES[-3:], (site, family)]
    return family
