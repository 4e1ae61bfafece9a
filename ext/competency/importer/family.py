"""An imported model joining the family of jobs of the folder it is imported into.

`competency import` into a source folder that already holds models compares the
new model with the others, as published text (family.py's normalisation: case,
spacing, apostrophe style, a final full stop and a qualifier in brackets aside):

- a competency titled as a shared competency becomes a use of it (`shared:`);
- an indicator worded as a shared indicator becomes a use of it;
- a title or indicator wording another job has, but that is not shared yet, is
  reported with the `competency share` command that shares it;
- a near-duplicate (case, spacing and punctuation aside) is warned about and kept separate, as
  within one model (importer/assembly.py).

Every decision is a `Problem` at the text's line (a note, or a warning), so the
output says what joined, line by line.
"""

from __future__ import annotations

import copy
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources.family import (
    Library,
    SharedCompetency,
    SharedIndicator,
    model_entries,
    normalised_text,
    normalised_title,
)
from ..sources.model import Model
from ..sources.problems import Location, Problem, display_path
from .ids import near_key

HOW_COMPARED = "compared as published: case, spacing, apostrophes, a final full stop and a qualifier in brackets aside"
HOW_WORDS_COMPARED = "compared as published: case, spacing, apostrophes and a final full stop aside"


def near_title(title: str) -> str:
    """A title without its qualifier, case or punctuation: equal keys mean 'nearly the same'."""
    return near_key(normalised_title(title))


def share_command(name: str, folder: Path) -> str:
    """The exact `competency share` command that shares `name` in `folder`."""
    return f"competency share {shlex.quote(name)} --src {shlex.quote(display_path(folder))}"


@dataclass(slots=True)
class _Others:
    """What the folder's other jobs have, keyed as published text."""

    library: Library | None
    models: list[Model]
    titles: dict[str, list[tuple[Model, str]]] = field(default_factory=dict)
    texts: dict[str, list[tuple[Model, str]]] = field(default_factory=dict)
    near_titles: dict[str, str] = field(default_factory=dict)
    near_texts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        uses = self.library.uses if self.library else {}
        for model in self.models:
            own = uses.get(model.id, {})
            for competency in model.competencies.values():
                code = model.home_of_competency(competency.id).code
                self.near_titles.setdefault(near_title(competency.title), f"{model.id} {code} '{competency.title}'")
                if competency.id not in own:
                    self.titles.setdefault(normalised_title(competency.title), []).append((model, competency.id))
            for indicator in model.indicators.values():
                code = model.home_of_indicator(indicator.id)[1].code
                self.near_texts.setdefault(near_key(normalised_text(indicator.text)), f"{model.id} {code}")
                if indicator.id not in own:
                    self.texts.setdefault(normalised_text(indicator.text), []).append((model, indicator.id))
        for shared in self.library.competencies.values() if self.library else ():
            self.near_titles[near_title(shared.title)] = f"the shared competency '{shared.title}'"
        for indicator in self.library.indicators.values() if self.library else ():
            self.near_texts[near_key(normalised_text(indicator.text))] = f"the shared indicator '{indicator.id}'"

    def shared_title(self, title: str) -> SharedCompetency | None:
        key = normalised_title(title)
        competencies = self.library.competencies.values() if self.library else ()
        return next((c for c in competencies if normalised_title(c.title) == key), None)

    def shared_text(self, text: str) -> SharedIndicator | None:
        key = normalised_text(text)
        indicators = self.library.indicators.values() if self.library else ()
        return next((i for i in indicators if normalised_text(i.text) == key), None)

    def shared_of(self, model: Model, item_id: str) -> str | None:
        return self.library.uses.get(model.id, {}).get(item_id) if self.library else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Joined:
    """The imported model with its uses of the library, and what the import said about each."""

    model: dict[str, Any]
    problems: tuple[Problem, ...]
    #: Number of competencies and indicators that became uses of the library.
    competencies: int = 0
    indicators: int = 0


def join_family(
    model: dict[str, Any],
    origins: Mapping[str, tuple[int, str]],
    *,
    others: list[Model],
    library: Library | None,
    src: Path,
    folder: Path,
) -> Joined:
    """The imported `model` (plain data) joined to the family of `others` and their library."""
    model = copy.deepcopy(model)
    known = _Others(library=library, models=others)
    problems: list[Problem] = []
    #: Shared id -> the id of this job's entry that uses it (a job uses a shared item once).
    used: dict[str, str] = {}
    #: Imported competency id -> its shared id (joined) or its normalised title (a candidate).
    competency_key: dict[str, str] = {}
    joined = [0, 0]

    def say(item_id: str, message: str, hint: str = "", severity: str = "note") -> None:
        line, code = origins.get(item_id, (0, ""))
        problems.append(
            Problem(location=Location(path=src, line=line), message=f"{code} {message}", hint=hint, severity=severity)
        )

    owner = ""  # the competency whose indicators follow (entries come in published order)
    for _where, entry, kind in model_entries(model):
        if kind == "competency":
            owner = entry.get("id") or entry.get("ref", "")
        if "id" not in entry:
            continue
        if kind == "competency":
            found = _join_competency(entry, known, used, folder, say)
            competency_key[entry["id"]] = found or normalised_title(entry["title"])
            joined[0] += found is not None
        else:
            joined[1] += _join_indicator(entry, competency_key.get(owner, ""), known, used, folder, say)
    problems.sort(key=lambda p: p.location.line)
    return Joined(model=model, problems=tuple(problems), competencies=joined[0], indicators=joined[1])


