"""The JSON export: every model as plain data (schema: schemas/competency-export.schema.json).

Items keep their permanent ids; display codes are given at each position. An
item shown again at another position (section V, III.1.a) carries the same id,
``"reused": true`` and the code of its definition. Every ``url`` is relative to
the site root. Text is the source text (inline Markdown allowed). Format
changes are versioned: bump `VERSION` and note the change in
manual/guide-exports.md.

A site with a shared library (family.py) adds, and only then, each competency's
and indicator's ``shared`` id and a top-level ``shared`` list of the library with
the jobs that use each item; a site without one exports the same bytes as before.

A site with editions (editions.py) adds, and only then, a top-level ``edition``:
the edition the wording is, or follows (exports/edition.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..pages.family import family_docname
from ..pages.items import page_docname
from ..sources.family import Family
from ..sources.model import CompetencyPlacement, IndicatorPlacement, Model, Section
from ..sources.scales import competency_rating_export, scale_export
from .edition import EditionStamp

FORMAT = "competency-model"
VERSION = 1


def item_url(model_id: str, objtype: str, item_id: str) -> str:
    """The page address of an item, relative to the site root (ids only, never positions)."""
    return page_docname(model_id, objtype, item_id) + ".html"


def utility_of(model: Model) -> str | None:
    """The utility a variant model was built for (None for the generic model)."""
    return getattr(model, "utility", None) or None


def export_data(
    models: Iterable[Model], family: Family | None = None, edition: EditionStamp | None = None
) -> dict[str, Any]:
    """The whole export document for some models (with the library of their family, when there is one,
    and the edition of their wording, when the site has editions)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if edition is not None:
        data["edition"] = edition.data()
    data["models"] = [model_data(m, family) for m in models]
    if family is not None:
        data["shared"] = shared_data(family)
    return data


def export_json(models: Iterable[Model], family: Family | None = None, edition: EditionStamp | None = None) -> str:
    """The export as JSON text: stable key order, UTF-8 characters kept, one trailing newline."""
    return json.dumps(export_data(models, family, edition), ensure_ascii=False, indent=2) + "\n"


def shared_url(kind: str, shared_id: str) -> str:
    """The page of a shared competency or indicator, relative to the site root."""
    return family_docname(kind, shared_id) + ".html"


def shared_data(family: Family) -> list[dict[str, Any]]:
    """The library: each shared competency and indicator with the published jobs that use it."""
    library = family.library
    return [
        {
            "id": competency.id,
            "title": competency.title,
            "description": competency.description,
            "aliases": list(competency.aliases),
            "url": shared_url("shared-competency", competency.id),
            "jobs": _jobs(family, competency.id, "competency"),
            "indicators": [
                {
                    "id": indicator.id,
                    "text": indicator.text,
                    "aliases": list(indicator.aliases),
                    "url": shared_url("shared-indicator", indicator.id),
                    "jobs": _jobs(family, indicator.id, "indicator"),
                }
                for indicator in (library.indicators[i] for i in competency.indicators)
            ],
        }
        for competency in library.competencies.values()
    ]


def _jobs(family: Family, shared_id: str, kind: str) -> list[dict[str, Any]]:
    jobs = []
    for use in family.uses_of(shared_id):
        model = use.model
        code = (
            model.home_of_competency(use.item).code
            if kind == "competency"
            else model.home_of_indicator(use.item)[1].code
        )
        jobs.append({"model": model.id, "id": use.item, "code": code, "url": item_url(model.id, kind, use.item)})
    return jobs


def _shared(family: Family | None, model: Model, item_id: str) -> dict[str, Any]:
    """`shared`: the item's shared id (or null), in the export of a site with a library only."""
    return {} if family is None else {"shared": family.shared_id(model.id, item_id)}


def model_data(model: Model, family: Family | None = None) -> dict[str, Any]:
    return {
        "id": model.id,
        "title": model.title,
        "utility": utility_of(model),
        "url": item_url(model.id, "model", model.id),
        "source": model.source,
        "note": model.note,
        "aliases": list(model.aliases),
        "sections": [_section(model, s, family) for s in model.sections],
        "withdrawn": [
            {
                "id": record.id,
                "type": record.kind,
                "wording": record.wording,
                "since": record.since,
                "note": record.note,
                "replaced_by": record.replaced_by,
                "aliases": list(record.aliases),
                "url": item_url(model.id, record.kind, record.id),
            }
            for record in model.withdrawn.values()
        ],
        **scale_export(model),  # the HR forms' rating scale (scales.py)
    }


def _section(model: Model, section: Section, family: Family | None) -> dict[str, Any]:
    return {
        "id": section.id,
        "code": section.code,
        "kind": section.kind,
        "title": section.title,
        "qualifier": section.qualifier,
        "note": section.note,
        "aliases": list(section.aliases),
        "url": item_url(model.id, "section", section.id),
        "competencies": [_competency(model, section, p, family) for p in section.placements()],
        "responsibilities": [_responsibility(model, r) for r in section.responsibilities],
    }


def _competency(
    model: Model, section: Section, placement: CompetencyPlacement, family: Family | None
) -> dict[str, Any]:
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
        **_shared(family, model, competency.id),
        "group": {"id": group.id, "code": group.code, "title": group.title} if group else None,
        **_reuse(placement.is_reference, model.home_of_competency(competency.id).code),
        "indicators": [_indicator(model, p, family) for p in placement.indicators],
        **competency_rating_export(model, competency.id),
    }


def _indicator(model: Model, placement: IndicatorPlacement, family: Family | None) -> dict[str, Any]:
    indicator = model.indicators[placement.indicator]
    return {
        "id": indicator.id,
        "code": placement.code,
        "text": indicator.text,
        "subitems": list(indicator.subitems),
        "aliases": list(indicator.aliases),
        "url": item_url(model.id, "indicator", indicator.id),
        **_shared(family, model, indicator.id),
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
