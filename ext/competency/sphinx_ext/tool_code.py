"""Which code of this tool a build is made with: a build made with other code starts afresh.

Sphinx reads a document again, and the extension writes a page again, only when what it is made
from changed: the sources, the settings, the templates. The tool's own code is part of that too:
after an upgrade, or an edit of the tool, every page must be as a clean build would write it, and a
build that kept the pages written by the old code would publish them. So the version of the data
the extension keeps (ENV_VERSION) goes with a digest of every file of the package (its code,
schemas, templates, static files), read once per process (about 1 MB).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from .. import ENV_VERSION

PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_digest() -> str:
    """A digest of the package's files (their paths and bytes); compiled bytecode left out."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.relative_to(PACKAGE).parts:
            digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tool_key() -> list[int | str]:
    """What the records of a build name as the code they were made with (model and page keys)."""
    return [ENV_VERSION, code_digest()]


def environment_version() -> int:
    """The `env_version` the extension gives Sphinx: a build with other code reads every document again."""
    return int(hashlib.sha256(repr(tool_key()).encode()).hexdigest()[:12], 16)
