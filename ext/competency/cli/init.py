"""`competency init DIR`: a new site of a utility's own, from the template shipped in the package.

The folder builds at once (no model yet) with the tool installed as a package: conf.py of a few lines
using the shared site configuration, docs/ with a home page and an About page, competency_src/ with
a README on importing the first model, a logo and a Makefile.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

TEMPLATE = Path(__file__).parent / "site_template"
#: Template files whose name in the new site differs (a dotfile, a conf.py that is not yet Python).
RENAMED = {"gitignore": ".gitignore", "conf.py.in": "conf.py"}
#: A site name is shown in every page's header and written into conf.py: plain words only.
NAME = re.compile(r"[\w .,'&()-]+")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("init", help="create a new competency site folder that builds at once")
    parser.add_argument("folder", type=Path, help="the new site's folder (must not exist, or be empty)")
    parser.add_argument("--name", default="", help="the site's name, shown on every page (default: from the folder)")
    parser.add_argument(
        "--maintainer",
        default="",
        help="who maintains the site, named on its About page, in its footer and as its exports' creator",
    )
    parser.add_argument("--contact", default="", help="e-mail or web address where staff report a mistake")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    name = args.name.strip() or f"{folder.resolve().name.replace('-', ' ').replace('_', ' ').title()} competency models"
    if not NAME.fullmatch(name):
        print(f"error: the name {name!r} may hold only letters, digits, spaces and . , ' & ( ) -", file=sys.stderr)
        return 2
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"error: {folder} already exists and is not an empty folder: nothing was written", file=sys.stderr)
        return 2
    values = {"@NAME@": repr(name), "@MAINTAINER@": repr(args.maintainer), "@CONTACT@": repr(args.contact)}
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and moved into place: an interrupted init leaves no half-made site.
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}-") as scratch:
        work = Path(scratch) / "site"
        _copy_template(work, values)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        shutil.move(str(work), str(folder))
    print(
        f"{folder}: a new site named {name!r}. Next: import a model (see {folder / 'competency_src' / 'README.md'}), "
        f"then `make html` in {folder}.",
        file=sys.stderr,
    )
    return 0


def _copy_template(target: Path, values: dict[str, str]) -> None:
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(TEMPLATE)
        destination = target / relative.parent / RENAMED.get(relative.name, relative.name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        destination.write_text(text, encoding="utf-8")
