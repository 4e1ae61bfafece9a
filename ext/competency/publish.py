"""Publishing a finished build: the published folder is replaced whole, or not at all.

`make html` lets Sphinx write into a work folder (`_build/<variant>/.work/html`, kept between builds
so rebuilds stay incremental) and only when the build succeeded runs

    python -m competency.publish BUILD_DIR PUBLISHED_DIR

which copies the build to a temporary folder beside PUBLISHED_DIR and swaps it in. On Linux the swap
is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames (old aside, new in), and a run
interrupted between them is repaired by the next one. A failed or interrupted build therefore leaves
the published site exactly as it was: readers see the old site or the new one, never half of each.

The build is copied, not hard-linked: Sphinx rewrites its output files in place, so a shared file
would change under the published site during the next build.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

#: Temporary folders beside the published one: `.<name>.new` (being copied), `.<name>.old` (being removed).
NEW, OLD = ".new", ".old"
_RENAME_EXCHANGE = 2


class PublishError(Exception):
    """Publishing cannot start (the published site was not touched)."""


def publish(build_dir: Path, published_dir: Path) -> None:
    """Replace `published_dir` by a copy of `build_dir`, atomically; the old content is removed."""
    build_dir, published_dir = Path(build_dir), Path(published_dir)
    _check(build_dir, published_dir)
    parent = published_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    new, old = _sibling(published_dir, NEW), _sibling(published_dir, OLD)
    recover(published_dir)
    _remove(new)  # what an interrupted run left behind
    _remove(old)
    shutil.copytree(build_dir, new, symlinks=True)
    _fsync_tree(new)
    if not (published_dir.exists() or published_dir.is_symlink()):
        new.rename(published_dir)  # the first publication
    elif _exchange(new, published_dir):
        _remove(new)  # after the exchange, `new` holds the previous site
    else:
        published_dir.rename(old)  # an interruption between these two renames is undone by recover()
        new.rename(published_dir)
        _remove(old)
    _fsync_dir(parent)


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
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
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


def _fsync_tree(folder: Path) -> None:
    """Flush the copied files, so a crash right after the swap cannot publish empty files."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                with path.open("rb") as stream:
                    os.fsync(stream.fileno())
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
        prog="python -m competency.publish",
        description="Replace the published site by a copy of a finished build, atomically.",
    )
    parser.add_argument("build_dir", type=Path, help="the folder Sphinx built (e.g. _build/generic/.work/html)")
    parser.add_argument("published_dir", type=Path, help="the folder that is served (e.g. _build/generic/html)")
    args = parser.parse_args(argv)
    try:
        publish(args.build_dir, args.published_dir)
    except (PublishError, OSError) as exc:
        sys.stderr.write(f"publish: error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
