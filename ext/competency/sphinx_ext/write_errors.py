"""A build that cannot write its output stops with one clear message.

A full disk, a read-only output folder or a file standing where a folder must be
makes Sphinx print its crash report (versions, traceback, "please report this").
That is not a bug to report: it is one thing for the maintainer to fix, so it is
logged as one located error and the build exits with status 1.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.errors import SphinxParallelError
from sphinx.util import logging

from .state import SourceProblems
from .warning_types import Subtype

logger = logging.getLogger(__name__)

#: How a parallel worker's OSError arrives: its first line, "OSError: [Errno 28] No space left on device: 'x'".
_WORKER_OS_ERROR = re.compile(r"^\w*Error: \[Errno \d+\] (?P<text>.*)$")


def os_error_text(exception: BaseException | None) -> str | None:
    """What an OSError behind a failed build says ("No space left on device: 'x.html'"), or None."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, OSError):
            where = f": '{exception.filename}'" if exception.filename else ""
            return f"{exception.strerror or exception}{where}"
        if isinstance(exception, SphinxParallelError):
            match = _WORKER_OS_ERROR.match(exception.message)
            return match["text"] if match else None
        exception = getattr(exception, "orig_exc", None) or exception.__cause__ or exception.__context__
        seen += 1
    return None


def report_write_failure(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: an OSError becomes one error message and exit status 1 (no crash report)."""
    text = os_error_text(exception)
    if text is None:
        return
    logger.error(
        "cannot write the build output: %s (free disk space, or make the output folder %s writable)",
        text,
        app.outdir,
        type="competency",
        subtype=Subtype.OUTPUT,
    )
    raise SourceProblems(1)


def setup_write_errors(app: Sphinx) -> None:
    # Early, so that no later handler runs on a half-written output.
    app.connect("build-finished", report_write_failure, priority=100)
