"""The export files: formats, file names, the reproducible timestamp, writing.

Shared by `competency export` and the HTML build (exports/downloads.py), so the
command line and the site publish byte-identical files.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..sources.family import Family
from ..sources.model import Model
from .case import DEFAULT_CREATOR, LIBRARY_FILE_NAME, case_json, export_case, export_library_case
from .csv import export_csv
from .edition import EditionStamp
from .json import export_json

#: Format name -> file name suffix.
FORMATS = {"json": ".json", "csv": ".csv", "case": ".case.json"}
#: Folder of the site's exports, relative to the site root.
EXPORT_FOLDER = "_exports"


def export_file_name(model_id: str, fmt: str) -> str:
    return model_id + FORMATS[fmt]


def last_change(model: Model) -> datetime:
    """When a model last changed: SOURCE_DATE_EPOCH, else its last commit, else its file's mtime.

    Never the time of the export, so exporting twice gives the same bytes.
    """
    return file_last_change(model.path)


def file_last_change(path: Path) -> datetime:
    """When a source file last changed (as `last_change`)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    committed = _commit_time(path)
    if committed is not None:
        return committed
    return datetime.fromtimestamp(int(path.stat().st_mtime), UTC)


def _commit_time(path: Path) -> datetime | None:
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path.name],
            cwd=path.resolve().parent,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = done.stdout.strip()
    return datetime.fromtimestamp(int(stamp), UTC) if done.returncode == 0 and stamp.isdigit() else None


def render(
    fmt: str,
    models: Sequence[Model],
    *,
    creator: str = DEFAULT_CREATOR,
    base_url: str = "",
    family: Family | None = None,
    edition: EditionStamp | None = None,
) -> str:
    """One export file's text (naming the `edition` of its wording, in a site with editions). CASE holds
    one framework, hence exactly one model."""
    if fmt == "json":
        return export_json(models, family, edition)
    if fmt == "csv":
        return export_csv(models, family)
    if fmt == "case":
        if len(models) != 1:
            raise ValueError("a CASE package holds one model")
        model = models[0]
        package = export_case(
            model, changed=last_change(model), creator=creator, base_url=base_url, family=family, edition=edition
        )
        return case_json(package)
    raise ValueError(f"unknown export format {fmt!r}")


def render_library(
    family: Family, *, creator: str = DEFAULT_CREATOR, base_url: str = "", edition: EditionStamp | None = None
) -> str:
    """The CASE package of the shared library."""
    changed = file_last_change(family.library.path)
    package = export_library_case(family, changed=changed, creator=creator, base_url=base_url, edition=edition)
    return case_json(package)


def write_text(path: Path, text: str) -> bool:
    """Write a file only when its content changes (newlines kept as they are); True when written."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    """Write a file only when its bytes change, by replacing it whole; True when written.

    Replaced, never rewritten in place: a reader never sees half a file, and publishing may hard-link
    the pages of a build into the published site (publishing/swap.py), which the next build then
    leaves as they are."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)  # noqa: PTH105  (Sphinx hands some paths as str subclasses, whose replace is str.replace)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        # The error names the file the maintainer knows (the export), not the hidden one written first.
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    return True


def write_model_exports(
    folder: Path,
    models: Sequence[Model],
    formats: Sequence[str] = tuple(FORMATS),
    *,
    creator: str = DEFAULT_CREATOR,
    base_url: str = "",
    family: Family | None = None,
    edition: EditionStamp | None = None,
    with_library: bool = True,
) -> list[Path]:
    """`<model-id>.json|.csv|.case.json` for each model in `folder` (and, `with_library`, the library's
    `shared.case.json` in a family); the paths written or kept."""
    paths = []
    for model in models:
        for fmt in formats:
            path = folder / export_file_name(model.id, fmt)
            text = render(fmt, [model], creator=creator, base_url=base_url, family=family, edition=edition)
            write_text(path, text)
            paths.append(path)
    if family is not None and "case" in formats and with_library:
        paths.append(folder / LIBRARY_FILE_NAME)
        write_text(paths[-1], render_library(family, creator=creator, base_url=base_url, edition=edition))
    return paths
