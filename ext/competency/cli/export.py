"""`competency export --format json|csv|case`: the models as data for other systems (manual/guide-exports.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..exports.case import DEFAULT_CREATOR
from ..exports.edition import current_stamp
from ..exports.files import FORMATS, render, render_library, write_model_exports, write_text
from ..sources.family import family_of
from ..sources.site import Site, load_site


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("export", help="export the models as JSON, CSV or CASE 1.1")
    parser.add_argument("--format", choices=sorted(FORMATS), default="json", help="export format (default: json)")
    parser.add_argument("--utility", default="", metavar="NAME", help="export a utility's variant")
    parser.add_argument("--src", type=Path, default=Path("competency_src"), help="source folder")
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="ID",
        help="export only this model (repeat for several; default: every model)",
    )
    parser.add_argument(
        "--library",
        action="store_true",
        help="with --format case: the shared competency library as its own CASE package",
    )
    parser.add_argument("--base-url", default="", help="site address, used for the uri of CASE items")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="output file (default: standard output); an existing folder gets one file per model",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    site = load_site(args.src)
    if args.utility:
        site = _variant(site, args.utility)
    unknown = [m for m in args.model if m not in site.models]
    if unknown:
        print(f"error: unknown model(s) {', '.join(unknown)}; known: {', '.join(site.models)}", file=sys.stderr)
        return 2
    models = [site.models[m] for m in args.model] if args.model else list(site.models.values())
    family = family_of(site)
    edition = current_stamp(args.src)  # the latest edition in editions.yaml, as the site's exports name it
    if args.library:
        if args.format != "case" or family is None or args.model:
            print("error: --library exports the shared library of a family (with --format case only)", file=sys.stderr)
            return 2
        text = render_library(family, base_url=args.base_url, edition=edition)
    elif args.output is not None and args.output.is_dir():
        paths = write_model_exports(
            args.output,
            models,
            [args.format],
            creator=DEFAULT_CREATOR,
            base_url=args.base_url,
            family=family,
            edition=edition,
        )
        print("\n".join(str(p) for p in paths), file=sys.stderr)
        return 0
    elif args.format == "case" and len(models) != 1:
        print("error: a CASE package holds one model: choose one with --model ID, or give -o a folder", file=sys.stderr)
        return 2
    else:
        text = render(args.format, models, base_url=args.base_url, family=family, edition=edition)
    if args.output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        write_text(args.output, text)
    return 0


def _variant(site: Site, utility: str) -> Site:
    """The utility's variant of every model (competency.sources.variants, imported only when asked for)."""
    try:
        from ..sources.variants import site_for_utility  # type: ignore[attr-defined]
    except ImportError:
        raise SystemExit(
            "error: utility variants are not available in this version (competency.sources.variants)"
        ) from None
    variant: Site = site_for_utility(site, utility)
    return variant
