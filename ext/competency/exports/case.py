"""The CASE 1.1 export: one model as a 1EdTech CFPackage (CFDocument, CFItems, CFAssociations).

Mapping (manual/guide-exports.md explains it for integrators):

- the model is the CFDocument; sections, foundational groups, competencies,
  indicators and responsibilities are CFItems, with the display code as
  ``humanCodingScheme``;
- ``isChildOf`` associations give the hierarchy (section -> document, group ->
  section, competency -> section or group, indicator -> competency), ordered by
  ``sequenceNumber``;
- an item shown again at another position (section V, III.1.a) is a CFItem of
  its own at that position, linked to its definition by ``exactMatchOf``;
- a responsibility's editorial supported_by mapping is ``isRelatedTo`` from the
  responsibility to each supporting item;
- in a site with a shared library (family.py), the library is a CFPackage of its
  own (`export_library_case`, ``shared.case.json``), and a job's use of a shared
  competency is linked to it: ``exactMatchOf`` when the job adds nothing of its
  own (no qualifier, preamble or description of its own, and only shared
  indicators), else ``isRelatedTo``; a use of a shared indicator (the same
  words) is ``exactMatchOf``.

Identifiers are UUIDs derived from ids (uuid5 over `NAMESPACE` and
``<model-id>/<item-id>``, plus ``@<utility>`` for a variant), so every export
of the same model gives the same identifiers, whatever the codes. The library's
are uuid5 over ``shared`` and ``shared/<shared-id>`` (no model can have the id
``shared``), the same in every variant: a variant changes which jobs use an
item, never the library.

In a site with editions (editions.py, exports/edition.py), each CFDocument's
``extensions.edition`` names the edition its wording is or follows; when the
sources are that edition's, ``version`` is the edition's name and every
``lastChangeDateTime`` its date. A site without editions has neither.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..pages.parts import EDITORIAL_NOTE, competency_label
from ..sources.family import FAMILY_FOLDER, Family, normalised_text
from ..sources.model import Competency, CompetencyPlacement, Model, Section
from ..sphinx_ext.inline import plain_text
from .edition import EditionStamp
from .json import item_url, shared_url, utility_of
from .rubric import case_rubrics

#: Fixed namespace of every identifier: never change it, or every integrator sees new items.
NAMESPACE = uuid.UUID("5b0f3c8e-2f6a-5d1e-9c47-6e1f0a3b7d21")
DEFAULT_CREATOR = "Competency site maintainers"
FRAMEWORK_TYPE = "Job competency model"
LIBRARY_TYPE = "Shared competency library"
LIBRARY_TITLE = "Shared competencies"
#: The library's package in the site's exports.
LIBRARY_FILE_NAME = f"{FAMILY_FOLDER}.case.json"

ITEM_TYPES = {
    "shared-competency": "Shared competency",
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


def library_identifier(shared_id: str = "") -> str:
    """The UUID of the library's CFDocument, or of one of its items."""
    return str(uuid.uuid5(NAMESPACE, f"{FAMILY_FOLDER}/{shared_id}" if shared_id else FAMILY_FOLDER))


def case_timestamp(changed: datetime) -> str:
    return changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_case(
    model: Model,
    *,
    changed: datetime,
    creator: str = DEFAULT_CREATOR,
    base_url: str = "",
    family: Family | None = None,
    edition: EditionStamp | None = None,
) -> dict[str, Any]:
    """The CFPackage of one model; `changed` is every record's lastChangeDateTime (the edition's date
    instead when the sources are the `edition`'s)."""
    stamp = case_timestamp(edition.case_date(changed) if edition else changed)
    package = _Package(model=model, stamp=stamp, base_url=base_url.rstrip("/"), family=family, edition=edition)
    return package.build(creator)


