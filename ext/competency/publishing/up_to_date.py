"""Whether `make html` has anything to do: a fingerprint of what a build reads, kept once it is published.

With nothing changed, a build would start Sphinx only for Sphinx to find that out: at 5,000
indicators that is 2.5 to 4 s of loading its environment and checking every document. So once the
lock is held, build_site.py asks `is_current` first; when everything the build depends on is as it
was when the last build of this variant was published, and the published folder is as that
publication left it, it says so and starts nothing.

The fingerprint holds, each part as a digest:

- the command: checkout, variant folder, utility, source folder, jobs and sphinx-build options;
- the files, by stamp (size, modification time, inode): conf.py, `docs/` and the source folder
  (linked folders followed, as Sphinx follows them; the generated stub folders aside: the build
  writes them), every other file beside conf.py (a logo, `docutils.conf`, a module conf.py
  imports), the files and folders conf.py's settings name (`PATH_SETTINGS`: the logo, static and
  template folders...; found by running conf.py as Sphinx does, once per build, and kept in the
  record), docutils' own settings files and the editions record `competency_src/editions.yaml`
  (edition_build.py reads it whatever the source folder);
- git: HEAD and every ref (the withdrawal check compares with HEAD, exports carry commit times,
  `competency_changes_since` names a tag or branch), and the commit each edition names, resolved;
- the environment variables that change what is built (`ENVIRONMENT`), and those conf.py reads
  (seen while it runs, kept in the record with the files it names);
- the tool: the files of this package by stamp, the Python version, and every installed distribution
  by name and version (Sphinx, docutils, MyST, the theme, sphinx-design, Jinja, Pygments...);
- the output: every file and folder of the published site (lstat stamps: a file deleted, edited or
  replaced, a folder removed or put back by hand all differ), swap.py's publish record beside it,
  and Sphinx's saved environment. A `.incomplete` marker is never current.

The record (`_build/<variant>/.work/up-to-date.json`, beside swap.py's; never in the published
site, which stays byte-identical to a clean build) is written only after a successful publication,
from a fingerprint taken before Sphinx started and found the same after publishing: a file saved
during the build leaves no record. A build that goes ahead removes the record first, so a build
that fails or is interrupted leaves none.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .swap import STATE_SUFFIX

#: Beside swap.py's publish record in the work folder (removed with it when a build starts afresh).
RECORD = Path(".work") / "up-to-date.json"
#: Bump when the parts of the fingerprint change: an older record is then never current.
VERSION = 1
#: The code whose files, by stamp, are part of the fingerprint: this package (the extension, the theme,
#: its templates and static files, and the build itself).
CODE = Path(__file__).resolve().parents[1]
#: What the build reads from the environment, and what changes the output:
ENVIRONMENT = (
    "SOURCE_DATE_EPOCH",  # the date on pages (siteconf.py's `today`) and in the exports
    "DOCUTILSCONFIG",  # docutils' settings files
    "PYTHONPATH",  # which code Sphinx, the extension and conf.py load
    "TZ",  # Sphinx's date, without SOURCE_DATE_EPOCH, is local time
    "LC_ALL",  # these four: the encoding of files read without one named
    "LC_CTYPE",
    "LANG",
    "PYTHONUTF8",
)
#: Settings of conf.py naming files or folders the build reads (relative to conf.py's folder), with
#: Sphinx's default for those that have one.
PATH_SETTINGS: dict[str, Any] = {
    "html_logo": None,
    "html_favicon": None,
    "html_static_path": [],
    "html_extra_path": [],
    "html_theme_path": [],
    "templates_path": [],
    "locale_dirs": ["locales"],
    "html_search_scorer": "",
    "competency_source_dir": "competency_src",
}
#: docutils' settings files when DOCUTILSCONFIG names none (conf.py's folder is Sphinx's current folder).
DOCUTILS_FILES = ("/etc/docutils.conf", "docutils.conf", "~/.docutils")
#: The editions record edition_build.py reads, and the form of the commits it names.
EDITIONS = Path("competency_src") / "editions.yaml"
COMMIT = re.compile(rb"\b[0-9a-f]{40}\b")
#: The file of a generated stub folder (sphinx_ext/stubs.MARKER, written here again rather than imported:
#: a no-op `make html` loads neither the extension nor Sphinx; tests/test_build_site_up_to_date.py
#: checks the two agree).
STUB_MARKER = ".competency-generated"
ENVIRONMENT_PICKLE = Path("doctrees") / "environment.pickle"
#: swap.py's record of what was published, beside the work folder.
PUBLISH_RECORD = Path(".work") / f"html{STATE_SUFFIX}"

Stamp = tuple[int, int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """One `make html` of one variant, as the fingerprint sees it."""

    root: Path
    variant_dir: Path
    utility: str
    sources: str
    jobs: str
    options: tuple[str, ...]

    def tags(self) -> list[str]:
        """The tags conf.py sees (`-t` of the utility and of the options)."""
        return ([self.utility] if self.utility else []) + _option_values(self.options, "-t", "--tag")

    def overrides(self) -> dict[str, str]:
        """The `-D name=value` settings of the command line (the source folder's, then the options')."""
        pairs = ([f"competency_source_dir={self.sources}"] if self.sources != "competency_src" else []) + (
            _option_values(self.options, "-D", "--define")
        )
        return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


@dataclass(frozen=True, slots=True)
class Configuration:
    """What running conf.py tells of what the build reads besides the sources."""

    #: The files and folders its settings name (`PATH_SETTINGS`), relative to the checkout or absolute.
    named: tuple[str, ...]
    #: The environment variables it read.
    variables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build reads, as digests, and what conf.py told when they were taken."""

    configuration: Configuration
    digests: dict[str, str]


