"""No id vanishes without a record: the ids of the last commit compared with the sources.

Every id a model had in the last commit (HEAD) of the source folder, aliases and
withdrawal records included, had a URL that someone may have linked to. Each must
still be there: as an item, as an alias of an item (it was renamed), or as a
`withdrawn:` record (its URL then shows a withdrawal page). A whole model must still
be a model, a model's alias, or a withdrawn model (competency_src/withdrawn/).
`competency check` and the build run this same check; outside git, before the
first commit, or for a file the last commit does not have, there is nothing to
compare and it passes.

Only files that differ from the commit are read from git: an unchanged file
cannot have lost an id, so a build that changed no model costs two git calls. The
build keeps the parse of each committed file it read by its blob id (`ParseCommitted`,
given by the parse cache, source_cache.py), for as long as the commit holds that file
(`committed_blobs`): while a maintainer edits a model, each rebuild parses the edited
file, not the committed one again too, even after a build that found it unchanged.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Model
from .problems import Location, Problem, SourceError, display_path
from .site import EDITIONS_FILE, WITHDRAWN_FOLDER, Site
from .yamlfile import JsonPath, YamlDocument, read_yaml

#: The field holding the last wording of each kind of item.
WORDING_FIELDS = {"section": "title", "competency": "title", "indicator": "text", "responsibility": "text"}

#: (blob id, parse) -> the committed file's parse: `parse()`, or a parse kept from an earlier build.
#: A blob id names its content, so a kept parse is never stale.
ParseCommitted = Callable[[str, Callable[[], YamlDocument | None]], YamlDocument | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class CommittedItem:
    """An item (or withdrawal record) of a model file as the last commit has it."""

    kind: str
    id: str
    wording: str
    aliases: tuple[str, ...]
    #: Its line in the committed file.
    line: int
    #: The record's own fields, when it was already a withdrawal record (kept as they were).
    record: dict[str, Any] | None = None


def check_withdrawals(
    site: Site, parse_committed: ParseCommitted | None = None, committed_blobs: set[str] | None = None
) -> None:
    """Raise SourceError when an id of the last commit is gone from the sources without a record;
    `committed_blobs`, if given, receives the blob ids of every committed model file."""
    problems = vanished_ids(site, parse_committed=parse_committed, committed_blobs=committed_blobs)
    if problems:
        raise SourceError(problems)


def vanished_ids(
    site: Site,
    revision: str = "HEAD",
    parse_committed: ParseCommitted | None = None,
    committed_blobs: set[str] | None = None,
) -> list[Problem]:
    """A located problem, with the entry to add, for every id that vanished since the last commit
    (or since another revision: editions.py checks each edition's); `committed_blobs`, if given,
    receives the blob ids of the revision's model files (the parse cache keeps their parses)."""
    folder = site.source_dir.resolve()
    prefix = _git(folder, "rev-parse", "--show-prefix")
    listing = _git(folder, "ls-tree", "-r", "-z", revision, "--", ".") if prefix is not None else None
    if listing is None:
        return []  # not in git, git missing, or no commit yet
    models = {**site.withdrawn_models, **site.written}
    by_name = {name: model for model in models.values() for name in (model.id, *model.aliases)}
    problems: list[Problem] = []
    for mode, blob, name in _model_blobs(listing):
        if committed_blobs is not None:
            committed_blobs.add(blob)
        path = folder / name
        if mode == "120000" or (path.is_file() and _blob_id(path) == blob):
            continue  # a symbolic link (its target is checked where it lives), or unchanged
        committed = f"{revision}:{prefix.strip()}{name}"
        data, lines = _committed_model(folder, blob, Path(name).name, parse_committed)
        if data is None:
            continue  # the committed file was not a readable model: nothing to compare
        model_id = str(data.get("id") or Path(name).stem)
        model = by_name.get(model_id)
        if model is None:
            problems.append(_model_problem(folder, model_id, committed))
            continue
        known = model.page_ids()
        for item in _committed_items(data, lines):
            problems += _item_problems(model, item, known, committed)
    return problems


def _model_blobs(listing: str) -> Iterator[tuple[str, str, str]]:
    """(mode, blob id, path) of the committed model files: *.yaml and withdrawn/*.yaml."""
    for entry in listing.split("\0"):
        meta, _, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) != 3 or parts[1] != "blob" or not name.endswith(".yaml"):
            continue
        if name == EDITIONS_FILE:
            continue  # the editions record, not a model
        if "/" not in name or (name.count("/") == 1 and name.startswith(f"{WITHDRAWN_FOLDER}/")):
            yield parts[0], parts[2], name


def _blob_id(path: Path) -> str:
    """The id git gives a file's content, to tell an unchanged file without asking git."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _committed_model(
    folder: Path, blob: str, name: str, parse_committed: ParseCommitted | None = None
) -> tuple[dict[str, Any] | None, Any]:
    """The committed file's data and positions (read with the same safe reader as the sources)."""

    def parse() -> YamlDocument | None:
        text = _git(folder, "cat-file", "blob", blob)
        if text is None:
            return None
        with tempfile.TemporaryDirectory(prefix="competency-head-") as scratch:
            copy = Path(scratch, name)
            copy.write_text(text, encoding="utf-8")
            try:
                return read_yaml(copy)
            except SourceError:
                return None

    document = parse() if parse_committed is None else parse_committed(blob, parse)
    if document is None or not isinstance(document.data, dict):
        return None, None
    return document.data, document.positions


