"""`competency import SRC.txt [-o OUT.yaml] [--id MODEL_ID] [--force]`: a model's plain text -> YAML."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..importer.family import Joined, join_family
from ..importer.lines import MAX_TEXT_BYTES, too_large
from ..importer.text import ImportResult, import_text
from ..sources.family import load_library
from ..sources.loader import load_model, load_model_document
from ..sources.problems import Location, Problem, SourceError, display_path
from ..sources.site import Site, load_site, model_files
from ..sources.source_files import not_regular, read_source_bytes
from ..sources.yamlformat import dump, model_document, write_atomically


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("import", help="import a model from its published plain text")
    parser.add_argument("src", type=Path, help="the model's text (UTF-8)")
    parser.add_argument(
        "-o", "--output", type=Path, help="YAML file to write (default: <id>.yaml; its name must be the model id)"
    )
    parser.add_argument(
        "--id", dest="model_id", help="model id (default: from the output name, the title line or the text's file name)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write what could be read even when the text has errors, and overwrite OUTPUT",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse a text with traces of PDF extraction (page numbers, running headers, words cut at "
        "line ends) instead of removing them with a warning",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.output and args.model_id and args.output.stem != args.model_id:
        print(
            f"competency import: the id '{args.model_id}' differs from the output name '{args.output.name}'; "
            "the model id is the file name: change one of them",
            file=sys.stderr,
        )
        return 2
    raw = _read(args.src)
    result = import_text(
        raw, path=args.src, model_id=args.model_id or (args.output.stem if args.output else None), strict=args.strict
    )
    output = args.output or Path(f"{result.model['id']}.yaml")
    if result.errors and not args.force:
        _print_in_line_order(result.problems)
        print(
            f"{display_path(args.src)}: {len(result.errors)} error(s); nothing written "
            "(correct the text, or pass --force to write what could be read)",
            file=sys.stderr,
        )
        return 1
    if output.exists() and not args.force:
        _print_in_line_order(result.problems)
        print(
            f"{display_path(output)}: exists; nothing written (remove it, or pass --force to overwrite it: "
            "ids of a model already published are permanent, so compare before replacing)",
            file=sys.stderr,
        )
        return 1
    family = _family(output, result.model["id"])
    joined = _join(result, family, args.src, output.parent)
    # What the text said and what joining the family said, one list in the order of the text's lines.
    _print_in_line_order([*result.problems, *(joined.problems if joined is not None else ())])
    if args.force:
        _report_skipped(result, args.src)
    if joined is not None:
        result = dataclasses.replace(result, model=joined.model)
    text = render(result, args.src)
    problems = validate(text, output, result.model["id"], family)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and not args.force:
        print(f"{display_path(output)}: the imported model does not load; nothing written", file=sys.stderr)
        return 1
    write_atomically(output, text)
    summary = _summary(result.model)
    if joined is not None:
        summary += (
            f"; joined the family: {joined.competencies} shared competencies, {joined.indicators} shared indicators"
        )
    print(f"{display_path(output)}: written from {display_path(args.src)} ({summary})", file=sys.stderr)
    return 0


def _print_in_line_order(problems: Sequence[Problem]) -> None:
    for problem in sorted(problems, key=lambda problem: problem.location.line or 0):  # a stable sort
        print(problem, file=sys.stderr)


def _family(output: Path, model_id: str) -> Site | None:
    """The other models of the folder the model is imported into (None when it holds none)."""
    folder = output.parent
    others = [p for p in model_files(folder) if p.resolve() != output.resolve()] if folder.is_dir() else []
    if not others:
        return None
    try:
        return load_site(folder)
    except SourceError as exc:
        raise SourceError(
            [
                *exc.problems,
                Problem(
                    location=Location(path=folder),
                    message="the models of this folder have errors; nothing written",
                    hint="an import joins the models beside it: correct them first",
                ),
            ]
        ) from None


def _join(result: ImportResult, site: Site | None, src: Path, folder: Path) -> Joined | None:
    if site is None:
        return None
    others = [m for m in site.written.values() if m.id != result.model["id"]]
    return join_family(result.model, result.origins, others=others, library=site.library, src=src, folder=folder)


def _read(path: Path) -> bytes:
    """The text's bytes; a text too large is refused before it is read (naming the text, not the output)."""
    problem = not_regular(path)
    if problem:
        raise SourceError([problem])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(
            [
                Problem(
                    location=Location(path=path), message=f"cannot read the file: {exc.strerror}", hint="check the path"
                )
            ]
        ) from None
    if size > MAX_TEXT_BYTES:
        raise SourceError([too_large(path, size)])
    return read_source_bytes(path)


def render(result: ImportResult, src: Path) -> str:
    """The imported model as YAML text: a header, then the model in the canonical layout."""
    header = (
        f"Imported from {src.name} by `competency import`.\n"
        "Review it against the text before publishing. Ids are permanent (they are the URLs):\n"
        "rename one only by keeping the old id under `aliases:`."
    )
    return dump(model_document(result.model, header=header, comments=result.comments))


def validate(text: str, output: Path, model_id: str, family: Site | None = None) -> list[Problem]:
    """Load the text as the project would (with the family it joins); problems name the output path."""
    with tempfile.TemporaryDirectory(prefix=".competency-import-") as folder:
        candidate = Path(folder) / f"{model_id}.yaml"
        candidate.write_text(text, encoding="utf-8")
        try:
            if family is None:
                load_model(candidate)
            else:
                model, document = load_model_document(candidate)
                models = {**{k: v for k, v in family.written.items() if k != model_id}, model_id: model}
                documents = {**{k: v for k, v in family.documents.items() if k != model_id}, model_id: document}
                load_library(family.source_dir, models, documents)
        except SourceError as exc:
            return [_at_output(p, candidate, output) for p in exc.problems]
    return []


def _at_output(problem: Problem, candidate: Path, output: Path) -> Problem:
    if problem.location.path != candidate:
        return problem
    return dataclasses.replace(problem, location=dataclasses.replace(problem.location, path=output))


def _report_skipped(result: ImportResult, src: Path) -> None:
    for line in result.skipped:
        print(f"{display_path(src)}:{line.number}: skipped: {line.content}", file=sys.stderr)
    if result.errors:
        print(
            f"{display_path(src)}: --force: writing what could be read; {len(result.skipped)} line(s) skipped",
            file=sys.stderr,
        )


def _summary(model: dict) -> str:
    sections = model["sections"]
    competencies = [c for s in sections for c in s.get("competencies", ())]
    competencies += [c for s in sections for g in s.get("groups", ()) for c in g["competencies"]]
    indicators = sum(1 for c in competencies for i in c.get("indicators", ()) if "id" in i)
    defined = sum(1 for c in competencies if "id" in c)
    return f"{len(sections)} sections, {defined} competencies, {indicators} indicators"
