"""Publishing a finished build: the published folder is replaced whole, or not at all.

`make html` lets Sphinx write into a work folder (`_build/<variant>/.work/html`, kept between builds
so rebuilds stay incremental) and only when the build succeeded runs

    python -m competency.publishing.swap BUILD_DIR PUBLISHED_DIR

which assembles a complete copy of the build in a temporary folder beside PUBLISHED_DIR and swaps it
in. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames (old
aside, new in), and a run interrupted between them is repaired by the next one. A failed or
interrupted build therefore leaves the published site exactly as it was: readers see the old site or
the new one, never half of each.

Sphinx rewrites most of its output files in place (static files, `objects.inv`, `.buildinfo`), so
those are copied from the build, never hard-linked to it: a shared file would change under the
published site during the next build. The pages are the exception: the build replaces each page's
file whole when it writes it (theme/build_speed.py), never rewriting it, and records which files
those are (`replaced_files` in its doctrees folder); they are hard-linked from the build. A file the
build has not touched since the last publication (same size and modification time, as recorded
beside the build folder in `<build>.published.json`) is hard-linked from the published site:
published files are never written again, only replaced by the next swap. So a clean build of 6,500
pages publishes without copying them (3 s of copying at 5,000 indicators), a rebuild that changed a
few pages in a fraction of a second, and one that changed nothing publishes nothing.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import filecmp
import json
import os
import shutil
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

#: Temporary folders beside the published one: `.<name>.new` (being copied), `.<name>.old` (being removed).
NEW, OLD = ".new", ".old"
_RENAME_EXCHANGE = 2


class PublishError(Exception):
    """Publishing cannot start (the published site was not touched)."""


#: Beside the build folder: which folder was published last, and from which build files
#: (path -> [size, modification time]). Not inside the published site, which stays reproducible.
STATE_SUFFIX = ".published.json"

BuildState = dict[str, list[int]]


def publish(build_dir: Path, published_dir: Path, replaced: Collection[str] = ()) -> bool:
    """Replace `published_dir` by a copy of `build_dir`, atomically; the old content is removed.
    The files named in `replaced` (relative paths), which the build only ever replaces whole, are
    linked rather than copied.

    Return False when the published folder already holds exactly this build (nothing is done).
    """
    build_dir, published_dir = Path(build_dir), Path(published_dir)
    _check(build_dir, published_dir)
    recover(published_dir)
    state = _build_state(build_dir)
    state_file = build_dir.with_name(build_dir.name + STATE_SUFFIX)
    previous = _published_state(state_file, published_dir)
    kept = _kept_files(build_dir, published_dir, state, previous or {})
    if previous is not None and previous.keys() == state.keys() and _holds(published_dir, state, kept):
        _record(state_file, published_dir, state)  # Sphinx rewrites a few files unchanged on every build
        return False
    parent = published_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    new, old = _sibling(published_dir, NEW), _sibling(published_dir, OLD)
    _remove(new)  # what an interrupted run left behind
    _remove(old)
    state_file.unlink(missing_ok=True)  # until the swap is done, the published site is not this record's
    copied = _assemble(build_dir, published_dir, new, state, kept, set(replaced))
    _sync(new, copied)
    if not (published_dir.exists() or published_dir.is_symlink()):
        new.rename(published_dir)  # the first publication
    elif _exchange(new, published_dir):
        _remove(new)  # after the exchange, `new` holds the previous site
    else:
        published_dir.rename(old)  # an interruption between these two renames is undone by recover()
        new.rename(published_dir)
        _remove(old)
    _fsync_dir(parent)
    _record(state_file, published_dir, state)
    return True


def _kept_files(build_dir: Path, published_dir: Path, state: BuildState, previous: BuildState) -> set[str]:
    """The build's files the published site already has: untouched since they were published, or
    rewritten with the same bytes (Sphinx rewrites some static files and .buildinfo on every build)."""
    # Paths as strings: thousands of files, and pathlib's objects cost more than the system calls.
    build, published = os.fspath(build_dir), os.fspath(published_dir)
    return {
        relative
        for relative, stamp in state.items()
        if stamp
        and relative in previous
        and os.path.isfile(f"{published}/{relative}")
        and (
            previous[relative] == stamp or filecmp.cmp(f"{build}/{relative}", f"{published}/{relative}", shallow=False)
        )
    }


def _holds(published_dir: Path, state: BuildState, kept: set[str]) -> bool:
    """Whether the published folder has exactly the build's folders and files."""
    return all(relative in kept if stamp else (published_dir / relative).is_dir() for relative, stamp in state.items())


def _record(state_file: Path, published_dir: Path, state: BuildState) -> None:
    record = {"published": _identity(published_dir), "files": state}
    partial = state_file.with_name(state_file.name + ".tmp")
    partial.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    partial.replace(state_file)


