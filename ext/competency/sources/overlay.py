"""Utility overlays: how one utility adapts generic models (competency_src/utilities/<utility>.yaml).

An overlay is checked against the models it adapts when it is loaded, so every
mistake (an unknown id, a replacement that matches nothing, an item both
excluded and reworded, an added id that already exists) is reported with the
overlay's file, line and column before anything is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .loader import only_expression_problem
from .model import Department, Model
from .problems import Location, Problem, SourceError, did_you_mean
from .schema import MODEL_SCHEMA, OVERLAY_SCHEMA, check_schema, load_schema, validator_for
from .yamlfile import JsonPath, YamlDocument, read_yaml

#: Utility names are Sphinx tags (-t NAME), so they must be valid tag names.
UTILITY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Tags Sphinx sets itself for the HTML builder; they never select a variant.
BUILDER_TAGS = frozenset({"html", "format_html", "builder_html"})
RESERVED_NAMES = {"generic", *BUILDER_TAGS}
OVERRIDABLE = {
    "competency": ("title", "qualifier", "description", "preamble"),
    "indicator": ("text",),
    "responsibility": ("text",),
}
COMPETENCY_SECTIONS = ("technical", "non-technical", "superior-performance")


@dataclass(frozen=True, slots=True, kw_only=True)
class Addition:
    """An item the utility adds to a model."""

    #: "competency", "indicator" or "responsibility".
    kind: str
    #: The item as it would be written in the model (id, title/text, indicators, ...).
    data: Mapping[str, Any]
    #: Section id (for a competency) or competency id (for an indicator) it is added to.
    into: str | None = None
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Adaptation:
    """What an overlay does to one model."""

    model: str
    note: str | None = None
    exclude: tuple[str, ...] = ()
    #: (the model's words, the utility's words) pairs.
    replace: tuple[tuple[str, str], ...] = ()
    override: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    add: tuple[Addition, ...] = ()
    departments: tuple[Department, ...] = ()
    #: Where the overlay names the model (its key under `models:`).
    location: Location | None = None

    def added_ids(self) -> Iterator[tuple[str, str]]:
        """(object type, id) of every added item, indicators of added competencies included."""
        for addition in self.add:
            yield addition.kind, str(addition.data["id"])
            for indicator in addition.data.get("indicators", ()):
                if "id" in indicator:
                    yield "indicator", str(indicator["id"])


@dataclass(frozen=True, slots=True, kw_only=True)
class UtilityOverlay:
    """One utility's overlay file."""

    #: The utility's tag: the file name without .yaml.
    utility: str
    #: Display name.
    name: str
    note: str | None = None
    path: Path
    models: Mapping[str, Adaptation] = field(default_factory=dict)


def load_overlay(path: Path, models: Mapping[str, Model]) -> UtilityOverlay:
    """Read and check an overlay against the models it adapts; raise SourceError listing every problem."""
    document = read_yaml(path)
    problems = check_schema(document, OVERLAY_SCHEMA)
    if not UTILITY_NAME.match(path.stem) or path.stem in RESERVED_NAMES:
        problems.append(
            Problem(
                location=Location(path=path, line=1, column=1),
                message=f"'{path.stem}' cannot be a utility name",
                hint="name the file with lowercase letters, digits and underscores, starting "
                "with a letter (it becomes the Sphinx tag), and not 'generic'",
            )
        )
    if problems:
        raise SourceError(problems)
    checker = _OverlayChecker(document, models)
    adaptations = {model_id: checker.adaptation(model_id, raw) for model_id, raw in document.data["models"].items()}
    if checker.problems:
        raise SourceError(checker.problems)
    data = document.data
    return UtilityOverlay(utility=path.stem, name=data["name"], note=data.get("note"), path=path, models=adaptations)


