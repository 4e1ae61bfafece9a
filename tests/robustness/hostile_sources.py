"""Sources with a hostile marker in every text field, generated from the JSON Schemas.

The schemas say which fields are texts (`$defs/text`, or lists of them); the walk below puts a
marker of its own in each one found in a template model and overlay, and adds every optional text
field the template leaves out, so a field added to a schema gets its marker without a new test.
`text_fields` lists the text fields a schema declares, for the test to check that every one got a
marker (a new kind of object would need a template that has one).

A marker holds what breaks out of HTML text and attributes and of CSV and JSON strings, and
what would be read as markup (`<hx-7 ...>`, quotes, `&amp` without its semicolon, which an HTML
parser reads as `&`), and starts with `hx7`, so that any piece of it found in an output can be
checked to be the whole marker, shown as text.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from competency.sources.scales import SCALE_FILE
from competency.sources.schema import MODEL_SCHEMA, OVERLAY_SCHEMA, load_schema

from ..conftest import REPO

#: Finds the start of a marker in an output: `hx` and its number.
MARKER_START = re.compile(r"hx(\d+)")
#: The utility of the generated overlay (its file name, the -t tag).
UTILITY = "hostile"
#: Kinds of added items: the overlay schema leaves them open ({"type": "object"}); overlay.py checks
#: each against the model schema's definition of its kind, and so does this walk.
ADDED_KINDS = ("competency", "indicator", "responsibility")


def marker(number: int) -> str:
    return f'hx{number}<hx-{number} hx="{number}" \'>&amp /hx{number}'


@dataclass
class Markers:
    """Every marker handed out, with the field (schema definition and key) it was put in."""

    fields: dict[str, str] = field(default_factory=dict)
    aliases: int = 0

    def new(self, label: str) -> str:
        text = marker(len(self.fields))
        self.fields[text] = label
        return text


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(definition name, schema) of a schema that may be a `$ref` to a definition."""
    ref = schema.get("$ref")
    if ref is None:
        return None, schema
    name = ref.removeprefix("#/$defs/")
    return name, root["$defs"][name]


