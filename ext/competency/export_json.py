"""The JSON export: every model as plain data (schema: schemas/competency-export.schema.json).

Items keep their permanent ids; display codes are given at each position. An
item shown again at another position (section V, III.1.a) carries the same id,
``"reused": true`` and the code of its definition. Every ``url`` is relative to
the site root. Text is the source text (inline Markdown allowed). Format
changes are versioned: bump `VERSION` and note the change in
docs/guide-exports.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .model import CompetencyPlacement, IndicatorPlacement, Model, Section
from .pages import page_docname
from .scales import competency_rating_export, scale_export

FORMAT = "competency-model"
VERSION = 1


def item_url(model_id: str, objtype: str, item_id: str) -> str:
    """The page address of an item, relative to the site root (ids only, never positions)."""
    return page_docname(model_id, objtype, item_id) + ".html"


def utility_of(model: Model) -> str | None:
    """The utility a variant model was built for (None for the generic model)."""
    return getattr(model, "utility", None) or None


def export_data(models: Iterable[Model]) -> dict[str, Any]:
    """The whole export document for some models."""
    return {"format": FORMAT, "version": VERSION, "models": [model_data(m) for m in models]}


def export_json(models: Iterable[Model]) -> str:
    """The export as JSON text: stable key order, UTF-8 characters kept, one trailing newline."""
    return json.dumps(export_data(models), ensure_ascii=False, indent=2) + "\n"


def model_data(model: Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "title": model.title,
        "utility": utility_of(model),
        "url": item_url(model.id, "model", model.id),
        "source": model.source,
        "note": model.note,
        "aliases": list(model.aliases),
        "sections": [_section(model, s) for s in model.sections],
        **scale_export(model),  # the HR forms' rating scale (scales.py)
    }


def _section(model: Model, section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "code": section.code,
        "kind": section.kind,
        "title": section.title,
        "qualifier": section.qualifier,
        "note": section.note,
        "aliases": list(section.aliases),
        "url": item_url(model.id, "section", section.id),
        "competencies": [_competency(model, section, p) for p in section.placements()],
        "responsibilities": [_responsibility(model, r) for r in section.responsibilities],
    }


def _competency(model: Model, section: Section, placement: CompetencyPlacement) -> dict[str, Any]:
    competency = model.competencies[placement.competency]
    group = next((g for g in section.groups if g.id == placement.group), None)
    return {
        "id": competency.id,
        "code": placement.code,
        "title": competency.title,
        "qualifier": competency.qualifier,
        "description": competency.description,
        "preamble": competency.preamble,
        "aliases": list(competency.aliases),
        "url": item_url(model.id, "competency", competency.id),
        "group": {"id": group.id, "code": group.code, "title": group.title} if group else None,
        **_reuse(placement.is_reference, model.home_of_competency(competency.id).code),
        "indicators": [_indicator(model, p) for p in placement.indicators],
        **competency_rating_export(model, competency.id),
    }


def _indicator(model: Model, placement: IndicatorPlacement) -> dict[str, Any]:
    indicator = model.indicators[placement.indicator]
    return {
        "id": indicator.id,
        "code": placement.code,
        "text": indicator.text,
        "subitems": list(indicator.subitems),
        "aliases": list(indicator.aliases),
        "url": item_url(model.id, "indicator", indicator.id),
        **_reuse(placement.is_reference, model.home_of_indicator(indicator.id)[1].code),
    }


def _reuse(is_reference: bool, home_code: str) -> dict[str, Any]:
    """`reused` and, for a repeated item, the code where it is defined."""
    return {"reused": True, "original_code": home_code} if is_reference else {"reused": False}


def _responsibility(model: Model, responsibility_id: str) -> dict[str, Any]:
    responsibility = model.responsibilities[responsibility_id]
    return {
        "id": responsibility.id,
        "code": responsibility.code,
        "text": responsibility.text,
        "aliases": list(responsibility.aliases),
        "url": item_url(model.id, "responsibility", responsibility.id),
        "supported_by": list(responsibility.supported_by),
        "support": [_support(model, item) for item in responsibility.supported_by],
    }


def _support(model: Model, item_id: str) -> dict[str, Any]:
    """One supported_by mapping: an editorial addition by the maintainers, not the published model."""
    if item_id in model.competencies:
        kind, code = "competency", model.home_of_competency(item_id).code
    else:
        kind, code = "indicator", model.home_of_indicator(item_id)[1].code
    return {"id": item_id, "type": kind, "code": code, "url": item_url(model.id, kind, item_id), "editorial": True}
