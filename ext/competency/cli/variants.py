"""`competency variant-check NAME` and `--list`: the utility variants the Makefile may build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..sources.site import OVERLAY_FOLDER, overlay_files


def known_utilities(source_dir: Path) -> list[str]:
    return [p.stem for p in overlay_files(source_dir)]


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("variant-check", help="check a utility name, or list the known utilities")
    parser.add_argument("utility", nargs="?", default="", help="utility name (empty: the generic site)")
    parser.add_argument("--list", action="store_true", help="print the known utility names, one per line")
    parser.add_argument("--src", type=Path, default=Path("competency_src"), help="source folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    known = known_utilities(args.src)
    if args.list:
        print("\n".join(known))
        return 0
    if args.utility and args.utility not in known:
        listed = ", ".join(known) if known else f"none: there is no overlay in {args.src / OVERLAY_FOLDER}"
        print(
            f"error: unknown utility '{args.utility}'. Known utilities: {listed}. "
            f"(Build the generic site with plain `make html`.)",
            file=sys.stderr,
        )
        return 2
    return 0
