"""Lifting a competency several jobs have into the shared library (`competency share`).

The competency is found by its title (compared as published, family.py) or by
the id some model gives it, in every model of the source folder. It becomes a
shared competency of `shared/library.yaml` (the file is created when missing),
and each job's competency becomes a use of it: `shared: <id>` after its id. The
indicators two or more of those jobs word the same become shared indicators of
it the same way. Sharing a competency that is already shared adds the jobs and
indicators that have joined since (e.g. after `competency import`).

The files are rewritten with ruamel.yaml's round trip (yamlformat.py), so
comments, order and quoting stay; each new text is checked to keep every
comment and to load, with the whole folder, before any file is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..sources.family import LIBRARY_FILE, Library, model_entries, normalised_text, normalised_title
from ..sources.model import Model
from ..sources.problems import Location, Problem, SourceError, did_you_mean
from ..sources.site import Site, load_site
from ..sources.yamlformat import comment_lines, dump, round_trip_yaml, write_atomically
from .family import near_title, normalised_title_text
from .ids import slugify

NEW_LIBRARY_HEADER = (
    "The shared competency library of this source folder (manual/family.md): competencies several\n"
    "job models use by reference. Each job's use says `shared: <id>` and keeps its own code,\n"
    "qualifier, preamble and indicators."
)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Shared:
    """What `share` did: the shared id, the files it rewrote and a line per change."""

    shared_id: str
    title: str
    files: tuple[Path, ...]
    #: (where, what changed), in file order.
    changes: tuple[tuple[Location, str], ...]
    #: (where, the job and code) of the competencies left out whose title is nearly the shared one.
    nearly: tuple[tuple[Location, str], ...] = ()


@dataclass(slots=True)
class _Plan:
    """The uses to write: (model id, item id) -> shared id, and the library entries to add."""

    shared_id: str
    title: str
    existing: bool
    competency_uses: dict[str, str] = field(default_factory=dict)  # model id -> competency id
    indicator_uses: dict[tuple[str, str], str] = field(default_factory=dict)  # (model, indicator) -> shared id
    new_indicators: dict[str, str] = field(default_factory=dict)  # shared indicator id -> text


def share(folder: Path, name: str, new_id: str | None = None, source_model: str | None = None) -> Shared:
    """Share the competency `name` (a title or an id) of the folder's models; raise SourceError when it cannot.

    The library takes its title, and the ids and words of new shared indicators, from one job: the
    model `source_model`, else the job that spells the title as `name` does, else the first job (by
    file name)."""
    site = load_site(folder)
    plan = _plan(site, name, new_id, source_model)
    texts = _rewritten(site, plan)
    _check(site, texts)
    library_path = folder / LIBRARY_FILE
    library_path.parent.mkdir(exist_ok=True)
    # The library first: a shared competency no job uses yet is valid, a use of a missing one is not.
    for path in sorted(texts, key=lambda p: p != library_path):
        write_atomically(path, texts[path])
    return Shared(
        shared_id=plan.shared_id,
        title=plan.title,
        files=tuple(texts),
        changes=tuple(_changes(site, plan, folder)),
        nearly=tuple(_nearly(site, plan)),
    )


def _nearly(site: Site, plan: _Plan) -> list[tuple[Location, str]]:
    """The competencies not shared whose titles differ from the shared one only in case, spacing or
    punctuation ("Self-Control", "Critical & Analytical Thinking"): share matches titles as published,
    so a near-duplicate stays the job's own until its title is written the same."""
    key, uses = near_title(plan.title), site.library.uses if site.library else {}
    return [
        (competency.location, f"{model.id} {model.home_of_competency(competency.id).code} '{competency.title}'")
        for model in site.written.values()
        for competency in model.competencies.values()
        if near_title(competency.title) == key
        and normalised_title(competency.title) != normalised_title(plan.title)
        and competency.id not in uses.get(model.id, {})
        and competency.id not in plan.competency_uses.values()
    ]