def export_library_case(
    family: Family,
    *,
    changed: datetime,
    creator: str = DEFAULT_CREATOR,
    base_url: str = "",
    edition: EditionStamp | None = None,
) -> dict[str, Any]:
    """The CFPackage of the shared library: its competencies and their shared indicators."""
    stamp, base = case_timestamp(edition.case_date(changed) if edition else changed), base_url.rstrip("/")
    identifier = library_identifier()
    uri = f"{base}/_exports/{LIBRARY_FILE_NAME}" if base else f"urn:uuid:{identifier}"
    document = {
        "identifier": identifier,
        "uri": uri,
        "creator": creator,
        "title": LIBRARY_TITLE,
        "lastChangeDateTime": stamp,
        **_version(edition),
        "caseVersion": "1.1",
        "frameworkType": LIBRARY_TYPE,
        "language": "en",
        "extensions": {"url": f"{FAMILY_FOLDER}/index.html", **_edition(edition)},
    }
    nodes = {identifier: (LIBRARY_TITLE, uri)}
    items: list[dict[str, Any]] = []
    links: list[tuple[str, str, str, int | None, str | None]] = []
    library = family.library
    for n, competency in enumerate(library.competencies.values(), 1):
        me = _library_item(items, nodes, "shared-competency", competency.id, competency.title, n, stamp, base)
        if competency.description:
            items[-1]["notes"] = plain_text(competency.description)
        links.append(("isChildOf", me, identifier, n, None))
        for m, indicator_id in enumerate(competency.indicators, 1):
            text = plain_text(library.indicators[indicator_id].text)
            item = _library_item(items, nodes, "shared-indicator", indicator_id, text, m, stamp, base)
            links.append(("isChildOf", item, me, m, None))
    associations = [association_record(*link, stamp=stamp, nodes=nodes) for link in links]
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def _library_item(
    items: list[dict[str, Any]],
    nodes: dict[str, tuple[str, str]],
    kind: str,
    shared_id: str,
    statement: str,
    position: int,
    stamp: str,
    base: str,
) -> str:
    identifier = library_identifier(shared_id)
    url = shared_url(kind, shared_id)
    uri = f"{base}/{url}" if base else f"urn:uuid:{identifier}"
    items.append(
        {
            "identifier": identifier,
            "uri": uri,
            "fullStatement": statement,
            "listEnumeration": str(position),
            "CFItemType": ITEM_TYPES["shared-competency" if kind == "shared-competency" else "indicator"],
            "language": "en",
            "lastChangeDateTime": stamp,
            "extensions": {"id": shared_id, "type": kind, "url": url},
        }
    )
    nodes[identifier] = (statement, uri)
    return identifier


def _version(edition: EditionStamp | None) -> dict[str, str]:
    """CFDocument `version`: the edition's name, when the sources are the edition's."""
    version = edition.case_version() if edition else None
    return {"version": version} if version else {}


def _edition(edition: EditionStamp | None) -> dict[str, Any]:
    """CFDocument `extensions.edition`, in a site with editions only."""
    return {"edition": edition.data()} if edition else {}


def adds_nothing(family: Family, model: Model, competency: Competency, shared_id: str) -> bool:
    """True when a job uses the shared competency as it is: nothing of its own beside the shared title."""
    shared = family.library.competencies[shared_id]
    own_description = competency.description and normalised_text(competency.description) != normalised_text(
        shared.description or ""
    )
    shared_indicators = all(family.shared_id(model.id, i) for i in competency.indicators)
    return not (competency.qualifier or competency.preamble or own_description) and shared_indicators