def _build_state(build_dir: Path) -> BuildState:
    """Every file of the build (relative path -> [size, modification time in ns]); folders -> []."""
    state: BuildState = {}

    def scan(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    state[relative] = []
                    scan(entry.path, relative + "/")
                else:  # a file, or a symbolic link (to a file or a folder): its own size and time
                    info = entry.stat(follow_symlinks=False)
                    state[relative] = [info.st_size, info.st_mtime_ns]

    scan(os.fspath(build_dir), "")
    return state


def _published_state(state_file: Path, published_dir: Path) -> BuildState | None:
    """The build files the published folder was made from; None if it is not the folder recorded."""
    try:
        record = json.loads(state_file.read_text(encoding="utf-8"))
        if record["published"] != _identity(published_dir) or not isinstance(record["files"], dict):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    files: BuildState = record["files"]
    return files


def _identity(folder: Path) -> list[int]:
    """Which folder this is: a folder recreated by hand may get the same inode, never the same change time."""
    info = folder.stat()
    return [info.st_dev, info.st_ino, info.st_ctime_ns]


def _assemble(
    build_dir: Path, published_dir: Path, new: Path, state: BuildState, kept: set[str], replaced: set[str]
) -> list[Path]:
    """Fill `new` with the build: unchanged files linked from the published site, the files the build
    replaces whole linked from it, the others copied (those new to the published site returned)."""
    new.mkdir(parents=True)
    build, published, target_dir = os.fspath(build_dir), os.fspath(published_dir), os.fspath(new)
    copied = []
    for relative, stamp in sorted(state.items()):  # a folder before what it holds
        source, target = f"{build}/{relative}", f"{target_dir}/{relative}"
        if not stamp:
            os.makedirs(target, exist_ok=True)
        elif relative in kept and _link(f"{published}/{relative}", target):
            pass  # a kept symbolic link is linked as it is, as a file is
        elif relative in replaced and not os.path.islink(source) and _link(source, target):
            copied.append(Path(target))  # new to the published site all the same: synced below
        elif os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
            copied.append(Path(target))
    return copied


def _sync(new: Path, copied: list[Path]) -> None:
    """Put the copied files and the folders of `new` on disk before the swap, so that a crash right
    after it cannot publish empty files: on Linux by one `syncfs` of their file system (an fsync of
    each file made publishing a clean build of 6,500 pages take 4.6 s instead of 1.9 s), elsewhere
    file by file."""
    if _sync_file_system(new):
        return
    for target in copied:
        _fsync_file(target)
    _fsync_dirs(new)


def _sync_file_system(folder: Path) -> bool:
    """Linux's syncfs(2) of the file system holding `folder`; False where the system has none."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        syncfs = _libc().syncfs
        descriptor = os.open(folder, os.O_RDONLY)
    except (OSError, AttributeError):
        return False
    try:
        return bool(syncfs(descriptor) == 0)
    finally:
        os.close(descriptor)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _link(published: str, target: str) -> bool:
    try:
        os.link(published, target, follow_symlinks=False)
    except OSError:
        return False  # gone, or a file system without hard links: copy instead
    return True


def replaced_files(doctrees: Path) -> list[str]:
    """The output files a build with these doctrees records as only ever replaced whole ([]: none)."""
    from ..sphinx_ext.build_record import REPLACED_FILES, recorded_in

    files = recorded_in(doctrees, REPLACED_FILES)
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def recover(published_dir: Path) -> None:
    """Undo a run interrupted between its two renames: put the previous site back."""
    old = _sibling(published_dir, OLD)
    if old.is_dir() and not (published_dir.exists() or published_dir.is_symlink()):
        old.rename(published_dir)


def _sibling(published_dir: Path, suffix: str) -> Path:
    return published_dir.with_name(f".{published_dir.name}{suffix}")


def _check(build_dir: Path, published_dir: Path) -> None:
    if not build_dir.is_dir():
        raise PublishError(f"the build folder {build_dir} does not exist; nothing was published")
    if not (build_dir / "index.html").is_file():
        raise PublishError(f"{build_dir} has no index.html (an incomplete build?); nothing was published")
    build, published = build_dir.resolve(), published_dir.resolve()
    if build == published or build.is_relative_to(published) or published.is_relative_to(build):
        raise PublishError(f"the build folder {build_dir} and the published folder {published_dir} overlap")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = _libc().renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(result == 0)  # EINVAL/ENOSYS (file system or kernel without it): fall back to two renames


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _fsync_dirs(folder: Path) -> None:
    for root, _dirs, _files in os.walk(folder):
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are still atomic
    finally:
        os.close(descriptor)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m competency.publishing.swap",
        description="Replace the published site by a copy of a finished build, atomically.",
    )
    parser.add_argument("build_dir", type=Path, help="the folder Sphinx built (e.g. _build/generic/.work/html)")
    parser.add_argument("published_dir", type=Path, help="the folder that is served (e.g. _build/generic/html)")
    parser.add_argument(
        "--doctrees",
        type=Path,
        help="the build's doctrees folder: the pages it records as replaced whole are linked, not copied",
    )
    args = parser.parse_args(argv)
    try:
        replaced = replaced_files(args.doctrees) if args.doctrees else []
        if not publish(args.build_dir, args.published_dir, replaced):
            sys.stdout.write(f"{args.published_dir} already holds this build: nothing to publish\n")
    except (PublishError, OSError) as exc:
        sys.stderr.write(f"publish: error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
