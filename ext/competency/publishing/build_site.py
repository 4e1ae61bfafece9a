"""`make html`: build one site of a checkout and publish it, or publish nothing.

    python -m competency.publishing.build_site [--utility NAME] [--jobs N|auto]

The steps, and why each is there:

1. The arguments are checked first (the Makefile passes them as data, never through a shell line).
2. One build of a checkout runs at a time: every variant writes the page stubs into the same `docs/`,
   so a lock on `_build/.lock` is held from the first step to the last. A second `make html` says that
   it waits, and waits.
3. When everything the build depends on is as it was when the last build of this variant was
   published (the sources, the settings, the command, the tool, git's refs; up_to_date.py), and the
   published folder is as that publication left it, there is nothing to do: it says so in one line
   and stops, without starting Sphinx (which would spend seconds finding that out). Otherwise that
   record is removed, and written again only once the build is published.
4. A marker `_build/<variant>/.incomplete` exists while Sphinx works. A build that finds it (the last
   one was killed, failed after writing, or its sources changed while it ran) cannot trust Sphinx's
   saved state and output, so it removes them and builds from scratch.
5. The sources (conf.py, `docs/`, `competency_src/`) are stamped before Sphinx starts and after it
   ends. If they changed meanwhile, what was built is a mix of old and new: it is built again from
   scratch, and published only once a build saw the same sources from start to end.
6. Each edition recorded in `competency_src/editions.yaml` is built into `editions/<name>/` of the site,
   or its kept build reused (edition_build.py).
7. The finished build is published atomically (publishing/swap.py); the published site is the clean build of
   the sources as they were, or stays as it was. Then the fingerprint taken before Sphinx started is
   recorded, if nothing changed since (up_to_date.py).
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..sources.problems import SourceError
from . import up_to_date
from .swap import PublishError, publish, replaced_files

#: Utility names the Makefile accepts: an overlay's file name, with nothing a shell or make would read.
UTILITY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: Builds after the first one when the sources keep changing while the site is built.
ATTEMPTS = 3
INCOMPLETE = ".incomplete"
#: The models' folder of a checkout, unless `--sources` (make html SOURCES=...) names another.
DEFAULT_SOURCES = "competency_src"
#: What `make html` asks of sphinx-build: warnings are errors, reported all at once, every reference checked.
SPHINX_OPTIONS = ("-W", "--keep-going", "-n")
LOCK_FILE = ".lock"
#: sphinx-build, ending without Python's teardown of a large build (sphinx_run.py).
SPHINX_MODULE = "competency.publishing.sphinx_run"
#: The editions' builder, which imports Sphinx and the extension: imported only when a build goes ahead.
EDITION_BUILD = f"{__package__}.edition_build"

Stamps = dict[str, tuple[int, int, int]]


class BuildRefusedError(Exception):
    """A build that cannot start or cannot be published: one line for the maintainer."""


def source_stamps(root: Path, folders: Sequence[str]) -> Stamps:
    """Every source file (path -> size, modification time, inode): what the build reads.

    Generated stub folders are left out: the build itself writes them from the models.
    """
    return up_to_date.stamps(root, ("conf.py", *folders))


def check_utility(utility: str, models_dir: Path) -> None:
    if not utility:
        return
    # Here, not at the top: a no-op `make html` (up_to_date.py) loads neither the sources' modules nor Sphinx.
    from ..cli.variants import known_utilities
    from ..sources.site import OVERLAY_FOLDER

    known = known_utilities(models_dir)
    if utility in known and UTILITY_NAME.fullmatch(utility):
        return
    listed = ", ".join(known) if known else f"none: there is no overlay in {models_dir / OVERLAY_FOLDER}"
    raise BuildRefusedError(
        f"unknown utility {utility!r}. Known utilities: {listed}. (Build the generic site with plain `make html`.)"
    )


def check_sources(root: Path, sources: str) -> None:
    folder = root / sources
    if not folder.is_dir():
        raise BuildRefusedError(f"the source folder {sources!r} does not exist in {root}")
    if not folder.resolve().is_relative_to(root):
        raise BuildRefusedError(f"the source folder {sources!r} is outside the checkout {root}")


def check_jobs(jobs: str) -> None:
    if jobs != "auto" and not (jobs.isdigit() and 1 <= int(jobs) <= 256):
        raise BuildRefusedError(f"JOBS must be 'auto' or a number of processes from 1 to 256, not {jobs!r}")


@contextmanager
def build_lock(build_root: Path, say: IO[str]) -> Iterator[int]:
    """Hold `_build/.lock` for the whole build; wait, saying so, while another build holds it.

    Yields the lock's file descriptor: Sphinx inherits it, so the lock is held until Sphinx ends
    too, even when this process is killed alone.
    """
    build_root.mkdir(parents=True, exist_ok=True)
    with (build_root / LOCK_FILE).open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            say.write(
                f"Another build of this checkout is running (process {holder}); "
                "waiting for it to finish before building.\n"
            )
            say.flush()
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield lock.fileno()
        finally:
            lock.seek(0)
            lock.truncate()  # released when the file is closed (also when the process is killed)


def start_afresh(variant_dir: Path) -> None:
    """Forget Sphinx's saved state and output of this variant (the published site stays)."""
    for name in ("doctrees", ".work"):
        shutil.rmtree(variant_dir / name, ignore_errors=True)


def sphinx_command(
    root: Path,
    variant_dir: Path,
    utility: str,
    jobs: str,
    sources: str,
    extra: Sequence[str],
    module: str = SPHINX_MODULE,
) -> list[str]:
    """make html's sphinx-build (`module`: the benchmark's floor runs plain `sphinx`)."""
    tags = ["-t", utility] if utility else []
    if sources != DEFAULT_SOURCES:
        tags += ["-D", f"competency_source_dir={sources}"]
    return [
        sys.executable,
        "-m",
        module,
        "-b",
        "html",
        *extra,
        "-j",
        jobs,
        "-c",
        str(root),
        *tags,
        "-d",
        str(variant_dir / "doctrees"),
        str(root / "docs"),
        str(variant_dir / ".work" / "html"),
    ]


