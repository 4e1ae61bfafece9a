"""Editions: named, dated git revisions of the sources, recorded in `competency_src/editions.yaml`.

An edition is what HR cites: the wording of the models as it stood at one commit. The file lists
the editions oldest first (name, date, revision, note); `competency release NAME` appends one
(cli/release.py). Every edition stays published below `editions/<name>/` of the site
(edition_build.py), and no id that any edition published may vanish from the sources without a
record: the same check as the one against the last commit (withdrawals.py), run against each
edition's revision.

An edition's sources are read from git (`git archive` of the source folder at its revision), so
a clone needs the history back to the oldest edition; a shallow clone is told how to fetch it.
"""

from __future__ import annotations

import datetime
import io
import os
import pickle
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .problems import Location, Problem, SourceError
from .schema import check_schema
from .site import EDITIONS_FILE, Site, load_site
from .withdrawals import vanished_ids
from .yamlfile import read_yaml

EDITIONS_SCHEMA = "editions.schema.json"
#: The folder of the published site that holds the editions (editions/<name>/).
EDITIONS_FOLDER = "editions"
#: Edition names become git tags and folder names: nothing a URL, a shell or git would read.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REVISION = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Edition:
    """One published edition of the models."""

    #: Its name (a git tag, and the folder editions/<name>/ of the site).
    name: str
    #: The day it was released (YYYY-MM-DD).
    date: str
    #: The git commit whose sources it publishes.
    revision: str
    #: What it is, in one sentence ("" when none was given).
    note: str = ""
    #: Where it is recorded.
    location: Location

    def folder(self) -> str:
        """Its folder in the published site, with a slash."""
        return f"{EDITIONS_FOLDER}/{self.name}/"


def editions_file(source_dir: Path) -> Path:
    return Path(source_dir) / EDITIONS_FILE


def load_editions(source_dir: Path) -> tuple[Edition, ...]:
    """The editions recorded in a source folder, oldest first; () when it has no editions file."""
    path = editions_file(source_dir)
    if not path.is_file():
        return ()
    document = read_yaml(path)
    problems = check_schema(document, EDITIONS_SCHEMA)
    if problems:
        raise SourceError(problems)
    editions: list[Edition] = []
    seen: dict[str, int] = {}
    at = document.positions.at
    for n, entry in enumerate(document.data["editions"]):
        edition = Edition(
            name=entry["name"],
            date=entry["date"],
            revision=entry["revision"],
            note=" ".join(str(entry.get("note") or "").split()),
            location=at(("editions", n)),
        )
        problems += _entry_problems(edition, editions, seen, lambda key, n=n: at(("editions", n, key)))
        seen.setdefault(edition.name, edition.location.line)
        editions.append(edition)
    if problems:
        raise SourceError(problems)
    return tuple(editions)


def _entry_problems(edition: Edition, earlier: Sequence[Edition], seen: dict[str, int], at) -> list[Problem]:
    problems = []
    if not NAME.fullmatch(edition.name):
        problems.append(
            Problem(
                location=at("name"),
                message=f"'{edition.name}' is not a valid edition name",
                hint="use letters, digits, '.', '_' and '-' (e.g. 2025 or v2.1): it becomes a git tag and a folder",
            )
        )
    elif edition.name in seen:
        problems.append(
            Problem(
                location=at("name"),
                message=f"the edition '{edition.name}' is already recorded on line {seen[edition.name]}",
                hint="each edition has its own name",
            )
        )
    if not DATE.fullmatch(edition.date) or not _is_date(edition.date):
        problems.append(
            Problem(location=at("date"), message=f"'{edition.date}' is not a date", hint="write it as YYYY-MM-DD")
        )
    elif earlier and DATE.fullmatch(earlier[-1].date) and edition.date < earlier[-1].date:
        problems.append(
            Problem(
                location=at("date"),
                message=f"the edition '{edition.name}' ({edition.date}) is dated before the edition above it "
                f"('{earlier[-1].name}', {earlier[-1].date})",
                hint="editions are listed oldest first",
            )
        )
    if not REVISION.fullmatch(edition.revision):
        problems.append(
            Problem(
                location=at("revision"),
                message=f"'{edition.revision}' is not a full git commit id",
                hint="write the 40 hexadecimal digits of the commit (git rev-parse <tag>), or use `competency release`",
            )
        )
    return problems


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- the editions' sources, from git -------------------------------------------------------------------


