"""`competency check [SRC_DIR]`: validate every source without building the site.

It runs the checks every build runs, with the same code: loading the site (every model and overlay)
and building the generic site's models and every utility's variant of them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..sources.editions import check_editions, load_editions
from ..sources.links import site_pages
from ..sources.site import Site, load_site
from ..sources.variants import check_every_variant
from ..sources.withdrawals import check_withdrawals


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "check",
        help="validate every model and overlay (schema, ids, references; ids kept since HEAD and each edition)",
    )
    parser.add_argument(
        "src", nargs="?", type=Path, default=Path("competency_src"), help="source folder (default: competency_src)"
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=Path("docs"),
        help="folder of the site's Markdown pages, which links in model text may name (default: docs)",
    )
    parser.set_defaults(run=run)


def check_sources(src: Path, docs: Path) -> Site:
    """Every check the build makes of the sources; `competency release` runs the same."""
    site = load_site(src, pages=site_pages(docs))
    check_withdrawals(site)  # the same check as the build: no id of the last commit vanishes without a record
    check_editions(site, load_editions(src))  # nor an id any edition published
    check_every_variant(site)
    return site


def run(args: argparse.Namespace) -> int:
    site = check_sources(args.src, args.docs)
    count = sum(len(m.indicators) for m in site.models.values())
    print(
        f"{args.src}: {len(site.models)} model(s), {count} indicators, {len(site.overlays)} utility overlay(s): "
        "no problems found",
        file=sys.stderr,
    )
    return 0
