"""What changed between two versions of the models: added, removed, withdrawn, renamed, reworded, moved.

Items are matched by id. An item of the new version whose `aliases` name an id
of the old version that is gone is that item *renamed* (not a removal plus an
addition); a gone item with a `withdrawn:` record in the new version is
*withdrawn* (its URL shows a withdrawal page), not removed. A matched item is
*reworded* when one of its words changed (with a word diff, ``[-old-]{+new+}``)
and *moved* when its display codes changed."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..sources.model import Model
from ..sphinx_ext.inline import plain_text

#: Change kinds, in the order they are reported.
CHANGE_KINDS = ("added", "removed", "withdrawn", "renamed", "reworded", "moved")
FORMAT = "competency-diff"
#: 2: the change kind "withdrawn" and the model status "withdrawn" (with `since`, `note`, `replaced_by`).
VERSION = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemView:
    """What a diff compares of one item."""

    objtype: str
    id: str
    #: Display codes, the defining position first.
    codes: tuple[str, ...]
    #: Field name -> words (plain text).
    wording: Mapping[str, str]
    aliases: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.codes[0] if self.codes else ""

    @property
    def label(self) -> str:
        return next((v for v in self.wording.values() if v), self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One change of one item."""

    change: str
    type: str
    id: str
    code: str = ""
    #: The item's main words (title or text), in the version that has it.
    label: str = ""
    old_id: str | None = None
    old_code: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    words: str | None = None
    #: Of a withdrawn item (or model): when, why and what replaces it, from its record.
    since: str | None = None
    note: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelDiff:
    id: str
    title: str
    #: "added", "removed", "withdrawn" or "changed".
    status: str
    changes: tuple[Change, ...] = ()
    #: The withdrawal of a withdrawn model: (since, note, replaced_by).
    withdrawal: Change | None = None


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """(op, words) runs: op is "=" for kept words, "-" for removed ones, "+" for added ones."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


def word_diff(old: str, new: str) -> str:
    """Words kept as they are, removed words in [-...-], added words in {+...+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in word_changes(old, new))


def item_views(model: Model) -> dict[str, ItemView]:
    """Every item of a model by id, in published order (the model itself under its own id)."""
    views = {
        model.id: ItemView(
            objtype="model",
            id=model.id,
            codes=(),
            aliases=model.aliases,
            wording=_words(title=model.title, source=model.source, note=model.note),
        )
    }
    for view in _section_views(model):
        views[view.id] = view
    return views


def _section_views(model: Model) -> Iterator[ItemView]:
    for section in model.sections:
        yield ItemView(
            objtype="section",
            id=section.id,
            codes=(section.code,),
            aliases=section.aliases,
            wording=_words(title=section.title, qualifier=section.qualifier, note=section.note),
        )
        for group in section.groups:
            yield ItemView(
                objtype="group",
                id=group.id,
                codes=(group.code,),
                aliases=group.aliases,
                wording=_words(title=group.title),
            )
        for placement in section.placements():
            if not placement.is_reference:
                yield _competency_view(model, placement.competency)
            for shown in placement.indicators:
                if not shown.is_reference:
                    indicator = model.indicators[shown.indicator]
                    codes = tuple(p.code for _, p in model.placements_of_indicator(indicator.id))
                    yield ItemView(
                        objtype="indicator",
                        id=indicator.id,
                        codes=codes,
                        aliases=indicator.aliases,
                        wording=_words(text=indicator.text, subitems=" | ".join(indicator.subitems)),
                    )
        for responsibility_id in section.responsibilities:
            r = model.responsibilities[responsibility_id]
            yield ItemView(
                objtype="responsibility", id=r.id, codes=(r.code,), aliases=r.aliases, wording=_words(text=r.text)
            )


def _competency_view(model: Model, competency_id: str) -> ItemView:
    c = model.competencies[competency_id]
    codes = tuple(p.code for p in model.placements_of_competency(c.id))
    return ItemView(
        objtype="competency",
        id=c.id,
        codes=codes,
        aliases=c.aliases,
        wording=_words(title=c.title, qualifier=c.qualifier, description=c.description, preamble=c.preamble),
    )


def _words(**fields: str | None) -> dict[str, str]:
    return {name: " ".join(plain_text(value).split()) if value else "" for name, value in fields.items()}