def _committed_items(data: dict[str, Any], positions: Any) -> Iterator[CommittedItem]:
    """Every item with a page in a committed model file (groups have none), and its withdrawal records."""

    def item(kind: str, entry: dict[str, Any], where: JsonPath, record: dict[str, Any] | None = None) -> CommittedItem:
        return CommittedItem(
            kind=kind,
            id=str(entry["id"]),
            wording=str(entry.get(WORDING_FIELDS[kind]) or ""),
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            line=positions.at(where).line,
            record=record,
        )

    for kind, entry, where in _committed_entries(data):
        yield item(kind, entry, where)
    for n, record in _listed(data.get("withdrawn")):
        if record.get("kind") in WORDING_FIELDS:
            yield item(str(record["kind"]), record, ("withdrawn", n), record)


def _committed_entries(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], JsonPath]]:
    """(kind, entry, where) of every section, competency, indicator and responsibility defined."""
    for s, section in _listed(data.get("sections")):
        where: JsonPath = ("sections", s)
        yield "section", section, where
        holders = [((*where, "competencies"), section.get("competencies"))]
        groups = _listed(section.get("groups"))
        holders += [((*where, "groups", g, "competencies"), group.get("competencies")) for g, group in groups]
        for at, competencies in holders:
            for c, competency in enumerate(competencies or ()):
                if not isinstance(competency, dict):
                    continue
                if "id" in competency:
                    yield "competency", competency, (*at, c)
                for i, indicator in _listed(competency.get("indicators")):  # a `ref:` entry may define some
                    yield "indicator", indicator, (*at, c, "indicators", i)
        for r, responsibility in _listed(section.get("responsibilities")):
            yield "responsibility", responsibility, (*where, "responsibilities", r)


def _listed(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The entries of a list that define an id, with their index."""
    return [(n, e) for n, e in enumerate(value or ()) if isinstance(e, dict) and "id" in e]


def _item_problems(model: Model, item: CommittedItem, known: set[str], committed: str) -> list[Problem]:
    lost_aliases = tuple(a for a in item.aliases if a not in known)
    where = _where_to_add(model)
    if item.id not in known:
        entry = _entry(item, lost_aliases)
        if item.record is not None:
            message = f"the withdrawal record of the {item.kind} '{item.id}' ({committed}, line {item.line}) is gone"
            hint = f"a withdrawal record keeps an old URL answering: put it back in `withdrawn:`: - {entry}"
        else:
            message = f"the {item.kind} '{item.id}' ({committed}, line {item.line}) is gone without a withdrawal record"
            add = f"add to `withdrawn:` the entry - {entry}" if model.withdrawn else f"add: withdrawn: [{entry}]"
            hint = f"if it was renamed, add '{item.id}' to the aliases of the item that replaced it; otherwise {add}"
        return [Problem(location=where, message=f"{message}: its URL would break", hint=hint)]
    return [
        Problem(
            location=where,
            message=f"the former id '{alias}' of '{item.id}' ({committed}, line {item.line}) is gone: "
            "its URL would break",
            hint=f"add '{alias}' back to the aliases of '{item.id}' (or of its withdrawal record)",
        )
        for alias in lost_aliases
    ]


def _entry(item: CommittedItem, aliases: tuple[str, ...]) -> str:
    """The `withdrawn:` entry to add, as one line of YAML (a flow mapping)."""
    if item.record is not None:
        fields = {k: v for k, v in item.record.items() if k != "aliases"}
    else:
        fields = {"id": item.id, "kind": item.kind, WORDING_FIELDS[item.kind]: item.wording}
        fields["since"] = datetime.date.today().isoformat()
    if aliases:
        fields["aliases"] = list(aliases)
    text = ", ".join(f"{key}: {_scalar(value)}" for key, value in fields.items() if value not in (None, ""))
    return "{" + text + "}"


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if text.replace("-", "").isalnum() and text.islower() and not text[:1].isdigit():
        return text  # an id or a kind: plain
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _where_to_add(model: Model) -> Location:
    """Where the record goes: the model's `withdrawn:` list, or the end of the file."""
    if model.withdrawn:
        first = next(iter(model.withdrawn.values())).location
        return Location(path=model.path, line=max(first.line - 1, 1), column=1)
    try:
        lines = model.path.read_text(encoding="utf-8").count("\n")
    except OSError:
        lines = 0
    return Location(path=model.path, line=max(lines, 1), column=1)


def _model_problem(folder: Path, model_id: str, committed: str) -> Problem:
    record = folder / WITHDRAWN_FOLDER / f"{model_id}.yaml"
    restore = f"git show {committed} > {display_path(record)}"
    if f"/{WITHDRAWN_FOLDER}/" in committed:
        return Problem(
            location=Location(path=record, line=1, column=1),
            message=f"the withdrawn model '{model_id}' ({committed}) is gone: its URLs would break",
            hint=f"a withdrawn model's file keeps its old URLs answering: put it back ({restore})",
        )
    since = datetime.date.today().isoformat()
    return Problem(
        location=Location(path=record, line=1, column=1),
        message=f"the model '{model_id}' ({committed}) is gone without a withdrawal record: its URLs would break",
        hint=f"keep its last version in {WITHDRAWN_FOLDER}/ ({restore}) and add "
        f"`withdrawal: {{since: \"{since}\"}}` at its top level; if it was renamed, add '{model_id}' to the new "
        "model's aliases",
    )


def _git(cwd: Path, *args: str) -> str | None:
    """git's output, or None when it cannot answer (no git, not a repository, no commit)."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return done.stdout if done.returncode == 0 else None