def _error(location: Location, message: str, hint: str = "") -> SourceError:
    return SourceError([Problem(location=location, message=message, hint=hint)])


# -- what to share ------------------------------------------------------------------------------------


def _plan(site: Site, name: str, new_id: str | None, source_model: str | None = None) -> _Plan:
    library = site.library
    models = list(site.written.values())
    shared = _shared_named(library, name) if library else None
    if shared is not None:
        if new_id and new_id != shared.id:
            raise _error(shared.location, f"'{name}' is already shared as '{shared.id}'", "leave out --id")
        plan = _Plan(shared_id=shared.id, title=shared.title, existing=True)
        key = normalised_title(shared.title)
    else:
        key = _title_key(site.source_dir, models, name)
        plan = _Plan(shared_id="", title="", existing=False)
    uses = library.uses if library else {}
    found: list[tuple[Model, str]] = []
    for model in models:
        current = next((c for c, s in uses.get(model.id, {}).items() if s == plan.shared_id and plan.existing), None)
        if current:
            found.append((model, current))
            continue
        candidates = [c for c in model.competencies.values() if normalised_title(c.title) == key]
        free = [c for c in candidates if c.id not in uses.get(model.id, {})]
        if free:
            found.append((model, free[0].id))
            plan.competency_uses[model.id] = free[0].id
    if len(found) < 2 and not plan.existing:
        where = found[0][0].competencies[found[0][1]].location if found else Location(path=site.source_dir)
        users = f"only {found[0][0].id} has it" if found else "no model has it"
        raise _error(where, f"'{name}': {users}", "a shared competency is one that two or more jobs need")
    found = _source_first(site, found, name, source_model)
    if not plan.existing:
        first_model, first_id = found[0]
        plan.title = normalised_title_text(first_model.competencies[first_id].title)
        plan.shared_id = new_id or slugify(plan.title)
        _check_new_id(site, plan.shared_id, first_model.competencies[first_id].location)
    _plan_indicators(site, plan, found)
    return plan


def _source_first(
    site: Site, found: list[tuple[Model, str]], name: str, source_model: str | None
) -> list[tuple[Model, str]]:
    """The jobs having the competency, the one whose title and words the library takes first."""
    if source_model:
        chosen = [job for job in found if job[0].id == source_model]
        if not chosen:
            raise _error(
                Location(path=site.source_dir),
                f"--from {source_model}: that job has no competency '{name}' to share",
                f"choose one of the jobs that have it: {', '.join(model.id for model, _c in found)}",
            )
    else:
        spelled = normalised_title_text(name)
        chosen = [job for job in found if normalised_title_text(job[0].competencies[job[1]].title) == spelled]
    return [*chosen[:1], *(job for job in found if job not in chosen[:1])]


def _shared_named(library: Library, name: str) -> Any:
    if name in library.competencies:
        return library.competencies[name]
    aliases = library.aliases_index()
    if name in aliases and aliases[name][0] == "shared-competency":
        raise _error(Location(path=library.path), f"'{name}' is a former id", f"write `{aliases[name][1]}`")
    key = normalised_title(name)
    return next((c for c in library.competencies.values() if normalised_title(c.title) == key), None)


def _title_key(folder: Path, models: list[Model], name: str) -> str:
    """The published title to look for: `name` itself, or the title of the competency some model ids `name`."""
    key = normalised_title(name)
    if any(normalised_title(c.title) == key for m in models for c in m.competencies.values()):
        return key
    by_id = next((m.competencies[name] for m in models if name in m.competencies), None)
    if by_id is not None:
        return normalised_title(by_id.title)
    titles = {c.title for m in models for c in m.competencies.values()}
    raise SourceError(
        [
            Problem(
                location=Location(path=folder),
                message=f"no model has a competency titled or named '{name}'",
                hint=did_you_mean(name, titles) or "give a competency's title or id",
            )
        ]
    )


