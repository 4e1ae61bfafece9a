"""`competency diff OLD NEW`: what changed between two source folders or two git revisions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..changes.diff import diff_data, diff_sites, diff_text
from ..changes.revisions import load_version


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "diff",
        help="list items added, removed, withdrawn, renamed, reworded and moved between two versions",
        description="OLD and NEW are source folders or git revisions (tag, branch, commit) of the repository.",
    )
    parser.add_argument("old", help="old version: a folder, or a git revision")
    parser.add_argument("new", help="new version: a folder, or a git revision")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument(
        "--src",
        default="competency_src",
        help="folder of the models inside the repository, for revisions (default: competency_src)",
    )
    parser.add_argument("--repo", type=Path, default=None, help="git repository (default: the current one)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    old = load_version(args.old, args.repo, args.src)
    new = load_version(args.new, args.repo, args.src)
    diffs = diff_sites(old.models, new.models, new.withdrawn_models)
    if args.format == "json":
        text = json.dumps(diff_data(diffs, args.old, args.new), ensure_ascii=False, indent=2) + "\n"
    else:
        text = diff_text(diffs, args.old, args.new)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0
