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

import json
from collections.abc import Iterator
from pathlib import Path

from .model import Model
from .pages import page_docname
from .problems import Location, Problem, SourceError

STUB_SUFFIX = ".comp"
MARKER = ".competency-generated"
MARKER_TEXT = "This folder is generated from competency_src/ by the competency extension. Do not edit.\n"


def model_stubs(model: Model) -> Iterator[tuple[str, dict[str, str]]]:
    """(docname, stub content) of every page of a model."""
    def stub(kind: str, item: str) -> tuple[str, dict[str, str]]:
        return page_docname(model.id, kind, item), {"page": kind, "model": model.id, "item": item}

    yield stub("model", model.id)
    yield stub("matrix", model.id)
    yield stub("profile", model.id)
    for section in model.sections:
        yield stub("section", section.id)
    for competency_id in model.competencies:
        yield stub("competency", competency_id)
    for indicator_id in model.indicators:
        yield stub("indicator", indicator_id)
    for responsibility_id in model.responsibilities:
        yield stub("responsibility", responsibility_id)


def write_stubs(srcdir: Path, models: list[Model]) -> int:
    """Bring the stub folders in line with the models; return how many files were written."""
    wanted: dict[Path, str] = {}
    for model in models:
        folder = srcdir / model.id
        _claim_folder(folder, model)
        for docname, content in model_stubs(model):
            wanted[srcdir / (docname + STUB_SUFFIX)] = json.dumps(content, sort_keys=True) + "\n"
    written = 0
    for path, text in wanted.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    _remove_stale(srcdir, {m.id for m in models}, set(wanted))
    return written


def _claim_folder(folder: Path, model: Model) -> None:
    if folder.exists() and not (folder / MARKER).exists():
        raise SourceError([Problem(
            location=Location(path=model.path, line=1, column=1),
            message=f"the model id '{model.id}' is also the name of the folder {folder}, which holds hand-written pages",
            hint="rename the folder or the model: generated pages of a model go into a folder named after its id",
        )])
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((MARKER, MARKER_TEXT), (".gitignore", "# generated pages\n*\n")):
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _remove_stale(srcdir: Path, model_ids: set[str], wanted: set[Path]) -> None:
    for marker in srcdir.glob(f"*/{MARKER}"):
        folder = marker.parent
        if folder.name not in model_ids:
            _remove_tree(folder)
            continue
        for stub in folder.rglob(f"*{STUB_SUFFIX}"):
            if stub not in wanted:
                stub.unlink()


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