def _check_new_id(site: Site, shared_id: str, where: Location) -> None:
    if not _ID.fullmatch(shared_id):
        raise _error(where, f"the shared id '{shared_id}' is not lowercase words joined by hyphens", "e.g. --id safety")
    library = site.library
    if library is None:
        return
    aliases = library.aliases_index()
    owner = shared_id if shared_id not in aliases else aliases[shared_id][1]
    holder = library.competencies.get(owner) or library.indicators.get(owner)
    if holder is not None:
        former = f" (a former id of '{owner}')" if owner != shared_id else ""
        raise _error(
            holder.location,  # the line of the library entry that has the id
            f"the shared id '{shared_id}' is already used in {LIBRARY_FILE.as_posix()}{former}",
            "choose another with --id",
        )


def _plan_indicators(site: Site, plan: _Plan, found: list[tuple[Model, str]]) -> None:
    """Indicators worded the same in two or more of the uses (or as a shared indicator) become shared."""
    library = site.library
    uses = library.uses if library else {}
    existing = {
        normalised_text(i.text): i.id
        for i in (library.indicators.values() if library else ())
        if i.competency == plan.shared_id
    }
    groups: dict[str, list[tuple[Model, str]]] = {}
    for model, competency_id in found:
        for indicator_id in model.competencies[competency_id].indicators:
            groups.setdefault(normalised_text(model.indicators[indicator_id].text), []).append((model, indicator_id))
    taken = set(library.competencies) | set(library.indicators) | set(library.aliases_index()) if library else set()
    taken.add(plan.shared_id)
    for key, members in groups.items():
        if key not in existing and len({m.id for m, _i in members}) < 2:
            continue
        shared_id = existing.get(key) or next((uses[m.id][i] for m, i in members if i in uses.get(m.id, {})), None)
        if shared_id is None:
            model, indicator_id = members[0]
            shared_id = _free_id(indicator_id, taken)
            plan.new_indicators[shared_id] = model.indicators[indicator_id].text
        taken.add(shared_id)
        for model, indicator_id in members:
            if indicator_id not in uses.get(model.id, {}):
                plan.indicator_uses[(model.id, indicator_id)] = shared_id


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# -- the new texts --------------------------------------------------------------------------------------


def _rewritten(site: Site, plan: _Plan) -> dict[Path, str]:
    """path -> new text of every file the plan changes."""
    texts: dict[Path, str] = {}
    for model in site.written.values():
        path = model.path
        original = path.read_text(encoding="utf-8")
        data = round_trip_yaml().load(original)
        changed = False
        for _where, entry, kind in model_entries(data):
            item_id = entry.get("id")
            shared_id = (
                plan.competency_uses.get(model.id) == item_id and plan.shared_id
                if kind == "competency"
                else plan.indicator_uses.get((model.id, item_id or ""))
            )
            if item_id and shared_id and "shared" not in entry:
                entry.insert(list(entry).index("id") + 1, "shared", shared_id)
                changed = True
        if changed:
            texts[path] = _kept_comments(original, dump(data), path)
    if site.library is not None:
        library_path = site.library.path
        original = library_path.read_text(encoding="utf-8")
        library = round_trip_yaml().load(original)
    else:
        library_path, original = site.source_dir / LIBRARY_FILE, ""
        library = CommentedMap(competencies=CommentedSeq())
        library.yaml_set_start_comment(NEW_LIBRARY_HEADER)
    if _add_to_library(library, plan):
        texts[library_path] = _kept_comments(original, dump(library), library_path)
    return texts


def _add_to_library(library: CommentedMap, plan: _Plan) -> bool:
    """Add the plan's shared competency or its new indicators; True when the library changed."""
    competencies = library["competencies"]
    indicators = CommentedSeq(CommentedMap(id=i, text=t) for i, t in plan.new_indicators.items())
    if not plan.existing:
        entry = CommentedMap(id=plan.shared_id, title=plan.title)
        if indicators:
            entry["indicators"] = indicators
        _append(competencies, entry)
        return True
    entry = next(c for c in competencies if c["id"] == plan.shared_id)
    if indicators:
        if "indicators" in entry:
            for indicator in indicators:
                _append(entry["indicators"], indicator)
        else:
            _move_trailing_comment(entry, indicators[-1])
            entry["indicators"] = indicators
    return bool(indicators)


