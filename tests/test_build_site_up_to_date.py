"""A `make html` with nothing changed starts no Sphinx; any change it depends on makes it build.

publishing/up_to_date.py keeps, once a build is published, a fingerprint of everything the build
read and of what it left. The fast tests change each part of it by hand and check that the record
is no longer current; the slow one drives the command itself through a sequence of changes and
compares each build with a clean build of the same sources.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from competency.publishing import up_to_date
from competency.publishing.build_site import INCOMPLETE
from competency.sphinx_ext.stubs import MARKER

from .conftest import REPO
from .helpers import copy_root
from .robustness.sitebuild import build_env, make_html, make_html_commands
from .test_reproducible import differences, explain_differences

ROOT = REPO / "tests" / "roots" / "test-up-to-date"
#: The settings of this root besides the roots' shared ones.
EXTRA = "conf-extra.txt"
MODEL = "line-locator"
UTILITY = "small_town"
SKIPPED = "Nothing changed since the last build: _build/{}/html is current.\n"


def checkout(folder: Path) -> Path:
    """A copy of the test root (its links followed: edits stay in the copy) with the roots' shared
    conf.py and this root's own settings after it (conf-extra.txt, which the copy does not keep)."""
    copy_root("up-to-date", folder, ignore=lambda _folder, names: {n for n in names if n == EXTRA})
    with (folder / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write((ROOT / EXTRA).read_text(encoding="utf-8"))
    return folder


def run(site: Path, utility: str = "", jobs: str = "auto", **env: str) -> subprocess.CompletedProcess[str]:
    """`make html`'s command, with Sphinx's progress shown (its first line says Sphinx ran)."""
    (command,) = make_html_commands(site, site / "_build" / (utility or "generic"), utility=utility, jobs=jobs)
    return subprocess.run(
        [part for part in command if part != "-q"],
        cwd=site,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def stamps_of(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns, p.lstat().st_ino)
        for p in sorted(folder.rglob("*"))
    }


def assert_nothing_is_built(site: Path, what: str, utility: str = "", jobs: str = "auto", **env: str) -> None:
    """The next `make html` says there is nothing to do, and writes nothing."""
    variant = site / "_build" / (utility or "generic")
    environment = variant / "doctrees" / "environment.pickle"
    saved, published = environment.stat().st_mtime_ns, stamps_of(variant / "html")
    again = run(site, utility, jobs, **env)
    assert (again.returncode, again.stdout, again.stderr) == (0, SKIPPED.format(utility or "generic"), ""), what
    assert environment.stat().st_mtime_ns == saved, f"{what}: Sphinx saved its environment again"
    assert stamps_of(variant / "html") == published, f"{what}: the published site was touched"


def test_the_stub_marker_is_the_extensions() -> None:
    assert up_to_date.STUB_MARKER == MARKER


def test_a_no_op_starts_no_sphinx_and_a_failed_build_leaves_no_record(tmp_path: Path) -> None:
    site = checkout(tmp_path / "site")
    first = run(site)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Running Sphinx" in first.stdout
    assert (site / "_build" / "generic" / up_to_date.RECORD).is_file()
    assert not list((site / "_build" / "generic" / "html").rglob("up-to-date*"))  # not in the published site
    assert_nothing_is_built(site, "nothing changed")
    model = site / "competency_src" / f"{MODEL}.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("id: locating", "id: [locating"), encoding="utf-8")  # a YAML error
    failed = run(site)
    assert failed.returncode != 0 and "Nothing changed" not in failed.stdout
    assert not (site / "_build" / "generic" / up_to_date.RECORD).exists()
    model.write_text(text, encoding="utf-8")  # the same bytes as the published build's: it builds all the same
    again = run(site)
    assert again.returncode == 0 and "Running Sphinx" in again.stdout, again.stdout + again.stderr
    assert_nothing_is_built(site, "after the failed build")


# -- each part of the fingerprint, changed by hand -------------------------------------------------------


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> up_to_date.Command:
    """A checkout whose (hand-made) published site is recorded as current. The package's code and the
    import path are small copies here, so that the tests can change them."""
    site = checkout(tmp_path / "site")
    code = tmp_path / "code"
    (code / "theme").mkdir(parents=True)
    (code / "theme" / "nav.py").write_text("SIDEBAR = 'sidebar'\n", encoding="utf-8")
    monkeypatch.setattr(up_to_date, "CODE", code)
    (tmp_path / "site-packages").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site-packages"), *sys.path])
    # Pages kept elsewhere, linked into docs/ (Sphinx follows the link); the link back must not loop.
    _write(site / "policies" / "leave.md", "# Leave\n\nTwenty days.\n")
    (site / "docs" / "policies").symlink_to(site / "policies", target_is_directory=True)
    (site / "policies" / "again").symlink_to(site / "docs", target_is_directory=True)
    variant = site / "_build" / "generic"
    for name, text in {
        "html/index.html": "home",
        "html/line-locator/index.html": "model",
        "doctrees/environment.pickle": "state",
        ".work/html.published.json": "{}",
    }.items():
        (variant / name).parent.mkdir(parents=True, exist_ok=True)
        (variant / name).write_text(text, encoding="utf-8")
    command = up_to_date.Command(
        root=site,
        variant_dir=variant,
        utility="",
        sources="competency_src",
        jobs="auto",
        options=("-W", "--keep-going", "-n"),
    )
    assert up_to_date.remember(command, up_to_date.inputs(command))
    assert up_to_date.is_current(command, variant / INCOMPLETE)
    return command


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _replace_by_a_copy(folder: Path) -> None:
    """What a person restoring a backup does: the same files, names, sizes and times, but other files."""
    shutil.copytree(folder, folder.with_name("copy"))
    shutil.rmtree(folder)
    folder.with_name("copy").rename(folder)


def _docutils_settings(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(home / ".docutils", "[general]\n")
    monkeypatch.setenv("HOME", str(home))


#: Each change the build depends on: (what, change). The change gets the command of the recorded build
#: and returns the command of the next one.
CHANGES: list[tuple[str, Callable[[up_to_date.Command, pytest.MonkeyPatch], up_to_date.Command | None]]] = [
    ("a model edited", lambda c, m: _edit(c.root / "competency_src" / f"{MODEL}.yaml", "Marks buried", "Marks")),
    ("an overlay edited", lambda c, m: _edit(c.root / "competency_src/utilities/small_town.yaml", "Small", "Big")),
    ("a model added", lambda c, m: _write(c.root / "competency_src" / "pump-operator.yaml", "id: pump-operator\n")),
    ("a page edited", lambda c, m: _edit(c.root / "docs" / "about.md", "first words", "second words")),
    ("a file added to docs/", lambda c, m: _write(c.root / "docs" / "extra.md", "---\norphan: true\n---\n# Extra\n")),
    ("a page in a linked folder", lambda c, m: _edit(c.root / "policies" / "leave.md", "days", "weeks")),
    ("conf.py edited", lambda c, m: _edit(c.root / "conf.py", "smartquotes = False", "smartquotes = True")),
    ("a file conf.py's settings name", lambda c, m: _edit(c.root / "_static" / "site.css", "0 auto", "1em")),
    ("a file added beside conf.py", lambda c, m: _write(c.root / "logo.svg", "<svg/>")),
    ("docutils' settings of the user", lambda c, m: _docutils_settings(c.root.parent / "home", m)),
    ("the editions record", lambda c, m: _write(c.root / "competency_src" / "editions.yaml", "editions: []\n")),
    ("an extension file edited", lambda c, m: _edit(up_to_date.CODE / "theme" / "nav.py", "'sidebar'", "'nav'")),
    ("an extension file added", lambda c, m: _write(up_to_date.CODE / "pages" / "new.py", "")),
    ("a distribution upgraded", lambda c, m: (Path(sys.path[0]) / "sphinx-99.0.dist-info").mkdir()),
    ("another Python", lambda c, m: m.setattr(sys, "version", sys.version + " (another build)")),
    ("SOURCE_DATE_EPOCH", lambda c, m: m.setenv("SOURCE_DATE_EPOCH", "1800000000")),
    ("PYTHONPATH", lambda c, m: m.setenv("PYTHONPATH", str(c.root))),
    ("another utility", lambda c, m: replace(c, utility=UTILITY)),
    ("other jobs", lambda c, m: replace(c, jobs="1")),
    ("other sphinx-build options", lambda c, m: replace(c, options=(*c.options, "-t", "draft"))),
    ("another source folder", lambda c, m: replace(c, sources="docs")),
    ("a published file deleted", lambda c, m: (c.variant_dir / "html" / "line-locator" / "index.html").unlink()),
    ("a published file edited", lambda c, m: _write(c.variant_dir / "html" / "index.html", "defaced")),
    ("a file added to the published site", lambda c, m: _write(c.variant_dir / "html" / "extra.html", "")),
    ("the published folder removed", lambda c, m: shutil.rmtree(c.variant_dir / "html")),
    ("the published folder replaced by a copy", lambda c, m: _replace_by_a_copy(c.variant_dir / "html")),
    ("a leftover .incomplete marker", lambda c, m: (c.variant_dir / INCOMPLETE).touch()),
    ("Sphinx's saved state removed", lambda c, m: shutil.rmtree(c.variant_dir / "doctrees")),
    ("swap.py's publish record rewritten", lambda c, m: _write(c.variant_dir / ".work/html.published.json", "{ }")),
]


@pytest.mark.parametrize("change", [change for _, change in CHANGES], ids=[what for what, _ in CHANGES])
def test_each_change_the_build_depends_on_makes_it_build(
    recorded: up_to_date.Command, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    command = change(recorded, monkeypatch) or recorded
    assert not up_to_date.is_current(command, command.variant_dir / INCOMPLETE)


def test_what_the_build_leaves_beside_the_sources_changes_nothing(recorded: up_to_date.Command) -> None:
    """The generated stub folders, the build folder and Python's caches are the build's own: they
    never make a build look out of date."""
    stubs = recorded.root / "docs" / MODEL
    _write(stubs / MARKER, "generated\n")
    _write(stubs / "index.md", "# Line Locator\n")
    _write(recorded.root / "_build" / "generic" / "doctrees" / "other.pickle", "")
    _write(up_to_date.CODE / "theme" / "__pycache__" / "nav.cpython-311.pyc", "")
    assert up_to_date.is_current(recorded, recorded.variant_dir / INCOMPLETE)


def test_a_file_saved_during_the_build_leaves_no_record(recorded: up_to_date.Command) -> None:
    seen = up_to_date.inputs(recorded)  # taken before Sphinx starts
    up_to_date.forget(recorded.variant_dir)
    _edit(recorded.root / "docs" / "about.md", "first words", "words saved while Sphinx read")
    assert not up_to_date.remember(recorded, seen)
    assert not (recorded.variant_dir / up_to_date.RECORD).exists()


def test_the_files_and_variables_conf_py_reads_are_found_as_sphinx_runs_it(tmp_path: Path) -> None:
    site = checkout(tmp_path / "site")
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "os.environ['LEAKED'] = 'yes'\n"
            "project = os.environ.get('SITE_NAME', 'Competency models')\n"
            "html_title = os.getenv('SITE_TITLE') or project\n"
            "html_logo = 'images/north.svg' if tags.has('north') else 'images/logo.svg'\n"
            "html_favicon = 'https://example.org/favicon.ico'\n"
            "templates_path = ['/usr/share/competency/templates']\n"
        )
    command = up_to_date.Command(
        root=site, variant_dir=site / "_build" / "north", utility="north", sources="src", jobs="1", options=()
    )
    configuration = up_to_date.configure(command)
    assert configuration is not None
    assert configuration.named == (
        "/usr/share/competency/templates",
        "_static",
        "images/north.svg",
        "locales",  # Sphinx's default
        "src",  # the source folder of the command line
    )
    assert configuration.variables == ("SITE_NAME", "SITE_TITLE", "SOURCE_DATE_EPOCH")
    assert "LEAKED" not in os.environ  # conf.py runs again in Sphinx's own process
    overridden = replace(command, utility="", options=("-D", "html_static_path=theme,more", "-Dhtml_logo=x.svg"))
    assert up_to_date.configure(overridden) == replace(
        configuration, named=("/usr/share/competency/templates", "locales", "more", "src", "theme", "x.svg")
    )
    (site / "conf.py").write_text("raise ValueError('broken')\n", encoding="utf-8")
    assert up_to_date.configure(command) is None  # Sphinx will say what is wrong
    assert up_to_date.inputs(command) is None


def test_a_variable_conf_py_reads_is_part_of_the_fingerprint(
    recorded: up_to_date.Command, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (recorded.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("html_title = os.getenv('SITE_TITLE', 'Competency models')\n")
    monkeypatch.setenv("SITE_TITLE", "Millbrook")
    assert up_to_date.remember(recorded, up_to_date.inputs(recorded))
    assert up_to_date.is_current(recorded, recorded.variant_dir / INCOMPLETE)
    monkeypatch.setenv("SITE_TITLE", "Millbrook Water")
    assert not up_to_date.is_current(recorded, recorded.variant_dir / INCOMPLETE)


def test_git_refs_and_the_editions_commits_are_part_of_the_fingerprint(
    recorded: up_to_date.Command, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=recorded.root, capture_output=True, text=True, check=True).stdout

    def current() -> bool:
        return up_to_date.is_current(recorded, recorded.variant_dir / INCOMPLETE)

    def record() -> None:
        assert up_to_date.remember(recorded, up_to_date.inputs(recorded)) and current()

    (recorded.root / ".gitignore").write_text("_build/\n", encoding="utf-8")
    record()
    git("init", "-q")
    assert not current()  # a repository now: the withdrawal check compares with its last commit
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    assert not current()
    record()
    git("commit", "-q", "--allow-empty", "-m", "second")  # HEAD moved: dates and withdrawals follow it
    assert not current()
    record()
    git("tag", "v1", "HEAD~1")  # competency_changes_since may name it
    assert not current()
    record()
    head = git("rev-parse", "HEAD").strip()
    _write(recorded.root / "competency_src" / "editions.yaml", f"editions:\n  - revision: {head}\n")
    refs, editions = up_to_date._git_state(recorded.root, recorded.sources)
    assert refs[0] == 0 and f"{head} HEAD" in refs[1]
    assert editions == [0, f"{head} commit {len(git('cat-file', 'commit', head).encode())}\n"]
    _write(recorded.root / "competency_src" / "editions.yaml", f"editions:\n  - revision: {'0' * 40}\n")
    assert up_to_date._git_state(recorded.root, recorded.sources)[1] == [0, f"{'0' * 40} missing\n"]


# -- the command itself, through a sequence of changes ------------------------------------------------------


class CleanBuilds:
    """Clean builds of the sources of a checkout, each made once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[str, ...], Path] = {}

    def published(self, site: Path, utility: str, **env: str) -> Path:
        files = sorted(p for p in site.rglob("*") if p.is_file() and self._is_source(site, p))
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        key = (utility, *sorted(f"{k}={v}" for k, v in env.items()), digest.hexdigest())
        if key not in self.built:
            clean = self.folder / str(len(self.built))
            for path in files:
                (clean / path.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, clean / path.relative_to(site))
            variant = clean / "_build" / (utility or "generic")
            result = make_html(clean, variant, utility=utility, **env)
            assert result.returncode == 0, result.stdout + result.stderr
            self.built[key] = variant / "html"
        return self.built[key]

    @staticmethod
    def _is_source(site: Path, path: Path) -> bool:
        parts = path.relative_to(site).parts
        return parts[0] != "_build" and not any((site.joinpath(*parts[:n]) / MARKER).exists() for n in range(1, 3))


@pytest.mark.slow
def test_make_html_builds_after_each_change_and_only_then(tmp_path: Path) -> None:
    site = checkout(tmp_path / "site")
    clean = CleanBuilds(tmp_path / "clean")
    env: dict[str, str] = {}

    def builds(what: str, utility: str = "", jobs: str = "auto") -> None:
        result = run(site, utility, jobs, **env)
        assert result.returncode == 0, f"{what}:\n{result.stdout}{result.stderr}"
        assert "Running Sphinx" in result.stdout, f"{what}: not built:\n{result.stdout}"
        published = site / "_build" / (utility or "generic") / "html"
        expected = clean.published(site, utility, **env)
        different = differences(published, expected)
        assert different == [], f"{what}:\n" + explain_differences(published, expected, different)
        assert_nothing_is_built(site, f"after {what}", utility, jobs, **env)

    published = site / "_build" / "generic" / "html"
    builds("the first build")
    _edit(site / "competency_src" / f"{MODEL}.yaml", "Marks buried lines", "Marks buried pipes")
    builds("a model edited")
    _edit(site / "docs" / "about.md", "The first words.", "The second words.")
    builds("a page with new content")
    _write(site / "docs" / "extra.md", "---\norphan: true\n---\n# Extra\n\nA page of its own.\n")
    builds("a file added to docs/")
    _edit(site / "_static" / "site.css", "0 auto", "1em")
    builds("a file only conf.py names")
    env["SOURCE_DATE_EPOCH"] = "1800000000"
    builds("SOURCE_DATE_EPOCH changed")
    builds("another utility", utility=UTILITY)
    assert_nothing_is_built(site, "the generic site, after the utility's", **env)
    builds("other jobs", jobs="1")
    (published / "about.html").unlink()
    builds("a published file deleted")
    shutil.rmtree(published)
    builds("the published folder removed")
    _replace_by_a_copy(published)
    builds("the published folder replaced by a copy")
    (site / "_build" / "generic" / INCOMPLETE).touch()
    builds("a leftover .incomplete marker")
