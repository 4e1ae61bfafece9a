"""One site from the variants built apart: `python -m competency.assemble_site`.

Each variant (the generic site and every utility's) is a build of its own that shares nothing with
the others: its own doctrees, its own output, its own editions. So a continuous-integration system
builds them as independent jobs, in parallel (`.github/workflows/site.yml` builds them as a matrix),
and this module puts the finished variants together:

    python -m competency.assemble_site --list              # the variants, one job each (JSON)
    python -m competency.assemble_site --out _build/site   # _build/<variant>/html -> _build/site/<variant>/

Every variant keeps its own folder (`generic/`, `<utility>/`): a variant's pages never share a
folder with another's, whatever the model ids and utility names. The top page lists the variants.
Nothing is half-written: the site is assembled beside the output folder and moved into place, and
a missing variant stops with a message naming it (and nothing is written).
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..cli.variants import known_utilities
from ..sources.problems import SourceError
from ..sources.site import OVERLAY_FOLDER
from ..sources.yamlfile import read_yaml
from ..sphinx_ext.config import GENERIC

INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Each site below is one variant of the same competency models.</p>
<ul>
{items}
</ul>
</main>
</body>
</html>
"""


class AssembleError(Exception):
    """The variants cannot be assembled (nothing was written)."""


def variants(source_dir: Path) -> list[str]:
    """Every variant the sources publish: the generic site, then each utility's, one build job each."""
    return [GENERIC, *known_utilities(source_dir)]


def variant_names(source_dir: Path) -> dict[str, str]:
    """The name each variant is shown by on the top page."""
    overlays = source_dir / OVERLAY_FOLDER
    names = {GENERIC: "Generic models"}
    for utility in known_utilities(source_dir):
        names[utility] = _display_name(overlays / f"{utility}.yaml") or utility
    return names


def _display_name(path: Path) -> str:
    try:
        data = read_yaml(path).data
    except SourceError:
        return ""  # each variant's own build reports the problem
    return str(data.get("name", "")) if isinstance(data, dict) else ""


def assemble(build_root: Path, out: Path, source_dir: Path, title: str) -> list[str]:
    """Copy `<build_root>/<variant>/html` of every variant into `<out>/<variant>/`; return the variants."""
    names = variant_names(source_dir)
    missing = [v for v in names if not (build_root / v / "html" / "index.html").is_file()]
    if missing:
        raise AssembleError(
            f"no built site for {', '.join(missing)} in {build_root} "
            f"(expected {build_root}/<variant>/html/index.html): "
            "build every variant first (`make variants`, or one `make html UTILITY=<variant>` each)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as scratch:
        work = Path(scratch) / "site"
        work.mkdir()
        for variant in names:
            shutil.copytree(build_root / variant / "html", work / variant)
        items = "\n".join(
            f'<li><a href="{html.escape(variant)}/index.html">{html.escape(name)}</a></li>'
            for variant, name in names.items()
        )
        (work / "index.html").write_text(INDEX.format(title=html.escape(title), items=items), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        work.rename(out)
    return list(names)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m competency.assemble_site", description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=Path("competency_src"), help="the models' folder")
    parser.add_argument("--list", action="store_true", help="print the variants as a JSON list (a CI matrix)")
    parser.add_argument("--build", type=Path, default=Path("_build"), help="where <variant>/html are")
    parser.add_argument("--out", type=Path, default=Path("_build/site"), help="the assembled site's folder")
    parser.add_argument("--title", default="Competency models", help="the top page's title")
    args = parser.parse_args(argv)
    if args.list:
        sys.stdout.write(json.dumps(variants(args.src)) + "\n")
        return 0
    try:
        done = assemble(args.build, args.out, args.src, args.title)
    except (AssembleError, OSError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    sys.stdout.write(f"The site of {len(done)} variants ({', '.join(done)}) is in {args.out}.\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
