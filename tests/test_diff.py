"""`competency diff` and the {comp:changes} page: added, removed, renamed, reworded and moved items."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from competency.changes.diff import diff_model, diff_sites, diff_text, word_diff
from competency.cli import main
from competency.sources.loader import load_model
from competency.sources.site import load_site

from .conftest import REPO
from .helpers import copy_root, page_text

EXAMPLE = REPO / "manual" / "examples" / "meter-reader.yaml"
FAMILY = REPO / "examples" / "family" / "competency_src"


def revised(text: str) -> str:
    """The example model with known changes."""
    edits = [
        # added at the top of Meter Reading: the two indicators after it move (I.1.a -> I.1.b, I.1.b -> I.1.c)
        (
            "        indicators:\n          - id: reads-meters-accurately\n",
            "        indicators:\n          - id: checks-meter-seals\n            text: Checks meter seals\n"
            "          - id: reads-meters-accurately\n",
        ),
        # removed: Driving (III.1.b)
        ("          - id: driving\n            title: Driving\n            qualifier: Basic Expertise\n", ""),
        # reworded
        ("text: Reports hazards to the supervisor\n", "text: Reports every hazard to the supervisor at once\n"),
        # renamed: the new id keeps the old one as an alias
        (
            "          - id: watches-for-dogs-and-traffic\n",
            "          - id: watches-for-route-hazards\n            aliases: [watches-for-dogs-and-traffic]\n",
        ),
        (
            "supported_by: [meter-reading, watches-for-dogs-and-traffic]",
            "supported_by: [meter-reading, watches-for-route-hazards]",
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (old / "meter-reader.yaml").write_text(text, encoding="utf-8")
    (new / "meter-reader.yaml").write_text(revised(text), encoding="utf-8")
    return old, new


def changes_by_kind(old: Path, new: Path) -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for c in diff_model(load_model(old / "meter-reader.yaml"), load_model(new / "meter-reader.yaml")):
        detail = {
            "added": (c.id, c.code),
            "removed": (c.id, c.code),
            "renamed": (c.old_id or "", c.id),
            "reworded": (c.id, c.field or "", c.words or ""),
            "moved": (c.id, c.old_code or "", c.code),
        }
        found.setdefault(c.change, []).append((c.type, *detail[c.change]))
    return found


def test_word_diff_marks_removed_and_added_words() -> None:
    assert (
        word_diff("Reports hazards to the supervisor", "Reports every hazard to the supervisor at once")
        == "Reports [-hazards-] {+every hazard+} to the supervisor {+at once+}"
    )
    assert word_diff("a b c", "a b c") == "a b c"


def test_diff_of_two_versions_lists_every_known_change(versions: tuple[Path, Path]) -> None:
    found = changes_by_kind(*versions)
    assert found["added"] == [("indicator", "checks-meter-seals", "I.1.a")]
    assert found["removed"] == [("competency", "driving", "III.1.b")]
    assert found["renamed"] == [("indicator", "watches-for-dogs-and-traffic", "watches-for-route-hazards")]
    assert found["reworded"] == [
        ("indicator", "reports-hazards", "text", "Reports [-hazards-] {+every hazard+} to the supervisor {+at once+}")
    ]
    assert ("indicator", "reads-meters-accurately", "I.1.a", "I.1.b") in found["moved"]
    assert ("indicator", "reports-damaged-meters", "I.1.b", "I.1.c") in found["moved"]
    # a rename is neither a removal nor an addition, and an unchanged item is not reported
    reported = {change[1] for changes in found.values() for change in changes}
    assert "watches-for-dogs-and-traffic" not in {c[1] for c in found["removed"]}
    assert "watches-for-route-hazards" not in {c[1] for c in found["added"]}
    assert "suggests-route-improvements" not in reported


def test_diff_of_identical_versions_is_empty(versions: tuple[Path, Path]) -> None:
    old, _new = versions
    assert diff_model(load_model(old / "meter-reader.yaml"), load_model(old / "meter-reader.yaml")) == ()
    assert "No changes." in diff_text([], "a", "b")


def test_cli_diff_of_two_folders_as_text_and_json(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = versions
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "meter-reader (Meter Reader): changed" in text
    assert "  added:\n    indicator checks-meter-seals (I.1.a): Checks meter seals" in text
    assert "  removed:\n    competency driving (III.1.b): Driving" in text
    assert "indicator watches-for-dogs-and-traffic -> watches-for-route-hazards (II.1.a)" in text
    assert "indicator reports-hazards (II.1.b), text: Reports [-hazards-] {+every hazard+}" in text
    assert "indicator reads-meters-accurately: I.1.a -> I.1.b" in text
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "competency-diff" and data["version"] == 2
    changes = data["models"][0]["changes"]
    assert {c["change"] for c in changes} == {"added", "removed", "renamed", "reworded", "moved"}
    renamed = next(c for c in changes if c["change"] == "renamed")
    assert (renamed["old_id"], renamed["id"]) == ("watches-for-dogs-and-traffic", "watches-for-route-hazards")


def test_diff_of_added_and_removed_models(versions: tuple[Path, Path]) -> None:
    old, _new = versions
    two = REPO / "tests" / "roots" / "test-two-models" / "competency_src"
    added = diff_sites(load_site(old).models, load_site(two).models)
    assert [(d.id, d.status) for d in added] == [("line-locator", "added")]  # meter-reader is unchanged
    removed = diff_sites(load_site(two).models, load_site(old).models)
    assert [(d.id, d.status) for d in removed] == [("line-locator", "removed")]
    assert "line-locator" in diff_text(removed, "two", "one")


# -- git revisions ----------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def make_repo(folder: Path) -> None:
    """A scratch repository whose tag v1 has the example model and whose HEAD has the revised one."""
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "v1")
    git(folder, "tag", "v1")
    model = folder / "competency_src" / "meter-reader.yaml"
    model.write_text(revised(model.read_text(encoding="utf-8")), encoding="utf-8")
    git(folder, "commit", "-q", "-am", "v2")


def test_cli_diff_of_two_git_revisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "competency_src").mkdir(parents=True)
    shutil.copy(EXAMPLE, repo / "competency_src" / "meter-reader.yaml")
    make_repo(repo)
    assert main(["diff", "v1", "HEAD", "--repo", str(repo)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Changes from v1 to HEAD")
    assert "indicator checks-meter-seals (I.1.a)" in text and "competency driving (III.1.b)" in text
    monkeypatch.chdir(repo)  # a revision against the working folder, repository found from here
    assert main(["diff", "v1", "competency_src", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["models"][0]["changes"]) >= 5
    assert main(["diff", "no-such-tag", "HEAD"]) == 1
    assert "no-such-tag" in capsys.readouterr().err


def _changes_page_since_v1(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, make: Callable[[Path], object]
) -> Path:
    """The output of the changes root, built with `competency_changes_since = "v1"` over the
    repository `make` writes into the site folder; the build warns of nothing."""
    srcdir = tmp_path / "site"
    copy_root("changes", srcdir)
    make(srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"competency_changes_since": "v1"})
    app.build()
    assert app.warning.getvalue().strip() == ""
    return Path(app.outdir)


def test_changes_page_lists_the_changes_since_the_configured_revision(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    out = _changes_page_since_v1(make_app, tmp_path, make_repo)
    text = page_text(out / "index.html")
    assert "Changes to the models since v1." in text
    assert "Added I.1.a Checks meter seals" in text
    assert "Removed III.1.b Driving" in text
    assert (
        "II.1.a Watches for dogs, traffic and other hazards on the route (formerly watches-for-dogs-and-traffic)"
        in text
    )
    assert "II.1.b Reports every hazard to the supervisor at once (text): Reports [-hazards-] {+every hazard+}" in text
    assert "I.1.b Reads all meter types accurately, including AMR meters : I.1.a → I.1.b" in text
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="meter-reader/indicators/checks-meter-seals.html"' in html
    assert 'class="comp-ins"' in html and 'class="comp-del"' in html


def make_family_repo(folder: Path) -> Path:
    """A scratch repository whose tag v1 has the example family (manual/family.md) and whose HEAD rewords
    one job's own indicator and a shared indicator (in the library and in both jobs that use it)."""
    source = folder / "competency_src"
    shutil.copytree(FAMILY, source)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "v1")
    git(folder, "tag", "v1")
    users = ("distribution-system-operator.yaml", "customer-service-representative.yaml")
    edits = [
        ("meter-reader.yaml", "Reports damaged or tampered meters", "Reports every damaged or tampered meter"),
        *(
            (name, "Checks own work to ensure accuracy", "Checks own work for accuracy")
            for name in ("shared/library.yaml", *users)
        ),
    ]
    for name, old, new in edits:
        text = (source / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        (source / name).write_text(text.replace(old, new), encoding="utf-8")
    git(folder, "commit", "-q", "-am", "v2")
    return source


def test_cli_diff_of_two_git_revisions_of_a_family(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    source = make_family_repo(repo)
    # Each revision is read with its own library: v1's uses have v1's shared words, not HEAD's.
    assert main(["diff", "v1", "HEAD", "--repo", str(repo)]) == 0, capsys.readouterr().err
    text = capsys.readouterr().out
    assert "indicator reports-damaged-meters (I.1.b), text: Reports {+every+} damaged" in text
    assert "distribution-system-operator (" in text and "customer-service-representative (" in text
    assert text.count("text: Checks own work [-to ensure-] {+for+} accuracy") == 2
    # An error at a revision names the revision's file in its subfolder, with the line.
    library = source / "shared" / "library.yaml"
    library.write_text(
        library.read_text(encoding="utf-8").replace("title: Computer Skills", "title: Typing"), encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "a shared title the jobs do not have")
    assert main(["diff", "v1", "HEAD", "--repo", str(repo)]) == 1
    lines = (source / "customer-service-representative.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("        shared: computer-skills") + 1
    assert f"HEAD:competency_src/customer-service-representative.yaml:{line}:17: error: the title" in (
        capsys.readouterr().err
    )
    library.write_text(library.read_text(encoding="utf-8").replace("title: Typing", "title: [Typing"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a library that does not parse")
    assert main(["diff", "v1", "HEAD", "--repo", str(repo)]) == 1
    assert re.match(r"HEAD:competency_src/shared/library\.yaml:\d+:\d+: error: invalid YAML", capsys.readouterr().err)


def test_changes_page_of_a_family_lists_the_changes_since_the_configured_revision(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    def family_repo(srcdir: Path) -> None:
        shutil.rmtree(srcdir / "competency_src")
        make_family_repo(srcdir)

    text = page_text(_changes_page_since_v1(make_app, tmp_path, family_repo) / "index.html")
    assert "Changes to the models since v1." in text
    assert "I.1.b Reports every damaged or tampered meter (text): Reports {+every+} damaged" in text
    assert text.count("Checks own work for accuracy (text): Checks own work [-to ensure-] {+for+} accuracy") == 2


def test_changes_page_without_a_base_version_warns(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
    srcdir = tmp_path / "site"
    copy_root("changes", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "needs a base version: set competency_changes_since" in app.warning.getvalue()
