"""A parse cache for the model files, keyed by each file's time and size.

Parsing YAML with positions is the slowest part of starting a build with
thousands of indicators, and most builds change no model, or one. Each parsed
model file is kept in the doctrees folder beside the environment and reused
while that file, and the modules that define the loaded records, are
unchanged; only an edited file is parsed again, and the files a build must parse
(all of them, the first time) are parsed in as many processes as the build
may use. The family's library (often
as long as a model) is kept the same way. Overlays are small and are always
checked afresh against the models. The committed files the withdrawal check
reads from git (withdrawals.py) are kept by their blob id while the working
file differs from them.

Each entry is kept pickled on its own, so a build that parsed one file again
pickles that entry alone and writes the others' bytes as it read them: pickling
every model of 5,000 indicators again took a fifth of a second of each edit.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .loader import load_model_document
from .model import Model
from .problems import SourceError
from .site import Site, load_site, model_files, withdrawn_model_files
from .source_files import not_regular
from .withdrawals import check_withdrawals
from .yamlfile import YamlDocument, read_yaml

#: Modules whose code shapes the cached records: a change to any of them empties the cache.
_SHAPING_MODULES = (
    "sources/model.py",
    "sources/loader.py",
    "sources/schema.py",
    "sources/yamlfile.py",
    "sources/links.py",
    "sources/markup.py",
)
_FORMAT = 4
#: The cache key of a committed file's parse: this, then its blob id.
BLOB_KEY = "git blob "

#: A parsed file: its stamp, the model it holds (None for the library) and its parse (None for a
#: committed file that is not a readable model).
Entry = tuple[tuple[int, int], Model | None, YamlDocument | None]


def _code_key() -> list[Any]:
    here = Path(__file__).parents[1]  # the package
    files = [here / name for name in _SHAPING_MODULES] + sorted((here / "schemas").glob("*.json"))
    return [_FORMAT, [(p.name, *file_stamp(p)) for p in files]]


def file_stamp(path: Path) -> tuple[int, int]:
    """What says a file changed, without reading it: its modification time and size."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def load_site_cached(
    source_dir: Path,
    cache_file: Path,
    pages: frozenset[str] | None = None,
    *,
    withdrawals: bool = False,
    jobs: int = 1,
) -> Site:
    """The site of a source folder, parsing again only the model files that changed (in `jobs`
    processes); with `withdrawals`, checked against the last commit too (withdrawals.check_withdrawals)."""
    code_key = _code_key()
    try:
        with cache_file.open("rb") as stream:
            cached_key, pickled = pickle.load(stream)
        if cached_key != code_key or not isinstance(pickled, dict):
            pickled = {}
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pickled = {}  # no cache yet, or one from another version
    entries = _Entries(pickled)
    fresh: dict[str, Entry] = {}
    parsed = _parse_ahead([*model_files(source_dir), *withdrawn_model_files(source_dir)], entries, jobs)

    def kept(key: str, stamp: tuple[int, int], parse: Callable[[], tuple[Model | None, YamlDocument | None]]) -> Entry:
        """The entry kept under `key` if its stamp is `stamp`, else a fresh parse; kept for next time."""
        entry = entries.get(key)
        if entry is None or entry[0] != stamp:
            entry = parsed.get(key)
        if entry is None or entry[0] != stamp:
            entry = (stamp, *parse())
        fresh[key] = entry
        return entry

    def load_document(path: Path) -> tuple[Model, YamlDocument]:
        _stamp, model, document = kept(str(path), file_stamp(path), lambda: load_model_document(path))
        # A model file's entry holds its model and parse; the library's is another path.
        assert model is not None and document is not None
        return model, document

    def read_document(path: Path) -> YamlDocument:
        document = kept(str(path), file_stamp(path), lambda: (None, read_yaml(path)))[2]
        assert document is not None  # read_yaml raises on an unreadable file
        return document

    def parse_committed(blob: str, parse: Callable[[], YamlDocument | None]) -> YamlDocument | None:
        # A blob id names its content: no stamp to compare. None: not a readable model.
        return kept(BLOB_KEY + blob, (0, 0), lambda: (None, parse()))[2]

    site = load_site(source_dir, load_document=load_document, pages=pages, read_document=read_document)
    committed: set[str] = set()
    if withdrawals:
        check_withdrawals(site, parse_committed, committed)
    # The kept parses of the files the last commit holds, read by this build or not: the build after
    # an edit is undone reads none, and the next edit needs one again.
    written = {key: pickled[key] for key in entries.committed_keys(committed)} if withdrawals else {}
    reparsed = False
    for key, entry in fresh.items():
        data = entries.pickled_as_read(key, entry)
        reparsed = reparsed or data is None
        written[key] = data or _pickled(entry)
    if reparsed or written.keys() != pickled.keys():
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as stream:
            pickle.dump([code_key, written], stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache_file)  # a concurrent build never reads half a cache
    return site


class _Entries:
    """The cache's entries, each unpickled when it is first asked for (the committed files' parses
    are asked for only by the withdrawal check, and only for the files being edited)."""

    def __init__(self, pickled: dict[str, bytes]) -> None:
        self._pickled = pickled
        self._read: dict[str, Entry | None] = {}

    def get(self, key: str) -> Entry | None:
        if key not in self._read:
            self._read[key] = _unpickled(self._pickled.get(key))
        return self._read[key]

    def pickled_as_read(self, key: str, entry: Entry) -> bytes | None:
        """The bytes `entry` was read from, if it is the entry read (not parsed again): written as they are."""
        return self._pickled[key] if self._read.get(key) is entry else None

    def committed_keys(self, blobs: set[str]) -> list[str]:
        """The keys of the kept parses of the committed files `blobs` names."""
        return [key for key in self._pickled if key.startswith(BLOB_KEY) and key[len(BLOB_KEY) :] in blobs]


def _unpickled(data: bytes | None) -> Entry | None:
    if not isinstance(data, bytes):
        return None
    try:
        entry = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None  # as a missing entry: parsed again
    return entry if isinstance(entry, tuple) and len(entry) == 3 else None


def _pickled(entry: Entry) -> bytes:
    return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


def _parse_ahead(paths: list[Path], entries: _Entries, jobs: int) -> dict[str, Entry]:
    """The model files whose entry is missing or stale, parsed in `jobs` processes at once (each
    file is parsed on its own; at 5,000 indicators the parse was 3 s of a clean build). A file that
    does not parse is left out: the build parses it again, in order, and reports its problems as it
    would without this."""
    stamps = {path: file_stamp(path) for path in paths if not not_regular(path)}
    missing = [path for path, stamp in stamps.items() if (entries.get(str(path)) or (None,))[0] != stamp]
    parsed: dict[str, Entry] = {}
    if jobs < 2 or len(missing) < 2:
        return parsed
    context = multiprocessing.get_context("fork")  # the package is loaded already: nothing to import again
    with ProcessPoolExecutor(min(jobs, len(missing)), mp_context=context) as pool:
        for path, result in zip(missing, pool.map(_parsed_or_none, missing), strict=True):
            if result is not None:
                parsed[str(path)] = (stamps[path], *result)
    return parsed


def _parsed_or_none(path: Path) -> tuple[Model, YamlDocument] | None:
    try:
        return load_model_document(path)
    except SourceError:
        return None
