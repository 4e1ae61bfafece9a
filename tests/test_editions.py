"""Editions: the record, `competency release`, the checks against each edition, the history of items,
and the published editions (banners, pinned links, withdrawal pages, changes pages, reuse, variants)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from competency.changes.history import edition_index
from competency.cli import main
from competency.exports.case import export_library_case
from competency.exports.edition import EditionStamp, current_stamp
from competency.exports.files import render
from competency.sources.editions import Edition, load_editions
from competency.sources.family import family_of
from competency.sources.problems import Location, SourceError
from competency.sources.site import load_site
from competency.sources.withdrawals import vanished_ids

from .conftest import REPO
from .helpers import copy_root, page_text
from .robustness.sitebuild import make_html
from .test_links import crawl_site
from .test_real_site import MODEL, copy_site

ROOT = REPO / "tests" / "roots" / "test-withdrawn"
PLANT = "plant-operator"
REVISION = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commits and tags made by the tests need a name, and no signing from the user's settings."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The withdrawals test root committed in a scratch repository."""
    target = tmp_path / "src"
    copy_root("withdrawn", target)
    git(target, "init", "-q")
    commit_all(target, "first")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the record ------------------------------------------------------------------------------------------


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "editions.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_editions(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_the_editions_file_is_read_oldest_first(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text(
        f"editions:\n  - name: v1\n    date: 2025-01-10\n    revision: {REVISION}\n    note: First.\n"
        f"  - name: '2025.2'\n    date: 2025-06-01\n    revision: {REVISION}\n",
        encoding="utf-8",
    )
    editions = load_editions(tmp_path)
    assert [(e.name, e.date, e.note, e.location.line) for e in editions] == [
        ("v1", "2025-01-10", "First.", 2),
        ("2025.2", "2025-06-01", "", 6),
    ]
    assert load_editions(tmp_path / "none") == ()


def test_a_wrong_edition_record_is_a_located_error(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        f"editions:\n  - name: v1\n    date: 2025-06-01\n    revision: {REVISION}\n"
        f"  - name: v1\n    date: 2025-01-10\n    revision: abc\n"
        f"  - name: ../x\n    date: 2025-13-01\n    revision: {REVISION}\n    notes: typo\n",
    )
    path = tmp_path / "editions.yaml"
    assert any(p.startswith(f"{path}:11:5: error: unknown key 'notes' in edition") for p in problems), problems
    problems = _problems(
        tmp_path,
        f"editions:\n  - name: v1\n    date: 2025-06-01\n    revision: {REVISION}\n"
        f"  - name: v1\n    date: 2025-01-10\n    revision: abc\n"
        f"  - name: ../x\n    date: 2025-13-01\n    revision: {REVISION}\n",
    )
    assert problems == [
        f"{path}:5:11: error: the edition 'v1' is already recorded on line 2 (each edition has its own name)",
        f"{path}:6:11: error: the edition 'v1' (2025-01-10) is dated before the edition above it ('v1', 2025-06-01) "
        "(editions are listed oldest first)",
        f"{path}:7:15: error: 'abc' is not a full git commit id (write the 40 hexadecimal digits of the commit "
        "(git rev-parse <tag>), or use `competency release`)",
        f"{path}:8:11: error: '../x' is not a valid edition name (use letters, digits, '.', '_' and '-' (e.g. 2025 "
        "or v2.1): it becomes a git tag and a folder)",
        f"{path}:9:11: error: '2025-13-01' is not a date (write it as YYYY-MM-DD)",
    ]


def test_the_editions_file_is_no_model(repo: Path) -> None:
    (repo / "competency_src" / "editions.yaml").write_text("editions: []\n", encoding="utf-8")
    commit_all(repo, "an empty record")
    site = load_site(repo / "competency_src")
    assert "editions" not in site.models
    (repo / "competency_src" / "editions.yaml").unlink()
    assert vanished_ids(site) == []  # the record gone from the last commit is no vanished model


# -- competency release -----------------------------------------------------------------------------------