def _with_shared(entry: dict[str, Any], shared_id: str) -> None:
    """Put `shared:` right after the entry's id, where a maintainer looks for it."""
    items = list(entry.items())
    entry.clear()
    for key, value in items:
        entry[key] = value
        if key == "id":
            entry["shared"] = shared_id


def _join_competency(entry: dict[str, Any], known: _Others, used: dict[str, str], folder: Path, say: Any) -> str | None:
    title = entry["title"]
    shared = known.shared_title(title)
    if shared is not None and shared.id in used:
        say(
            entry["id"],
            f"'{title}' has the title of the shared competency '{shared.id}', which this job already uses",
            "kept as the job's own competency: a job uses a shared competency once",
            "warning",
        )
        return None
    if shared is not None:
        _with_shared(entry, shared.id)
        used[shared.id] = entry["id"]
        how = "" if title == shared.title else f": '{title}' is '{shared.title}' ({HOW_COMPARED})"
        say(entry["id"], f"'{title}' joins the shared competency '{shared.id}'{how}")
        return shared.id
    candidates = known.titles.get(normalised_title(title), [])
    if candidates:
        where = ", ".join(f"{m.id} ({m.home_of_competency(c).code})" for m, c in candidates)
        first, competency_id = candidates[0]  # named as the folder already spells it, as _indicator_hint does
        name = normalised_title_text(first.competencies[competency_id].title)
        say(
            entry["id"],
            f"'{title}' is also a competency of {where}, not shared yet",
            f"to share it, after this import: {share_command(name, folder)}",
        )
        return None
    near = known.near_titles.get(near_title(title))
    if near:
        say(
            entry["id"],
            f"'{title}' is nearly {near}: same competency?",
            "they differ only in case, spacing or punctuation; kept separate: if they are the same, "
            "write the same title",
            "warning",
        )
    return None


def normalised_title_text(title: str) -> str:
    """The title as written, without a qualifier in brackets (what `competency share` is given)."""
    kept = title.rsplit("(", 1)[0].strip() if title.rstrip().endswith(")") else title
    return " ".join(kept.split())


def _join_indicator(
    entry: dict[str, Any], competency_key: str, known: _Others, used: dict[str, str], folder: Path, say: Any
) -> bool:
    text = entry["text"]
    shared = known.shared_text(text)
    if shared is not None and shared.id not in used and shared.competency != competency_key:
        # A shared indicator is listed under the job's use of its shared competency (`check` says so):
        # the same words under another competency are the job's own.
        assert known.library is not None  # a shared indicator comes from it
        title = known.library.competencies[shared.competency].title
        nearly = " (whose title is nearly this one's)" if near_key(competency_key) == near_title(title) else ""
        say(
            entry["id"],
            f"has the words of the shared indicator '{shared.id}', but is listed under another competency "
            f"than its shared competency '{title}'{nearly}",
            "kept as the job's own indicator: a shared indicator is listed under the job's use of its shared "
            "competency; if this job's competency is that one, give it the same title",
        )
        return False
    if shared is not None and shared.id not in used:
        _with_shared(entry, shared.id)
        used[shared.id] = entry["id"]
        how = "" if text == shared.text else f" ({HOW_WORDS_COMPARED})"
        say(entry["id"], f"joins the shared indicator '{shared.id}'{how}")
        return True
    if shared is not None:
        first = used[shared.id]
        say(
            entry["id"],
            f"has the words of the shared indicator '{shared.id}' ({HOW_WORDS_COMPARED}), which this job "
            f"already uses as '{first}'",
            f"kept as the job's own indicator: a job uses a shared indicator once; if it is the same "
            f"behaviour, write `- ref: {first}` for it",
            "warning",
        )
        return False
    same = known.texts.get(normalised_text(text), [])
    if same:
        where = ", ".join(f"{m.id} {m.home_of_indicator(i)[1].code}" for m, i in same)
        hint = _indicator_hint(same, competency_key, known, folder)
        say(entry["id"], f"has the words of {where}, not shared yet", hint)
        return False
    near = known.near_texts.get(near_key(normalised_text(text)))
    if near:
        say(
            entry["id"],
            f"is nearly {near}: same indicator?",
            "they differ only in case, spacing, punctuation or quote style; kept separate: if they are the same, "
            "write the same words",
            "warning",
        )
    return False


def _indicator_hint(same: list[tuple[Model, str]], competency_key: str, known: _Others, folder: Path) -> str:
    """The command that shares the words: sharing their competency lifts the indicators it has in common."""
    for model, indicator_id in same:
        owner = model.indicators[indicator_id].competency
        key = known.shared_of(model, owner) or normalised_title(model.competencies[owner].title)
        if key == competency_key:
            in_library = known.library and key in known.library.competencies
            name = key if in_library else normalised_title_text(model.competencies[owner].title)
            return f"to share it with its competency, after this import: {share_command(name, folder)}"
    for model, indicator_id in same:
        title = model.competencies[model.indicators[indicator_id].competency].title
        if near_key(competency_key) == near_title(title):
            return f"kept separate: the other job lists it under '{title}', whose title is nearly this one's"
    return "kept separate: the other job lists it under another competency"