def _is_text(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    return _resolve(schema, root)[0] == "text"


def _is_text_list(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    resolved = _resolve(schema, root)[1]
    return resolved.get("type") == "array" and _is_text(resolved.get("items", {}), root)


def _embedded(key: str, schema: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """An overlay's added item, checked against the model schema's definition of its kind."""
    if key in ADDED_KINDS and schema == {"type": "object"} and root is load_schema(OVERLAY_SCHEMA):
        model = load_schema(MODEL_SCHEMA)
        return {"$ref": f"#/$defs/{key}"}, model
    return None


def _branch(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """The `oneOf` branch a value was written for: the one whose required keys it has."""
    for option in schema["oneOf"]:
        resolved = _resolve(option, root)[1]
        required = set(resolved.get("required", ()))
        if isinstance(value, dict) and required <= set(value) and set(value) <= set(resolved.get("properties", value)):
            return option
    raise AssertionError(f"the template value {value!r} matches no branch of {schema}")


def fill(value: Any, schema: dict[str, Any], root: dict[str, Any], markers: Markers, where: str, add: bool) -> None:
    """Put a fresh marker in every text field of `value` (adding missing ones when `add`)."""
    name, schema = _resolve(schema, root)
    where = name or where
    if "oneOf" in schema:
        fill(value, _branch(value, schema, root), root, markers, where, add)
        return
    if isinstance(value, list):
        for item in value:
            fill(item, schema.get("items", {}), root, markers, f"{where}[]", add)
        return
    if not isinstance(value, dict):
        return
    properties = schema.get("properties", {})
    for key, sub in properties.items():
        _fill_property(value, key, sub, root, markers, f"{where}.{key}", add)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        # Entries of a map (an overlay's models, its overrides): only the keys the template wrote
        # (an override may reword only the fields its item has).
        for key, item in value.items():
            if key not in properties:
                fill(item, extra, root, markers, f"{where}.*", add and "$ref" in extra)


def _fill_property(
    value: dict[str, Any], key: str, sub: dict[str, Any], root: dict[str, Any], markers: Markers, label: str, add: bool
) -> None:
    if _is_text(sub, root) and (key in value or add):
        value[key] = markers.new(label)
    elif _is_text_list(sub, root) and (key in value or add):
        value[key] = [markers.new(f"{label}[]"), markers.new(f"{label}[]")]
    elif key == "aliases" and add and isinstance(value.get("id"), str):
        markers.aliases += 1
        value.setdefault("aliases", [f"former-{markers.aliases}"])  # every renamed item has a redirect page
    elif key in value:
        fill(value[key], *(_embedded(key, sub, root) or (sub, root)), markers, label, add)


def text_fields(root: dict[str, Any], schema: dict[str, Any] | None = None, where: str = "") -> Iterator[str]:
    """The label of every text field a schema declares, as `fill` labels the markers it puts there."""
    seen: set[str] = set()

    def walk(schema: dict[str, Any], root: dict[str, Any], where: str) -> Iterator[str]:
        name, schema = _resolve(schema, root)
        if name:
            if name in seen:
                return
            seen.add(name)
            where = name
        for option in schema.get("oneOf", ()):
            yield from walk(option, root, where)
        if "items" in schema:
            yield from walk(schema["items"], root, f"{where}[]")
        for key, sub in schema.get("properties", {}).items():
            label = f"{where}.{key}"
            if _is_text(sub, root):
                yield label
            elif _is_text_list(sub, root):
                yield f"{label}[]"
            elif _embedded(key, sub, root):
                yield from walk(*_embedded(key, sub, root), label)  # type: ignore[misc]
            else:
                yield from walk(sub, root, label)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield from walk(extra, root, f"{where}.*")

    yield from walk(schema or root, root, where)


def _template_overlay(model: dict[str, Any]) -> dict[str, Any]:
    """An overlay using every construct of the overlay schema on the template model (texts are filled in)."""
    sections = {s["kind"]: s for s in model["sections"]}
    technical = sections["technical"]
    first, second = technical["competencies"][0], technical["competencies"][1]
    responsibility = sections["responsibilities"]["responsibilities"][0]
    return {
        "name": "x",
        "note": "x",
        "models": {
            model["id"]: {
                "note": "x",
                "exclude": [second["indicators"][-1]["id"]],
                "replace": [{"text": "x", "with": "x"}],
                "override": {
                    first["id"]: {"title": "x", "qualifier": "x", "description": "x", "preamble": "x"},
                    first["indicators"][0]["id"]: {"text": "x"},
                },
                "add": [
                    {
                        "in": technical["id"],
                        "competency": {
                            "id": "added-competency",
                            "title": "x",
                            "indicators": [{"id": "added-indicator", "text": "x"}],
                        },
                    },
                    {"in": first["id"], "indicator": {"id": "added-indicator-of-the-model", "text": "x"}},
                    {
                        "responsibility": {
                            "id": "added-responsibility",
                            "text": "x",
                            "supported_by": ["added-competency"],
                        }
                    },
                ],
                "departments": [{"name": "x", "handles": "x", "responsibility": responsibility["id"]}],
            }
        },
    }


@dataclass(frozen=True)
class HostileSources:
    model: dict[str, Any]
    overlay: dict[str, Any]
    #: A model withdrawn from the site (competency_src/withdrawn/): the template with a withdrawal record.
    withdrawn_model: dict[str, Any]
    markers: Markers


def _withdrawn_records(model_schema: dict[str, Any], markers: Markers) -> list[dict[str, Any]]:
    """Records of a withdrawn competency and indicator, each text field holding a marker."""
    records: list[dict[str, Any]] = [
        {"id": "withdrawn-competency", "kind": "competency", "title": "", "note": "", "since": "2025-01-01"},
        {"id": "withdrawn-indicator", "kind": "indicator", "text": "", "note": "", "since": "2025-01-01"},
    ]
    # Not `add`: a record gives a title or a text by its kind, never both.
    fill(records, {"items": {"$ref": "#/$defs/withdrawnItem"}}, model_schema, markers, "withdrawn", add=False)
    return records


def _withdrawn_model(template: dict[str, Any], model_schema: dict[str, Any], markers: Markers) -> dict[str, Any]:
    """The template model as a withdrawn model's last version, its withdrawal record holding markers."""
    withdrawn = copy.deepcopy(template)
    withdrawn["id"] = "withdrawn-model"
    withdrawn.pop("aliases", None)  # the live model keeps its former folders
    withdrawn["withdrawal"] = {"since": "2025-01-01", "note": ""}
    fill(
        withdrawn["withdrawal"],
        model_schema["properties"]["withdrawal"],
        model_schema,
        markers,
        "model.withdrawal",
        False,
    )
    return withdrawn


def hostile_sources(template: Path) -> HostileSources:
    """The template model with a marker in every text field, and an overlay for it with the same."""
    yaml = YAML(typ="safe", pure=True)
    model = yaml.load(template.read_text(encoding="utf-8"))
    markers = Markers()
    model_schema, overlay_schema = load_schema(MODEL_SCHEMA), load_schema(OVERLAY_SCHEMA)
    withdrawn_model = _withdrawn_model(model, model_schema, markers)
    fill(model, model_schema, model_schema, markers, "model", add=True)
    model["withdrawn"] = _withdrawn_records(model_schema, markers)
    overlay = _template_overlay(model)
    fill(overlay, overlay_schema, overlay_schema, markers, "overlay", add=True)
    # A replacement must match words of the model: the model's source ends with its words.
    model["source"] += " " + overlay["models"][model["id"]]["replace"][0]["text"]
    # An item used only where the utility's tag is not set: the variant has a page saying so.
    model["sections"][0]["competencies"][0]["indicators"][-1]["only"] = f"not {UTILITY}"
    return HostileSources(model=model, overlay=overlay, withdrawn_model=withdrawn_model, markers=markers)


def write_sources(sources: HostileSources, source_dir: Path) -> None:
    """The model and the overlay as YAML files of a source folder (every other source removed)."""
    for old in [*source_dir.glob("*.yaml"), *source_dir.glob("utilities/*.yaml"), *source_dir.glob("withdrawn/*.yaml")]:
        old.unlink()
    (source_dir / "utilities").mkdir(parents=True, exist_ok=True)
    (source_dir / "withdrawn").mkdir(exist_ok=True)
    # The template's anchors name the levels of the site's rating scale (the HR forms): the same scale.
    scale = REPO / "competency_src" / SCALE_FILE
    (source_dir / SCALE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (source_dir / SCALE_FILE).write_bytes(scale.read_bytes())
    withdrawn = sources.withdrawn_model
    (source_dir / "withdrawn" / f"{withdrawn['id']}.yaml").write_text(_dumped(withdrawn), encoding="utf-8")
    (source_dir / f"{sources.model['id']}.yaml").write_text(_dumped(sources.model), encoding="utf-8")
    (source_dir / "utilities" / f"{UTILITY}.yaml").write_text(_dumped(sources.overlay), encoding="utf-8")


def _dumped(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(copy.deepcopy(data), stream)
    return stream.getvalue()
