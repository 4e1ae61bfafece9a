"""Opening source files: only regular files are read.

Anything else named like a source (a FIFO, a socket, a device, a folder, a
symbolic link that leads nowhere or in a circle) is a located problem for
every command: a FIFO would make a reader wait forever, and skipping such an
entry would silently leave a model out of the site.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Location, Problem, SourceError

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular(path: Path) -> Problem | None:
    """The problem with a path that is not a regular file (after following links), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _problem(path, _unreadable(path, exc))
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return _problem(path, f"{what}, not a regular file")


def read_source_bytes(path: Path) -> bytes:
    """The bytes of a regular file, or SourceError; never waits on a FIFO or a device.

    The file is opened without blocking and checked on the open descriptor, so an entry
    replaced by a FIFO between a listing and the read is refused too.
    """
    problem = not_regular(path)
    if problem:
        raise SourceError([problem])
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError([_problem(path, _unreadable(path, exc))]) from None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise SourceError([_problem(path, "not a regular file")])
        return stream.read()


def _unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that leads back to itself (a loop)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"a symbolic link to '{path.readlink()}', which does not exist"
    return f"cannot read the file: {exc.strerror}"


def _problem(path: Path, message: str) -> Problem:
    return Problem(
        location=Location(path=path),
        message=message,
        hint="remove it, or put the YAML file itself in its place" if "cannot read" not in message else "",
    )
