"""The CASE 1.1 export: one model as a 1EdTech CFPackage (CFDocument, CFItems, CFAssociations).

Mapping (docs/guide-exports.md explains it for integrators):

- the model is the CFDocument; sections, foundational groups, competencies,
  indicators and responsibilities are CFItems, with the display code as
  ``humanCodingScheme``;
- ``isChildOf`` associations give the hierarchy (section -> document, group ->
  section, competency -> section or group, indicator -> competency), ordered by
  ``sequenceNumber``;
- an item shown again at another position (section V, III.1.a) is a CFItem of
  its own at that position, linked to its definition by ``exactMatchOf``;
- a responsibility's editorial supported_by mapping is ``isRelatedTo`` from the
  responsibility to each supporting item.

Identifiers are UUIDs derived from ids (uuid5 over `NAMESPACE` and
``<model-id>/<item-id>``, plus ``@<utility>`` for a variant), so every export
of the same model gives the same identifiers, whatever the codes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .export_json import item_url, utility_of
from .export_rubric import case_rubrics
from .inline import plain_text
from .model import CompetencyPlacement, Model, Section
from .page_parts import EDITORIAL_NOTE, competency_label

#: Fixed namespace of every identifier: never change it, or every integrator sees new items.
NAMESPACE = uuid.UUID("5b0f3c8e-2f6a-5d1e-9c47-6e1f0a3b7d21")
DEFAULT_CREATOR = "Competency site maintainers"
FRAMEWORK_TYPE = "Job competency model"

ITEM_TYPES = {
    "section": "Section",
    "group": "Competency group",
    "competency": "Competency",
    "indicator": "Behavioural indicator",
    "responsibility": "Responsibility",
}


def case_identifier(model: Model, key: str) -> str:
    """The UUID of `key` (an item id, or a longer key for a repeated position) in a model or variant."""
    utility = utility_of(model)
    name = f"{model.id}/{key}" if key else model.id
    return str(uuid.uuid5(NAMESPACE, name + (f"@{utility}" if utility else "")))


def case_timestamp(changed: datetime) -> str:
    return changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_case(
    model: Model, *, changed: datetime, creator: str = DEFAULT_CREATOR, base_url: str = ""
) -> dict[str, Any]:
    """The CFPackage of one model; `changed` is every record's lastChangeDateTime."""
    package = _Package(model=model, stamp=case_timestamp(changed), base_url=base_url.rstrip("/"))
    return package.build(creator)


