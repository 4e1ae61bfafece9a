"""The exports of a family of jobs: shared ids in JSON and CSV, the library as its own CASE package."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sphinx.testing.util import SphinxTestApp

from competency.cli import main
from competency.exports.case import export_case, export_library_case, library_identifier
from competency.exports.csv import COLUMNS, FAMILY_COLUMNS, export_csv
from competency.exports.files import render
from competency.exports.json import export_data
from competency.sources.family import Family, family_of
from competency.sources.site import load_site

from .conftest import REPO

EXAMPLE = REPO / "examples" / "family" / "competency_src"
SCHEMAS = REPO / "ext" / "competency" / "schemas"
#: The CASE schema as 1EdTech publishes it, beside the repository when it is there (the repo keeps a copy).
PUBLISHED_CASE_SCHEMA = Path("/work/shared/schemas/case-v1p1-cfpackage-schema.json")
CHANGED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DSO = "distribution-system-operator"


def _validate(name: str, data: dict) -> None:
    paths = [SCHEMAS / name]
    if name.startswith("case") and PUBLISHED_CASE_SCHEMA.is_file():
        paths.append(PUBLISHED_CASE_SCHEMA)
    for path in paths:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)


@pytest.fixture(scope="module")
def family() -> Family:
    found = family_of(load_site(EXAMPLE))
    assert found is not None
    return found


def test_json_names_each_competencys_shared_id_and_lists_the_jobs_of_each(family: Family) -> None:
    data = export_data(family.models, family)
    _validate("competency-export.schema.json", data)
    dso = next(m for m in data["models"] if m["id"] == DSO)
    competencies = {c["id"]: c for s in dso["sections"] for c in s["competencies"]}
    assert competencies["communication"]["shared"] == "communication"
    assert competencies["distribution-system-operations"]["shared"] is None
    indicators = {i["id"]: i for c in competencies.values() for i in c["indicators"]}
    assert indicators["actively-listens-to-others"]["shared"] == "actively-listens-to-others"
    assert indicators["explains-work-to-residents"]["shared"] is None
    shared = {s["id"]: s for s in data["shared"]}
    assert list(shared) == list(family.library.competencies)
    assert shared["computer-skills"]["url"] == "shared/competencies/computer-skills.html"
    assert shared["computer-skills"]["jobs"] == [
        {
            "model": "customer-service-representative",
            "id": "computer-skills",
            "code": "I.1",
            "url": "customer-service-representative/competencies/computer-skills.html",
        },
        {"model": DSO, "id": "computer-skills", "code": "I.2", "url": f"{DSO}/competencies/computer-skills.html"},
        {
            "model": "meter-reader",
            "id": "handheld-computer",
            "code": "I.2",
            "url": "meter-reader/competencies/handheld-computer.html",
        },
    ]
    listens = shared["communication"]["indicators"][0]
    assert listens["id"] == "actively-listens-to-others"
    assert [j["model"] for j in listens["jobs"]] == ["customer-service-representative", DSO]


def test_a_site_without_a_library_exports_what_it_always_did() -> None:
    site = load_site(REPO / "competency_src")
    assert family_of(site) is None
    models = list(site.models.values())
    for fmt in ("json", "csv"):
        assert '"shared"' not in render(fmt, models) and "shared_competency" not in render(fmt, models)
    header = next(csv.reader(io.StringIO(export_csv(models).removeprefix("\ufeff"))))
    assert tuple(header) == COLUMNS


def test_csv_adds_the_shared_ids_at_the_end(family: Family) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(family.models, family).removeprefix("\ufeff"))))
    header = list(rows[0])
    assert tuple(header) == COLUMNS + FAMILY_COLUMNS
    row = next(r for r in rows if r["model"] == DSO and r["indicator_id"] == "actively-listens-to-others")
    assert (row["shared_competency"], row["shared_indicator"]) == ("communication", "actively-listens-to-others")
    own = next(r for r in rows if r["model"] == DSO and r["indicator_id"] == "uses-gis-maps")
    assert (own["shared_competency"], own["shared_indicator"]) == ("computer-skills", "")
    plain = next(r for r in rows if r["indicator_id"] == "operates-valves-and-hydrants")
    assert (plain["shared_competency"], plain["shared_indicator"]) == ("", "")


def test_case_publishes_the_library_as_its_own_framework(family: Family) -> None:
    package = export_library_case(family, changed=CHANGED, base_url="https://intranet.example/")
    _validate("case-v1p1-cfpackage-schema.json", package)
    document = package["CFDocument"]
    assert document["identifier"] == library_identifier()
    assert document["frameworkType"] == "Shared competency library"
    items = {i["extensions"]["id"]: i for i in package["CFItems"]}
    library = family.library
    assert set(items) == set(library.competencies) | set(library.indicators)
    assert items["communication"]["CFItemType"] == "Shared competency"
    assert items["communication"]["uri"] == "https://intranet.example/shared/competencies/communication.html"
    assert items["dependability-and-reliability"]["notes"] == "Displaying responsible behavior at work"
    children = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]) for a in package["CFAssociations"]
    }
    assert (library_identifier("actively-listens-to-others"), library_identifier("communication")) in children
    assert (library_identifier("communication"), library_identifier()) in children
    assert {a["associationType"] for a in package["CFAssociations"]} == {"isChildOf"}


def _links_to_library(package: dict) -> dict[str, tuple[str, str]]:
    """The job's item id -> (association type, library identifier) of every link into the library."""
    ids = {i["identifier"]: i["extensions"]["id"] for i in package["CFItems"]}
    links = {}
    for association in package["CFAssociations"]:
        destination = association["destinationNodeURI"]["identifier"]
        if destination not in ids and association["associationType"] != "isChildOf":
            links[ids[association["originNodeURI"]["identifier"]]] = (association["associationType"], destination)
    return links


