"""sphinx-build for `make html`, ending without freeing what it built one object at a time.

    python -m competency.publishing.sphinx_run SPHINX-BUILD-ARGUMENTS...

A build of thousands of pages holds millions of objects when Sphinx returns; a Python process frees
them one by one as it exits, which took seconds after the last file of a large site was written
(manual/performance.md). Once Sphinx has returned, every file it wrote is closed (it writes inside
`with` blocks), its logging is flushed below, and neither Sphinx, docutils, the theme nor this
extension registers an exit handler: the process ends with `os._exit`, as the operating system
frees its memory at once. A build that stops with an exception or SystemExit (a source problem)
ends the usual way: it is not the case worth seconds.
"""

from __future__ import annotations

import logging
import os
import sys

from sphinx.cmd.build import main as sphinx_build


def end(status: int) -> None:
    """Flush what the build printed and end the process with `status`, skipping the teardown."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover - the command itself (tests run it as a process)
    end(sphinx_build(sys.argv[1:]))
