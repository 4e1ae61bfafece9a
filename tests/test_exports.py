"""Exports: JSON, CSV and CASE from models, validated against their schemas, and published by the site."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sphinx.testing.util import SphinxTestApp

from competency.cli import main
from competency.exports.case import case_identifier, export_case
from competency.exports.csv import FORMULA_STARTS, export_csv
from competency.exports.files import last_change, render, write_bytes
from competency.exports.json import export_data
from competency.sources.loader import load_model
from competency.sources.model import Model
from competency.sphinx_ext.inline import plain_text

from .conftest import REPO
from .helpers import copy_root

CSR = REPO / "competency_src" / "customer-service-representative.yaml"
SCHEMAS = REPO / "ext" / "competency" / "schemas"
SHARED_CASE_SCHEMA = REPO.parent / "shared" / "schemas" / "case-v1p1-cfpackage-schema.json"
CHANGED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def csr() -> Model:
    return load_model(CSR)


def as_variant(model: Model, utility: str) -> Model:
    if "utility" not in {f.name for f in fields(model)}:
        pytest.skip("models have no utility yet")
    return replace(model, utility=utility)


def indicator_entries(data: dict, section_codes: tuple[str, ...]) -> list[dict]:
    return [
        indicator
        for model in data["models"]
        for section in model["sections"]
        if section["code"] in section_codes
        for competency in section["competencies"]
        for indicator in competency["indicators"]
    ]


# -- JSON -----------------------------------------------------------------------------------------------


def test_json_export_of_the_csr_model_validates_and_counts(csr: Model) -> None:
    data = export_data([csr])
    validator("competency-export.schema.json").validate(data)
    assert data["format"] == "competency-model" and data["version"] == 1
    model = data["models"][0]
    assert model["id"] == "customer-service-representative" and model["utility"] is None
    occurrences = indicator_entries(data, ("I", "II", "V"))
    assert len(occurrences) == 54
    assert len({i["id"] for i in occurrences}) == 47
    responsibilities = [r for s in model["sections"] for r in s["responsibilities"]]
    assert [r["code"] for r in responsibilities] == ["IV.1", "IV.2", "IV.3", "IV.4"]
    assert all(m["editorial"] is True for r in responsibilities for m in r["support"])
    assert responsibilities[0]["supported_by"][:2] == ["compares-bill-to-previous-usage", "explains-customer-bills"]


def test_json_foundational_items_are_competencies_with_their_group(csr: Model) -> None:
    data = export_data([csr])
    foundational = next(s for s in data["models"][0]["sections"] if s["code"] == "III")
    assert foundational["kind"] == "foundational"
    assert len(foundational["competencies"]) == 9
    assert all(c["group"] is not None for c in foundational["competencies"])
    first = foundational["competencies"][0]
    assert (first["id"], first["code"], first["reused"], first["original_code"]) == (
        "computer-skills",
        "III.1.a",
        True,
        "I.1",
    )
    assert first["group"] == {
        "id": "technical-foundational",
        "code": "III.1",
        "title": "Technical Foundational Competencies",
    }
    listening = next(c for c in foundational["competencies"] if c["id"] == "listening")
    assert listening["code"] == "III.2.c" and listening["description"].startswith("Attending carefully")


def test_json_reused_indicator_keeps_its_id_and_names_its_definition(csr: Model) -> None:
    data = export_data([csr])
    by_code = {i["code"]: i for i in indicator_entries(data, ("II", "V"))}
    assert by_code["V.1.a"]["id"] == by_code["II.4.a"]["id"] == "shows-sensitivity-to-others-needs"
    assert by_code["V.1.a"]["url"] == by_code["II.4.a"]["url"]
    assert (by_code["V.1.a"]["reused"], by_code["V.1.a"]["original_code"]) == (True, "II.4.a")
    assert by_code["II.4.a"]["reused"] is False and "original_code" not in by_code["II.4.a"]
    assert by_code["V.3.a"]["reused"] is False  # Conscientiousness is defined in section V


def test_json_of_a_variant_records_its_utility(csr: Model) -> None:
    data = export_data([as_variant(csr, "millbrook")])
    validator("competency-export.schema.json").validate(data)
    assert data["models"][0]["utility"] == "millbrook"


# -- CSV ------------------------------------------------------------------------------------------------


def test_csv_has_a_row_per_indicator_occurrence_with_bom_and_crlf(csr: Model) -> None:
    text = export_csv([csr])
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    assert data.count(b"\r\n") == 55 and b"\n" not in data.replace(b"\r\n", b"")  # header + 54 rows
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert len(rows) == 54
    assert Counter(r["section_code"] for r in rows) == {"I": 9, "II": 24, "V": 21}
    assert len({r["indicator_id"] for r in rows}) == 47
    row = next(r for r in rows if r["indicator_id"] == "compares-bill-to-previous-usage")
    assert "customer’s previous usage" in row["indicator_text"]  # curly quote kept
    assert row["url"] == "customer-service-representative/indicators/compares-bill-to-previous-usage.html"
    assert (row["competency_code"], row["competency_title"], row["indicator_code"]) == (
        "I.2",
        "Billing Systems and Procedures",
        "I.2.c",
    )
    reused = next(r for r in rows if r["indicator_code"] == "V.2.a")
    assert (reused["indicator_id"], reused["original_code"]) == ("views-from-customer-perspective", "II.3.a")
    assert {r["utility"] for r in rows} == {""}


def test_csv_of_a_variant_records_its_utility(csr: Model) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv([as_variant(csr, "millbrook")])[1:], newline="")))
    assert {r["utility"] for r in rows} == {"millbrook"}


# -- CASE -----------------------------------------------------------------------------------------------


def test_case_package_validates_against_the_case_schema(csr: Model) -> None:
    package = export_case(csr, changed=CHANGED)
    validator("case-v1p1-cfpackage-schema.json").validate(package)
    document, items, associations = package["CFDocument"], package["CFItems"], package["CFAssociations"]
    assert document["caseVersion"] == "1.1" and document["lastChangeDateTime"] == "2024-05-01T12:00:00Z"
    identifiers = [document["identifier"], *(i["identifier"] for i in items), *(a["identifier"] for a in associations)]
    assert len(identifiers) == len(set(identifiers))
    types = Counter(i["CFItemType"] for i in items)
    assert types == {
        "Section": 5,
        "Competency group": 2,
        "Competency": 21,
        "Behavioural indicator": 54,
        "Responsibility": 4,
    }
    kinds = Counter(a["associationType"] for a in associations)
    assert kinds == {"isChildOf": len(items), "exactMatchOf": 10, "isRelatedTo": 17}
    codes = {i["humanCodingScheme"] for i in items}
    assert {"I", "II.1.b", "III.1", "III.1.a", "IV.2", "V.1.c"} <= codes


def test_case_hierarchy_and_reuse_are_associations(csr: Model) -> None:
    package = export_case(csr, changed=CHANGED)
    by_code = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    links = {
        (a["originNodeURI"]["identifier"], a["associationType"]): a["destinationNodeURI"]["identifier"]
        for a in package["CFAssociations"]
        if a["associationType"] != "isRelatedTo"
    }
    assert links[(by_code["II.4.a"]["identifier"], "isChildOf")] == by_code["II.4"]["identifier"]
    assert links[(by_code["V.1.a"]["identifier"], "isChildOf")] == by_code["V.1"]["identifier"]
    assert links[(by_code["V.1.a"]["identifier"], "exactMatchOf")] == by_code["II.4.a"]["identifier"]
    assert links[(by_code["III.1.a"]["identifier"], "exactMatchOf")] == by_code["I.1"]["identifier"]
    assert links[(by_code["III.1.a"]["identifier"], "isChildOf")] == by_code["III.1"]["identifier"]
    assert links[(by_code["I"]["identifier"], "isChildOf")] == package["CFDocument"]["identifier"]
    assert by_code["II.1.b"]["identifier"] == case_identifier(csr, "explains-bill-calculation")
    support = [
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isRelatedTo" and a["originNodeURI"]["identifier"] == by_code["IV.1"]["identifier"]
    ]
    assert len(support) == 5 and all("editorial" in a["notes"] for a in support)


def test_case_identifiers_are_stable_across_exports_and_differ_per_utility(csr: Model) -> None:
    first = export_case(load_model(CSR), changed=CHANGED)
    second = export_case(load_model(CSR), changed=datetime(2030, 1, 1, tzinfo=UTC))

    def identifiers(package: dict) -> list[str]:
        return [
            package["CFDocument"]["identifier"],
            *(i["identifier"] for i in package["CFItems"]),
            *(a["identifier"] for a in package["CFAssociations"]),
        ]

    assert identifiers(first) == identifiers(second)
    variant = export_case(as_variant(csr, "millbrook"), changed=CHANGED)
    validator("case-v1p1-cfpackage-schema.json").validate(variant)
    assert not set(identifiers(variant)) & set(identifiers(first))
    assert variant["CFDocument"]["extensions"]["utility"] == "millbrook"
    assert "millbrook" in variant["CFDocument"]["title"]


def test_case_uris_are_pages_when_the_site_address_is_known(csr: Model) -> None:
    package = export_case(csr, changed=CHANGED, base_url="https://intranet.example/competencies/")
    validator("case-v1p1-cfpackage-schema.json").validate(package)
    by_code = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    assert by_code["II.1.b"]["uri"] == (
        "https://intranet.example/competencies/customer-service-representative/"
        "indicators/explains-bill-calculation.html"
    )
    assert by_code["V.1.a"]["uri"].startswith("urn:uuid:")  # a repeated position is not the page's record


def test_case_schema_copy_equals_the_shared_schema() -> None:
    copy = SCHEMAS / "case-v1p1-cfpackage-schema.json"
    if SHARED_CASE_SCHEMA.is_file():  # beside the clone in CI and on developer machines
        assert copy.read_bytes() == SHARED_CASE_SCHEMA.read_bytes()
    schema = json.loads(copy.read_text(encoding="utf-8"))
    # The published file names the 2020-12 metaschema by an http:// address jsonschema does not know
    # (its own is https://): checked against that draft by name, as the exports are validated.
    assert schema["$schema"].removeprefix("http://") == Draft202012Validator.META_SCHEMA["$schema"].removeprefix(
        "https://"
    )
    Draft202012Validator.check_schema(schema)  # a usable schema either way


def test_last_change_comes_from_source_date_epoch(csr: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert last_change(csr) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert render("case", [csr]) == render("case", [csr])
    assert '"lastChangeDateTime": "2023-11-14T22:13:20Z"' in render("case", [csr])


# -- command line -----------------------------------------------------------------------------------------


def test_cli_exports_each_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    src = REPO / "tests" / "roots" / "test-two-models" / "competency_src"
    assert main(["export", "--format", "json", "--src", str(src), "-o", str(tmp_path / "all.json")]) == 0
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    validator("competency-export.schema.json").validate(data)
    assert len(data["models"]) == 2
    assert main(["export", "--format", "csv", "--src", str(src), "-o", str(tmp_path / "all.csv")]) == 0
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["export", "--format", "case", "--src", str(src)]) == 2  # two models, one package
    assert "one model" in capsys.readouterr().err
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", "--format", "case", "--src", str(src), "-o", str(folder)]) == 0
    for path in sorted(folder.iterdir()):
        assert path.name.endswith(".case.json")
        validator("case-v1p1-cfpackage-schema.json").validate(json.loads(path.read_text(encoding="utf-8")))
    model_id = sorted(folder.iterdir())[0].name.removesuffix(".case.json")
    capsys.readouterr()
    assert main(["export", "--format", "case", "--src", str(src), "--model", model_id]) == 0
    assert json.loads(capsys.readouterr().out)["CFDocument"]["extensions"]["modelId"] == model_id


def test_cli_utility_option_exports_the_variant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import competency.sources.variants as variants

    def fake_site_for_utility(site, utility):  # the lead's function, faked: every model marked as the variant
        return replace(site, models={k: as_variant(m, utility) for k, m in site.models.items()})

    monkeypatch.setattr(variants, "site_for_utility", fake_site_for_utility)
    out = tmp_path / "variant.json"
    src = REPO / "tests" / "roots" / "test-basic" / "competency_src"
    assert main(["export", "--utility", "millbrook", "--src", str(src), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["models"][0]["utility"] == "millbrook"


# -- the site publishes them --------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_every_exported_url_exists_in_the_built_site(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    data = json.loads((out / "_exports" / "meter-reader.json").read_text(encoding="utf-8"))
    validator("competency-export.schema.json").validate(data)
    urls = set()
    for model in data["models"]:
        urls.add(model["url"])
        for section in model["sections"]:
            urls.add(section["url"])
            for competency in section["competencies"]:
                urls.add(competency["url"])
                urls.update(i["url"] for i in competency["indicators"])
            for responsibility in section["responsibilities"]:
                urls.add(responsibility["url"])
                urls.update(s["url"] for s in responsibility["support"])
    assert len(urls) == 1 + 5 + 5 + 5 + 2  # model, sections, competencies, indicators, responsibilities
    missing = [u for u in sorted(urls) if not (out / u).is_file()]
    assert missing == []
    rows = list(csv.DictReader(io.StringIO((out / "_exports" / "meter-reader.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all((out / r["url"]).is_file() for r in rows)
    package = json.loads((out / "_exports" / "meter-reader.case.json").read_text(encoding="utf-8"))
    validator("case-v1p1-cfpackage-schema.json").validate(package)
    assert all((out / i["extensions"]["url"]).is_file() for i in package["CFItems"] if i["extensions"]["url"])


@pytest.mark.sphinx("html", testroot="exports", freshenv=True)
def test_downloads_directive_links_each_export_relative_to_the_page(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    home = (out / "index.html").read_text(encoding="utf-8")
    nested = (out / "guide" / "downloads.html").read_text(encoding="utf-8")
    for name in ("meter-reader.json", "meter-reader.csv", "meter-reader.case.json"):
        assert f'href="_exports/{name}"' in home
        assert f'href="../_exports/{name}"' in nested
        assert (out / "_exports" / name).is_file()
    assert "CASE 1.1" in home


def test_exports_are_written_deterministically(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outputs = []
    for name in ("one", "two"):
        srcdir = tmp_path / name
        copy_root("exports", srcdir)
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
        outputs.append({p.name: p.read_bytes() for p in sorted((Path(app.outdir) / "_exports").iterdir())})
        app.cleanup()
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 3


def test_no_exports_for_other_builders_or_failed_builds(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
    srcdir = tmp_path / "text"
    copy_root("exports", srcdir)
    app = make_app("text", srcdir=srcdir, freshenv=True)
    app.build()
    assert not (Path(app.outdir) / "_exports").exists()
    app.cleanup()

    srcdir = tmp_path / "failing"
    copy_root("exports", srcdir)
    with (srcdir / "index.md").open("a", encoding="utf-8") as stream:
        stream.write("\nA broken link: {comp:indicator}`no-such-indicator`.\n")
    app = make_app("html", srcdir=srcdir, freshenv=True, warningiserror=True)
    app.build()  # Sphinx 9 keeps going and fails after build-finished: no exports then either
    assert "no-such-indicator" in app.warning.getvalue()
    assert not (Path(app.outdir) / "_exports").exists()


def test_exports_are_rendered_again_only_when_a_source_changed(make_app, tmp_path: Path) -> None:
    import os

    srcdir = tmp_path / "src"
    copy_root("basic", srcdir)
    first = make_app("html", srcdir=srcdir, freshenv=True)
    first.build()
    first.cleanup()
    export = Path(first.outdir) / "_exports" / "meter-reader.json"
    written = export.stat().st_mtime_ns
    os.utime(export, ns=(written - 10**9, written - 10**9))  # so that any rewrite shows
    second = make_app("html", srcdir=srcdir)
    second.build()
    second.cleanup()
    assert export.stat().st_mtime_ns == written - 10**9  # nothing changed: not even rendered
    model = srcdir / "competency_src" / "meter-reader.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace(
            "Reports hazards to the supervisor", "Reports hazards to the foreman"
        ),
        encoding="utf-8",
    )
    later = model.stat().st_mtime_ns + 5 * 10**9
    os.utime(model, ns=(later, later))
    third = make_app("html", srcdir=srcdir)
    third.build()
    assert "Reports hazards to the foreman" in export.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_a_spreadsheet_would_evaluate_stay_text(csr: Model, text: str) -> None:
    target = "compares-bill-to-previous-usage"
    hostile = replace(csr, indicators={**csr.indicators, target: replace(csr.indicators[target], text=text)})
    rows = list(csv.DictReader(io.StringIO(export_csv([hostile])[1:], newline="")))
    shown = next(r for r in rows if r["indicator_id"] == target)["indicator_text"]
    assert shown == "'" + plain_text(text)
    assert all(not value.startswith(FORMULA_STARTS) for row in rows for value in row.values())


def test_exports_follow_the_tags_the_site_is_built_with(make_app, tmp_path: Path) -> None:
    """`only:` expressions make the tags part of what the exports are made of, like the source files."""
    srcdir = copy_root("basic", tmp_path / "src")
    model = srcdir / "competency_src" / "meter-reader.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace(
            "text: Reports hazards to the supervisor",
            "text: Reports hazards to the supervisor\n            only: not summary",
        ),
        encoding="utf-8",
    )
    export = Path(srcdir / "_build" / "html" / "_exports" / "meter-reader.json")
    for tags, shown in (([], True), (["summary"], False), ([], True)):
        app = make_app("html", srcdir=srcdir, tags=tags)
        app.build()
        app.cleanup()
        assert ("reports-hazards" in export.read_text(encoding="utf-8")) is shown, tags


def test_an_edit_renders_again_only_the_edited_models_exports(make_app, tmp_path: Path) -> None:
    import os

    srcdir = copy_root("two-models", tmp_path / "src")
    first = make_app("html", srcdir=srcdir, freshenv=True)
    first.build()
    first.cleanup()
    exports = Path(first.outdir) / "_exports"
    files = sorted(exports.iterdir())
    for path in files:
        os.utime(path, ns=(10**9, 10**9))  # so that any rewrite shows
    model = srcdir / "competency_src" / "meter-reader.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("Reports hazards to the supervisor", "Reports hazards at once"),
        encoding="utf-8",
    )
    later = model.stat().st_mtime_ns + 5 * 10**9
    os.utime(model, ns=(later, later))
    second = make_app("html", srcdir=srcdir)
    second.build()
    rewritten = sorted(p.name for p in files if p.stat().st_mtime_ns != 10**9)
    assert rewritten == ["meter-reader.case.json", "meter-reader.csv", "meter-reader.json"]
    assert "Reports hazards at once" in (exports / "meter-reader.json").read_text(encoding="utf-8")


def test_an_export_that_cannot_be_written_names_its_file_and_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    (target / "in-the-way").mkdir(parents=True)  # a folder stands where the export goes
    with pytest.raises(OSError) as caught:
        write_bytes(target, b"{}")
    assert caught.value.filename == str(target)  # not the hidden .partial file written first
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