def stamps(root: Path, names: Iterable[str]) -> dict[str, Stamp]:
    """Every file of the named files and folders below `root` (relative path -> size, modification time,
    inode). Generated stub folders and build folders are left out: the build itself writes them."""
    found: dict[str, Stamp] = {}
    for name in names:
        top = root / name
        if not top.is_dir():
            stamp = _stamp(top)
            if stamp is not None:
                found[name] = stamp
            continue
        seen: set[tuple[int, int]] = set()
        _first_visit(top, seen)
        # Linked folders are followed, as Sphinx follows them to find pages; each folder once (no loops).
        for folder, dirs, files in os.walk(top, followlinks=True):
            dirs[:] = sorted(d for d in dirs if _walked(Path(folder, d)) and _first_visit(Path(folder, d), seen))
            for file_name in files:
                path = Path(folder, file_name)
                stamp = _stamp(path)
                if stamp is not None:  # None: removed while listed (the next listing differs anyway)
                    found[os.path.relpath(path, root).replace(os.sep, "/")] = stamp
    return found


def inputs(command: Command, configuration: Configuration | None = None) -> Inputs | None:
    """The fingerprint of what the build reads; None when conf.py cannot be run to tell what it reads.

    `configuration`: what conf.py told (from the record); by default conf.py is run, as Sphinx runs it.
    """
    if configuration is None:
        configuration = configure(command)
        if configuration is None:
            return None
    root, named = command.root, configuration.named
    variables = sorted({*ENVIRONMENT, *configuration.variables})
    parts: dict[str, Any] = {
        "version": [VERSION, sys.version, sys.executable],
        "command": [str(root), str(command.variant_dir), command.utility, command.sources, command.jobs],
        "options": list(command.options),
        "environment": {name: os.environ.get(name) for name in variables},
        "sources": stamps(root, ("conf.py", "docs", command.sources, EDITIONS.as_posix())),
        "beside conf.py": stamps(root, sorted(p.name for p in _files_beside(root))),
        "named": [named, stamps(root, named)],
        "docutils": stamps(root, _docutils_files()),
        "git": _git_state(root, command.sources),
        "code": stamps(CODE, ["."]),
        "distributions": _distributions(),
    }
    return Inputs(configuration, {name: _digest(value) for name, value in parts.items()})