def case_json(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


@dataclass
class _Package:
    model: Model
    stamp: str
    base_url: str
    family: Family | None = None
    edition: EditionStamp | None = None
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
            **_version(self.edition),
            "caseVersion": "1.1",
            "frameworkType": FRAMEWORK_TYPE,
            "language": "en",
        }
        if model.note:
            document["description"] = model.note
        if model.source:
            document["notes"] = model.source
        document["extensions"] = {
            "modelId": model.id,
            "utility": utility,
            "url": item_url(model.id, "model", model.id),
            **_edition(self.edition),
        }
        self.nodes[identifier] = (title, uri)
        for n, section in enumerate(model.sections, 1):
            self.section(section, identifier, n)
        associations = [self.association(*entry) for entry in self.associations]
        package = {"CFDocument": document, "CFItems": self.items, "CFAssociations": associations}
        rubrics = case_rubrics(
            model, self.stamp, lambda key: case_identifier(model, key), lambda node: _link(self.nodes, node)
        )
        return {**package, "CFRubrics": rubrics} if rubrics else package  # the HR forms' scale (exports/rubric.py)

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
        else:
            self.link_shared(me, competency)
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
            else:
                self.link_shared_indicator(item, indicator.id)

    def link_shared(self, me: str, competency: Competency) -> None:
        """A job's use of a shared competency, linked to the library's item (another CFDocument)."""
        shared_id = self.family.shared_id(self.model.id, competency.id) if self.family else None
        if self.family is None or shared_id is None:
            return
        exact = adds_nothing(self.family, self.model, competency, shared_id)
        title = self.family.library.competencies[shared_id].title
        destination = self.library_node("shared-competency", shared_id, title)
        if exact:
            self.associate("exactMatchOf", me, destination, notes=SHARED_AS_IS)
        else:
            self.associate("isRelatedTo", me, destination, notes=SHARED_WITH_OWN)

    def link_shared_indicator(self, me: str, indicator_id: str) -> None:
        shared_id = self.family.shared_id(self.model.id, indicator_id) if self.family else None
        if self.family is None or shared_id is None:
            return
        text = plain_text(self.family.library.indicators[shared_id].text)
        self.associate("exactMatchOf", me, self.library_node("shared-indicator", shared_id, text), notes=SHARED_AS_IS)

    def library_node(self, kind: str, shared_id: str, title: str) -> str:
        identifier = library_identifier(shared_id)
        uri = f"{self.base_url}/{shared_url(kind, shared_id)}" if self.base_url else f"urn:uuid:{identifier}"
        self.nodes[identifier] = (title, uri)
        return identifier

    # -- associations -----------------------------------------------------------------------------

    def associate(
        self, kind: str, origin: str, destination: str, sequence: int | None = None, notes: str | None = None
    ) -> None:
        self.associations.append((kind, origin, destination, sequence, notes))

    def association(
        self, kind: str, origin: str, destination: str, sequence: int | None, notes: str | None
    ) -> dict[str, Any]:
        return association_record(kind, origin, destination, sequence, notes, stamp=self.stamp, nodes=self.nodes)


#: The notes of the associations from a job's item to the library's.
SHARED_AS_IS = "The job uses the shared item as it is (shared competency library)."
SHARED_WITH_OWN = (
    "The job uses the shared competency with what is its own: qualifier, preamble, description or indicators "
    "(shared competency library)."
)


def association_record(
    kind: str,
    origin: str,
    destination: str,
    sequence: int | None,
    notes: str | None,
    *,
    stamp: str,
    nodes: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    identifier = str(uuid.uuid5(NAMESPACE, f"{origin} {kind} {destination}"))
    record: dict[str, Any] = {
        "identifier": identifier,
        "associationType": kind,
        "uri": f"urn:uuid:{identifier}",
        "originNodeURI": _link(nodes, origin),
        "destinationNodeURI": _link(nodes, destination),
        "lastChangeDateTime": stamp,
    }
    if sequence is not None:
        record["sequenceNumber"] = sequence
    if notes:
        record["notes"] = notes
    return record


def _link(nodes: dict[str, tuple[str, str]], identifier: str) -> dict[str, str]:
    """An association end: the node's identifier, title and uri."""
    title, uri = nodes[identifier]
    return {"title": title, "identifier": identifier, "uri": uri}
