"""From one job to another: what two jobs share, what the target adds and what it drops.

The same comparison feeds the static page of each declared career path and the
data file of the offline compare page (`shared/compare.html?from=<id>&to=<id>`),
whose script repeats it in the browser for any pair. The data file grows with
the number of items, never with the number of pairs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..sources.family import FAMILY_FOLDER, Family, normalised_text
from ..sources.model import Model
from ..sphinx_ext.inline import plain_text
from .items import page_docname
from .parts import competency_label

#: The data file of the compare page, beside it; a script (not JSON) so that it loads from file:// too.
DATA_SCRIPT = f"{FAMILY_FOLDER}/family-data.js"
#: The same data as plain JSON, with the other downloads.
DATA_JSON = "_exports/family.json"
#: The variable the data script sets.
DATA_VARIABLE = "competencyFamily"


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedPair:
    """A shared competency both jobs need, with the indicators each lists for it."""

    shared: str
    source: str
    target: str
    #: (source indicator, target indicator) pairs worded the same (one shared indicator).
    common: tuple[tuple[str, str], ...]
    #: The target's other indicators: what a person moving there has to gain.
    gained: tuple[str, ...]
    #: The source's other indicators.
    left: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    source: Model
    target: Model
    shared: tuple[SharedPair, ...]
    #: Competencies of the target with no shared counterpart in the source.
    added: tuple[str, ...]
    #: Competencies of the source the target does not need.
    dropped: tuple[str, ...]


def compare(family: Family, source: Model, target: Model) -> Comparison:
    """What a person moving from `source` to `target` keeps, gains and leaves behind."""
    source_by_shared = _by_shared(family, source)
    target_by_shared = _by_shared(family, target)
    pairs = []
    for shared_id, target_item in target_by_shared.items():
        source_item = source_by_shared.get(shared_id)
        if source_item is None:
            continue
        source_indicators = _indicators_by_match(family, source, source_item)
        target_indicators = _indicators_by_match(family, target, target_item)
        common = tuple(
            (source_indicators[key], target_item_indicator)
            for key, target_item_indicator in target_indicators.items()
            if key in source_indicators
        )
        kept_target = {t for _s, t in common}
        kept_source = {s for s, _t in common}
        pairs.append(
            SharedPair(
                shared=shared_id,
                source=source_item,
                target=target_item,
                common=common,
                gained=tuple(i for i in target.competencies[target_item].indicators if i not in kept_target),
                left=tuple(i for i in source.competencies[source_item].indicators if i not in kept_source),
            )
        )
    paired_source = {p.source for p in pairs}
    paired_target = {p.target for p in pairs}
    return Comparison(
        source=source,
        target=target,
        shared=tuple(pairs),
        added=tuple(c for c in _in_order(target) if c not in paired_target),
        dropped=tuple(c for c in _in_order(source) if c not in paired_source),
    )


def _in_order(model: Model) -> list[str]:
    """The model's own competencies in published order (where each is defined)."""
    return [p.competency for p in model.competency_placements() if not p.is_reference]


def _by_shared(family: Family, model: Model) -> dict[str, str]:
    """shared id -> the model's competency, in the model's published order."""
    found = {}
    for competency_id in _in_order(model):
        shared_id = family.shared_id(model.id, competency_id)
        if shared_id:
            found[shared_id] = competency_id
    return found


def _indicators_by_match(family: Family, model: Model, competency_id: str) -> dict[str, str]:
    """match key -> the competency's indicator (the first, if two have the same words)."""
    found: dict[str, str] = {}
    for indicator_id in model.competencies[competency_id].indicators:
        found.setdefault(match_key(family, model, indicator_id), indicator_id)
    return found


def match_key(family: Family, model: Model, indicator_id: str) -> str:
    """What makes two jobs' indicators of a shared competency the same behaviour: one shared
    indicator, or the same words (compared as published) that are not shared yet; a person who
    shows them in one job has nothing to gain in the other."""
    shared_id = family.shared_id(model.id, indicator_id)
    return shared_id or "words:" + normalised_text(model.indicators[indicator_id].text)


# -- the data file of the compare page ---------------------------------------------------------------


def family_data(family: Family) -> dict[str, Any]:
    """Every job's competencies and indicators with their shared ids and pages (docnames)."""
    library = family.library
    return {
        "shared": {
            shared_id: {
                "title": item.title,
                "page": page_docname(FAMILY_FOLDER, "competency", shared_id),
            }
            for shared_id, item in library.competencies.items()
        },
        "models": [_model_data(family, model) for model in family.models],
        "paths": [[p.source, p.target] for p in library.paths],
    }


def _model_data(family: Family, model: Model) -> dict[str, Any]:
    competencies = []
    for competency_id in _in_order(model):
        competency = model.competencies[competency_id]
        competencies.append(
            {
                "id": competency_id,
                "code": model.home_of_competency(competency_id).code,
                "title": competency_label(competency),
                "shared": family.shared_id(model.id, competency_id),
                "page": page_docname(model.id, "competency", competency_id),
                "indicators": [
                    {
                        "id": indicator_id,
                        "code": model.home_of_indicator(indicator_id)[1].code,
                        "text": plain_text(model.indicators[indicator_id].text),
                        "shared": family.shared_id(model.id, indicator_id),
                        "match": match_key(family, model, indicator_id),
                        "page": page_docname(model.id, "indicator", indicator_id),
                    }
                    for indicator_id in competency.indicators
                ],
            }
        )
    return {
        "id": model.id,
        "aliases": list(model.aliases),
        "title": model.title,
        "page": page_docname(model.id, "model", model.id),
        "competencies": competencies,
    }


def data_script(data: dict[str, Any]) -> str:
    """The data as a script setting one variable (a page opened from file:// may not fetch JSON)."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    # "</" could end a script element if the data were ever inlined; JSON allows the escape.
    text = text.replace("</", "<\\/")
    return f"window.{DATA_VARIABLE} = {text};\n"
