"""Utility variants: a model as one utility publishes it.

A variant is built from the model's YAML data, not from the built model: the
overlay leaves items out, rewords them and adds its own, and then the normal
loader builds the result, so display codes follow the variant's own order
while ids, and so URLs, stay those of the generic model. Items whose `only:`
tag expression does not match the build's tags are left out the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from .loader import build_model
from .model import Model, VariantChanges
from .only import Tags
from .overlay import Adaptation, UtilityOverlay
from .problems import Location, Problem, SourceError
from .scales import model_rating
from .site import Site
from .yamlfile import YamlDocument

TEXT_FIELDS = ("title", "qualifier", "description", "preamble", "text", "note", "source")


def check_every_variant(site: Site) -> None:
    """Build the generic site and every utility's, as `make variants` does; raise SourceError with every problem.

    `competency check` runs this after loading the sources, so it finds what any variant's build would.
    """
    problems: list[Problem] = []
    for utility in [None, *site.overlays]:
        try:
            site_for_utility(site, utility)
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)


def site_for_utility(site: Site, utility: str | None, tags: Iterable[str] = ()) -> Site:
    """The site as built for a utility (None: the generic site), `only:` expressions matched against tags."""
    overlay = None
    if utility:
        overlay = site.overlays.get(utility)
        if overlay is None:
            known = ", ".join(site.overlays) or "none"
            raise SourceError(
                [
                    Problem(
                        location=Location(path=site.source_dir / "utilities"),
                        message=f"unknown utility '{utility}'",
                        hint=f"known utilities: {known}",
                    )
                ]
            )
    active = {*tags, *([utility] if utility else [])}
    models = {
        model_id: variant_model(site.documents[model_id], model, overlay, active)
        for model_id, model in site.written.items()
    }
    return replace(site, models=models, utility=overlay)


def variant_model(document: YamlDocument, written: Model, overlay: UtilityOverlay | None, tags: set[str]) -> Model:
    adaptation = overlay.models.get(written.id) if overlay else None
    has_only = any(True for _ in _entries_with_only(document.data))
    if adaptation is None and not has_only:
        return replace(
            written,
            utility=overlay.utility if overlay else None,
            variant=_changes(overlay, None, {}, {}, ()) if overlay else None,
        )
    data = copy.deepcopy(document.data)
    matcher = Tags(sorted(tags))
    excluded = _leave_out(data, lambda entry: _left_out_by(entry, adaptation, matcher))
    reworded: dict[str, dict[str, str]] = {}
    if adaptation is not None:
        _override(data, adaptation, reworded)
        _replace_words(data, adaptation, reworded)
        _add(data, adaptation)
    # Withdrawal records are the same in every variant (their replacement may be an item the utility leaves out).
    data.pop("withdrawn", None)
    variant_document = YamlDocument(path=written.path, data=data, positions=document.positions)
    try:
        model = build_model(variant_document, check_file_name=False)
        # The HR forms' anchors and questions as the utility publishes them (its added competencies'
        # too), rated on the site's scale.
        scale = written.rating.scale if written.rating else None
        rating = model_rating(scale, variant_document)
    except SourceError as exc:
        # The model alone builds, so the overlay made the variant wrong: its file is the one to fix.
        # (overlay.py checks what an overlay may do; this names the overlay should a case slip past it.)
        if adaptation is None or overlay is None or adaptation.location is None:
            raise
        raise SourceError(
            replace(
                problem,
                location=adaptation.location,
                message=f"{overlay.utility}'s variant of '{written.id}': {problem.message}",
            )
            for problem in exc.problems
        ) from None
    added = tuple(item_id for _kind, item_id in adaptation.added_ids()) if adaptation else ()
    return replace(
        model,
        withdrawn=written.withdrawn,
        rating=rating,
        utility=overlay.utility if overlay else None,
        variant=_changes(overlay, adaptation, reworded, excluded, added),
    )


def _changes(
    overlay: UtilityOverlay | None,
    adaptation: Adaptation | None,
    reworded: dict[str, dict[str, str]],
    excluded: dict[str, str],
    added: tuple[str, ...],
) -> VariantChanges:
    notes = tuple(n for n in (overlay.note if overlay else None, adaptation.note if adaptation else None) if n)
    return VariantChanges(
        utility_name=overlay.name if overlay else "",
        overlay_path=overlay.path if overlay else None,
        reworded=reworded,
        excluded=excluded,
        added=added,
        departments=adaptation.departments if adaptation else (),
        notes=notes,
    )


def _left_out_by(entry: dict[str, Any], adaptation: Adaptation | None, tags: Tags) -> str | None:
    """Why an entry is left out of the variant, or None when it stays."""
    if adaptation is not None and entry.get("id") in adaptation.exclude:
        return "excluded by the utility"
    if "only" in entry and not tags.eval_condition(entry["only"]):
        return f"used only where `{entry['only']}` holds"
    return None


# -- walking the raw model data -------------------------------------------------------------------------


def _entry_lists(data: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """Every list of competency, indicator and responsibility entries, outermost first."""
    for section in data["sections"]:
        lists = [section.get("competencies", []), *(g["competencies"] for g in section.get("groups", []))]
        for competencies in lists:
            yield competencies
            for competency in competencies:
                yield competency.setdefault("indicators", []) if "indicators" in competency else []
        yield section.get("responsibilities", [])


def _definitions(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entries in _entry_lists(data):
        yield from (e for e in entries if "id" in e)


def _entries_with_only(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entries in _entry_lists(data):
        yield from (e for e in entries if "only" in e)


def _leave_out(data: dict[str, Any], reason_for: Callable[[dict[str, Any]], str | None]) -> dict[str, str]:
    """Remove left-out entries (and every reference to what they define); return id -> reason."""
    removed: dict[str, str] = {}
    for entries in list(_entry_lists(data)):
        for entry in list(entries):
            reason = reason_for(entry)
            if reason is None:
                continue
            entries.remove(entry)
            if "id" in entry:
                removed[entry["id"]] = reason
                removed.update({i["id"]: reason for i in entry.get("indicators", ()) if "id" in i})
    for entries in _entry_lists(data):
        entries[:] = [e for e in entries if e.get("ref") not in removed]
    for responsibility in _definitions(data):
        if "supported_by" in responsibility:
            responsibility["supported_by"] = [i for i in responsibility["supported_by"] if i not in removed]
    return removed


def _override(data: dict[str, Any], adaptation: Adaptation, reworded: dict[str, dict[str, str]]) -> None:
    for entry in _definitions(data):
        for name, value in adaptation.override.get(entry["id"], {}).items():
            reworded.setdefault(entry["id"], {}).setdefault(name, entry.get(name, ""))
            entry[name] = value


def _replace_words(data: dict[str, Any], adaptation: Adaptation, reworded: dict[str, dict[str, str]]) -> None:
    def apply(holder: dict[str, Any], item_id: str) -> None:
        for name in TEXT_FIELDS:
            if isinstance(holder.get(name), str):
                new = _replaced(holder[name], adaptation.replace)
                if new != holder[name]:
                    reworded.setdefault(item_id, {}).setdefault(name, holder[name])
                    holder[name] = new
        if "subitems" in holder:
            holder["subitems"] = [_replaced(s, adaptation.replace) for s in holder["subitems"]]

    apply(data, data["id"])
    for section in data["sections"]:
        apply(section, section["id"])
        for group in section.get("groups", ()):
            apply(group, group["id"])
    for entry in _definitions(data):
        apply(entry, entry["id"])


def _replaced(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _add(data: dict[str, Any], adaptation: Adaptation) -> None:
    definitions = {entry["id"]: entry for entry in _definitions(data)}
    for addition in adaptation.add:
        item = copy.deepcopy(dict(addition.data))
        if addition.kind == "competency":
            section = next(s for s in data["sections"] if s["id"] == addition.into)
            section.setdefault("competencies", []).append(item)
            definitions[item["id"]] = item
        elif addition.kind == "indicator":
            definitions[str(addition.into)].setdefault("indicators", []).append(item)
        else:
            section = next(s for s in data["sections"] if s["kind"] == "responsibilities")
            section["responsibilities"].append(item)