def diff_model(old: Model, new: Model) -> tuple[Change, ...]:
    """The changes of one model, grouped by kind, each group in published order."""
    before, after = item_views(old), item_views(new)
    renamed = {
        alias: view for view in after.values() for alias in view.aliases if alias in before and alias not in after
    }
    renamed_to = {view.id for view in renamed.values()}
    found: dict[str, list[Change]] = {kind: [] for kind in CHANGE_KINDS}
    for view in after.values():
        if view.id not in before and view.id not in renamed_to:
            found["added"].append(_change("added", view))
    for view in before.values():
        if view.id not in after and view.id not in renamed:
            record = new.withdrawn.get(view.id)
            if record is None:
                found["removed"].append(_change("removed", view))
            else:
                extra = {"since": record.since, "note": record.note, "replaced_by": record.replaced_by}
                found["withdrawn"].append(_change("withdrawn", view, **extra))
    for old_id, view in renamed.items():
        found["renamed"].append(_change("renamed", view, old_id=old_id, old_code=before[old_id].code))
    pairs = [(before[v.id], v) for v in after.values() if v.id in before]
    pairs += [(before[old_id], v) for old_id, v in renamed.items()]
    for was, now in pairs:
        found["reworded"] += _rewordings(was, now)
        if was.codes != now.codes:
            found["moved"].append(_change("moved", now, old_code=", ".join(was.codes), code=", ".join(now.codes)))
    order = {item_id: n for n, item_id in enumerate(after)}
    found["renamed"].sort(key=lambda c: order[c.id])
    return tuple(change for kind in CHANGE_KINDS for change in found[kind])


def _rewordings(was: ItemView, now: ItemView) -> list[Change]:
    return [
        _change(
            "reworded",
            now,
            field=name,
            old=was.wording.get(name, ""),
            new=text,
            words=word_diff(was.wording.get(name, ""), text),
        )
        for name, text in now.wording.items()
        if text != was.wording.get(name, "")
    ]


def _change(kind: str, view: ItemView, **extra: Any) -> Change:
    extra.setdefault("code", view.code)
    return Change(change=kind, type=view.objtype, id=view.id, label=view.label, **extra)


def diff_sites(
    old: Mapping[str, Model], new: Mapping[str, Model], withdrawn: Mapping[str, Model] | None = None
) -> list[ModelDiff]:
    """Every model's changes; models without changes are left out. `withdrawn`: the new version's withdrawn models."""
    withdrawn = withdrawn or {}
    result = []
    for model_id, model in new.items():
        if model_id not in old:
            result.append(ModelDiff(id=model_id, title=model.title, status="added"))
        elif changes := diff_model(old[model_id], model):
            result.append(ModelDiff(id=model_id, title=model.title, status="changed", changes=changes))
    for model_id, model in old.items():
        if model_id in new:
            continue
        record = withdrawn[model_id].withdrawal if model_id in withdrawn else None
        if record is None:
            result.append(ModelDiff(id=model_id, title=model.title, status="removed"))
            continue
        about = Change(
            change="withdrawn",
            type="model",
            id=model_id,
            label=model.title,
            since=record.since,
            note=record.note,
            replaced_by=record.replaced_by,
        )
        result.append(ModelDiff(id=model_id, title=model.title, status="withdrawn", withdrawal=about))
    return result


# -- output -----------------------------------------------------------------------------------------


def diff_data(diffs: list[ModelDiff], old_label: str, new_label: str) -> dict[str, Any]:
    """The JSON form (`competency diff --format json`)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": old_label,
        "new": new_label,
        "models": [
            {
                "id": d.id,
                "title": d.title,
                "status": d.status,
                **({"withdrawal": _withdrawal_data(d.withdrawal)} if d.withdrawal else {}),
                "changes": [{k: v for k, v in asdict(c).items() if v is not None} for c in d.changes],
            }
            for d in diffs
        ],
    }


def _withdrawal_data(change: Change) -> dict[str, str]:
    fields = {"since": change.since, "note": change.note, "replaced_by": change.replaced_by}
    return {k: v for k, v in fields.items() if v is not None}


def withdrawal_words(change: Change) -> str:
    """ "withdrawn 2025-03-01; replaced by x" """
    return f"withdrawn {change.since}" + (f"; replaced by {change.replaced_by}" if change.replaced_by else "")


def change_line(change: Change) -> str:
    """One change as a line of plain text."""
    what = f"{change.type} {change.id}"
    if change.change == "withdrawn":
        code = f" ({change.code})" if change.code else ""
        return f"{what}{code}: {change.label} ({withdrawal_words(change)})"
    if change.change == "renamed":
        return f"{change.type} {change.old_id} -> {change.id} ({change.code}): {change.label}"
    if change.change == "reworded":
        return f"{what} ({change.code}), {change.field}: {change.words}"
    if change.change == "moved":
        return f"{what}: {change.old_code} -> {change.code}"
    code = f" ({change.code})" if change.code else ""
    return f"{what}{code}: {change.label}"


def diff_text(diffs: list[ModelDiff], old_label: str, new_label: str) -> str:
    """The plain text form, grouped by model and by kind of change."""
    lines = [f"Changes from {old_label} to {new_label}"]
    if not diffs:
        lines.append("No changes.")
    for model_diff in diffs:
        status = model_diff.status
        if model_diff.withdrawal is not None:
            status += f" ({withdrawal_words(model_diff.withdrawal).removeprefix('withdrawn ')})"
        lines += ["", f"{model_diff.id} ({model_diff.title}): {status}"]
        for kind in CHANGE_KINDS:
            changes = [c for c in model_diff.changes if c.change == kind]
            if changes:
                lines.append(f"  {kind}:")
                lines += [f"    {change_line(c)}" for c in changes]
    return "\n".join(lines) + "\n"
