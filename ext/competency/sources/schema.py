"""The published JSON Schemas, and schema errors turned into located, helpful problems."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .problems import Problem, did_you_mean
from .yamlfile import YamlDocument

#: Schema files shipped in ext/competency/schemas/.
MODEL_SCHEMA = "competency-model.schema.json"
OVERLAY_SCHEMA = "utility-overlay.schema.json"

_NOUNS = {
    "sections": "section",
    "competencies": "competency",
    "indicators": "indicator",
    "groups": "group",
    "responsibilities": "responsibility",
    "add": "addition",
    "withdrawn": "withdrawn item",
    "withdrawal": "withdrawal",
    "editions": "edition",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("competency").joinpath("schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    return validator_for(load_schema(name))


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of `schema`, its references to its own definitions written out in place.

    jsonschema looks a `$ref` up again each time it meets one (once per indicator and per text of a
    model): two fifths of validating a model, and validating was most of loading the sources. The
    schema checks the same with each definition in place of its reference (a definition that refers
    to itself keeps its reference), and the errors are the same but for their schema paths.
    """
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {}), frozenset()))


_DEFINITION = "#/$defs/"


def _inlined(node: Any, definitions: dict[str, Any], within: frozenset[str]) -> Any:
    if isinstance(node, list):
        return [_inlined(value, definitions, within) for value in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    name = ref[len(_DEFINITION) :] if isinstance(ref, str) and ref.startswith(_DEFINITION) else None
    # Only a reference whose other keys are descriptions: any other key would apply beside it.
    if name in definitions and name not in within and set(node) <= {"$ref", "description"}:
        return _inlined(definitions[name], definitions, within | {name})
    return {key: _inlined(value, definitions, within) for key, value in node.items()}


def check_schema(document: YamlDocument, schema_name: str) -> list[Problem]:
    """Every schema violation of a document, each located and explained once."""
    problems: list[Problem] = []
    for error in _validator(schema_name).iter_errors(document.data):
        problems.extend(_explain(error, document))
    unique = {(p.location.line, p.location.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.location.line, p.location.column))


def _explain(error: ValidationError, document: YamlDocument) -> list[Problem]:
    if error.validator == "oneOf" and error.context:
        return _explain_branch(error, document)
    where = tuple(error.absolute_path)
    noun = _noun(where)
    at = document.positions.at
    instance = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        return _unknown_keys(error, document)
    if kind == "required":
        key = error.message.split("'")[1]
        return [
            Problem(location=at(where), message=f"{noun} is missing its '{key}'", hint=f"add `{key}:` to this {noun}")
        ]
    if kind == "type":
        expected = error.validator_value
        return [
            Problem(
                location=at(where),
                message=f"'{_short(instance)}' should be {_article(expected)}",
                hint=f"{where[-1] if where else 'the file'} takes {_article(expected)} here",
            )
        ]
    if kind == "pattern" and error.validator_value.startswith("^[a-z0-9]"):
        return [
            Problem(
                location=at(where),
                message=f"'{_short(instance)}' is not a valid id",
                hint="ids use lowercase letters, digits and single hyphens, e.g. explains-bill-calculation",
            )
        ]
    if kind in ("pattern", "minLength") and isinstance(instance, str):
        field = where[-1] if where and isinstance(where[-1], str) else "entry"  # an entry of a list (subitems)
        blank = ": it holds only spaces or invisible characters" if instance else ""
        return [
            Problem(
                location=at(where),
                message=f"the {field} of this {noun} is empty{blank}",
                hint="write the text or remove the key",
            )
        ]
    if kind == "enum":
        hint = did_you_mean(str(instance), map(str, error.validator_value)) or (
            "one of: " + ", ".join(map(str, error.validator_value))
        )
        return [Problem(location=at(where), message=f"unknown {where[-1]} '{_short(instance)}'", hint=hint)]
    if kind == "not" and isinstance(instance, dict):
        return [
            Problem(
                location=at(where),
                message=f"a {instance.get('kind', '')} section cannot hold "
                f"{' or '.join(k for k in ('competencies', 'groups', 'responsibilities') if k in instance)}",
                hint="technical, non-technical and superior-performance sections hold competencies, "
                "foundational sections hold groups, responsibilities sections hold responsibilities",
            )
        ]
    if kind == "uniqueItems":
        return [Problem(location=at(where), message=f"{where[-1]} lists the same id twice", hint="remove the repeat")]
    if kind == "minItems":
        return [Problem(location=at(where), message=f"{where[-1]} is empty", hint="list at least one entry")]
    if kind == "maxLength":
        return [
            Problem(
                location=at(where),
                message=f"'{_short(instance)}' is too long",
                hint=f"at most {error.validator_value} characters",
            )
        ]
    return [Problem(location=at(where), message=error.message, hint="")]


def _unknown_keys(error: ValidationError, document: YamlDocument) -> list[Problem]:
    """One problem per unknown key, at the key, suggesting the closest known one."""
    where = tuple(error.absolute_path)
    noun = _noun(where)
    allowed = sorted(error.schema.get("properties", {}))
    problems = []
    for key in sorted(set(error.instance) - set(allowed)):
        hint = did_you_mean(key, allowed) or f"{_a(noun)} has these keys: {', '.join(allowed)}"
        problems.append(
            Problem(
                location=document.positions.at((*where, key), key=True),
                message=f"unknown key '{key}' in {noun}",
                hint=hint,
            )
        )
    return problems


def _explain_branch(error: ValidationError, document: YamlDocument) -> list[Problem]:
    """For "a definition or a `ref`" choices, explain against the branch the author meant."""
    instance = error.instance
    if not isinstance(instance, dict):
        where = tuple(error.absolute_path)
        return [
            Problem(
                location=document.positions.at(where),
                message=f"{_a(_noun(where))} should be a mapping (keys and values)",
                hint="start it with `- id: ...` or `- ref: ...`",
            )
        ]
    branch = 1 if "ref" in instance else 0
    chosen = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == branch]
    if "ref" in instance and "id" in instance:
        return [
            Problem(
                location=document.positions.at((*error.absolute_path, "ref"), key=True),
                message="an entry has both 'id' and 'ref'",
                hint="define a new item with `id`, or reuse an earlier one with `ref`, not both",
            )
        ]
    problems: list[Problem] = []
    for sub in chosen or error.context:
        problems.extend(_explain(sub, document))
    return problems


def _noun(where: tuple[str | int, ...]) -> str:
    for part in reversed(where):
        if isinstance(part, str) and part in _NOUNS:
            return _NOUNS[part]
    return "overlay" if where and where[0] == "models" else "model"  # overlays list their models under `models`


def _a(noun: str) -> str:
    """The noun with its indefinite article: "a section", "an indicator", "an overlay"."""
    return f"{'an' if noun[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {noun}"


def _article(expected: Any) -> str:
    names = {
        "string": "a text",
        "array": "a list",
        "object": "a mapping",
        "integer": "a number",
        "boolean": "true or false",
    }
    if isinstance(expected, list):
        return " or ".join(names.get(e, e) for e in expected)
    return names.get(expected, str(expected))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
