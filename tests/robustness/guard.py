"""Time limits for robustness tests: a hang is a failure, not a stuck test run (no pytest-timeout needed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..conftest import REPO

#: The installed command-line tool, as maintainers run it.
COMPETENCY = Path(sys.executable).with_name("competency")


class TookTooLongError(AssertionError):
    """Raised inside the guarded block when its time is up."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail the test if the block runs longer than `seconds` (SIGALRM: main thread, Unix)."""

    def expire(signum: int, frame: object) -> None:
        raise TookTooLongError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_check(source_dir: Path, *, cwd: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """`competency check SOURCE_DIR` in its own process, killed (and failed) after `timeout` seconds."""
    command = [str(COMPETENCY)] if COMPETENCY.exists() else [sys.executable, "-m", "competency.cli"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "ext")}
    return subprocess.run(
        [*command, "check", str(source_dir)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
