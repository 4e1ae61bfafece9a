"""The HR forms: the rating scale and anchors as data (located errors), the form pages, the exports."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import jsonschema
import pytest

from competency.exports.case import export_case
from competency.exports.json import export_data
from competency.sources.problems import SourceError
from competency.sources.scales import SCALE_FILE, load_scale
from competency.sources.site import load_site

from .conftest import REPO
from .helpers import copy_root, page_text

SCALE = REPO / "competency_src" / "hr" / "rating-scale.yaml"
CASE_SCHEMA = (
    REPO / "ext" / "competency" / "schemas" / "case-v1p1-cfpackage-schema.json"
)  # equals shared/ (test_exports)
FORMS = ("appraisal", "self-assessment", "interview", "posting")


def _source(tmp_path: Path, scale: str | None = SCALE.read_text(encoding="utf-8"), model_edit=None) -> Path:
    """A copy of the basic root with a scale (or none) and the meter reader model, edited."""
    root = tmp_path / "src"
    copy_root("basic", root)
    source = root / "competency_src"
    if scale is not None:
        (source / SCALE_FILE).parent.mkdir()
        (source / SCALE_FILE).write_text(scale, encoding="utf-8")
    if model_edit:
        model = source / "meter-reader.yaml"
        model.write_text(model_edit(model.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def _anchors(text: str, extra: str) -> str:
    old = "        title: Meter Reading\n"
    assert old in text
    return text.replace(old, old + extra)


def _problems(root: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_site(root / "competency_src")
    return [str(p) for p in caught.value.problems]


def test_the_real_scale_is_editorial_with_levels_in_order() -> None:
    scale = load_scale(REPO / "competency_src")
    assert scale is not None and scale.editorial
    assert [v.id for v in scale.levels] == ["not-yet", "developing", "proficient", "role-model"]
    assert scale.position(scale.expected) == 2


def test_anchors_and_questions_are_read_from_the_model(tmp_path: Path) -> None:
    extra = (
        "        anchors:\n          proficient: Reads every meter on the route right.\n"
        "        interview_questions:\n          - How do you read a meter that is hard to reach?\n"
    )
    root = _source(tmp_path, model_edit=lambda t: _anchors(t, extra))
    model = load_site(root / "competency_src").models["meter-reader"]
    assert model.rating.anchors == {"meter-reading": {"proficient": "Reads every meter on the route right."}}
    assert model.rating.questions == {"meter-reading": ("How do you read a meter that is hard to reach?",)}


def test_an_anchor_for_an_unknown_level_is_located_with_the_closest_level(tmp_path: Path) -> None:
    extra = "        anchors:\n          proficent: Reads every meter right.\n"
    root = _source(tmp_path, model_edit=lambda t: _anchors(t, extra))
    (problem,) = _problems(root)
    line = next(
        n
        for n, t in enumerate((root / "competency_src/meter-reader.yaml").read_text().splitlines(), 1)
        if "proficent" in t
    )
    assert f"meter-reader.yaml:{line}:11: error: unknown level 'proficent' in anchors" in problem
    assert "did you mean 'proficient'" in problem


def test_anchors_without_a_scale_say_where_the_scale_goes(tmp_path: Path) -> None:
    extra = "        anchors:\n          proficient: Reads every meter right.\n"
    root = _source(tmp_path, scale=None, model_edit=lambda t: _anchors(t, extra))
    (problem,) = _problems(root)
    assert "anchors need a rating scale, and this site has none" in problem
    assert "hr/rating-scale.yaml" in problem


def test_an_empty_interview_question_is_located(tmp_path: Path) -> None:
    extra = '        interview_questions:\n          - " "\n'
    root = _source(tmp_path, model_edit=lambda t: _anchors(t, extra))
    (problem,) = _problems(root)
    assert "meter-reader.yaml:" in problem and "is empty" in problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("expected: proficient", "expected: expert"), "rating-scale.yaml:11:11: error: unknown level 'expert'"),
        (("  - id: developing", "  - id: not-yet"), "the level id 'not-yet' is already used by level 1"),
        (("title: Proficiency", "title: Proficiency\ncolour: blue"), "unknown key 'colour' in model"),
        (("    label: Role model", "    label: A label far longer than any column heading"), "is too long"),
    ],
)
def test_a_bad_scale_is_located(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = SCALE.read_text(encoding="utf-8")
    assert change[0] in text
    root = _source(tmp_path, scale=text.replace(change[0], change[1], 1))
    problems = _problems(root)
    assert any(message in p and "rating-scale.yaml:" in p for p in problems), problems


def test_the_exports_carry_the_scale_and_a_valid_case_rubric(tmp_path: Path) -> None:
    extra = "        anchors:\n          proficient: Reads every meter on the route right.\n"
    root = _source(tmp_path, model_edit=lambda t: _anchors(t, extra))
    model = load_site(root / "competency_src").models["meter-reader"]
    data = export_data([model])
    schema = json.loads((REPO / "ext/competency/schemas/competency-export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    exported = data["models"][0]
    assert exported["rating_scale"]["expected"] == "proficient" and exported["rating_scale"]["editorial"] is True
    competency = exported["sections"][0]["competencies"][0]
    assert competency["anchors"] == {"proficient": "Reads every meter on the route right."}
    from datetime import UTC, datetime

    package = export_case(model, changed=datetime(2024, 1, 1, tzinfo=UTC))
    jsonschema.Draft202012Validator(json.loads(CASE_SCHEMA.read_text(encoding="utf-8"))).validate(package)
    (rubric,) = package["CFRubrics"]
    criterion = rubric["CFRubricCriteria"][0]
    item = next(i for i in package["CFItems"] if i["identifier"] == criterion["CFItemURI"]["identifier"])
    assert item["extensions"]["id"] == "meter-reading"
    levels = {level["quality"]: level["description"] for level in criterion["CFRubricCriterionLevels"]}
    assert levels["Proficient"] == "Reads every meter on the route right."  # the anchor
    assert levels["Not yet"].startswith("Does not yet show the behaviour")  # the scale's own line
    assert "written by the site's maintainers" in rubric["description"]


def test_without_a_scale_the_exports_say_so(tmp_path: Path) -> None:
    model = load_site(_source(tmp_path, scale=None) / "competency_src").models["meter-reader"]
    assert export_data([model])["models"][0]["rating_scale"] is None
    from datetime import UTC, datetime

    assert "CFRubrics" not in export_case(model, changed=datetime(2024, 1, 1, tzinfo=UTC))


def test_form_pages_are_built_and_linked(make_app, tmp_path: Path) -> None:
    root = _source(tmp_path)
    app = make_app("html", srcdir=root, freshenv=True)
    app.build()
    out = Path(app.outdir)
    model_page = (out / "meter-reader/index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    for kind in FORMS:
        assert (out / f"meter-reader/{kind}.html").is_file()
        assert f'href="{kind}.html"' in model_page
    appraisal = page_text(out / "meter-reader/appraisal.html")
    assert "Meter Reader: appraisal form" in appraisal
    assert "The rating scale is written by the site's maintainers" in appraisal
    for label in ("Employee", "Reviewer", "Review period", "Evidence and comments", "Signatures", "Role model"):
        assert label in appraisal
    assert "Reports hazards to the supervisor" in appraisal
    assert "rated at II.1.b" in appraisal  # the indicator section V repeats
    # each row of a rating table: a box under each level, none where the indicator is rated elsewhere
    markup = (out / "meter-reader/appraisal.html").read_text(encoding="utf-8")
    tables = re.findall(r'<table class="comp-form-table comp-form-rating[^"]*">(.*?)</table>', markup, re.S)
    assert tables
    for table in tables:
        head, body = table.split("<tbody>")
        levels = head.count('<th class="head">') - (2 if "<p>Code</p>" in head else 1)
        rows = re.findall(r"<tr class=\"row-(?:odd|even)\">(.*?)</tr>", body, re.S)
        assert levels == 4 and rows
        for row in rows:
            boxes = row.count('<td><span class="comp-box"></span></td>\n')
            assert boxes == (0 if "rated at" in row else levels), row
            assert row.count("<td") == levels + (2 if "<p>Code</p>" in head else 1), row
    sa = (out / "meter-reader/self-assessment.html").read_text(encoding="utf-8")
    assert '<fieldset class="comp-sa-item" data-sa-item="reports-hazards"' in sa
    assert 'name="comp-sa-reports-hazards" value="proficient"' in sa
    assert "This site has no family of jobs" in sa
    checksum = f"{zlib.crc32((out / '_static/comp-forms.js').read_bytes()):08x}"  # of the file published
    assert f'<script src="../_static/comp-forms.js?v={checksum}"></script>' in sa
    assert not app.warning.getvalue()
    assert "HR forms" in page_text(out / "index.html") and "meter-reader/appraisal.html" in home


def test_without_a_scale_the_forms_ask_for_a_rating_in_words(make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_source(tmp_path, scale=None), freshenv=True)
    app.build()
    appraisal = page_text(Path(app.outdir) / "meter-reader/appraisal.html")
    assert "This site has no rating scale: write a rating in words" in appraisal
    sa = (Path(app.outdir) / "meter-reader/self-assessment.html").read_text(encoding="utf-8")
    assert 'data-sa-rating-text="reports-hazards"' in sa and 'type="radio"' not in sa


@pytest.mark.sphinx("html", testroot="family", freshenv=True)
def test_a_family_self_assessment_offers_the_other_jobs(app) -> None:
    app.build()
    out = Path(app.outdir)
    page = next(out.glob("*/self-assessment.html")).read_text(encoding="utf-8")
    assert '<select id="comp-sa-target">' in page and "../shared/family-data.js" in page
    assert (out / "shared/family-data.js").is_file()
