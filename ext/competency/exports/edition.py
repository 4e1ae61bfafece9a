"""The edition an export's wording belongs to: the JSON export's `edition`, CASE's `version` and date.

The current site's exports name the latest edition (editions.py) and whether the sources have
changed since it: the source folder as it is now against the edition's commit, the editions file
aside (`competency release` commits the record after that commit). An edition's own build
(edition_build.py) names that edition, from the settings it is built with: its sources are the
edition's. A site without editions has no stamp, and its exports keep the bytes they always had.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..sources.editions import load_editions
from ..sources.site import EDITIONS_FILE

if TYPE_CHECKING:
    from ..sphinx_ext.config import CompetencyConfig


@dataclass(frozen=True, slots=True, kw_only=True)
class EditionStamp:
    """Which edition the exported wording is, or follows."""

    name: str
    #: The day it was released (YYYY-MM-DD).
    date: str
    #: The git commit whose sources it publishes ("" when the build was not told).
    revision: str
    #: The sources have changed since the edition: the wording may be newer than it.
    changed_since: bool = False
    #: A later edition replaces it (only in an earlier edition's own build).
    superseded: bool = False

    def data(self) -> dict[str, Any]:
        """The JSON export's `edition` (and CASE's `extensions.edition`)."""
        return {
            "name": self.name,
            "date": self.date,
            "revision": self.revision,
            "changed_since": self.changed_since,
            "superseded": self.superseded,
        }

    def case_version(self) -> str | None:
        """CASE `version`: the edition's name when the wording is the edition's, else none."""
        return None if self.changed_since else self.name

    def case_date(self, last_change: datetime) -> datetime:
        """CASE `lastChangeDateTime`: the edition's date when the wording is the edition's, else the
        sources' own last change."""
        if self.changed_since:
            return last_change
        return datetime.fromisoformat(self.date).replace(tzinfo=UTC)


def current_stamp(source_dir: Path) -> EditionStamp | None:
    """The latest edition recorded in a source folder, and whether the sources changed since; None
    when none is recorded. Raises SourceError when the editions file is wrong."""
    editions = load_editions(source_dir)
    if not editions:
        return None
    latest = editions[-1]
    return EditionStamp(
        name=latest.name,
        date=latest.date,
        revision=latest.revision,
        changed_since=sources_changed(source_dir, latest.revision),
    )


def build_stamp(settings: CompetencyConfig, source_dir: Path) -> EditionStamp | None:
    """The stamp of a build's exports: its own edition in an edition's build, else `current_stamp`."""
    if not settings.edition:
        return current_stamp(source_dir)
    return EditionStamp(
        name=settings.edition,
        date=settings.edition_date,
        revision=settings.edition_revision,
        superseded=settings.edition_status == "superseded",
    )


def sources_changed(source_dir: Path, revision: str) -> bool:
    """Whether the source folder (editions file aside) differs from a commit's; True when git cannot tell."""
    pathspec = ["--", ".", f":(exclude){EDITIONS_FILE}"]
    tracked = _git(source_dir, ["diff", "--quiet", revision, *pathspec])
    if tracked is None or tracked.returncode != 0:
        return True
    untracked = _git(source_dir, ["ls-files", "--others", "--exclude-standard", *pathspec])
    return untracked is None or untracked.returncode != 0 or bool(untracked.stdout.strip())


def _git(cwd: Path, args: list[str]) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
