"""The `competency` command-line tool: one subcommand per maintainer task."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..sources.problems import SourceError, display_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="competency",
        description="Maintain job competency models: import, check, format, export, compare, release; start a site.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Each command module adds its own subparser and sets `run` (args -> exit status).
    from . import check as cli_check
    from . import diff as cli_diff
    from . import export as cli_export
    from . import fmt as cli_fmt
    from . import import_model as cli_import
    from . import init as cli_init
    from . import release as cli_release
    from . import share as cli_share
    from . import variants as cli_variants

    cli_import.add_parser(commands)
    cli_share.add_parser(commands)
    cli_check.add_parser(commands)
    cli_fmt.add_parser(commands)
    cli_variants.add_parser(commands)
    cli_export.add_parser(commands)
    cli_diff.add_parser(commands)
    cli_init.add_parser(commands)
    cli_release.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except SourceError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only folder, a full disk: one line, not a traceback
        where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
        print(f"{where}error: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
