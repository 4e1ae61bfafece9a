"""The generated page stubs: one tiny file per item page, written only when new.

Sphinx reads pages from files, so every item page needs one. A stub names the
page (kind, model, item) and nothing else; the page itself is built from the
YAML when Sphinx reads the stub (see `reader.py`). Stubs live in one folder per
model inside the source folder (the folder is the URL path), each folder
carrying its own .gitignore so nothing generated is ever committed. Stubs are
compared before writing and stale ones removed, so an unchanged model touches
no file and Sphinx re-reads nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..pages.items import page_docname
from ..pages.kinds import MODEL_WIDE_PAGES, is_direct_page
from ..sources.family import FAMILY_FOLDER
from ..sources.model import Model
from ..sources.problems import Location, Problem, SourceError
from ..sources.site import Site

STUB_SUFFIX = ".comp"
MARKER = ".competency-generated"
MANIFEST = ".competency-stubs"
MARKER_TEXT = "This folder is generated from competency_src/ by the competency extension. Do not edit.\n"


def model_stubs(model: Model, added: Iterable[tuple[str, str]] = ()) -> Iterator[tuple[str, dict[str, str]]]:
    """(docname, stub content) of every page of a model as written, plus pages of items utilities add.

    Every variant has a page at every one of these URLs, so an HR link works in every variant.
    """

    def stub(kind: str, item: str, **extra: str) -> tuple[str, dict[str, str]]:
        return page_docname(model.id, kind, item), {"page": kind, "model": model.id, "item": item, **extra}

    for kind in ("model", *MODEL_WIDE_PAGES):
        yield stub(kind, model.id)
    items = [("section", s.id) for s in model.sections]
    items += [("competency", i) for i in model.competencies]
    items += [("indicator", i) for i in model.indicators]
    items += [("responsibility", i) for i in model.responsibilities]
    items += sorted(set(added) - set(items))
    for kind, item_id in items:
        yield stub(kind, item_id)
    withdrawn = [(record.kind, record.id) for record in model.withdrawn.values()]
    for kind, item_id in withdrawn:
        # A withdrawn item keeps its URL: the page says so (in every variant, which all share the record).
        yield (
            page_docname(model.id, kind, item_id),
            {"page": "withdrawn", "model": model.id, "item": item_id, "kind": kind},
        )
    yield from _redirect_stubs(model, {item_id: kind for kind, item_id in [*items, *withdrawn]})


def _redirect_stubs(model: Model, kinds: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """A page at every former id's URL, sending the reader to the item's current page."""
    for alias, current in model.aliases_index().items():
        kind = model.kind_of(current) or kinds.get(current, "")
        yield (
            page_docname(model.id, kind, alias),
            {"page": "redirect", "model": model.id, "item": current, "kind": kind, "alias": alias},
        )


def model_stub_list(model: Model, site: Site) -> list[tuple[str, dict[str, str]]]:
    """Every page of a model in this site: its items, the utilities' additions, former ids' redirects."""
    added = [
        pair
        for overlay in site.overlays.values()
        if model.id in overlay.models
        for pair in overlay.models[model.id].added_ids()
    ]
    stubs = list(model_stubs(model, added))
    if model.withdrawal is not None:
        # Every page of a withdrawn model answers with a withdrawal page; former ids still redirect.
        stubs = [(docname, _withdrawn(content)) for docname, content in stubs]
    # A renamed model keeps every old URL: each old folder redirects page by page to the current
    # pages (made from the model's own pages only: a second former id's folder mirrors the first's not).
    own = list(stubs)
    for old_id in model.aliases:
        stubs += [(old_id + docname[len(model.id) :], _moved(content, old_id)) for docname, content in own]
    return stubs


def write_stubs(srcdir: Path, site: Site) -> int:
    """Bring the stub folders in line with the sources; return how many files were written."""
    written = 0
    for model in (*site.written.values(), *site.withdrawn_models.values()):
        texts = {
            docname + STUB_SUFFIX: json.dumps(content, sort_keys=True) + "\n"
            for docname, content in model_stub_list(model, site)
            if not is_direct_page(content)  # written without a document (sphinx_ext/direct_pages.py)
        }
        folders = [srcdir / folder_id for folder_id in (model.id, *model.aliases)]
        # A manifest of the stubs written last time spares reading thousands of unchanged files.
        manifest = hashlib.sha256(json.dumps(sorted(texts.items())).encode()).hexdigest()
        manifest_file = folders[0] / MANIFEST
        if _read(manifest_file) == manifest and texts.keys() <= _files_in(srcdir, folders):
            continue
        wanted = {srcdir / name: text for name, text in texts.items()}
        for folder in folders:
            _claim_folder(folder, model)
        for path, text in wanted.items():
            if _read(path) != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                written += 1
        for folder in folders:
            for stub in folder.rglob(f"*{STUB_SUFFIX}"):
                if stub not in wanted:
                    stub.unlink()
        manifest_file.write_text(manifest, encoding="utf-8")
    every_model = (*site.written.values(), *site.withdrawn_models.values())
    folders = {name for m in every_model for name in (m.id, *m.aliases)}
    _remove_stale_folders(srcdir, folders | {FAMILY_FOLDER})  # pages/family.py keeps the family's folder
    return written


def _files_in(srcdir: Path, folders: list[Path]) -> set[str]:
    """The files under some folders, as paths relative to srcdir (one listing, no stat per file)."""
    found: set[str] = set()
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            prefix = Path(root).relative_to(srcdir).as_posix()
            found.update(f"{prefix}/{name}" for name in files)
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _withdrawn(content: dict[str, str]) -> dict[str, str]:
    """The stub of a page of a withdrawn model."""
    if content["page"] in ("redirect", "withdrawn"):
        return content
    return {"page": "withdrawn", "model": content["model"], "item": content["item"], "kind": content["page"]}


def _moved(content: dict[str, str], old_model_id: str) -> dict[str, str]:
    """The redirect stub of a page at the old model id's URL."""
    if content["page"] == "redirect":
        return {**content, "alias_model": old_model_id}
    return {
        "page": "redirect",
        "model": content["model"],
        "item": content["item"],
        "kind": content["kind"] if content["page"] == "withdrawn" else content["page"],
        "alias": content["item"],
        "alias_model": old_model_id,
    }


def _claim_folder(folder: Path, model: Model) -> None:
    if folder.exists() and not (folder / MARKER).exists():
        raise SourceError(
            [
                Problem(
                    location=Location(path=model.path, line=1, column=1),
                    message=f"the model id '{model.id}' is also the name of the folder {folder}, "
                    "which holds hand-written pages",
                    hint="rename the folder or the model: generated pages of a model go into a folder "
                    "named after its id",
                )
            ]
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((MARKER, MARKER_TEXT), (".gitignore", "# generated pages\n*\n")):
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _remove_stale_folders(srcdir: Path, folder_names: set[str]) -> None:
    """Stub folders of models (or former model ids) that no longer exist."""
    for marker in srcdir.glob(f"*/{MARKER}"):
        if marker.parent.name not in folder_names:
            _remove_tree(marker.parent)


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