def _environment_stamp(variant_dir: Path) -> tuple[int, int] | None:
    try:
        info = (variant_dir / up_to_date.ENVIRONMENT_PICKLE).stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def build(
    root: Path,
    build_root: Path,
    utility: str,
    jobs: str,
    sphinx_options: Sequence[str],
    say: IO[str],
    sources: str = DEFAULT_SOURCES,
    lock: int | None = None,
) -> int:
    """Build and publish one variant; the exit status of `make html`."""
    variant_dir = build_root / (utility or "generic")
    marker = variant_dir / INCOMPLETE
    folders = ("docs", sources)
    fingerprint = up_to_date.Command(
        root=root, variant_dir=variant_dir, utility=utility, sources=sources, jobs=jobs, options=tuple(sphinx_options)
    )
    if up_to_date.is_current(fingerprint, marker):
        say.write(f"Nothing changed since the last build: {_shown(variant_dir / 'html')} is current.\n")
        return 0
    up_to_date.forget(variant_dir)
    # What publishing needs after Sphinx imports Sphinx and the extension (0.45 s): done while Sphinx
    # runs, on the core an incremental build leaves idle, rather than after it.
    ahead = threading.Thread(target=importlib.import_module, args=(EDITION_BUILD,), daemon=True)
    ahead.start()
    for attempt in range(1, ATTEMPTS + 1):
        if marker.exists():
            say.write(
                "The last build of this site did not finish (it was interrupted, failed, or its sources "
                "changed while it ran): building it again from scratch.\n"
            )
            say.flush()
            start_afresh(variant_dir)
        elif not (variant_dir / up_to_date.ENVIRONMENT_PICKLE).exists():
            start_afresh(variant_dir)  # output without the state it was made from cannot be trusted
        variant_dir.mkdir(parents=True, exist_ok=True)
        marker.touch()
        seen = up_to_date.inputs(fingerprint)  # what this attempt builds, recorded once it is published
        before = source_stamps(root, folders)
        environment = _environment_stamp(variant_dir)
        command = sphinx_command(root, variant_dir, utility, jobs, sources, sphinx_options)
        status = subprocess.call(command, cwd=root, pass_fds=() if lock is None else (lock,))
        if status != 0:
            if _environment_stamp(variant_dir) == environment:
                marker.unlink()  # stopped before reading anything (a source error): the state is intact
            return status
        if source_stamps(root, folders) == before:
            marker.unlink()
            break
        say.write(f"The sources changed while the site was being built (attempt {attempt} of {ATTEMPTS}).\n")
        say.flush()
    else:
        raise BuildRefusedError(
            f"the sources changed during each of {ATTEMPTS} builds; nothing was published. "
            "Run `make html` again once the files are saved."
        )
    ahead.join()
    from .edition_build import build_editions  # imports Sphinx: only when a build goes ahead (above)

    try:
        status = build_editions(root, variant_dir, utility, jobs, sphinx_options, say, sources)
    except SourceError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write("the editions cannot be built; nothing was published\n")
        return 1
    if status != 0:
        return status
    built, published = variant_dir / ".work" / "html", variant_dir / "html"
    shown = _shown(published)
    say.write(f"Publishing {shown} ...\n")
    say.flush()
    if not publish(built, published, replaced_files(variant_dir / "doctrees")):
        say.write(f"{shown} already holds this build: nothing to publish\n")
    up_to_date.remember(fingerprint, seen)
    # The command that serves this folder: `make serve` finds it from the same variables.
    serve = " ".join(
        ["make serve"]
        + ([f"SOURCES={shlex.quote(sources)}"] if sources != DEFAULT_SOURCES else [])
        + ([f"UTILITY={utility}"] if utility else [])
    )
    say.write(f"The site is in {shown} ({serve} to browse it).\n")
    return 0


def _shown(path: Path) -> str:
    """A path as the maintainer typed the command: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m competency.publishing.build_site",
        description="Build one site of a checkout (the generic site or a utility's) and publish it.",
    )
    parser.add_argument("--utility", default="", help="the utility whose site to build (empty: the generic site)")
    parser.add_argument("--jobs", default="auto", help="processes Sphinx reads with (default: auto)")
    parser.add_argument("--root", type=Path, default=Path(), help="the checkout: conf.py, docs/, competency_src/")
    parser.add_argument("--out", type=Path, help="the build folder (default: ROOT/_build)")
    parser.add_argument(
        "--sources",
        default=DEFAULT_SOURCES,
        help=f"the folder of models and overlays, relative to ROOT (default: {DEFAULT_SOURCES})",
    )
    parser.add_argument(
        "sphinx_options",
        nargs="*",
        default=list(SPHINX_OPTIONS),
        help="options for sphinx-build, after -- (default: -W --keep-going -n)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    build_root = (args.out or root / "_build").resolve()
    try:
        check_sources(root, args.sources)
        check_utility(args.utility, root / args.sources)
        check_jobs(args.jobs)
        # One lock per checkout, whatever the output folder: every build writes its stubs into docs/.
        with build_lock(root / "_build", sys.stdout) as lock:
            status = build(
                root, build_root, args.utility, args.jobs, args.sphinx_options, sys.stdout, args.sources, lock
            )
    except (BuildRefusedError, PublishError, OSError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2 if isinstance(exc, BuildRefusedError) else 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was published; the next `make html` builds from scratch\n")
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