def outputs(variant_dir: Path) -> dict[str, str]:
    """The fingerprint of what the last build left: the published site, the publish record, Sphinx's state."""
    published = variant_dir / "html"
    parts = {
        "published": [_identity(published), _listing(published)],
        "publish record": _stamp(variant_dir / PUBLISH_RECORD),
        "environment": _stamp(variant_dir / ENVIRONMENT_PICKLE),
    }
    return {name: _digest(value) for name, value in parts.items()}


def is_current(command: Command, marker: Path) -> bool:
    """Whether the published site is the build of everything as it is now (nothing to build)."""
    if marker.exists():
        return False  # the last build did not finish: it starts afresh
    try:
        record = json.loads((command.variant_dir / RECORD).read_text(encoding="utf-8"))
        if record["version"] != VERSION:
            return False
        configuration = Configuration(
            tuple(str(name) for name in record["named"]), tuple(str(name) for name in record["variables"])
        )
        recorded_inputs, recorded_outputs = record["inputs"], record["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return False  # no record (the first build, or the last one failed), or not one of ours
    try:
        now = inputs(command, configuration)
        return now is not None and now.digests == recorded_inputs and outputs(command.variant_dir) == recorded_outputs
    except OSError:
        return False  # a file removed while it was looked at, a folder that cannot be read: build, and see


def forget(variant_dir: Path) -> None:
    """Remove the record: a build goes ahead, and until it is published nothing is current."""
    (variant_dir / RECORD).unlink(missing_ok=True)


def remember(command: Command, seen: Inputs | None) -> bool:
    """Record, after a publication, that the published site is the build of `seen` (the fingerprint
    taken before Sphinx started), if nothing changed since; True when recorded."""
    if seen is None:
        return False
    try:
        now = inputs(command, seen.configuration)
        if now is None or now.digests != seen.digests:
            return False  # saved during the build: what was published may be older, so build next time
        outputs_now = outputs(command.variant_dir)
        record = {
            "version": VERSION,
            "named": list(seen.configuration.named),
            "variables": list(seen.configuration.variables),
            "inputs": seen.digests,
            "outputs": outputs_now,
        }
        path = command.variant_dir / RECORD
        partial = path.with_name(path.name + ".tmp")
        partial.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(path)
    except OSError:
        return False  # the site is published; without the record the next `make html` only builds again
    return True


def configure(command: Command) -> Configuration | None:
    """Run conf.py as Sphinx does: the files and folders its settings name (`PATH_SETTINGS`) and the
    environment variables it reads; None when it cannot be run here (Sphinx will say why)."""
    from sphinx.config import eval_config_file  # only when a build goes ahead
    from sphinx.util.tags import Tags

    environment, saved_path = os.environ, list(sys.path)
    saved_environment = dict(environment)
    reads = _ReadVariables(environment)
    # Replaced, not changed: the variables stay; os.getenv and os.environ read through it.
    os.environ = reads  # type: ignore[assignment]  # noqa: B003
    try:
        namespace = eval_config_file(command.root / "conf.py", Tags(command.tags()))
    except Exception:  # Sphinx reports conf.py's errors itself, with its own message
        return None
    finally:
        # conf.py runs in this process: what it changes must not reach Sphinx's (which runs it again).
        os.environ = environment  # noqa: B003 - the process's own mapping back
        for name in set(environment) - set(saved_environment):
            del environment[name]
        for name, value in saved_environment.items():
            if environment.get(name) != value:
                environment[name] = value
        sys.path[:] = saved_path
    overrides = command.overrides()
    named: list[str] = []
    for setting, default in PATH_SETTINGS.items():
        value: Any = namespace.get(setting, default)
        if setting in overrides:
            text = overrides[setting]
            value = text.split(",") if isinstance(default, list) else text
        for entry in value if isinstance(value, list | tuple) else [value]:
            if isinstance(entry, str | os.PathLike) and str(entry) and "://" not in str(entry):
                path = Path(entry)
                named.append(str(path) if path.is_absolute() else os.path.normpath(path).replace(os.sep, "/"))
    return Configuration(tuple(sorted(set(named))), tuple(sorted(reads.read)))


class _ReadVariables(MutableMapping[str, str]):
    """`os.environ` while conf.py runs: the same variables, and the names of those it reads."""

    def __init__(self, environment: MutableMapping[str, str]) -> None:
        self.environment = environment
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return self.environment[name]

    def __setitem__(self, name: str, value: str) -> None:
        self.environment[name] = value

    def __delitem__(self, name: str) -> None:
        del self.environment[name]

    def __iter__(self) -> Iterator[str]:
        self.read.update(self.environment)  # all of them listed: any may matter
        return iter(list(self.environment))

    def __len__(self) -> int:
        return len(self.environment)

    def copy(self) -> dict[str, str]:
        self.read.update(self.environment)
        return dict(self.environment)


# -- the parts ---------------------------------------------------------------------------------------


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def _walked(folder: Path) -> bool:
    """Whether a folder's files are read by the build (not a stub folder, a build folder or a cache)."""
    return folder.name not in ("_build", "__pycache__", ".git") and not (folder / STUB_MARKER).exists()


def _first_visit(folder: Path, seen: set[tuple[int, int]]) -> bool:
    try:
        info = folder.stat()
    except OSError:
        return False
    if (info.st_dev, info.st_ino) in seen:
        return False
    seen.add((info.st_dev, info.st_ino))
    return True


def _files_beside(root: Path) -> list[Path]:
    try:
        return [entry for entry in root.iterdir() if entry.is_file()]
    except OSError:
        return []


def _docutils_files() -> list[str]:
    named = os.environ.get("DOCUTILSCONFIG")
    files = named.split(os.pathsep) if named is not None else DOCUTILS_FILES
    return [str(Path(name).expanduser()) for name in files if name]


def _identity(folder: Path) -> list[int] | None:
    try:
        info = folder.lstat()
    except OSError:
        return None
    return [info.st_dev, info.st_ino]


def _listing(folder: Path) -> list[list[Any]]:
    """Every entry below a folder (relative path, kind, size, modification time, inode), links not followed."""
    found: list[list[Any]] = []
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            kind = "d" if entry.is_dir(follow_symlinks=False) else "l" if entry.is_symlink() else "f"
            found.append([prefix + entry.name, kind, info.st_size, info.st_mtime_ns, info.st_ino])
            if kind == "d":
                pending.append((Path(entry.path), prefix + entry.name + "/"))
    return found


def _git_state(root: Path, sources: str) -> list[Any]:
    """HEAD and every ref of the sources' repository, and the commit each edition names, resolved."""
    refs = _git(root / sources, ["show-ref", "--head"])
    try:
        commits = sorted(set(COMMIT.findall((root / EDITIONS).read_bytes())))
    except OSError:
        commits = []
    if not commits:
        return [refs, None]
    return [refs, _git(root / EDITIONS.parent, ["cat-file", "--batch-check"], b"".join(c + b"\n" for c in commits))]


def _git(cwd: Path, args: list[str], data: bytes = b"") -> list[Any] | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or no such folder: nothing from git is read by the build either
    return [done.returncode, done.stdout.decode("utf-8", "replace")]


def _distributions() -> list[str]:
    """The installed distributions, by the names of their metadata (`Sphinx-9.0.4.dist-info`): name and
    version, read from one listing of each folder of the import path (the names alone: the current
    folder, first on the path, may be another when the command is run from elsewhere)."""
    found: list[str] = []
    for entry in sys.path:
        try:
            names = [path.name for path in Path(entry or ".").iterdir()]
        except OSError:
            continue
        found += [name for name in names if name.endswith((".dist-info", ".egg-info", ".pth"))]
    return sorted(found)


def _option_values(options: Sequence[str], short: str, long: str) -> list[str]:
    values = []
    for n, option in enumerate(options):
        if option in (short, long) and n + 1 < len(options):
            values.append(options[n + 1])
        elif option.startswith(long + "="):
            values.append(option.partition("=")[2])
        elif option.startswith(short) and len(option) > len(short) and not option.startswith("--"):
            values.append(option[len(short) :])
    return values


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()
