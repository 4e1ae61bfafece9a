"""The models of a source folder or of a git revision (for `competency diff` and ``{comp:changes}``).

A revision's model files are read with ``git show REV:<folder>/<file>`` into a
temporary folder and loaded from there; the working tree is never touched.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from ..sources.problems import Location, Problem, SourceError
from ..sources.site import Site, load_site


def repository_root(start: Path) -> Path:
    """The top folder of the git repository holding `start`."""
    path = _git(start, "rev-parse", "--show-toplevel").strip()
    return Path(path)


def load_revision(repo: Path, revision: str, source_dir: str) -> Site:
    """The models of `source_dir` (relative to the repository root) at a git revision."""
    folder = source_dir.strip("/")
    listing = _git(repo, "ls-tree", "--name-only", "-z", f"{revision}:{folder}")
    names = sorted(n for n in listing.split("\0") if n.endswith(".yaml"))
    with tempfile.TemporaryDirectory(prefix="competency-rev-") as scratch:
        target = Path(scratch, folder.rpartition("/")[2] or "competency_src")
        target.mkdir()
        for name in names:
            (target / name).write_text(_git(repo, "show", f"{revision}:{folder}/{name}"), encoding="utf-8")
        try:
            return load_site(target)
        except SourceError as exc:  # name the revision's file, not the scratch copy
            raise SourceError(
                replace(p, location=replace(p.location, path=Path(f"{revision}:{folder}/{p.location.path.name}")))
                for p in exc.problems
            ) from None


def load_version(spec: str, repo: Path | None, source_dir: str) -> Site:
    """A version named on the command line: an existing folder, or a git revision of the repository."""
    if Path(spec).is_dir():
        return load_site(Path(spec))
    root = repo or repository_root(Path.cwd())
    return load_revision(root, spec, source_dir)


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SourceError(
            [
                Problem(
                    location=Location(path=cwd),
                    message=f"git could not run: {exc}",
                    hint="install git, or compare two folders",
                )
            ]
        ) from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        raise SourceError(
            [
                Problem(
                    location=Location(path=cwd),
                    message=f"git {args[0]}: {message}",
                    hint="name an existing folder or a git revision (tag, branch or commit)",
                )
            ]
        )
    return done.stdout
