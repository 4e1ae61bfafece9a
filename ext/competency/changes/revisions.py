"""The models of a source folder or of a git revision (for `competency diff` and ``{comp:changes}``).

A revision's source folder is written with ``git archive`` into a temporary folder, as an
edition's is (editions.py), and loaded from there like any folder: its models, withdrawn models,
overlays, the family's library and the HR rating scale. The working tree is never touched.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

from ..sources.editions import unpack_archive
from ..sources.problems import Location, Problem, SourceError
from ..sources.site import Site, load_site


def repository_root(start: Path) -> Path:
    """The top folder of the git repository holding `start`."""
    path = _git(start, "rev-parse", "--show-toplevel").strip()
    return Path(path)


def load_revision(repo: Path, revision: str, source_dir: str) -> Site:
    """The models of `source_dir` (relative to the repository root) at a git revision."""
    folder = source_dir.strip("/")
    # The whole folder, not its models alone: what load_site reads besides them (shared/library.yaml,
    # utilities/, withdrawn/, hr/) is the revision's too, and a folder reads the same from git as on disk.
    data = _git_bytes(repo, "archive", "--format=tar", revision, "--", folder)
    with tempfile.TemporaryDirectory(prefix="competency-rev-") as scratch:
        target = Path(scratch, folder)
        try:
            unpack_archive(data, Path(scratch))
        except tarfile.FilterError as exc:  # a committed link out of the folder: nothing to read there
            raise SourceError(
                [
                    Problem(
                        location=Location(path=Path(f"{revision}:{exc.tarinfo.name}")),
                        message="a link to a file outside the repository",
                        hint="commit the file itself",
                    )
                ]
            ) from None
        try:
            return load_site(target)
        except SourceError as exc:  # name the revision's file, not the scratch copy
            raise SourceError(
                replace(p, location=replace(p.location, path=_at_revision(p.location.path, target, revision, folder)))
                for p in exc.problems
            ) from None


def _at_revision(path: Path, target: Path, revision: str, folder: str) -> Path:
    """`REV:<folder>/<file>` for a file of the scratch copy (`shared/library.yaml` keeps its subfolder)."""
    try:
        inside = path.relative_to(target)
    except ValueError:
        return path
    return Path(f"{revision}:{(Path(folder) / inside).as_posix()}")


def load_version(spec: str, repo: Path | None, source_dir: str) -> Site:
    """A version named on the command line: an existing folder, or a git revision of the repository."""
    if Path(spec).is_dir():
        return load_site(Path(spec))
    root = repo or repository_root(Path.cwd())
    return load_revision(root, spec, source_dir)


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8")


def _git_bytes(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)
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
        stderr = done.stderr.decode("utf-8", "replace").strip()
        message = stderr.splitlines()[-1] if stderr else f"git {args[0]} failed"
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
