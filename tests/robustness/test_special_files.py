"""Entries of the source folder that are not regular files, and output that cannot be written.

A FIFO, a socket, a device, a folder or a dangling or looping symbolic link named *.yaml is a located
error for every command (build, check, fmt, export, diff), and no command waits on one. A build that
cannot write (a full disk, a read-only output folder, a file where a folder must be) prints one message
and exits with status 1, without Sphinx's crash report.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.cmd.build import main as sphinx_main

from ..conftest import REPO
from ..helpers import copy_root
from .guard import COMPETENCY

EXAMPLE = REPO / "manual" / "examples" / "meter-reader.yaml"
#: Seconds a command may take; one that waits on a FIFO would take for ever.
TIMEOUT = 60
#: The unprivileged user's id (Debian's `nobody`), to meet a permission that binds root's processes too.
NOBODY = 65534


def _fifo(path: Path) -> Iterator[str]:
    os.mkfifo(path)
    yield "a FIFO (named pipe), not a regular file"


def _socket(path: Path) -> Iterator[str]:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        yield "a socket, not a regular file"
    finally:
        server.close()


def _device(path: Path) -> Iterator[str]:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        # Only root may make a device node; a copy of a link to one is the same entry for the reader.
        path.symlink_to("/dev/null")
    yield "a character device, not a regular file"


def _dangling(path: Path) -> Iterator[str]:
    path.symlink_to("moved-away.yaml")
    yield "a symbolic link to 'moved-away.yaml', which does not exist"


def _loop(path: Path) -> Iterator[str]:
    path.symlink_to(path.name)
    yield "a symbolic link that leads back to itself (a loop)"


def _folder(path: Path) -> Iterator[str]:
    path.mkdir()
    (path / "inside.yaml").write_text("id: inside\n", encoding="utf-8")
    yield "a folder, not a regular file"


KINDS: dict[str, Callable[[Path], Iterator[str]]] = {
    "fifo": _fifo,
    "socket": _socket,
    "device": _device,
    "dangling-link": _dangling,
    "link-loop": _loop,
    "folder": _folder,
}


@pytest.fixture(params=sorted(KINDS))
def special(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the test-basic root whose competency_src/ holds a special entry named broken.yaml."""
    site = tmp_path / "s"  # short: a socket's path is limited to about 100 characters
    copy_root("basic", site)  # the model a file of its own, beside the special entry
    entry = site / "competency_src" / "broken.yaml"
    maker = KINDS[request.param](entry)
    message = next(maker)
    yield site, message
    next(maker, None)


def _competency(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(COMPETENCY)] if COMPETENCY.exists() else [sys.executable, "-m", "competency.cli"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _assert_located(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"competency_src/broken.yaml: error: {message}" in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["check", "fmt", "fmt-check", "export", "diff"])
def test_every_command_names_the_entry_and_never_waits(special: tuple[Path, str], command: str) -> None:
    site, message = special
    args = {
        "check": ["check", "competency_src"],
        "fmt": ["fmt"],
        "fmt-check": ["fmt", "--check"],
        "export": ["export", "--src", "competency_src"],
        "diff": ["diff", "competency_src", "competency_src"],
    }[command]
    result = _competency(*args, cwd=site)
    _assert_located(result, message)
    if command == "fmt":
        assert "meter-reader.yaml" not in result.stderr or "reformatted" not in result.stderr


def test_fmt_given_the_entry_by_name_refuses_it(special: tuple[Path, str]) -> None:
    site, message = special
    _assert_located(_competency("fmt", "competency_src/broken.yaml", cwd=site), message)


def test_the_build_names_the_entry_and_never_waits(special: tuple[Path, str]) -> None:
    site, message = special
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-n", str(site), str(site / "_build" / "html")],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Versions" not in result.stderr
    assert f"competency_src/broken.yaml:1: ERROR: {message}" in result.stderr, result.stderr
    assert not (site / "_build" / "html" / "index.html").exists()


# -- output that cannot be written ---------------------------------------------------------------------


def _build(
    site: Path, out: Path, doctrees: Path, *extra: str, prefix: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(doctrees), *extra, str(site), str(out)],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _assert_one_clear_message(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode == 1, result.stderr
    for crash_report in ("Traceback", "Versions", "Exception occurred", "please open an issue"):
        assert crash_report not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, result.stderr
    assert "cannot write the build output" in errors[0] and what in errors[0], errors[0]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_where_an_output_folder_must_be(tmp_path: Path, jobs: str) -> None:
    """Works as root too (root writes into read-only folders, but not below a regular file)."""
    site = tmp_path / "site"
    copy_root("basic", site)
    out = tmp_path / "out"
    out.mkdir()
    (out / "meter-reader").write_text("not a folder", encoding="utf-8")
    result = _build(site, out, tmp_path / "doctrees", "-j", jobs)
    # The message names the entry in the way (whichever write meets it first: below it, or in its place).
    _assert_one_clear_message(result, str(out / "meter-reader"))


def test_a_file_where_the_doctrees_folder_must_be(tmp_path: Path) -> None:
    site = tmp_path / "site"
    copy_root("basic", site)
    # A page in a folder of its own (the models' pages have no doctrees: they are no documents).
    (site / "notes").mkdir()
    (site / "notes" / "page.md").write_text("---\norphan: true\n---\n# Notes\n\nA page.\n", encoding="utf-8")
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    (doctrees / "notes").write_text("not a folder", encoding="utf-8")
    result = _build(site, tmp_path / "out", doctrees)
    _assert_one_clear_message(result, str(doctrees / "notes"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_read_only_output_folder(tmp_path: Path) -> None:
    # Root writes into read-only folders, so as root (CI) the build runs as the unprivileged user
    # `nobody`, in a folder it can read: the pytest folder of root is private to root.
    if os.geteuid() == 0:
        tmp_path = Path(tempfile.mkdtemp(prefix="read-only-output-"))
        tmp_path.chmod(0o755)
    site = tmp_path / "site"
    copy_root("basic", site)
    out = tmp_path / "out"
    out.mkdir()
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        for path in (site, *site.rglob("*"), out, doctrees):
            os.chown(path, NOBODY, NOBODY)
        as_user = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    out.chmod(0o555)
    try:
        result = _build(site, out, doctrees, prefix=as_user)
    finally:
        out.chmod(0o755)
        if as_user:
            shutil.rmtree(tmp_path)
    _assert_one_clear_message(result, "Permission denied")


def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    copy_root("basic", site)
    monkeypatch.setenv("PYTHONPATH", str(REPO / "ext"))

    def disk_full(self: StandaloneHTMLBuilder, pagename: str, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(self.outdir, pagename + ".html")))

    monkeypatch.setattr(StandaloneHTMLBuilder, "handle_page", disk_full)
    with pytest.raises(SystemExit) as stopped:
        sphinx_main(["-b", "html", "-q", "-d", str(tmp_path / "doctrees"), str(site), str(tmp_path / "out")])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Versions" not in err
    assert "cannot write the build output: No space left on device" in err, err