def _append(items: CommentedSeq, entry: CommentedMap) -> None:
    """Append to a list, keeping a comment that follows its last item after the new one."""
    if items:
        _move_trailing_comment(items[-1], entry)
    items.append(entry)


def _move_trailing_comment(before: Any, after: CommentedMap) -> None:
    """ruamel keeps the comment after a block (blank lines, a heading comment) on its last key: move it."""
    holder = _last_key_holder(before)
    if holder is None:
        return
    node, key = holder
    comment = node.ca.items.get(key)
    if isinstance(node, CommentedMap) and comment and comment[2] is not None:
        after.ca.items[list(after)[-1]] = [None, None, comment[2], None]
        comment[2] = None


def _last_key_holder(node: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key whose value ends `node` in the text (where its trailing comment is kept)."""
    while isinstance(node, CommentedMap | CommentedSeq) and node:
        last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        value = node[last]
        if isinstance(value, CommentedMap | CommentedSeq) and value:
            node = value
            continue
        return (node, last) if isinstance(node, CommentedMap) else None
    return None


def _kept_comments(before: str, after: str, path: Path) -> str:
    """The new text, if it keeps every comment of the old one (round trip should; never lose one)."""
    lost = Counter(comment_lines(before)) - Counter(comment_lines(after))
    if lost:
        raise _error(
            Location(path=path),
            f"rewriting the file would drop the comment '{next(iter(lost))}'; nothing written",
            "add `shared:` by hand",
        )
    return after


def _check(site: Site, texts: dict[Path, str]) -> None:
    """Load the folder with the new texts; any problem stops the command before a file is written."""
    folder = site.source_dir
    with tempfile.TemporaryDirectory(prefix=".competency-share-") as temporary:
        copy = Path(temporary) / folder.name
        shutil.copytree(folder, copy)
        for path, text in texts.items():
            target = copy / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            load_site(copy)
        except SourceError as exc:
            raise SourceError(
                [
                    Problem(
                        location=Location(
                            path=folder / p.location.path.relative_to(copy),
                            line=p.location.line,
                            column=p.location.column,
                        ),
                        message=f"after sharing: {p.message}; nothing written",
                        hint=p.hint,
                    )
                    if p.location.path.is_relative_to(copy)
                    else p
                    for p in exc.problems
                ]
            ) from None


def _changes(site: Site, plan: _Plan, folder: Path) -> list[tuple[Location, str]]:
    library_path = folder / LIBRARY_FILE
    changes: list[tuple[Location, str]] = []
    verb = "has new shared indicators" if plan.existing else "added"
    if not plan.existing or plan.new_indicators:
        changes.append((Location(path=library_path), f"the shared competency '{plan.shared_id}' ({plan.title}) {verb}"))
    changes += [
        (Location(path=library_path), f"the shared indicator '{i}' added: {text}")
        for i, text in plan.new_indicators.items()
    ]
    for model in site.written.values():
        competency_id = plan.competency_uses.get(model.id)
        if competency_id:
            code = model.home_of_competency(competency_id).code
            changes.append(
                (
                    model.competencies[competency_id].location,
                    f"{code} '{competency_id}' is now a use of the shared competency '{plan.shared_id}'",
                )
            )
        for (model_id, indicator_id), shared_id in plan.indicator_uses.items():
            if model_id == model.id:
                code = model.home_of_indicator(indicator_id)[1].code
                changes.append(
                    (
                        model.indicators[indicator_id].location,
                        f"{code} '{indicator_id}' is now a use of the shared indicator '{shared_id}'",
                    )
                )
    return changes