def case_json(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


@dataclass
class _Package:
    model: Model
    stamp: str
    base_url: str
    items: list[dict[str, Any]] = field(default_factory=list)
    #: (type, origin, destination, sequenceNumber, notes), made into records once every node is known.
    associations: list[tuple[str, str, str, int | None, str | None]] = field(default_factory=list)
    #: identifier -> (title, uri) of every node, for association ends.
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def build(self, creator: str) -> dict[str, Any]:
        model = self.model
        utility = utility_of(model)
        identifier = case_identifier(model, "")
        title = f"{model.title} ({utility})" if utility else model.title
        uri = f"{self.base_url}/_exports/{model.id}.case.json" if self.base_url else f"urn:uuid:{identifier}"
        document: dict[str, Any] = {
            "identifier": identifier,
            "uri": uri,
            "creator": creator,
            "title": title,
            "lastChangeDateTime": self.stamp,
            "caseVersion": "1.1",
            "frameworkType": FRAMEWORK_TYPE,
            "language": "en",
        }
        if model.note:
            document["description"] = model.note
        if model.source:
            document["notes"] = model.source
        document["extensions"] = {"modelId": model.id, "utility": utility, "url": item_url(model.id, "model", model.id)}
        self.nodes[identifier] = (title, uri)
        for n, section in enumerate(model.sections, 1):
            self.section(section, identifier, n)
        associations = [self.association(*entry) for entry in self.associations]
        package = {"CFDocument": document, "CFItems": self.items, "CFAssociations": associations}
        rubrics = case_rubrics(model, self.stamp, lambda key: case_identifier(model, key), self.link)
        return {**package, "CFRubrics": rubrics} if rubrics else package  # the HR forms' scale (export_rubric.py)

    # -- items ------------------------------------------------------------------------------------

    def item(
        self,
        key: str,
        objtype: str,
        item_id: str,
        code: str,
        statement: str,
        *,
        page: str | None = None,
        notes: str | None = None,
        reused: bool = False,
    ) -> str:
        identifier = case_identifier(self.model, key)
        page_url = item_url(self.model.id, page, item_id) if page else None
        uri = f"{self.base_url}/{page_url}" if self.base_url and page_url and not reused else f"urn:uuid:{identifier}"
        record: dict[str, Any] = {
            "identifier": identifier,
            "uri": uri,
            "fullStatement": statement,
            "humanCodingScheme": code,
            "listEnumeration": code.rpartition(".")[2],
            "CFItemType": ITEM_TYPES[objtype],
            "language": "en",
            "lastChangeDateTime": self.stamp,
        }
        if notes:
            record["notes"] = notes
        record["extensions"] = {"id": item_id, "type": objtype, "url": page_url, "reused": reused}
        self.items.append(record)
        self.nodes[identifier] = (f"{code} {statement}", uri)
        return identifier

    def section(self, section: Section, document: str, sequence: int) -> None:
        model = self.model
        me = self.item(
            section.id, "section", section.id, section.code, section.title, page="section", notes=section.note
        )
        self.associate("isChildOf", me, document, sequence)
        for n, placement in enumerate(section.competencies, 1):
            self.competency(section, placement, me, n)
        for n, group in enumerate(section.groups, 1 + len(section.competencies)):
            group_item = self.item(group.id, "group", group.id, group.code, group.title)
            self.associate("isChildOf", group_item, me, n)
            for m, placement in enumerate(group.competencies, 1):
                self.competency(section, placement, group_item, m)
        for n, responsibility_id in enumerate(section.responsibilities, 1):
            responsibility = model.responsibilities[responsibility_id]
            item = self.item(
                responsibility.id,
                "responsibility",
                responsibility.id,
                responsibility.code,
                plain_text(responsibility.text),
                page="responsibility",
            )
            self.associate("isChildOf", item, me, n)
            for supporter in responsibility.supported_by:
                self.associate("isRelatedTo", item, case_identifier(model, supporter), notes=EDITORIAL_NOTE)

    def competency(self, section: Section, placement: CompetencyPlacement, parent: str, sequence: int) -> None:
        model = self.model
        competency = model.competencies[placement.competency]
        key = competency.id if not placement.is_reference else f"{competency.id}/in/{section.id}"
        notes = "\n\n".join(plain_text(t) for t in (competency.description, competency.preamble) if t) or None
        me = self.item(
            key,
            "competency",
            competency.id,
            placement.code,
            competency_label(competency),
            page="competency",
            notes=notes,
            reused=placement.is_reference,
        )
        self.associate("isChildOf", me, parent, sequence)
        if placement.is_reference:
            self.associate("exactMatchOf", me, case_identifier(model, competency.id))
        for n, shown in enumerate(placement.indicators, 1):
            indicator = model.indicators[shown.indicator]
            key = indicator.id if not shown.is_reference else f"{indicator.id}/in/{section.id}/{competency.id}"
            subitems = (
                "Sub-items: " + "; ".join(plain_text(s) for s in indicator.subitems) if indicator.subitems else None
            )
            item = self.item(
                key,
                "indicator",
                indicator.id,
                shown.code,
                plain_text(indicator.text),
                page="indicator",
                notes=subitems,
                reused=shown.is_reference,
            )
            self.associate("isChildOf", item, me, n)
            if shown.is_reference:
                self.associate("exactMatchOf", item, case_identifier(model, indicator.id))

    # -- associations -----------------------------------------------------------------------------

    def associate(
        self, kind: str, origin: str, destination: str, sequence: int | None = None, notes: str | None = None
    ) -> None:
        self.associations.append((kind, origin, destination, sequence, notes))

    def association(
        self, kind: str, origin: str, destination: str, sequence: int | None, notes: str | None
    ) -> dict[str, Any]:
        identifier = str(uuid.uuid5(NAMESPACE, f"{origin} {kind} {destination}"))
        record: dict[str, Any] = {
            "identifier": identifier,
            "associationType": kind,
            "uri": f"urn:uuid:{identifier}",
            "originNodeURI": self.link(origin),
            "destinationNodeURI": self.link(destination),
            "lastChangeDateTime": self.stamp,
        }
        if sequence is not None:
            record["sequenceNumber"] = sequence
        if notes:
            record["notes"] = notes
        return record

    def link(self, identifier: str) -> dict[str, str]:
        """An association end: the node's identifier, title and uri."""
        title, uri = self.nodes[identifier]
        return {"title": title, "identifier": identifier, "uri": uri}
