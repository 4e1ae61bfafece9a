"""What a build leaves for the next one in the doctrees folder: one file, read and written here only.

It holds, each under its own key, what each model was built from (state.py), the digest of the
settings (build_log.py), the documents whose pages the output holds (theme/stale_outputs.py) and what
the exports were made from (exports/downloads.py). Each is written when the build finishes.

The one other file the extension keeps in the doctrees folder is not a record of a build but a cache:
the parsed sources (sources/source_cache.py), reused while each file's stamp is unchanged; deleting
it costs one slower start, never a wrong page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

RECORD = "competency-build.json"


def _path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / RECORD


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recorded(app: Sphinx, key: str) -> Any:
    """What the last finished build recorded under `key` (None: nothing)."""
    return _read(_path(app)).get(key)


def record(app: Sphinx, key: str, value: Any) -> None:
    """Keep `value` under `key` for the next build; the file is compared before it is written again."""
    path = _path(app)
    data = _read(path)
    if key in data and data[key] == value:
        return
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    partial.replace(path)