@dataclass
class _OverlayChecker:
    document: YamlDocument
    models: Mapping[str, Model]
    problems: list[Problem] = field(default_factory=list)

    def adaptation(self, model_id: str, raw: dict[str, Any]) -> Adaptation:
        where: JsonPath = ("models", model_id)
        model = self.models.get(model_id)
        if model is None:
            self.problem(
                where,
                f"unknown model '{model_id}'",
                did_you_mean(model_id, self.models) or "the key must be the id of a model in competency_src/",
                key=True,
            )
            return Adaptation(model=model_id)
        exclude = tuple(raw.get("exclude", ()))
        for n, item_id in enumerate(exclude):
            self.known_item(model, item_id, (*where, "exclude", n), ("competency", "indicator", "responsibility"))
        excluded = self.excluded_with_children(model, exclude)
        added = self.additions(model, raw.get("add", ()), (*where, "add"), excluded)
        added_ids = {a.data["id"]: a.kind for a in added} | {
            i["id"]: "indicator" for a in added for i in a.data.get("indicators", ()) if "id" in i
        }
        self.check_overrides(model, raw.get("override", {}), (*where, "override"), excluded)
        replace = tuple((r["text"], r["with"]) for r in raw.get("replace", ()))
        self.check_replacements(model, replace, (*where, "replace"))
        departments = tuple(
            self.department(model, d, (*where, "departments", n), excluded)
            for n, d in enumerate(raw.get("departments", ()))
        )
        self.check_support(added, model, excluded, added_ids)
        return Adaptation(
            model=model_id,
            location=self.document.positions.at(where, key=True),
            note=raw.get("note"),
            exclude=exclude,
            replace=replace,
            override=raw.get("override", {}),
            add=tuple(added),
            departments=departments,
        )

    def excluded_with_children(self, model: Model, exclude: tuple[str, ...]) -> set[str]:
        excluded = set(exclude)
        for item_id in exclude:
            if item_id in model.competencies:
                excluded.update(model.competencies[item_id].indicators)
        return excluded

    def known_item(self, model: Model, item_id: str, where: JsonPath, kinds: tuple[str, ...]) -> str | None:
        kind = model.kind_of(item_id)
        if kind in kinds:
            return kind
        if kind is None:
            names = [*model.competencies, *model.indicators, *model.responsibilities]
            self.problem(
                where,
                f"unknown id '{item_id}' in model '{model.id}'",
                did_you_mean(item_id, names) or "use the id of a competency, indicator or responsibility",
            )
        else:
            self.problem(where, f"'{item_id}' is a {kind}; only {', '.join(kinds)} ids can be used here", "")
        return None

    def check_overrides(self, model: Model, overrides: dict[str, Any], where: JsonPath, excluded: set[str]) -> None:
        for item_id, fields in overrides.items():
            at = (*where, item_id)
            kind = self.known_item(model, item_id, at, tuple(OVERRIDABLE))
            if kind is None:
                continue
            if item_id in excluded:
                self.problem(
                    at,
                    f"'{item_id}' is both excluded and reworded",
                    "a utility either leaves an item out or rewords it: remove it from exclude or from override",
                    key=True,
                )
            for name in fields:
                if name not in OVERRIDABLE[kind]:
                    self.problem(
                        (*at, name),
                        f"a {kind} has no '{name}' to reword",
                        f"a {kind} can reword: {', '.join(OVERRIDABLE[kind])}",
                        key=True,
                    )

    def check_replacements(self, model: Model, replace: tuple[tuple[str, str], ...], where: JsonPath) -> None:
        texts = list(_model_texts(model))
        for n, (old, _new) in enumerate(replace):
            if not any(old in text for text in texts):
                self.problem(
                    (*where, n, "text"),
                    f"the replacement text '{old}' matches nothing in model '{model.id}'",
                    "copy the words exactly as the model writes them (case matters)",
                )

    def additions(self, model: Model, raw: list[dict[str, Any]], where: JsonPath, excluded: set[str]) -> list[Addition]:
        added: list[Addition] = []
        seen: dict[str, JsonPath] = {}
        taken = _names_in(model)
        for n, entry in enumerate(raw):
            kind = next(k for k in ("competency", "indicator", "responsibility") if k in entry)
            at: JsonPath = (*where, n, kind)
            if not self.valid_definition(kind, entry[kind], at):
                continue
            into = entry.get("in")
            self.check_target(model, kind, into, (*where, n), excluded, seen)
            for item_id, id_at, what in _names_of(entry[kind], at):
                if item_id in model.withdrawn:
                    self.problem(
                        id_at,
                        f"the added {what} '{item_id}' is the id of an item withdrawn from model '{model.id}'",
                        "a withdrawn id stays reserved (its URL shows the withdrawal): choose another id",
                    )
                elif item_id in taken:
                    self.problem(
                        id_at,
                        f"the added {what} '{item_id}' already exists in model '{model.id}'",
                        "give the utility's item an id of its own"
                        if what == "id"
                        else "an alias is a former id of the utility's own item: remove it",
                    )
                elif item_id in seen:
                    line = self.document.positions.at(seen[item_id]).line
                    self.problem(
                        id_at,
                        f"the added {what} '{item_id}' is already added on line {line}",
                        "every added item needs its own id",
                    )
                seen[item_id] = id_at
            added.append(Addition(kind=kind, data=entry[kind], into=into, location=self.document.positions.at(at)))
        return added

    def check_target(
        self, model: Model, kind: str, into: str | None, where: JsonPath, excluded: set[str], added: dict[str, JsonPath]
    ) -> None:
        if kind == "competency":
            section = next((s for s in model.sections if s.id == into), None)
            if section is None or section.kind not in COMPETENCY_SECTIONS:
                choices = [s.id for s in model.sections if s.kind in COMPETENCY_SECTIONS]
                self.problem(
                    (*where, "in"), f"cannot add a competency to section '{into}'", f"use one of: {', '.join(choices)}"
                )
        elif kind == "indicator" and into is not None:
            if into not in model.competencies and into not in added:
                self.problem(
                    (*where, "in"),
                    f"unknown competency '{into}'",
                    did_you_mean(into, model.competencies) or "name a competency of the model",
                )
            elif into in excluded:
                self.problem(
                    (*where, "in"),
                    f"competency '{into}' is excluded by this overlay",
                    "add the indicator to a competency the utility uses",
                )
        elif kind == "responsibility" and not any(s.kind == "responsibilities" for s in model.sections):
            self.problem(where, f"model '{model.id}' has no responsibilities section", "")

    def valid_definition(self, kind: str, data: Any, where: JsonPath) -> bool:
        ok = True
        for error in _definition_validator(kind).iter_errors(data):
            path = (*where, *error.absolute_path)
            self.problem(
                path,
                f"added {kind}: {error.message}",
                "write it as in a model file (see the model format in the tool documentation)",
            )
            ok = False
        if ok and any("ref" in i for i in data.get("indicators", ())):
            self.problem(where, f"an added {kind} cannot reuse indicators with `ref`", "define its indicators")
            ok = False
        if ok:
            for entry, at in _entries_of(data, where):
                reason = only_expression_problem(entry["only"]) if "only" in entry else ""
                if reason:
                    self.problem((*at, "only"), f"the `only:` expression '{entry['only']}' is not valid: {reason}", "")
                    ok = False
        return ok

    def check_support(self, added: list[Addition], model: Model, excluded: set[str], added_ids: dict[str, str]) -> None:
        for addition in added:
            if addition.kind != "responsibility":
                continue
            for item_id in addition.data.get("supported_by", ()):
                known = item_id in added_ids or model.kind_of(item_id) in ("competency", "indicator")
                if not known or item_id in excluded:
                    self.problems.append(
                        Problem(
                            location=addition.location,
                            message=f"added responsibility is supported by unknown or excluded item '{item_id}'",
                            hint="name an item the utility uses",
                        )
                    )

    def department(self, model: Model, raw: dict[str, Any], where: JsonPath, excluded: set[str]) -> Department:
        responsibility = raw.get("responsibility")
        if responsibility is not None and (responsibility not in model.responsibilities or responsibility in excluded):
            self.problem(
                (*where, "responsibility"),
                f"unknown or excluded responsibility '{responsibility}'",
                did_you_mean(responsibility, model.responsibilities) or "",
            )
        return Department(name=raw["name"], handles=raw["handles"], responsibility=responsibility)

    def problem(self, where: JsonPath, message: str, hint: str, *, key: bool = False) -> None:
        self.problems.append(Problem(location=self.document.positions.at(where, key=key), message=message, hint=hint))