def edition_site(source_dir: Path, edition: Edition, cache_dir: Path | None = None) -> Site:
    """The models of the source folder at an edition's revision (read from git, never the working tree).

    A revision never changes, so with `cache_dir` the loaded site is kept there and reused.
    """
    cache = Path(cache_dir, f"competency-edition-{edition.revision}.pickle") if cache_dir else None
    if cache is not None:
        try:
            with cache.open("rb") as stream:
                site: Site = pickle.load(stream)
            return site
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            pass  # not cached yet, or by another version of the tool
    with tempfile.TemporaryDirectory(prefix="competency-edition-") as scratch:
        folder = extract_sources(source_dir, edition, Path(scratch) / "sources")
        try:
            site = load_site(folder)
        except SourceError as exc:  # name the edition's file, not the scratch copy
            raise SourceError(
                replace(p, message=f"edition {edition.name}: {p.message}", location=edition.location)
                for p in exc.problems
            ) from None
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as stream:
            pickle.dump(site, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    return site


def extract_sources(source_dir: Path, edition: Edition, target: Path, *, checkout: Path | None = None) -> Path:
    """Write the source folder (or, with `checkout`, that folder of the same repository: the one holding
    conf.py and docs/, which holds the source folder) as it was at the edition's revision into `target`;
    return where the source folder (or the checkout) is there."""
    source_dir = Path(source_dir).resolve()
    prefix = _git(Path(checkout or source_dir).resolve(), ["rev-parse", "--show-prefix"], edition).strip()
    require_revision(source_dir, edition)
    top = Path(_git(source_dir, ["rev-parse", "--show-toplevel"], edition).strip())
    data = _git_bytes(top, ["archive", "--format=tar", edition.revision, "--", prefix or "."], edition)
    unpack_archive(data, target)
    return target / prefix.rstrip("/") if prefix else target


def unpack_archive(data: bytes, target: Path) -> None:
    """Write the files of a `git archive --format=tar` into `target`.

    Raises tarfile.FilterError for an entry that would reach out of `target` (a committed link to an
    absolute path, or out of the archive): the "data" filter refuses it.
    """
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")


def commit_time(source_dir: Path, edition: Edition) -> str:
    """The edition's commit time in seconds (SOURCE_DATE_EPOCH of its build: its pages carry its date)."""
    return _git(Path(source_dir), ["log", "-1", "--format=%ct", edition.revision], edition).strip()


def require_revision(source_dir: Path, edition: Edition) -> None:
    """Raise a located error, with the command to fetch it, when the clone lacks an edition's commit."""
    done = _run(Path(source_dir), ["cat-file", "-e", f"{edition.revision}^{{commit}}"])
    if done is not None and done.returncode == 0:
        return
    shallow = _run(Path(source_dir), ["rev-parse", "--is-shallow-repository"])
    if shallow is not None and shallow.stdout.strip() == b"true":
        message = (
            f"the commit {edition.revision[:12]} of edition {edition.name} is not in this clone: it is a shallow "
            "clone, without the history the editions are built from"
        )
        hint = "fetch the history with `git fetch --unshallow` (or enough of it with `git fetch --deepen=<commits>`)"
    else:
        message = f"the commit {edition.revision[:12]} of edition {edition.name} is not in this repository"
        hint = "fetch it (`git fetch origin --tags`), or correct the revision in editions.yaml"
    raise SourceError([Problem(location=edition.location, message=message, hint=hint)])


def _run(cwd: Path, args: list[str]) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_bytes(cwd: Path, args: list[str], edition: Edition) -> bytes:
    done = _run(cwd, args)
    if done is None or done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if done is not None else []
        raise SourceError(
            [
                Problem(
                    location=edition.location,
                    message=f"git cannot read the sources of edition {edition.name}"
                    + (f": {why[0]}" if why else " (git is missing)"),
                    hint="the editions are built from the git history: build in a clone of the repository",
                )
            ]
        )
    return done.stdout


def _git(cwd: Path, args: list[str], edition: Edition) -> str:
    return _git_bytes(cwd, args, edition).decode("utf-8")


# -- the checks --------------------------------------------------------------------------------------


def check_editions(site: Site, editions: Sequence[Edition], sites: Sequence[Site] | None = None) -> None:
    """Raise SourceError unless every edition's commit is at hand and every id it published still answers.

    With the editions' loaded `sites`, only an edition that lost an id is compared file by file (to
    name the entry to add): a build with several editions and nothing lost reads no committed file.
    """
    problems: list[Problem] = []
    taken = [m for m in (*site.written, *site.withdrawn_models) if m == EDITIONS_FOLDER]
    if editions and taken:
        model = site.any_model(taken[0])
        problems.append(
            Problem(
                location=Location(path=model.path, line=1, column=1) if model else editions[0].location,
                message=f"the model id '{EDITIONS_FOLDER}' is the folder of the site that holds the editions",
                hint="give the model another id (keep the old one as an alias only if no edition published it)",
            )
        )
    for n, edition in enumerate(editions):
        require_revision(site.source_dir, edition)
        if sites is not None and not _lost_ids(sites[n], site):
            continue
        problems += [
            replace(p, message=f"edition {edition.name}: {p.message}")
            for p in vanished_ids(site, revision=edition.revision)
        ]
    if problems:
        raise SourceError(problems)


def _lost_ids(edition: Site, current: Site) -> bool:
    """Whether an id the edition published has no page in the current sources."""
    models = {**current.withdrawn_models, **current.written}
    by_name = {name: model for model in models.values() for name in (model.id, *model.aliases)}
    for model in (*edition.written.values(), *edition.withdrawn_models.values()):
        now = by_name.get(model.id)
        if now is None or not model.page_ids() <= now.page_ids():
            return True
    return False
