"""One command of the benchmark run in a subprocess: wall time, CPU time and peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TIME = Path("/usr/bin/time")
#: What make passes to the commands it runs: `make bench` must not hand its own settings to the
#: `make html` it measures (a person types that one in a plain shell).
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMINATE")


@dataclass
class Timed:
    seconds: float
    #: User + system CPU time of the command and every process it waited for: steadier than wall
    #: time on a shared machine.
    cpu: float
    #: The largest resident set of one process of the command (GNU time's %M), in bytes.
    peak_bytes: int
    output: str


def plain_environment(**extra: str) -> dict[str, str]:
    """The environment of a shell a person types in, its output plain text: no make settings, and no
    colours (which Sphinx turns on for FORCE_COLOR, and for CI=true even when writing to a pipe)."""
    drop = {*MAKE_VARIABLES, "FORCE_COLOR", "FORCE_COLOUR"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, "NO_COLOR": "1", **extra}


def timed(
    command: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None, what: str = ""
) -> Timed:
    """Run `command` to its end and time it; stop the benchmark with its output if it fails."""
    command = [str(part) for part in command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r") as rss:
        if TIME.exists():  # GNU time: peak resident set of the command and the processes it waited for
            command = [str(TIME), "-f", "%M", "-o", rss.name, *command]
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=cwd, env=dict(env or os.environ), capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        peak_kib = int(rss.read().split()[-1]) if TIME.exists() else 0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(
            f"{what or command[-1]} failed (exit {done.returncode}) in {cwd or Path.cwd()}:\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Timed(seconds, cpu, peak_kib * 1024 or after.ru_maxrss * 1024, done.stdout + done.stderr)


def html_pages(folder: Path) -> list[Path]:
    """The HTML pages of a built site: every `*.html` below `folder` but the theme's static files
    (pydata-sphinx-theme ships a template fragment, `_static/webpack-macros.html`)."""
    return sorted(p for p in folder.rglob("*.html") if "_static" not in p.relative_to(folder).parts)
