"""The model and overlay schemas are checked with their definitions written in place of their
references (sources/schema.py `validator_for`): the same errors, found without a lookup per use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from competency.sources.schema import MODEL_SCHEMA, OVERLAY_SCHEMA, load_schema, validator_for
from competency.sources.yamlfile import read_yaml

from .conftest import REPO

SOURCES = sorted(
    [
        *REPO.glob("competency_src/**/*.yaml"),
        *REPO.glob("examples/**/competency_src/**/*.yaml"),
        *REPO.glob("tests/roots/*/competency_src/**/*.yaml"),
    ]
)


def _errors(errors: Any) -> list[Any]:
    """What the located problems are made of (sources/schema.py `_explain`), nested choices included."""
    found = []
    for error in sorted(errors, key=lambda e: (list(e.absolute_path), e.validator, e.message)):
        assert isinstance(error, ValidationError)
        branch = error.relative_schema_path[0] if error.relative_schema_path else None
        found.append((list(error.absolute_path), error.validator, error.message, branch, _errors(error.context)))
    return found


def _broken(data: Any) -> list[Any]:
    """Variations of a model that break it where the definitions are used."""
    variants = [data]
    text = json.dumps(data)
    for old, new in (
        ('"text": "', '"text": 3, "x": "'),
        ('"id": "', '"id": "Not An Id ", "y": "'),
        ('"ref": "', '"ref": 4, "id": "'),
    ):
        if old in text:
            variants.append(json.loads(text.replace(old, new, 1)))
    return variants


def test_no_definition_is_looked_up_but_one_that_refers_to_itself() -> None:
    for name in (MODEL_SCHEMA, OVERLAY_SCHEMA):
        schema = validator_for(load_schema(name)).schema
        assert '"$ref"' not in json.dumps(
            {k: v for k, v in schema.items() if k != "$defs"}
        )  # every definition of these schemas is written out in place


@pytest.mark.parametrize("schema_name", [MODEL_SCHEMA, OVERLAY_SCHEMA])
def test_the_errors_are_those_of_the_schema_as_published(schema_name: str) -> None:
    schema = load_schema(schema_name)
    plain, inlined = Draft202012Validator(schema), validator_for(schema)
    checked = 0
    for path in SOURCES:
        is_overlay = "utilities" in path.parts
        if is_overlay != (schema_name == OVERLAY_SCHEMA) or path.parent.name in ("hr", "shared", "withdrawn"):
            continue
        data = read_yaml(path).data
        for variant in _broken(data):
            expected = _errors(plain.iter_errors(variant))
            assert _errors(inlined.iter_errors(variant)) == expected, path
            checked += bool(expected)
    assert checked >= 3  # broken documents were compared, not only valid ones


def test_a_definition_that_refers_to_itself_keeps_its_reference() -> None:
    children = {"type": "array", "items": {"$ref": "#/$defs/item"}}
    item = {"type": "object", "properties": {"children": children}}
    schema = {"$defs": {"item": item}, "type": "object", "properties": {"children": children}}
    validator = validator_for(schema)
    written_out = validator.schema["properties"]["children"]["items"]
    assert written_out["type"] == "object"  # the definition, in place of the reference
    assert written_out["properties"]["children"]["items"] == {"$ref": "#/$defs/item"}  # and inside it, kept
    bad = {"children": [{"children": [{"children": 5}]}]}
    assert _errors(validator.iter_errors(bad)) == _errors(Draft202012Validator(schema).iter_errors(bad))
    assert [list(e.absolute_path) for e in validator.iter_errors(bad)] == [["children", 0, "children", 0, "children"]]


def test_every_source_folder_is_found() -> None:
    assert any(Path(p).parent.name == "utilities" for p in SOURCES) and len(SOURCES) > 10
