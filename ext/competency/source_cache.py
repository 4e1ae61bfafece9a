"""A parse cache for the sources, keyed by their file times and sizes.

Parsing YAML with positions is the slowest part of starting a build with
thousands of indicators, and most builds (a no-op, an edit to a Markdown page)
change no model. The loaded site is kept in the doctrees folder beside the
environment and reused while no source file, and no module that defines the
loaded records, has changed.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from .site import Site, load_site, model_files, overlay_files

#: Modules whose code shapes the cached records: a change to any of them invalidates the cache.
_SHAPING_MODULES = ("model.py", "loader.py", "overlay.py", "site.py", "schema.py", "yamlfile.py")
_FORMAT = 1


def _key(source_dir: Path) -> list[tuple[str, int, int]]:
    files = [*model_files(source_dir), *overlay_files(source_dir)]
    here = Path(__file__).parent
    files += [here / name for name in _SHAPING_MODULES]
    files += sorted((here / "schemas").glob("*.json"))
    return [(str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files]


def load_site_cached(source_dir: Path, cache_file: Path) -> Site:
    """The site of a source folder, from the cache when nothing it was built from has changed."""
    if not source_dir.is_dir():
        return load_site(source_dir)  # reports the missing folder
    key = [_FORMAT, _key(source_dir)]
    try:
        with cache_file.open("rb") as stream:
            cached_key, site = pickle.load(stream)
        if cached_key == key and isinstance(site, Site):
            return site
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass  # no cache yet, or one from another version: load from the sources
    site = load_site(source_dir)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    partial = cache_file.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as stream:
        pickle.dump([key, site], stream, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cache_file)  # a concurrent build never reads half a cache
    return site
