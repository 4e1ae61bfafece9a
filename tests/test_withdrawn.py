"""Removed is not missing: withdrawal records, their pages in every variant, and the check against HEAD."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from sphinx.testing.util import SphinxTestApp

from competency.changes.diff import diff_sites, diff_text
from competency.cli import main
from competency.exports.json import export_data
from competency.sources import source_cache, withdrawals
from competency.sources.problems import SourceError
from competency.sources.schema import load_schema
from competency.sources.site import load_site
from competency.sources.source_cache import load_site_cached
from competency.sources.withdrawals import vanished_ids

from .conftest import REPO
from .helpers import copy_root, load_inventory, page_text

ROOT = REPO / "tests" / "roots" / "test-withdrawn"
MODEL = "plant-operator"
PAPER = f"{MODEL}/indicators/logs-readings-on-paper"


def _searchable(out: Path, word: str) -> set[str]:
    """Documents the search index finds a (stemmed) word in."""
    raw = (out / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    found: list[int] = []
    for table in ("terms", "titleterms"):
        hits = index[table].get(word, [])
        found += hits if isinstance(hits, list) else [hits]
    return {index["docnames"][n] for n in found}


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    target = tmp_path / "src"
    copy_root("withdrawn", target)
    return target


def _build(make_app: Callable[..., SphinxTestApp], srcdir: Path, *tags: str) -> Path:
    app = make_app(
        "html", srcdir=srcdir, builddir=srcdir / "_build" / (tags[0] if tags else "generic"), tags=list(tags)
    )
    app.build()
    assert app.warning.getvalue() == ""
    app.cleanup()
    return Path(app.outdir)


# -- the withdrawal page ---------------------------------------------------------------------------------


def test_a_withdrawn_items_url_shows_its_withdrawal(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = _build(make_app, srcdir)
    text = page_text(out / f"{PAPER}.html")
    assert "Withdrawn: Logs readings on the paper chart <script>alert(1)</script>" in text
    assert "This indicator was withdrawn from the Plant Operator model (2025-03-01)." in text
    assert "Paper logs ended with the new data system & its <b>tablets</b>." in text
    assert "Its last wording Logs readings on the paper chart" in text
    assert "It is replaced by the indicator I.1.a Logs every reading in the plant's data system ." in text
    html = (out / f"{PAPER}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>tablets" not in html  # text from YAML is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<em>paper</em>" in html
    assert 'href="logs-readings-electronically.html"' in html
    # Every kind of item, and a former id of a withdrawn item, still answers.
    assert "Withdrawn: Chart Recorders" in page_text(out / MODEL / "competencies" / "chart-recorders.html")
    assert "Winds the chart recorder clock" in page_text(out / MODEL / "responsibilities" / "winds-the-clock.html")
    alias = (out / MODEL / "indicators" / "keeps-paper-log.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=logs-readings-on-paper.html"' in alias
    # A role naming the withdrawn id leads to the withdrawal page.
    assert f'href="{PAPER}.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_withdrawn_items_stay_out_of_navigation_and_search(
    make_app: Callable[..., SphinxTestApp], srcdir: Path
) -> None:
    out = _build(make_app, srcdir)
    for page in ("index.html", f"{MODEL}/index.html", f"{MODEL}/sections/technical.html", f"{MODEL}/matrix.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "logs-readings-on-paper" not in html.replace(f'href="{PAPER}.html"', "") or page == "index.html"
        assert "chart-recorders" not in html and "winds-the-clock" not in html
        assert "filter-attendant" not in html  # the withdrawn model is not in the catalogue
    assert "plant-operator/indicators/logs-readings-electronically" in _searchable(out, "data")
    assert not _searchable(out, "paper") & {PAPER, f"{MODEL}/indicators/keeps-paper-log"}
    assert not any(d.startswith("filter-attendant/") for d in _searchable(out, "backwash"))
    assert "Filter Backwash" not in (out / "comp-indicators.html").read_text(encoding="utf-8")
    assert "paper" not in (out / "comp-indicators.html").read_text(encoding="utf-8")


def test_withdrawn_items_stay_in_objects_inv_pointing_at_their_withdrawal_page(
    make_app: Callable[..., SphinxTestApp], srcdir: Path
) -> None:
    inventory = load_inventory(_build(make_app, srcdir) / "objects.inv")
    indicators = inventory["comp:indicator"]
    assert indicators[f"{MODEL}/logs-readings-on-paper"][2] == f"{PAPER}.html"
    assert indicators[f"{MODEL}/logs-readings-on-paper"][3].endswith("(withdrawn)")
    assert indicators[f"{MODEL}/keeps-paper-log"][2] == f"{PAPER}.html"  # a former id of it too
    assert inventory["comp:competency"][f"{MODEL}/chart-recorders"][2] == f"{MODEL}/competencies/chart-recorders.html"
    assert inventory["comp:model"]["filter-attendant"][2] == "filter-attendant/index.html"
    assert indicators["filter-attendant/starts-backwash-on-head-loss"][3].endswith("(withdrawn)")


def test_every_page_of_a_withdrawn_model_answers(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = _build(make_app, srcdir)
    index = page_text(out / "filter-attendant" / "index.html")
    assert "The Filter Attendant competency model was withdrawn (2024-12-31)." in index
    assert "It is replaced by the Plant Operator model." in index
    indicator = page_text(out / "filter-attendant" / "indicators" / "starts-backwash-on-head-loss.html")
    assert "was part of the Filter Attendant competency model, which was withdrawn (2024-12-31)" in indicator
    assert "Starts a backwash when head loss reaches the limit" in indicator
    for page in ("matrix", "profile", "variant", "sections/technical", "competencies/filter-backwash"):
        assert "Withdrawn:" in page_text(out / "filter-attendant" / f"{page}.html")
    old = (out / "filter-attendant" / "competencies" / "backwashing.html").read_text(encoding="utf-8")
    assert 'url=filter-backwash.html"' in old


def test_a_withdrawn_items_url_answers_in_every_variant(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = _build(make_app, srcdir, "eastside")
    text = page_text(out / f"{PAPER}.html")
    assert "This indicator was withdrawn from the Plant Operator model (2025-03-01)." in text
    # The replacement is left out by this utility: the link leads to its page, which says so.
    assert 'href="logs-readings-electronically.html"' in (out / f"{PAPER}.html").read_text(encoding="utf-8")
    assert "does not use this indicator" in page_text(out / MODEL / "indicators" / "logs-readings-electronically.html")
    assert "Withdrawn: Filter Attendant" in page_text(out / "filter-attendant" / "index.html")


def test_the_json_export_lists_withdrawn_items_and_fits_its_schema(srcdir: Path) -> None:
    site = load_site(srcdir / "competency_src")
    data = export_data(site.models.values())
    jsonschema.validate(data, load_schema("competency-export.schema.json"))
    withdrawn = {w["id"]: w for w in data["models"][0]["withdrawn"]}
    assert set(withdrawn) == {"logs-readings-on-paper", "chart-recorders", "winds-the-clock"}
    assert withdrawn["logs-readings-on-paper"]["replaced_by"] == "logs-readings-electronically"
    assert withdrawn["logs-readings-on-paper"]["url"] == f"{PAPER}.html"
    assert withdrawn["chart-recorders"]["wording"] == "Chart Recorders"


# -- bad records -------------------------------------------------------------------------------------------


def _problems(srcdir: Path, old: str, new: str, file: str = f"{MODEL}.yaml") -> list[str]:
    path = srcdir / "competency_src" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_site(srcdir / "competency_src")
    return [str(p) for p in caught.value.problems]


def _line(srcdir: Path, needle: str, file: str = f"{MODEL}.yaml") -> int:
    lines = (srcdir / "competency_src" / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(needle))


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "id: adjusts-chemical-dosing",
            "id: chart-recorders",
            "  - id: chart-recorders",
            "the withdrawn id 'chart-recorders' is also used on line 13 (the id of a withdrawn item stays reserved",
        ),
        (
            "aliases: [keeps-paper-log]",
            "aliases: [adjusts-chemical-dosing]",
            "    aliases: [adjusts",
            "the withdrawn id 'adjusts-chemical-dosing' is also used on line 13",
        ),
        (
            "    title: Chart Recorders\n",
            "    text: Chart Recorders\n",
            "    text: Chart Recorders",
            "a withdrawn competency gives its last title, not a text (write `title:`)",
        ),
        (
            "    text: Winds the chart recorder clock\n",
            "",
            "  - id: winds-the-clock",
            "the withdrawn responsibility 'winds-the-clock' has no text (add its last `text:`)",
        ),
        (
            "replaced_by: logs-readings-electronically",
            "replaced_by: logs-readings-electronicaly",
            "    replaced_by:",
            "unknown item 'logs-readings-electronicaly' (did you mean 'logs-readings-electronically'?)",
        ),
        (
            "replaced_by: logs-readings-electronically",
            "replaced_by: chart-recorders",
            "    replaced_by:",
            "'chart-recorders' is withdrawn too (name the item that replaces it now)",
        ),
        (
            "    since: v2.0\n  - id: winds",
            "    sinse: v2.0\n  - id: winds",
            "    sinse:",
            "unknown key 'sinse' in withdrawn item (did you mean 'since'?)",
        ),
        (
            "    kind: competency\n",
            "    kind: group\n",
            "    kind: group",
            "unknown kind 'group'",
        ),
    ],
)
def test_a_bad_withdrawal_record_is_a_located_error(
    srcdir: Path, old: str, new: str, needle: str, message: str
) -> None:
    problems = _problems(srcdir, old, new)
    path = srcdir / "competency_src" / f"{MODEL}.yaml"
    line = _line(srcdir, needle)
    assert any(p.startswith(f"{path}:{line}:") and message in p for p in problems), problems


def test_a_withdrawal_record_belongs_to_a_withdrawn_model_file(srcdir: Path) -> None:
    problems = _problems(srcdir, "withdrawal:\n", "not_withdrawal:\n", "withdrawn/filter-attendant.yaml")
    assert any("unknown key 'not_withdrawal'" in p for p in problems), problems
    folder = srcdir / "competency_src"
    (folder / "withdrawn" / "filter-attendant.yaml").write_text(
        (ROOT / "competency_src" / "withdrawn" / "filter-attendant.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    problems = _problems(srcdir, "title: Plant Operator\n", 'title: Plant Operator\nwithdrawal: {since: "2025"}\n')
    assert any(
        f"{MODEL}.yaml:3:" in p and "has a `withdrawal:` record but is still published" in p for p in problems
    ), problems


def test_a_withdrawn_model_file_needs_its_withdrawal_and_a_known_replacement(srcdir: Path) -> None:
    file = "withdrawn/filter-attendant.yaml"
    problems = _problems(srcdir, "replaced_by: plant-operator", "replaced_by: plant-operrator", file)
    assert any(
        "names an unknown model 'plant-operrator'" in p and "did you mean 'plant-operator'" in p for p in problems
    )
    path = srcdir / "competency_src" / file
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"withdrawal:\n(  .*\n)+", "", text), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_site(srcdir / "competency_src")
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:1: error: the withdrawn model 'filter-attendant' has no `withdrawal:` record "
        '(add `withdrawal: {since: "YYYY-MM-DD", note: "why"}` at the top level)'
    ]


def test_a_utility_may_not_add_an_item_under_a_withdrawn_id(srcdir: Path) -> None:
    overlay = srcdir / "competency_src" / "utilities" / "eastside.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8")
        + "    add:\n      - indicator:\n          id: logs-readings-on-paper\n          text: Logs on paper\n"
        "        in: process-control\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        load_site(srcdir / "competency_src")
    assert any(
        "the added id 'logs-readings-on-paper' is the id of an item withdrawn" in str(p) and ":7:" in str(p)
        for p in caught.value.problems
    ), caught.value.problems


# -- the check against the last commit ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *identity, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(srcdir: Path) -> Path:
    """The test root committed in a scratch repository."""
    git(srcdir, "init", "-q")
    git(srcdir, "add", "-A")
    git(srcdir, "commit", "-q", "-m", "first")
    return srcdir


def _edit(repo: Path, old: str, new: str) -> Path:
    path = repo / "competency_src" / f"{MODEL}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


WINDS_RECORD = (
    "  - id: winds-the-clock\n    kind: responsibility\n    text: Winds the chart recorder clock\n    since: v2.0\n"
)
DOSING = "          - id: adjusts-chemical-dosing\n            text: Adjusts chemical dosing from test results\n"


def test_check_refuses_an_id_that_vanished_and_names_the_entry_to_add(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(repo / "competency_src")]) == 0
    path = _edit(repo, DOSING, "")
    assert main(["check", str(repo / "competency_src")]) == 1
    err = capsys.readouterr().err
    line = _line(repo, "withdrawn:")
    assert f"{path}:{line}:1: error: the indicator 'adjusts-chemical-dosing' (HEAD:competency_src/{MODEL}.yaml, " in err
    entry = re.search(r"add to `withdrawn:` the entry - (\{.*\})\)$", err, re.M)
    assert entry, err
    assert entry.group(1).startswith(
        '{id: adjusts-chemical-dosing, kind: indicator, text: "Adjusts chemical dosing from test results", since: "'
    )
    # The entry as printed, added to the list, is accepted.
    _edit(repo, "withdrawn:\n", f"withdrawn:\n  - {entry.group(1)}\n")
    assert main(["check", str(repo / "competency_src")]) == 0
    assert "no problems found" in capsys.readouterr().err


def test_an_id_that_became_an_alias_is_not_vanished(repo: Path) -> None:
    _edit(repo, DOSING, "")
    _edit(
        repo,
        "text: Logs every reading in the plant's data system\n",
        "text: Logs every reading\n            aliases: [adjusts-chemical-dosing]\n",
    )
    assert vanished_ids(load_site(repo / "competency_src")) == []
    assert main(["check", str(repo / "competency_src")]) == 0


def test_a_lost_alias_or_a_dropped_record_is_refused(repo: Path) -> None:
    _edit(repo, "    aliases: [keeps-paper-log]\n", "")
    _edit(
        repo,
        "  - id: winds-the-clock\n    kind: responsibility\n    text: Winds the chart recorder clock\n"
        "    since: v2.0\n",
        "",
    )
    messages = [p.message + " " + p.hint for p in vanished_ids(load_site(repo / "competency_src"))]
    assert len(messages) == 2, messages
    assert "the former id 'keeps-paper-log' of 'logs-readings-on-paper'" in messages[0]
    assert "add 'keeps-paper-log' back to the aliases" in messages[0]
    assert "the withdrawal record of the responsibility 'winds-the-clock'" in messages[1]
    assert (
        '- {id: winds-the-clock, kind: responsibility, text: "Winds the chart recorder clock", since: "v2.0"}'
        in (messages[1])
    )


def test_a_model_removed_without_a_record_is_refused(repo: Path) -> None:
    (repo / "competency_src" / "withdrawn" / "filter-attendant.yaml").unlink()
    problems = vanished_ids(load_site(repo / "competency_src"))
    assert [p.message for p in problems] == [
        "the withdrawn model 'filter-attendant' (HEAD:competency_src/withdrawn/filter-attendant.yaml) is gone: "
        "its URLs would break"
    ]
    shutil.copy(repo / "competency_src" / f"{MODEL}.yaml", repo / "competency_src" / "pump-operator.yaml")
    _edit(repo, "id: plant-operator\n", "id: plant-operator\naliases: [filter-attendant]\n")
    pump = repo / "competency_src" / "pump-operator.yaml"
    pump.write_text(pump.read_text(encoding="utf-8").replace("id: plant-operator", "id: pump-operator"), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a second model; the withdrawn one renamed")
    assert vanished_ids(load_site(repo / "competency_src")) == []
    pump.unlink()
    problems = vanished_ids(load_site(repo / "competency_src"))
    assert (
        len(problems) == 1 and problems[0].location.path == repo / "competency_src" / "withdrawn" / "pump-operator.yaml"
    )
    assert "the model 'pump-operator' (HEAD:competency_src/pump-operator.yaml) is gone without a withdrawal record" in (
        problems[0].message
    )
    assert "git show HEAD:competency_src/pump-operator.yaml >" in problems[0].hint
    assert '`withdrawal: {since: "' in problems[0].hint


def test_outside_git_or_for_a_new_file_there_is_nothing_to_compare(srcdir: Path, repo: Path) -> None:
    (repo / "competency_src" / "pump-operator.yaml").write_text(
        (repo / "competency_src" / f"{MODEL}.yaml").read_text(encoding="utf-8").replace(MODEL, "pump-operator"), "utf-8"
    )
    assert vanished_ids(load_site(repo / "competency_src")) == []  # a new file: not in the last commit
    shutil.rmtree(repo / ".git")
    _edit(repo, DOSING, "")
    assert vanished_ids(load_site(repo / "competency_src")) == []  # no repository


def test_the_build_parses_a_committed_model_once_while_its_file_is_edited(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    read = withdrawals.read_yaml
    monkeypatch.setattr(withdrawals, "read_yaml", lambda path: parsed.append(path.name) or read(path))
    cache = tmp_path / "cache.pickle"
    _edit(repo, "text: Logs every reading in the plant's data system\n", "text: Logs each reading\n")
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert parsed == [f"{MODEL}.yaml"]  # the committed file, read from git
    _edit(repo, "text: Logs each reading\n", "text: Logs every reading\n")
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert parsed == [f"{MODEL}.yaml"]  # the same commit: its parse is kept
    path = _edit(repo, DOSING, "")  # and still checked against: the vanished id is refused
    with pytest.raises(SourceError) as refused:
        load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert [p.location.path for p in refused.value.problems] == [path]
    assert "'adjusts-chemical-dosing'" in refused.value.problems[0].message
    assert parsed == [f"{MODEL}.yaml"]
    git(repo, "commit", "-q", "-am", "another commit")  # a new blob: parsed from git again
    _edit(repo, "text: Logs every reading\n", "text: Logs each reading\n")
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert parsed == [f"{MODEL}.yaml", f"{MODEL}.yaml"]


def test_a_committed_models_parse_is_kept_across_a_build_that_does_not_read_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    read = withdrawals.read_yaml
    monkeypatch.setattr(withdrawals, "read_yaml", lambda path: parsed.append(path.name) or read(path))
    cache = tmp_path / "cache.pickle"
    edit = ("text: Logs every reading in the plant's data system\n", "text: Logs each reading\n")
    _edit(repo, *edit)
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    _edit(repo, *reversed(edit))  # undone: the file is the committed one, which is not read
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    _edit(repo, *edit)  # edited again: the committed file's parse is still kept
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert parsed == [f"{MODEL}.yaml"]

    def kept_blobs() -> list[str]:
        return [key for key in pickle.loads(cache.read_bytes())[1] if key.startswith(source_cache.BLOB_KEY)]

    assert len(kept_blobs()) == 1
    git(repo, "commit", "-q", "-am", "the edit committed")  # the old blob is no longer the commit's
    _edit(repo, "text: Logs each reading\n", "text: Logs every reading\n")
    load_site_cached(repo / "competency_src", cache, withdrawals=True)
    assert parsed == [f"{MODEL}.yaml", f"{MODEL}.yaml"] and len(kept_blobs()) == 1  # the old one is dropped


def _sphinx_build(site: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", str(site), str(site / "_out")]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_the_build_refuses_a_vanished_id_and_lists_the_withdrawal_on_the_changes_page(repo: Path) -> None:
    (repo / "changes.md").write_text("# Changes\n\n```{comp:changes}\n```\n", encoding="utf-8")
    (repo / "index.md").write_text(
        (repo / "index.md").read_text(encoding="utf-8") + "\n```{toctree}\nchanges\n```\n", encoding="utf-8"
    )
    (repo / "conf.py").write_text(
        (repo / "conf.py").read_text(encoding="utf-8")
        + 'competency_changes_since = "HEAD"\nexclude_patterns = ["_out"]\n',
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a changes page")
    path = _edit(repo, DOSING, "")
    result = _sphinx_build(repo)
    assert result.returncode == 1
    line = _line(repo, "withdrawn:")
    assert f"{path}:{line}:1: ERROR: the indicator 'adjusts-chemical-dosing'" in result.stderr
    assert 'kind: indicator, text: "Adjusts chemical dosing from test results"' in result.stderr
    assert "Traceback" not in result.stderr and not (repo / "_out" / "index.html").exists()
    _edit(
        repo,
        "withdrawn:\n",
        'withdrawn:\n  - {id: adjusts-chemical-dosing, kind: indicator, text: "Adjusts chemical dosing", '
        'since: "2025-06-01", note: "Dosing is automatic now.", replaced_by: process-control}\n',
    )
    result = _sphinx_build(repo)
    assert result.returncode == 0, result.stderr
    changes = page_text(repo / "_out" / "changes.html")
    assert (
        "Withdrawn (the old address shows the withdrawal) I.1.b Adjusts chemical dosing from test results "
        "(withdrawn 2025-06-01; replaced by process-control ): Dosing is automatic now." in changes
    )
    html = (repo / "_out" / "changes.html").read_text(encoding="utf-8")
    assert 'href="plant-operator/indicators/adjusts-chemical-dosing.html"' in html
    assert "Its last wording Adjusts chemical dosing" in page_text(
        repo / "_out" / MODEL / "indicators" / "adjusts-chemical-dosing.html"
    )


def test_diff_reports_withdrawn_items_and_models(srcdir: Path, tmp_path: Path) -> None:
    old_dir = tmp_path / "old"
    shutil.copytree(srcdir / "competency_src", old_dir)
    shutil.copy(old_dir / "withdrawn" / "filter-attendant.yaml", old_dir / "filter-attendant.yaml")
    text = (old_dir / "filter-attendant.yaml").read_text(encoding="utf-8")
    (old_dir / "filter-attendant.yaml").write_text(re.sub(r"withdrawal:\n(  .*\n)+", "", text), encoding="utf-8")
    (old_dir / "withdrawn" / "filter-attendant.yaml").unlink()
    model = old_dir / f"{MODEL}.yaml"
    model.write_text(
        model.read_text(encoding="utf-8")
        .replace(
            WINDS_RECORD,
            "",
        )
        .replace(
            "        text: Runs the treatment process during the shift\n",
            "        text: Runs the treatment process during the shift\n"
            "      - id: winds-the-clock\n        text: Winds the chart recorder clock\n",
        ),
        encoding="utf-8",
    )
    old, new = load_site(old_dir), load_site(srcdir / "competency_src")
    shown = diff_text(diff_sites(old.models, new.models, new.withdrawn_models), "old", "new")
    assert "filter-attendant (Filter Attendant): withdrawn (2024-12-31; replaced by plant-operator)" in shown
    assert (
        "  withdrawn:\n    responsibility winds-the-clock (II.2): Winds the chart recorder clock (withdrawn v2.0)"
        in shown
    )


def test_an_edited_record_is_shown_by_the_next_build(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    out = _build(make_app, srcdir)
    model = srcdir / "competency_src" / f"{MODEL}.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("Paper logs ended", "Paper logs stopped"), "utf-8")
    withdrawn = srcdir / "competency_src" / "withdrawn" / "filter-attendant.yaml"
    withdrawn.write_text(withdrawn.read_text(encoding="utf-8").replace("became part", "is now part"), "utf-8")
    assert _build(make_app, srcdir) == out
    assert "Paper logs stopped with the new data system" in page_text(out / f"{PAPER}.html")
    assert "The job is now part of the Plant Operator's." in page_text(out / "filter-attendant" / "index.html")
