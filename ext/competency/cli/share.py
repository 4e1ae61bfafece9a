"""`competency share TITLE-OR-ID [--id NEW-ID] [--from MODEL-ID] [--src FOLDER]`: lift a competency into the library.

A competency several jobs have becomes a shared competency (importer/share.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..importer.share import share
from ..sources.problems import display_path


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "share", help="make a competency several jobs have a shared competency of the library (manual/family.md)"
    )
    parser.add_argument("name", metavar="TITLE-OR-ID", help="the competency's title (as published) or id")
    parser.add_argument("--id", dest="new_id", metavar="NEW-ID", help="the shared id (default: from the title)")
    parser.add_argument(
        "--from",
        dest="source_model",
        metavar="MODEL-ID",
        help="the job whose title, indicator ids and words the library takes (default: the job that spells "
        "the title as given, else the first by file name)",
    )
    parser.add_argument("--src", type=Path, default=Path("competency_src"), help="source folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    done = share(args.src, args.name, args.new_id, args.source_model)
    for location, change in done.changes:
        print(f"{location}: {change}", file=sys.stderr)
    for location, job in done.nearly:
        print(
            f"{location}: note: {job} is nearly '{done.title}' and was left as it is (if it is the same "
            "competency, write its title the same and run this command again)",
            file=sys.stderr,
        )
    if not done.files:
        print(f"'{done.shared_id}' is shared by every job that has it; nothing to change", file=sys.stderr)
        return 0
    print(
        f"{len(done.files)} file(s) rewritten: {', '.join(display_path(p) for p in done.files)}",
        file=sys.stderr,
    )
    return 0
