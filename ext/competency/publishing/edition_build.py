"""Building each edition of a site into `editions/<name>/` of it, once, and reusing it after.

`make html` (build_site.py) calls `build_editions` after the current site is built. Each edition
is built from its recorded revision: the checkout as it was then (`git archive`: conf.py, docs/ and
the source folder, competency_src/ or the one `make html SOURCES=` names, so its pages and the files
they include are as they stood) into a folder under
`_build/<variant>/editions/`, with the CURRENT tool, conf.py and page templates, so that every
edition looks like the site and carries the banner of pages/editions.py. Its pages keep the URLs
they had, below `editions/<name>/`.

An edition's build is kept, keyed by what it is made from: the edition's record, the edition
before it (its changes page), whether it is the latest, the variant, the source folder, the build
options and the tool itself (the code of this package, conf.py, the templates and the versions of
Sphinx and the theme). A `make html` that changed none of these builds no edition: it links the kept
builds into the work folder, and publishing finds them unchanged.

A utility whose overlay an edition did not have yet gets the generic edition (its site then was
the generic one), so the URLs of every variant's editions answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import IO

from ..pages.editions import CHANGES_PAGE, changes_page_text
from ..sources.editions import EDITIONS_FOLDER, Edition, commit_time, extract_sources, load_editions
from ..sources.site import OVERLAY_FOLDER
from ..sphinx_ext.tool_code import code_digest
from .build_site import DEFAULT_SOURCES, SPHINX_MODULE

#: Beside an edition's finished build: it is complete and may be reused.
COMPLETE = "complete"
#: In the work folder: which kept build each edition folder of the site was linked from.
LINKED = "editions.json"


def tool_key(root: Path) -> str:
    """What the pages of every edition are made with: this package's files, conf.py, the page
    templates and the versions of the libraries that write the pages."""
    digest = hashlib.sha256(code_digest().encode() + b"\0")  # this package's files
    templates = root / "docs" / "_templates"
    files = sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    files += [root / "conf.py"]
    for path in files:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in ("sphinx", "pydata-sphinx-theme", "myst-parser", "sphinx-design", "docutils"):
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            continue
    return digest.hexdigest()


def edition_key(
    edition: Edition,
    previous: Edition | None,
    latest: bool,
    utility: str,
    options: Sequence[str],
    tool: str,
    sources: str = DEFAULT_SOURCES,
) -> str:
    record = [edition.name, edition.date, edition.revision, edition.note]
    before = previous.revision if previous else ""
    key = [record, before, latest, utility, list(options), tool]
    if sources != DEFAULT_SOURCES:  # the keys of the builds kept before the source folder was named stay
        key.append(sources)
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]


def build_editions(
    root: Path,
    variant_dir: Path,
    utility: str,
    jobs: str,
    options: Sequence[str],
    say: IO[str],
    sources: str = DEFAULT_SOURCES,
) -> int:
    """Build (or reuse) every edition of the source folder `sources` (relative to the checkout `root`)
    and put it into the work folder's `editions/`; an exit status.

    Raises SourceError (an unreadable editions file, a commit missing from the clone).
    """
    source_dir = root / sources
    editions = load_editions(source_dir)
    cache = variant_dir / EDITIONS_FOLDER
    work = variant_dir / ".work" / "html" / EDITIONS_FOLDER
    if not editions:
        _remove(work)
        _remove(cache)
        _linked_file(variant_dir).unlink(missing_ok=True)
        return 0
    tool = tool_key(root)
    built: dict[str, Path] = {}
    for n, edition in enumerate(editions):
        previous = editions[n - 1] if n else None
        latest = n == len(editions) - 1
        key = edition_key(edition, previous, latest, utility, options, tool, sources)
        folder = cache / f"{edition.name}-{key}"
        if not (folder / COMPLETE).is_file():
            status = _build_one(root, sources, folder, edition, previous, latest, utility, jobs, options, say)
            if status != 0:
                say.write(f"error: edition {edition.name} could not be built; nothing was published\n")
                return status
        built[edition.name] = folder
    for stale in cache.iterdir():
        if stale not in built.values():
            _remove(stale)  # an edition built with an older tool, or removed from the record
    _link_into(work, built, _linked_file(variant_dir))
    return 0


def _build_one(
    root: Path,
    sources: str,
    folder: Path,
    edition: Edition,
    previous: Edition | None,
    latest: bool,
    utility: str,
    jobs: str,
    options: Sequence[str],
    say: IO[str],
) -> int:
    commit = edition.revision[:12]
    say.write(f"Building edition {edition.name} ({edition.date}, commit {commit}) with the current tool.\n")
    say.flush()
    _remove(folder)
    source_dir = root / sources
    checkout = extract_sources(source_dir, edition, folder / "src", checkout=root)
    shutil.copy2(root / "conf.py", checkout / "conf.py")  # the current configuration and theme
    templates = root / "docs" / "_templates"
    _remove(checkout / "docs" / "_templates")
    if templates.is_dir():
        shutil.copytree(templates, checkout / "docs" / "_templates")
    (checkout / "docs").mkdir(exist_ok=True)
    changes = changes_page_text(edition.name, edition.date, edition.note, previous.name if previous else "")
    (checkout / "docs" / f"{CHANGES_PAGE}.md").write_text(changes, encoding="utf-8")
    before = ""
    if previous is not None:
        before = str(extract_sources(source_dir, previous, folder / "previous"))
    has_overlay = (checkout / sources / OVERLAY_FOLDER / f"{utility}.yaml").is_file()
    tags = ["-t", utility] if utility and has_overlay else []
    if sources != DEFAULT_SOURCES:
        tags += ["-D", f"competency_source_dir={sources}"]  # as make html passes it (build_site.sphinx_command)
    settings = {
        "competency_edition": edition.name,
        "competency_edition_date": edition.date,
        "competency_edition_status": "current" if latest else "superseded",
        "competency_edition_revision": edition.revision,
        "competency_edition_note": edition.note,
        "competency_edition_previous": before,
    }
    command = [sys.executable, "-m", SPHINX_MODULE, "-b", "html", *options, "-q", "-j", jobs, "-c", str(checkout)]
    command += tags
    for name, value in settings.items():
        command += ["-D", f"{name}={value}"]
    command += ["-d", str(folder / "doctrees"), str(checkout / "docs"), str(folder / "html")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": commit_time(source_dir, edition)}
    status = subprocess.call(command, cwd=checkout, env=env)
    if status == 0:
        (folder / COMPLETE).write_text(json.dumps({"edition": edition.name}) + "\n", encoding="utf-8")
    return status


def _linked_file(variant_dir: Path) -> Path:
    return variant_dir / ".work" / LINKED


def _link_into(work: Path, built: dict[str, Path], record_file: Path) -> None:
    """Make `work/<name>` hold each edition's kept build (hard links: a kept build is never written
    again), leaving alone the ones that already do, and remove editions no longer recorded."""
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    work.mkdir(parents=True, exist_ok=True)
    for child in work.iterdir():
        if child.name not in built:
            _remove(child)
    for name, folder in built.items():
        target = work / name
        if record.get(name) == folder.name and target.is_dir():
            continue
        _remove(target)
        shutil.copytree(folder / "html", target, copy_function=_link_or_copy)
        record[name] = folder.name
    record = {name: record[name] for name in built}
    partial = record_file.with_suffix(".tmp")
    partial.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    partial.replace(record_file)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