def test_case_links_each_use_to_the_library_exactly_or_as_related(family: Family) -> None:
    dso = family.model(DSO)
    assert dso is not None
    package = export_case(dso, changed=CHANGED, family=family)
    _validate("case-v1p1-cfpackage-schema.json", package)
    links = _links_to_library(package)
    # The job adds its own indicators (or qualifier, preamble, description): related, not the same.
    assert links["communication"] == ("isRelatedTo", library_identifier("communication"))
    assert links["computer-skills"] == ("isRelatedTo", library_identifier("computer-skills"))
    # The foundational use with the shared description and nothing of its own is the shared competency.
    assert links["dependability-and-reliability"] == (
        "exactMatchOf",
        library_identifier("dependability-and-reliability"),
    )
    # A use of a shared indicator has the same words: an exact match.
    assert links["actively-listens-to-others"] == ("exactMatchOf", library_identifier("actively-listens-to-others"))
    assert "distribution-system-operations" not in links
    # Each end names the node it links: a consumer resolves it in the library's package.
    library_items = {i["identifier"] for i in export_library_case(family, changed=CHANGED)["CFItems"]}
    assert {destination for _kind, destination in links.values()} <= library_items
    # Without the family the same model exports no link into the library.
    assert _links_to_library(export_case(dso, changed=CHANGED)) == {}


def test_cli_exports_the_library_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "shared.case.json"
    assert main(["export", "--format", "case", "--library", "--src", str(EXAMPLE), "-o", str(output)]) == 0
    assert json.loads(output.read_text(encoding="utf-8"))["CFDocument"]["title"] == "Shared competencies"
    folder = tmp_path / "all"
    folder.mkdir()
    assert main(["export", "--format", "case", "--src", str(EXAMPLE), "-o", str(folder)]) == 0
    assert (folder / "shared.case.json").read_bytes() == output.read_bytes()
    assert main(["export", "--format", "case", "--library", "-o", str(output)]) == 2  # the real site has none
    assert "--library exports the shared library of a family" in capsys.readouterr().err


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_the_family_site_publishes_the_library_package_and_links_it(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    package = json.loads((out / "_exports" / "shared.case.json").read_text(encoding="utf-8"))
    _validate("case-v1p1-cfpackage-schema.json", package)
    clerk = json.loads((out / "_exports" / "clerk.json").read_text(encoding="utf-8"))
    _validate("competency-export.schema.json", clerk)
    assert [s["id"] for s in clerk["shared"]][:1] == ["communication"]
    assert 'href="_exports/shared.case.json"' in (out / "index.html").read_text(encoding="utf-8")