def test_release_checks_records_commits_and_tags(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = repo / "competency_src"
    head = git(repo, "rev-parse", "HEAD").strip()
    assert main(["release", "v1", "--note", "The first edition.", "--date", "2025-01-10", "--src", str(src)]) == 0
    editions = load_editions(src)
    assert [(e.name, e.date, e.revision, e.note) for e in editions] == [
        ("v1", "2025-01-10", head, "The first edition.")
    ]
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release edition v1"
    assert git(repo, "status", "--porcelain").strip() == ""  # the record is committed
    assert git(repo, "rev-parse", "v1^{commit}").strip() == git(repo, "rev-parse", "HEAD").strip()
    assert "Edition v1 (2025-01-10) is the commit" in capsys.readouterr().err
    assert main(["fmt", "--check", str(src / "editions.yaml")]) == 0  # written in the canonical layout
    assert main(["release", "v1", "--src", str(src)]) == 1
    assert "cannot release: the edition 'v1' is already recorded" in capsys.readouterr().err


def test_release_refuses_uncommitted_sources_and_bad_sources(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = repo / "competency_src"
    model = src / f"{PLANT}.yaml"
    edit(model, "Adjusts chemical dosing from test results", "Adjusts the chemical dosing")
    assert main(["release", "v1", "--src", str(src)]) == 1
    err = capsys.readouterr().err
    assert "cannot release: the sources have changes that are not committed" in err
    assert f"competency_src/{PLANT}.yaml" in err
    assert not (src / "editions.yaml").exists() and git(repo, "tag").strip() == ""
    edit(model, "          - id: adjusts-chemical-dosing\n", "          - id: Bad Id\n")
    assert main(["release", "v1", "--src", str(src)]) == 1
    assert "is not a valid id" in capsys.readouterr().err  # the same checks as `competency check`
    assert main(["release", "bad/name", "--src", str(src)]) == 1


def test_release_of_a_nested_source_folder_refuses_uncommitted_pages_and_settings_of_its_site(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `make html SOURCES=utilities/acme` builds the edition with the checkout's conf.py and docs/.
    nested = repo / "utilities" / "acme"
    nested.parent.mkdir()
    shutil.move(repo / "competency_src", nested)
    (repo / "docs").mkdir()
    (repo / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    commit_all(repo, "a utility's own folder")
    (repo / "docs" / "about.md").write_text("# About the utility\n", encoding="utf-8")
    assert main(["release", "v1", "--src", str(nested)]) == 1
    err = capsys.readouterr().err
    assert "cannot release: the sources have changes that are not committed (docs/about.md)" in err
    git(repo, "checkout", "--", "docs")
    with (repo / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("html_title = 'Acme'\n")
    assert main(["release", "v1", "--src", str(nested)]) == 1
    assert "not committed (conf.py)" in capsys.readouterr().err
    assert not (nested / "editions.yaml").exists() and git(repo, "tag").strip() == ""
    git(repo, "checkout", "--", "conf.py")
    assert main(["release", "v1", "--src", str(nested)]) == 0
    assert "make html SOURCES=" in capsys.readouterr().err


# -- the checks against each edition --------------------------------------------------------------------


def test_an_id_an_edition_published_may_not_vanish(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = repo / "competency_src"
    assert main(["release", "v1", "--src", str(src)]) == 0
    model = src / f"{PLANT}.yaml"
    # Gone in two commits: the check against the last commit alone would not see it.
    edit(model, "          - id: adjusts-chemical-dosing\n", "          - id: adjusts-dosing\n")
    commit_all(repo, "renamed without an alias")
    capsys.readouterr()
    assert main(["check", str(src)]) == 1
    err = capsys.readouterr().err
    assert "error: edition v1: the indicator 'adjusts-chemical-dosing'" in err
    assert "is gone without a withdrawal record: its URL would break" in err


def test_a_shallow_clone_is_told_how_to_fetch_the_editions(repo: Path, tmp_path: Path, capsys) -> None:
    src = repo / "competency_src"
    assert main(["release", "v1", "--src", str(src)]) == 0
    (repo / "README").write_text("more history\n", encoding="utf-8")
    commit_all(repo, "later")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    capsys.readouterr()
    assert main(["check", str(clone / "competency_src")]) == 1
    err = capsys.readouterr().err
    assert f"{clone / 'competency_src' / 'editions.yaml'}:5:5: error: the commit" in err
    assert "of edition v1 is not in this clone: it is a shallow clone" in err
    assert "git fetch --unshallow" in err and "--deepen" in err
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True)
    assert main(["check", str(clone / "competency_src")]) == 0


# -- the history of an item -----------------------------------------------------------------------------


def test_history_follows_an_item_through_rewordings_moves_and_renames(tmp_path: Path) -> None:
    versions = []
    for n in range(3):
        folder = tmp_path / f"v{n}"
        shutil.copytree(ROOT / "competency_src", folder)
        versions.append(folder / f"{PLANT}.yaml")
    # v1: reworded; v2 (current): renamed (the old id an alias) and moved behind a new indicator.
    edit(versions[1], "Adjusts chemical dosing from test results", "Adjusts the chemical dosing from tests")
    shutil.copy(versions[1], versions[2])
    edit(
        versions[2],
        "          - id: adjusts-chemical-dosing\n            text: Adjusts the chemical dosing from tests\n",
        "          - id: reads-the-dosing-pump\n            text: Reads the dosing pump\n"
        "          - id: sets-chemical-dosing\n            aliases: [adjusts-chemical-dosing]\n"
        "            text: Adjusts the chemical dosing from tests\n",
    )
    where = Location(path=tmp_path / "editions.yaml", line=1)
    editions = [Edition(name=f"e{n}", date=f"2025-0{n + 1}-01", revision=REVISION, location=where) for n in (0, 1)]
    index = edition_index(
        editions, [load_site(tmp_path / "v0"), load_site(tmp_path / "v1")], load_site(tmp_path / "v2")
    )
    history = index.histories[f"{PLANT}/sets-chemical-dosing"]
    assert [(e.edition, e.change, e.old, e.new) for e in history.events] == [
        ("e0", "added", "", ""),
        ("e1", "reworded", "Adjusts chemical dosing from test results", ""),
        ("", "renamed", "adjusts-chemical-dosing", ""),
        ("", "moved", "I.1.b", "I.1.c"),
    ]
    assert history.pages == (
        ("e0", f"{PLANT}/indicators/adjusts-chemical-dosing"),
        ("e1", f"{PLANT}/indicators/adjusts-chemical-dosing"),
    )
    assert history.unreleased
    new = index.histories[f"{PLANT}/reads-the-dosing-pump"]
    assert [(e.edition, e.change) for e in new.events] == [("", "added")] and new.pages == ()
    assert index.last_seen[f"{PLANT}/adjusts-chemical-dosing"] == ("e1", f"{PLANT}/indicators/adjusts-chemical-dosing")


# -- the published editions -----------------------------------------------------------------------------

CSR = Path(MODEL)
LISTENS = "Actively listens and seeks to understand others: customers, colleagues, managers"


def _release(site: Path, name: str, date: str) -> None:
    assert (
        main(["release", name, "--date", date, "--note", f"Edition {name}.", "--src", str(site / "competency_src")])
        == 0
    )


def _model_edits(site: Path) -> None:
    """An indicator reworded, one moved, one renamed, one withdrawn."""
    model = site / "competency_src" / f"{MODEL}.yaml"
    edit(model, LISTENS, LISTENS + " and the public")
    edit(
        model,
        "          - id: explains-water-on-off-policies\n",
        "          - id: explains-water-shutoff-policies\n            aliases: [explains-water-on-off-policies]\n",
    )
    edit(model, "          - explains-water-on-off-policies\n", "          - explains-water-shutoff-policies\n")
    bills = "          - id: explains-customer-bills\n            text: Explaining customer bills to customers\n"
    edit(model, bills, "")
    edit(
        model,
        "          - id: compares-bill-to-previous-usage\n",
        bills + "          - id: compares-bill-to-previous-usage\n",
    )
    edit(
        model,
        "          - id: understands-water-treatment\n"
        "            text: General understanding of how water is treated at the plant\n",
        "",
    )
    text = model.read_text(encoding="utf-8").rstrip("\n")
    model.write_text(
        text + '\n\nwithdrawn:\n  - {id: understands-water-treatment, kind: indicator, text: "General understanding of '
        'how water is treated at the plant", since: "2025-06-01", note: "Covered by the distribution indicator."}\n',
        encoding="utf-8",
    )
    overlay = site / "competency_src" / "utilities" / "millbrook.yaml"
    edit(overlay, "explains-water-on-off-policies:", "explains-water-shutoff-policies:")
    edit(overlay, "      - understands-water-treatment\n", "")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site with two editions and a change since the second, built as `make html` does."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("editions")
    for role in ("AUTHOR", "COMMITTER"):
        mp.setenv(f"GIT_{role}_NAME", "Test")
        mp.setenv(f"GIT_{role}_EMAIL", "test@example.invalid")
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "no-gitconfig"))
    site = copy_site(home)
    (site / ".gitignore").write_text("/_build/\n__pycache__/\n", encoding="utf-8")
    git(site, "init", "-q")
    commit_all(site, "first")
    _release(site, "v1", "2025-01-10")
    _model_edits(site)
    commit_all(site, "reworded, moved, renamed, withdrawn")
    _release(site, "v2", "2025-06-01")
    edit(
        site / "competency_src" / f"{MODEL}.yaml",
        "text: Using site-specific email system",
        "text: Using site-specific email system\n            subitems: [messages]",
    )
    commit_all(site, "a change after v2")
    result = make_html(site, site / "_build" / "generic")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Building edition") == 2
    mp.undo()
    return site


def _page(site: Path, path: str) -> str:
    return page_text(site / "_build" / "generic" / "html" / path)


@pytest.mark.slow
def test_current_item_pages_show_history_and_how_to_cite(released: Path) -> None:
    listens = _page(released, f"{MODEL}/indicators/actively-listens-to-others.html")
    pinned = f"editions/v2/{MODEL}/indicators/actively-listens-to-others.html"
    assert f"This wording, pinned: {pinned} (edition v2" in listens
    assert (
        f"How to cite: II.1.a {LISTENS} and the public. Customer Service Representative, edition v2 (2025-06-01). "
        f"{pinned}" in listens
    )
    assert (
        "History Added in edition v1 (2025-01-10). Reworded in edition v2 (2025-06-01) (wording); the earlier "
        f"wording: {LISTENS} In each edition: v1 (2025-01-10) · v2 (2025-06-01)" in listens
    )
    renamed = _page(released, f"{MODEL}/indicators/explains-water-shutoff-policies.html")
    assert "Renamed in edition v2 (2025-06-01): formerly explains-water-on-off-policies ." in renamed
    assert "Moved in edition v2 (2025-06-01): I.2.b → I.2.a." in renamed
    email = _page(released, f"{MODEL}/indicators/uses-email-system.html")
    assert "Not yet in an edition: this wording is newer than edition v2 (2025-06-01)" in email
    assert "Reworded since edition v2 (not yet released) (sub-items)" in email


@pytest.mark.slow
def test_each_edition_is_published_with_a_banner_to_the_current_page(released: Path) -> None:
    html = released / "_build" / "generic" / "html"
    old = html / "editions" / "v1" / MODEL / "indicators" / "explains-water-on-off-policies.html"
    text = old.read_text(encoding="utf-8")
    assert "Superseded edition <strong>v1</strong> (2025-01-10)." in text
    # Its permanent link is the edition's own address in the site, never the current page's.
    assert f'data-path="editions/v1/{MODEL}/indicators/explains-water-on-off-policies.html"' in text
    assert 'href="../../../../customer-service-representative/indicators/explains-water-on-off-policies.html"' in text
    assert f"{LISTENS}" in _page(released, f"editions/v1/{MODEL}/indicators/actively-listens-to-others.html")
    assert "and the public" not in _page(released, f"editions/v1/{MODEL}/indicators/actively-listens-to-others.html")
    # A form printed from an edition names that edition in its footer, as its banner does.
    footer = (html / "editions" / "v1" / MODEL / "appraisal.html").read_text(encoding="utf-8")
    assert '· Appraisal form · edition v1 (2025-01-10)"' in footer
    current = (html / MODEL / "appraisal.html").read_text(encoding="utf-8")
    assert "· Appraisal form · sources of " in current and "· edition " not in current
    latest = _page(released, f"editions/v2/{MODEL}/indicators/uses-email-system.html")
    assert latest.startswith("Edition v2 (2025-06-01), the current edition")
    assert "messages" not in latest  # the pinned wording, not the later change
    # The old URL of the renamed item: a redirect in the current site to the renamed page.
    assert "explains-water-shutoff-policies.html" in (
        html / MODEL / "indicators" / "explains-water-on-off-policies.html"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_withdrawn_item_links_to_the_last_edition_that_had_it(released: Path) -> None:
    page = _page(released, f"{MODEL}/indicators/understands-water-treatment.html")
    assert "This indicator was withdrawn from the Customer Service Representative model (2025-06-01)." in page
    assert "Last published in edition v1 (2025-01-10): see it as it stood ." in page
    html = released / "_build" / "generic" / "html" / MODEL / "indicators" / "understands-water-treatment.html"
    assert f'href="../../editions/v1/{MODEL}/indicators/understands-water-treatment.html"' in html.read_text(
        encoding="utf-8"
    )


@pytest.mark.slow
def test_each_edition_has_a_changes_page_and_the_home_page_links_the_latest(released: Path) -> None:
    changes = _page(released, "editions/v2/edition-changes.html")
    assert "What changed in edition v2 since edition v1" in changes and "Edition v2." in changes
    assert "Renamed I.2.a Explaining company policies related to turning on and off water (formerly " in changes
    assert f"{LISTENS} {{+and the public+}}" in changes
    assert "Moved (display code changed)" in changes and "Withdrawn" in changes
    assert "The first edition" in _page(released, "editions/v1/edition-changes.html")
    home = (released / "_build" / "generic" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="editions/v2/edition-changes.html"' in home and 'href="editions/v1/index.html"' in home


@pytest.mark.slow
def test_every_link_of_every_edition_resolves_and_a_no_op_rebuilds_no_edition(released: Path) -> None:
    published = released / "_build" / "generic" / "html"
    siblings = tuple(f"/{p.stem}/html/" for p in (released / "competency_src" / "utilities").glob("*.yaml"))
    broken = [
        b
        for b in crawl_site(published)
        if not (b.endswith("(leads outside the site)") and any(s in b for s in siblings))
    ]
    assert broken == []
    kept = sorted((released / "_build" / "generic" / "editions").iterdir())
    stamps = [(p / "complete").stat().st_mtime_ns for p in kept]
    result = make_html(released, released / "_build" / "generic")
    assert result.returncode == 0, result.stderr
    assert "Nothing changed since the last build" in result.stdout  # nothing started at all
    result = make_html(released, released / "_build" / "generic", jobs="1")  # other JOBS: Sphinx runs
    assert result.returncode == 0, result.stderr
    assert "Building edition" not in result.stdout and "nothing to publish" in result.stdout
    assert [(p / "complete").stat().st_mtime_ns for p in kept] == stamps


@pytest.mark.slow
def test_a_utility_site_has_its_editions(released: Path) -> None:
    result = make_html(released, released / "_build" / "millbrook", utility="millbrook")
    assert result.returncode == 0, result.stderr
    page = (
        released / "_build" / "millbrook" / "html" / "editions" / "v1" / MODEL / "indicators" / "uses-email-system.html"
    )
    text = page_text(page)
    assert text.startswith("Superseded edition v1") and "does not use this indicator" in text


@pytest.mark.slow
def test_a_site_of_another_source_folder_builds_that_folders_editions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make html SOURCES=<folder>`: the editions recorded in that folder, built from it as it stood."""
    site = copy_site(tmp_path)
    sources = "examples/family/competency_src"
    (site / ".gitignore").write_text("/_build/\n__pycache__/\n", encoding="utf-8")
    git(site, "init", "-q")
    commit_all(site, "first")
    assert main(["release", "f1", "--date", "2025-03-01", "--note", "The family.", "--src", str(site / sources)]) == 0
    assert f"Publish it with `make html SOURCES={site / sources}`" in capsys.readouterr().err
    reader = site / sources / "meter-reader.yaml"
    text = reader.read_text(encoding="utf-8")
    first = text.split("text: ", 1)[1].split("\n", 1)[0]
    edit(reader, f"text: {first}", f"text: {first}, reworded since f1")
    commit_all(site, "a change after f1")
    out = site / "_build" / "sources" / "generic"
    result = make_html(site, out, sources=sources)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Building edition") == 1 and "Building edition f1" in result.stdout
    assert f"(make serve SOURCES={sources} to browse it)" in result.stdout  # the command serving this folder
    edition = out / "html" / "editions" / "f1"
    home = page_text(edition / "index.html")
    assert home.startswith("Edition f1 (2025-03-01), the current edition") and "Meter Reader" in home
    pinned = [page_text(p) for p in (edition / "meter-reader" / "indicators").glob("*.html")]
    assert any(first in page and "reworded since f1" not in page for page in pinned)  # as it stood
    current = (out / "html" / "meter-reader" / "indicators").glob("*.html")
    assert any("reworded since f1" in page_text(p) for p in current)
    assert (out / "html" / "editions" / "f1" / "edition-changes.html").is_file()
    assert [b for b in crawl_site(out / "html") if "(leads outside the site)" not in b] == []
    # The reference site, whose source folder records no edition, has none.
    reference = make_html(site, site / "_build" / "generic")
    assert reference.returncode == 0, reference.stderr
    assert "Building edition" not in reference.stdout
    assert not (site / "_build" / "generic" / "html" / "editions").exists()


# -- the exports name the edition -------------------------------------------------------------------------

EXPORT_SCHEMA = REPO / "ext" / "competency" / "schemas" / "competency-export.schema.json"
CASE_SCHEMA = REPO / "ext" / "competency" / "schemas" / "case-v1p1-cfpackage-schema.json"  # = 1EdTech's (test_exports)


def _validate(data: dict, schema: Path) -> None:
    validator = Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")), format_checker=FormatChecker())
    validator.validate(data)


def _export(src: Path, fmt: str, capsysbinary: pytest.CaptureFixture[bytes], *extra: str) -> bytes:
    capsysbinary.readouterr()
    assert main(["export", "--format", fmt, "--src", str(src), *extra]) == 0
    return capsysbinary.readouterr().out


def _dates(package: dict) -> set[str]:
    """Every lastChangeDateTime of a CASE package."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            found.update([value["lastChangeDateTime"]] if "lastChangeDateTime" in value else [])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(package)
    return found


def _without_edition(package: dict) -> dict:
    """A CASE package without what the edition adds to it (its CFDocument's version and extensions.edition)."""
    document = {k: v for k, v in package["CFDocument"].items() if k != "version"}
    document["extensions"] = {k: v for k, v in document["extensions"].items() if k != "edition"}
    return {**package, "CFDocument": document}


@pytest.fixture
def one_edition(tmp_path: Path) -> Path:
    """A copy of the real site in a scratch repository, released as edition v1."""
    site = copy_site(tmp_path)
    git(site, "init", "-q")
    commit_all(site, "first")
    _release(site, "v1", "2025-01-10")
    return site


def test_the_command_line_exports_name_the_edition(
    one_edition: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the sources' own last change
    src = one_edition / "competency_src"
    (released_as,) = load_editions(src)
    data = json.loads(_export(src, "json", capsysbinary))
    _validate(data, EXPORT_SCHEMA)
    stamp = {"name": "v1", "date": "2025-01-10", "revision": released_as.revision, "superseded": False}
    assert data["edition"] == {**stamp, "changed_since": False}
    package = json.loads(_export(src, "case", capsysbinary, "--model", MODEL))
    _validate(package, CASE_SCHEMA)
    document = package["CFDocument"]
    assert document["version"] == "v1" and document["extensions"]["edition"] == data["edition"]
    assert _dates(package) == {"2025-01-10T00:00:00Z"}  # the edition's date, on every record

    # A change since the edition: the exports still name it, and say the wording may be newer.
    edit(src / f"{MODEL}.yaml", LISTENS, LISTENS + " and the public")
    data = json.loads(_export(src, "json", capsysbinary))
    _validate(data, EXPORT_SCHEMA)
    assert data["edition"] == {**stamp, "changed_since": True}
    changed = json.loads(_export(src, "case", capsysbinary, "--model", MODEL))
    _validate(changed, CASE_SCHEMA)
    assert "version" not in changed["CFDocument"]  # not an edition's wording
    assert changed["CFDocument"]["extensions"]["edition"]["changed_since"] is True
    assert _dates(changed) == {"2026-01-01T00:00:00Z"}  # the sources' own date, as without editions
    git(one_edition, "checkout", "--", ".")
    (src / "new-model.yaml").write_text("not yet added to git\n", encoding="utf-8")
    assert current_stamp(src).changed_since is True  # a file git does not track yet is a change too


def test_a_site_without_editions_exports_what_it_always_did(
    one_edition: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edition adds its fields and changes nothing else; without editions none of them is there."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    src = one_edition / "competency_src"
    edit(src / f"{MODEL}.yaml", LISTENS, LISTENS + " and the public")  # the sources' own date in CASE
    with_edition = {fmt: _export(src, fmt, capsysbinary, "--model", MODEL) for fmt in ("json", "csv", "case")}
    (src / "editions.yaml").write_text("editions: []\n", encoding="utf-8")
    empty_record = {fmt: _export(src, fmt, capsysbinary, "--model", MODEL) for fmt in ("json", "csv", "case")}
    (src / "editions.yaml").unlink()
    without = {fmt: _export(src, fmt, capsysbinary, "--model", MODEL) for fmt in ("json", "csv", "case")}
    assert empty_record == without
    site = load_site(src)
    models = [site.models[MODEL]]
    assert without == {fmt: render(fmt, models).encode("utf-8") for fmt in ("json", "csv", "case")}
    plain, dated = json.loads(without["json"]), json.loads(with_edition["json"])
    assert list(plain) == ["format", "version", "models"]
    assert {k: v for k, v in dated.items() if k != "edition"} == plain
    assert with_edition["csv"] == without["csv"]  # the CSV has no edition column (manual/guide-exports.md)
    plain_case, dated_case = json.loads(without["case"]), json.loads(with_edition["case"])
    assert "version" not in plain_case["CFDocument"] and "edition" not in plain_case["CFDocument"]["extensions"]
    assert _without_edition(dated_case) == plain_case


def test_the_library_package_follows_the_edition() -> None:
    family = family_of(load_site(REPO / "examples" / "family" / "competency_src"))
    assert family is not None
    changed = datetime(2026, 1, 1, tzinfo=UTC)
    stamp = EditionStamp(name="v3", date="2025-06-01", revision=REVISION)
    package = export_library_case(family, changed=changed, edition=stamp)
    _validate(package, CASE_SCHEMA)
    assert package["CFDocument"]["version"] == "v3" and _dates(package) == {"2025-06-01T00:00:00Z"}
    later = export_library_case(family, changed=changed, edition=replace(stamp, changed_since=True))
    assert _without_edition(later) == export_library_case(family, changed=changed)
    assert later["CFDocument"]["extensions"]["edition"]["name"] == "v3"


@pytest.mark.slow
def test_the_published_exports_name_the_edition_of_their_wording(released: Path) -> None:
    html = released / "_build" / "generic" / "html"
    v1, v2 = load_editions(released / "competency_src")
    expected = {
        "": (v2, True, False),  # the current site: changed since v2, which is the latest
        "editions/v2/": (v2, False, False),
        "editions/v1/": (v1, False, True),
    }
    for folder, (edition, changed_since, superseded) in expected.items():
        data = json.loads((html / folder / "_exports" / f"{MODEL}.json").read_text(encoding="utf-8"))
        _validate(data, EXPORT_SCHEMA)
        assert data["edition"] == {
            "name": edition.name,
            "date": edition.date,
            "revision": edition.revision,
            "changed_since": changed_since,
            "superseded": superseded,
        }, folder
        package = json.loads((html / folder / "_exports" / f"{MODEL}.case.json").read_text(encoding="utf-8"))
        _validate(package, CASE_SCHEMA)
        assert package["CFDocument"]["extensions"]["edition"] == data["edition"]
        if changed_since:
            assert "version" not in package["CFDocument"]
            assert _dates(package) != {f"{edition.date}T00:00:00Z"}
        else:
            assert package["CFDocument"]["version"] == edition.name, folder
            assert _dates(package) == {f"{edition.date}T00:00:00Z"}, folder
    pinned = _page(released, f"editions/v1/{MODEL}/indicators/actively-listens-to-others.html")
    assert "and the public" not in pinned  # the edition's exports hold its own wording
    v1_data = (html / "editions" / "v1" / "_exports" / f"{MODEL}.json").read_text(encoding="utf-8")
    assert LISTENS in v1_data and f"{LISTENS} and the public" not in v1_data
