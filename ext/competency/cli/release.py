"""`competency release NAME [--note TEXT]`: record the sources as they are committed as an edition.

The steps: check the sources (as `competency check` does), refuse uncommitted changes to them
(an edition is a commit), append the edition to `competency_src/editions.yaml` with the last
commit's id, commit that record, and tag the new commit NAME. Nothing is left half done: when a
step fails, the editions file is put back as it was.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

from ..sources.editions import EDITIONS_SCHEMA, NAME, editions_file, load_editions
from ..sources.problems import Location, Problem, SourceError, display_path
from ..sources.yamlformat import canonical, write_atomically
from .check import check_sources

HEADER = (
    "# The published editions of the models, oldest first (manual/editions.md in the tool documentation).\n"
    "# Written by `competency release NAME`: each edition is the commit `revision`, tagged NAME.\n"
    f"# Schema: ext/competency/schemas/{EDITIONS_SCHEMA}\n"
    "editions:\n"
)


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "release",
        help="record the committed sources as a named edition (editions.yaml), commit the record and tag it",
        description="Check the sources, record the last commit as edition NAME in editions.yaml, commit that "
        "record and make the git tag NAME. `make html` then publishes the edition below editions/NAME/.",
    )
    parser.add_argument("name", help="the edition's name, e.g. 2025 or v2 (a git tag and a folder of the site)")
    parser.add_argument("--note", default="", help="what the edition is, in one sentence (shown on the site)")
    parser.add_argument("--date", default="", help="the release date, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--src", type=Path, default=Path("competency_src"), help="source folder (default: competency_src)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    src: Path = args.src
    check_sources(src, Path("docs"))  # the same checks as `competency check`, editions included
    path = editions_file(src)
    where = Location(path=path, line=1, column=1)
    editions = load_editions(src)
    name = args.name
    if not NAME.fullmatch(name) or _git(src, "check-ref-format", f"refs/tags/{name}") is None:
        raise _refused(where, f"'{name}' is not a valid edition name", "use letters, digits, '.', '_' and '-'")
    if any(e.name == name for e in editions):
        raise _refused(where, f"the edition '{name}' is already recorded", "choose a new name")
    if _git(src, "rev-parse", "-q", "--verify", f"refs/tags/{name}") is not None:
        raise _refused(where, f"the git tag '{name}' already exists", "choose a new name, or delete the old tag")
    head = (_git(src, "rev-parse", "--verify", "HEAD^{commit}") or "").strip()
    if not head:
        raise _refused(where, "the sources are not in a git repository with a commit", "commit the sources first")
    site_root = _site_root(src)
    built_with = [path for path in (site_root / "docs", site_root / "conf.py") if path.exists()]
    dirty = _git(src, "status", "--porcelain", "--", ".", *map(str, built_with))
    if dirty is None or dirty.strip():
        listed = ", ".join(line[3:] for line in (dirty or "").splitlines()[:5])
        raise _refused(
            where,
            "the sources have changes that are not committed" + (f" ({listed})" if listed else ""),
            "an edition is a commit: commit (or stash) the changes, then release",
        )
    date = args.date or datetime.date.today().isoformat()
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    entry = f"  - name: {json.dumps(name)}\n    date: {json.dumps(date)}\n    revision: {head}\n"
    note = " ".join(args.note.split())
    if note:
        entry += f"    note: {json.dumps(note, ensure_ascii=False)}\n"
    text = (before if before is not None else HEADER).rstrip("\n") + "\n" + entry
    if before is not None and "editions: []" in before:
        text = before.replace("editions: []", "editions:", 1).rstrip("\n") + "\n" + entry
    write_atomically(path, canonical(text))
    try:
        load_editions(src)  # the record written is a valid one
        _must(src, "add", "--", path.name)
        _must(src, "commit", "-q", "-m", f"Release edition {name}", "--", path.name)
    except (SourceError, _GitError) as exc:
        _restore(path, before)
        if isinstance(exc, SourceError):
            raise
        raise _refused(
            where, f"the record could not be committed: {exc}", "fix git (e.g. user.name), then retry"
        ) from None
    record_commit = (_git(src, "rev-parse", "HEAD") or "").strip()
    try:
        _must(src, "tag", "-a", name, "-m", f"Edition {name} ({date})" + (f": {note}" if note else ""))
    except _GitError as exc:
        raise _refused(
            where,
            f"edition {name} is recorded and committed ({record_commit[:12]}) but the tag failed: {exc}",
            f"tag it by hand: git tag -a {name} {record_commit[:12]}",
        ) from None
    default = Path("competency_src").resolve() == src.resolve()
    command = "make html" if default else f"make html SOURCES={display_path(src)}"
    print(
        f"Edition {name} ({date}) is the commit {head[:12]}: recorded in {display_path(path)}, committed "
        f"({record_commit[:12]}) and tagged {name}.\n"
        f"Publish it with `{command}` (below editions/{name}/); share it with `git push --follow-tags`.",
        file=sys.stderr,
    )
    return 0


def _site_root(src: Path) -> Path:
    """The folder `make html` builds the editions of `src` in: the nearest one above it, within its git
    checkout, that holds conf.py (a utility's folder may sit deeper than competency_src/), else its parent.

    An edition is built from that folder's conf.py and docs/ as committed, so they must be committed too.
    """
    folder = src.resolve()
    top = (_git(src, "rev-parse", "--show-toplevel") or "").strip()
    for parent in folder.parents:
        if (parent / "conf.py").is_file():
            return parent
        if top and parent == Path(top).resolve():
            break
    return folder.parent


def _restore(path: Path, before: str | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        write_atomically(path, before)


def _refused(where: Location, message: str, hint: str) -> SourceError:
    return SourceError([Problem(location=where, message=f"cannot release: {message}", hint=hint)])


class _GitError(Exception):
    pass


def _run(src: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", *args], cwd=src, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _git(src: Path, *args: str) -> str | None:
    done = _run(src, *args)
    return done.stdout if done is not None and done.returncode == 0 else None


def _must(src: Path, *args: str) -> None:
    done = _run(src, *args)
    if done is None:
        raise _GitError("git could not run")
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise _GitError(lines[-1] if lines else f"git {args[0]} failed")
