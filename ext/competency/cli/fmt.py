"""`competency fmt [FILES...] [--check]`: rewrite YAML sources in the canonical layout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ruamel.yaml.error import YAMLError

from ..sources.problems import SourceError, display_path
from ..sources.source_files import read_source_bytes
from ..sources.yamlformat import FormatError, canonical, write_atomically

SOURCE_DIR = Path("competency_src")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("fmt", help="rewrite model and overlay files in the canonical YAML layout")
    parser.add_argument("files", nargs="*", type=Path, help=f"YAML files (default: every *.yaml under {SOURCE_DIR}/)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing the files that would change (for CI)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = args.files or sorted(SOURCE_DIR.rglob("*.yaml"))
    changed: list[Path] = []
    failed = 0
    for path in files:
        try:
            # Never a plain read: a FIFO named *.yaml would make fmt wait forever.
            original = read_source_bytes(path).decode("utf-8")
            formatted = canonical(original)
        except SourceError as exc:
            print(f"{exc.problems[0]}", file=sys.stderr)
            failed += 1
            continue
        except (OSError, UnicodeDecodeError, YAMLError, FormatError) as exc:
            # One bad file must not stop the others from being checked.
            print(f"{display_path(path)}: not formatted: {_first_line(exc)}", file=sys.stderr)
            failed += 1
            continue
        if formatted != original:
            changed.append(path)
            if not args.check:
                write_atomically(path, formatted)
    _report(changed, check=args.check)
    return 1 if failed or (args.check and changed) else 0


def _report(changed: list[Path], *, check: bool) -> None:
    verb = "would be reformatted" if check else "reformatted"
    for path in changed:
        print(f"{display_path(path)}: {verb}", file=sys.stderr)
    if check and changed:
        print("run `competency fmt` to format them", file=sys.stderr)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
