"""What a build leaves for the next one in the doctrees folder: one file per key, read and written here only.

It holds, each under its own key, what each model was built from (state.py), the digest of the
settings (build_log.py), the documents whose pages the output holds (theme/stale_outputs.py), what
the pages without a document were made from (theme/direct_pages.py), what the family's data file and
the exports were made from (pages/family.py, exports/downloads.py), the output files that are only
ever replaced whole, never rewritten in place (theme/build_speed.py; publishing links them). Each is
written when the build finishes. One file per key, because the pages' digests are most of it (megabytes at 5,000
indicators) and a build reads and writes each key several times: one file for all made every read
parse them and every write serialise them again (1.5 s of an edit of the benchmark's family).

The one other file the extension keeps in the doctrees folder is not a record of a build but a cache:
the parsed sources (sources/source_cache.py), reused while each file's stamp is unchanged; deleting
it costs one slower start, never a wrong page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # publishing reads a record without importing Sphinx (recorded_in)
    from sphinx.application import Sphinx

RECORD_FOLDER = "competency-build"
#: The keys the extension records under: plain names, each the name of its file.
KEY = re.compile(r"[a-z][a-z_]*")
#: The key of the output files the build only ever replaces whole (theme/build_speed.py), which
#: publishing reads (publishing/swap.py).
REPLACED_FILES = "replaced_files"


def _path(app: Sphinx, key: str) -> Path:
    return _path_in(Path(app.doctreedir), key)


def _path_in(doctreedir: Path, key: str) -> Path:
    if not KEY.fullmatch(key):
        raise ValueError(f"not a record key: {key!r}")
    return doctreedir / RECORD_FOLDER / f"{key}.json"


def recorded(app: Sphinx, key: str) -> Any:
    """What the last finished build recorded under `key` (None: nothing)."""
    return recorded_in(Path(app.doctreedir), key)


def recorded_in(doctreedir: Path, key: str) -> Any:
    """What the last finished build with this doctrees folder recorded under `key` (None: nothing);
    for `make html`'s publishing, which reads which files the build replaces whole (`replaced_files`)."""
    try:
        return json.loads(_path_in(doctreedir, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def record(app: Sphinx, key: str, value: Any) -> None:
    """Keep `value` under `key` for the next build; the file is compared before it is written again."""
    path = _path(app, key)
    text = json.dumps(value, sort_keys=True)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
