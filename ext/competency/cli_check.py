"""`competency check [SRC_DIR]`: validate every source without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .editions import check_editions, load_editions
from .site import Site, load_site
from .withdrawals import check_withdrawals


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "check",
        help="validate every model and overlay (schema, ids, references; ids kept since HEAD and each edition)",
    )
    parser.add_argument(
        "src", nargs="?", type=Path, default=Path("competency_src"), help="source folder (default: competency_src)"
    )
    parser.set_defaults(run=run)


def check_sources(src: Path) -> Site:
    """Every check the build makes of the sources; `competency release` runs the same."""
    site = load_site(src)
    check_withdrawals(site)  # the same check as the build: no id of the last commit vanishes without a record
    check_editions(site, load_editions(src))  # nor an id any edition published
    return site


def run(args: argparse.Namespace) -> int:
    site = check_sources(args.src)
    count = sum(len(m.indicators) for m in site.models.values())
    print(
        f"{args.src}: {len(site.models)} model(s), {count} indicators, {len(site.overlays)} utility overlay(s): "
        "no problems found",
        file=sys.stderr,
    )
    return 0
