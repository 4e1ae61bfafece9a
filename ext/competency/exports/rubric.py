"""The rating scale and anchors of a model as a CASE 1.1 CFRubric (the CASE export's `CFRubrics`).

One rubric per model: one criterion per competency (where it is defined), linked to the
competency's CFItem, with one level per level of the site's scale. A level's description is the
competency's anchor for it when the model gives one, else the scale's own line. Both are editorial
(scales.py), and the rubric's description says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..pages.parts import competency_label
from ..sources.model import Model
from ..sources.scales import ANCHORS_EDITORIAL_NOTE, SCALE_EDITORIAL_NOTE
from ..sphinx_ext.inline import plain_text


def case_rubrics(
    model: Model, stamp: str, identifier: Callable[[str], str], link: Callable[[str], dict[str, str]]
) -> list[dict[str, Any]]:
    """[the model's CFRubric], or [] when the site has no rating scale.

    `identifier(key)` gives a key's UUID in this model or variant (keys starting with "#" are no item
    ids); `link(identifier)` the association end of an exported CFItem.
    """
    scale = model.rating.scale if model.rating else None
    if scale is None:
        return []
    anchors = model.rating.anchors if model.rating else {}
    rubric_id = identifier("#rubric")
    notes = [
        scale.note or "",
        SCALE_EDITORIAL_NOTE if scale.editorial else "",
        ANCHORS_EDITORIAL_NOTE if anchors else "",
    ]
    criteria = []
    placements = [p for p in model.competency_placements() if not p.is_reference]
    for n, placement in enumerate(placements, 1):
        competency = model.competencies[placement.competency]
        criterion_id = identifier(f"#rubric/{competency.id}")
        own = anchors.get(competency.id, {})
        levels = [
            {
                "identifier": identifier(f"#rubric/{competency.id}/{level.id}"),
                "uri": "urn:uuid:" + identifier(f"#rubric/{competency.id}/{level.id}"),
                "description": plain_text(own.get(level.id, level.description)),
                "quality": level.label,
                "score": float(m),
                "position": m,
                "rubricCriterionId": criterion_id,
                "lastChangeDateTime": stamp,
                "extensions": [{"levelId": level.id, "anchor": level.id in own, "editorial": True}],
            }
            for m, level in enumerate(scale.levels, 1)
        ]
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": f"urn:uuid:{criterion_id}",
                "category": model.section(placement.section).title,
                "description": f"{placement.code} {competency_label(competency)}",
                "CFItemURI": link(identifier(competency.id)),
                "position": n,
                "rubricId": rubric_id,
                "lastChangeDateTime": stamp,
                "CFRubricCriterionLevels": levels,
            }
        )
    return [
        {
            "identifier": rubric_id,
            "uri": f"urn:uuid:{rubric_id}",
            "title": f"{scale.title}: {model.title}",
            "description": " ".join(note for note in notes if note),
            "lastChangeDateTime": stamp,
            "CFRubricCriteria": criteria,
            "extensions": {"expectedLevel": scale.expected, "editorial": scale.editorial},
        }
    ]
