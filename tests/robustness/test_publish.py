"""Nothing lost: a failed or interrupted build leaves the published site exactly as it was.

`make html` builds into `_build/<variant>/.work/html` and then publishes with `python -m
competency.publishing.swap`, which swaps a complete copy in (see ext/competency/publishing/swap.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from competency.exports.files import write_bytes
from competency.publishing import swap as publishing
from competency.publishing.swap import PublishError, main, publish, recover
from competency.sphinx_ext.build_record import RECORD_FOLDER, REPLACED_FILES

from ..conftest import REPO
from ..test_real_site import MODEL, copy_site
from .sitebuild import build_env, make_html, shell_command


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder (relative path -> SHA-256), and every folder (-> "dir")."""
    return {
        str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def site_files(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path, Path]:
    old = site_files(
        tmp_path / "old", {"index.html": "old", "gone.html": "only in the old site", "_static/a.css": "old css"}
    )
    new = site_files(tmp_path / "new", {"index.html": "new", "added/page.html": "new page", "_static/a.css": "new css"})
    return old, new, tmp_path / "_build" / "generic" / "html"


def test_first_publication_creates_the_folder(builds: tuple[Path, Path, Path]) -> None:
    _, new, published = builds
    publish(new, published)
    assert snapshot(published) == snapshot(new)


@pytest.mark.parametrize("atomic_exchange", [True, False], ids=["renameat2", "two-renames"])
def test_publication_replaces_the_whole_site(
    builds: tuple[Path, Path, Path], atomic_exchange: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, published = builds
    publish(old, published)
    if not atomic_exchange:
        monkeypatch.setattr(publishing, "_exchange", lambda first, second: False)
    before = snapshot(new)
    publish(new, published)
    assert snapshot(published) == snapshot(new) == before  # the build folder stays, for incremental builds
    assert not (published / "gone.html").exists()
    assert sorted(p.name for p in published.parent.iterdir()) == ["html"]  # no temporary folder left


def test_an_incomplete_build_is_not_published(
    builds: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, published = builds
    publish(old, published)
    before = snapshot(published)
    (new / "index.html").unlink()
    assert main([str(new), str(published)]) == 1
    assert "has no index.html" in capsys.readouterr().err
    assert main([str(new.parent / "missing"), str(published)]) == 1
    with pytest.raises(PublishError, match="overlap"):
        publish(old, old / "published")  # the published folder inside the build
    assert snapshot(published) == before


def test_an_interrupted_copy_leaves_the_old_site(
    builds: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, published = builds
    publish(old, published)
    before = snapshot(published)
    copy2 = shutil.copy2
    copied: list[str] = []

    def copy_then_die(source: str, target: str, *args: object, **kwargs: object) -> object:
        if copied:
            raise KeyboardInterrupt  # as if killed while copying the second file
        copied.append(source)
        return copy2(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(publishing.shutil, "copy2", copy_then_die)
    with pytest.raises(KeyboardInterrupt):
        publish(new, published)
    monkeypatch.undo()
    assert snapshot(published) == before
    publish(new, published)  # the next run cleans up what the interrupted one left
    assert snapshot(published) == snapshot(new)
    assert sorted(p.name for p in published.parent.iterdir()) == ["html"]


def test_an_unchanged_build_is_not_published_again(
    builds: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, new, published = builds
    assert publish(new, published)
    inodes = {p: p.stat().st_ino for p in published.rglob("*")}
    assert main([str(new), str(published)]) == 0
    assert "nothing to publish" in capsys.readouterr().out
    assert {p: p.stat().st_ino for p in published.rglob("*")} == inodes
    (new / "index.html").write_text("new", encoding="utf-8")  # rewritten with the same bytes, as Sphinx does
    assert not publish(new, published)
    (published / "index.html").unlink()  # a published file lost by hand is published again
    assert publish(new, published)
    assert snapshot(published) == snapshot(new)
    shutil.rmtree(published)  # so is a published folder replaced by hand
    site_files(published, {"index.html": "by hand", "added/page.html": "by hand", "_static/a.css": "by hand"})
    assert publish(new, published)
    assert snapshot(published) == snapshot(new)


@pytest.mark.parametrize("syncfs", [True, False], ids=["syncfs", "file-by-file"])
def test_the_copied_files_are_on_disk_before_the_swap(
    builds: tuple[Path, Path, Path], syncfs: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One syncfs of the file system where Linux has it, else an fsync of every copied file and folder."""
    old, new, published = builds
    publish(old, published)
    events: list[tuple[str, str]] = []
    real_sync_file_system, real_exchange = publishing._sync_file_system, publishing._exchange

    def fsync(descriptor: int) -> None:
        events.append(("fsync", Path(f"/proc/self/fd/{descriptor}").readlink().name))

    def sync_file_system(folder: Path) -> bool:
        events.append(("syncfs", folder.name))
        return syncfs and real_sync_file_system(folder)

    def exchange(first: Path, second: Path) -> bool:
        events.append(("swap", ""))
        return real_exchange(first, second)

    monkeypatch.setattr(publishing.os, "fsync", fsync)
    monkeypatch.setattr(publishing, "_sync_file_system", sync_file_system)
    monkeypatch.setattr(publishing, "_exchange", exchange)
    publish(new, published)
    assert snapshot(published) == snapshot(new)
    before_swap = events[: events.index(("swap", ""))]
    assert before_swap[0] == ("syncfs", ".html.new")
    if syncfs:
        assert before_swap == [("syncfs", ".html.new")]
    else:
        synced = {name for _kind, name in before_swap[1:]}
        assert synced == {"index.html", "page.html", "a.css", ".html.new", "added", "_static"}
    assert real_sync_file_system(published) is True  # Linux, where the tests run


def test_a_rebuild_publishes_what_changed_and_links_the_rest(builds: tuple[Path, Path, Path]) -> None:
    _, new, published = builds
    publish(new, published)
    before = {p.relative_to(published): p.stat().st_ino for p in published.rglob("*") if p.is_file()}
    time.sleep(0.01)
    (new / "index.html").write_text("newer", encoding="utf-8")  # Sphinx rewrites a page in place
    assert publish(new, published)
    assert snapshot(published) == snapshot(new)
    after = {p.relative_to(published): p.stat().st_ino for p in published.rglob("*") if p.is_file()}
    assert after[Path("added/page.html")] == before[Path("added/page.html")]  # linked, not copied
    assert after[Path("index.html")] != before[Path("index.html")]
    build_inodes = {p.stat().st_ino for p in new.rglob("*")}
    assert not build_inodes & set(after.values())  # never shared with the build, which Sphinx rewrites
    (new / "_static" / "a.css").write_text("changed again", encoding="utf-8")
    assert (published / "_static" / "a.css").read_text(encoding="utf-8") == "new css"


def test_the_files_the_build_replaces_whole_are_linked_from_it(builds: tuple[Path, Path, Path]) -> None:
    """A page the build writes by replacing its file (write_bytes) is linked, not copied; the next
    build's pages leave the published ones as they were, and what Sphinx rewrites in place is copied."""
    _, new, published = builds
    assert publish(new, published, replaced=["index.html", "added/page.html", "not-in-the-build.html"])
    assert snapshot(published) == snapshot(new)
    for page in ("index.html", "added/page.html"):
        assert (published / page).samefile(new / page)  # one file: nothing copied
    assert not (published / "_static/a.css").samefile(new / "_static/a.css")
    time.sleep(0.01)
    assert write_bytes(new / "index.html", b"the next build's page")  # replaced, as the build writes pages
    (new / "_static" / "a.css").write_text("rewritten in place", encoding="utf-8")  # as Sphinx does
    assert (published / "index.html").read_text(encoding="utf-8") == "new"
    assert (published / "_static/a.css").read_text(encoding="utf-8") == "new css"
    assert not list(new.rglob("*.partial"))  # the page was written beside itself, then renamed
    assert publish(new, published, replaced=["index.html", "added/page.html"])
    assert snapshot(published) == snapshot(new)
    assert (published / "index.html").samefile(new / "index.html")


def test_the_command_links_what_the_build_records_as_replaced_whole(
    builds: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, new, published = builds
    doctrees = tmp_path / "doctrees"
    (doctrees / RECORD_FOLDER).mkdir(parents=True)
    (doctrees / RECORD_FOLDER / f"{REPLACED_FILES}.json").write_text('["index.html"]', encoding="utf-8")
    assert main(["--doctrees", str(doctrees), str(new), str(published)]) == 0
    assert (published / "index.html").samefile(new / "index.html")
    assert not (published / "added/page.html").samefile(new / "added/page.html")
    assert snapshot(published) == snapshot(new)


def test_symbolic_links_are_published_as_links(builds: tuple[Path, Path, Path]) -> None:
    """A link in the build (an edition's folder, say) is published as the same link, first copied,
    then linked from the published site while it is unchanged; the folder it names is not walked."""
    _, new, published = builds
    (new / "latest").symlink_to("added", target_is_directory=True)
    (new / "home.html").symlink_to("index.html")
    for n in range(2):  # the second publication keeps them
        (new / "index.html").write_text(f"newer {n}", encoding="utf-8")
        assert publish(new, published)
        assert (published / "latest").is_symlink() and (published / "latest").readlink() == Path("added")
        assert (published / "home.html").is_symlink() and (published / "home.html").readlink() == Path("index.html")
        assert (published / "home.html").read_text(encoding="utf-8") == f"newer {n}"
        assert not (published / "latest").resolve().is_relative_to(new.resolve())
        time.sleep(0.01)
    assert "latest/page.html" not in publishing._build_state(new)


def test_an_interruption_between_the_two_renames_is_undone(builds: tuple[Path, Path, Path]) -> None:
    old, new, published = builds
    publish(old, published)
    before = snapshot(published)
    published.rename(published.with_name(".html.old"))  # killed right after the first rename
    shutil.copytree(new, published.with_name(".html.new"))
    recover(published)
    assert snapshot(published) == before
    publish(new, published)
    assert snapshot(published) == snapshot(new)


# -- the real site, killed while building --------------------------------------------------------------


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    out = site / "_build" / "generic"
    first = make_html(site, out)
    assert first.returncode == 0, first.stderr
    published = out / "html"
    # the pages are linked from the build, which replaces them whole; what Sphinx rewrites is copied
    assert (published / MODEL / "index.html").samefile(out / ".work" / "html" / MODEL / "index.html")
    assert not (published / "objects.inv").samefile(out / ".work" / "html" / "objects.inv")
    old = snapshot(published)
    model = site / "competency_src" / f"{MODEL}.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace(
            "title: Customer Service Representative", "title: Customer Service Representative (new)", 1
        ),
        encoding="utf-8",
    )

    seen: list[dict[str, str]] = []
    for delay in (1.0, 0.3, 2.5):
        process = subprocess.Popen(
            ["/bin/sh", "-c", shell_command(site, out)],
            cwd=site,
            env=build_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        seen.append(snapshot(published))

    final = make_html(site, out)
    assert final.returncode == 0, final.stderr
    new = snapshot(published)
    assert new != old and "(new)" in (published / MODEL / "index.html").read_text(encoding="utf-8")
    assert new == snapshot(out / ".work" / "html")
    for state in seen:
        assert state in (old, new)  # exactly the old site or exactly the new one, never a mix
    assert seen[0] == old  # a second into a build, nothing was published yet
    assert sorted(p.name for p in out.iterdir()) == [".work", "doctrees", "html"]


@pytest.mark.slow
def test_a_failed_build_publishes_nothing(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    out = site / "_build" / "generic"
    assert make_html(site, out).returncode == 0
    before = snapshot(out / "html")
    model = site / "competency_src" / f"{MODEL}.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("    kind: technical", "    knd: technical"), encoding="utf-8"
    )
    result = make_html(site, out)
    assert result.returncode == 1
    assert "unknown key 'knd'" in result.stderr
    assert snapshot(out / "html") == before


def test_the_makefile_builds_through_one_entry_point(tmp_path: Path) -> None:
    """`make -n html` (print, run nothing): one command, which builds and publishes, given the variables as data."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    for variables in ([], ["UTILITY=demo"]):
        result = subprocess.run(
            ["make", "-n", "-s", "html", *variables],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert "python -m competency.publishing.build_site " in lines[-1]
        assert lines[-1].endswith('--utility "$UTILITY" --jobs "$JOBS"')
        assert not [line for line in lines if "sphinx-build" in line or "demo" in line]