def _names_in(model: Model) -> set[str]:
    """Every id and alias a model uses: the model's, its sections', groups' and items'."""
    names = {model.id, *model.aliases, *model.aliases_index()}
    for section in model.sections:
        names.add(section.id)
        for group in section.groups:
            names.update((group.id, *group.aliases))
    return names | set(model.competencies) | set(model.indicators) | set(model.responsibilities)


def _entries_of(data: Mapping[str, Any], where: JsonPath) -> list[tuple[Mapping[str, Any], JsonPath]]:
    """An added item and its indicators, each with where it is written."""
    indicators = data.get("indicators", ())
    return [(data, where), *((i, (*where, "indicators", n)) for n, i in enumerate(indicators))]


def _names_of(data: Mapping[str, Any], where: JsonPath) -> Iterator[tuple[str, JsonPath, str]]:
    """(name, where, "id" or "alias") of an added item and of its indicators."""
    for entry, at in _entries_of(data, where):
        yield str(entry["id"]), (*at, "id"), "id"
        for n, alias in enumerate(entry.get("aliases", ())):
            yield str(alias), (*at, "aliases", n), "alias"


def _definition_validator(kind: str) -> Draft202012Validator:
    schema = load_schema(MODEL_SCHEMA)
    return validator_for({"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"})


def _model_texts(model: Model) -> Iterator[str]:
    for value in (model.title, model.note, model.source):
        if value:
            yield value
    for section in model.sections:
        yield from filter(None, (section.title, section.note, section.qualifier))
        for group in section.groups:
            yield group.title
    for competency in model.competencies.values():
        yield from filter(None, (competency.title, competency.qualifier, competency.description, competency.preamble))
    for indicator in model.indicators.values():
        yield indicator.text
        yield from indicator.subitems
    for responsibility in model.responsibilities.values():
        yield responsibility.text
