"""Profile one full build of a generated site (the benchmark's site folder, models imported from
plain text): `python -m benchmarks.profile_build 2000`.

Writes benchmarks/_work/prof/build-<size>.prof (cProfile) and prints where the time goes:
our extension (ext/competency), the theme, Sphinx, docutils, and the rest.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys

from benchmarks.user_site import WORK, make_user_site
from competency.publishing.build_site import DEFAULT_SOURCES, SPHINX_OPTIONS, sphinx_command

GROUPS = {
    "ext/competency": "our extension (ext/competency)",
    "pydata_sphinx_theme": "pydata-sphinx-theme",
    "/bs4/": "BeautifulSoup (used by the theme)",
    "/jinja2/": "Jinja2 templates",
    "/sphinx/": "Sphinx",
    "/docutils/": "docutils",
    "/myst_parser/": "MyST",
    "/ruamel/": "ruamel.yaml",
    "/jsonschema": "jsonschema",
}


def group_of(filename: str) -> str:
    return next((name for key, name in GROUPS.items() if key in filename), "Python stdlib and other")


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    site = make_user_site(size, name=f"profile-{size}")
    folder = site.folder
    shutil.rmtree(folder / "_build", ignore_errors=True)
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    # The sphinx-build of `make html`, run in this process (without `python -m sphinx`) to be profiled.
    args = sphinx_command(folder, folder / "_build", "", "1", DEFAULT_SOURCES, [*SPHINX_OPTIONS, "-q"])[3:]
    from sphinx.cmd.build import build_main

    profiler = cProfile.Profile()
    profiler.runcall(build_main, args)
    out = WORK / "prof" / f"build-{size}.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    stats = pstats.Stats(str(out))
    total = sum(tt for _cc, _nc, tt, _ct, _callers in stats.stats.values())
    own: dict[str, float] = {}
    for (filename, _line, _func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        own[group_of(filename)] = own.get(group_of(filename), 0) + tt
    print(f"{site.item_pages} item pages, {total:.1f} s (profiled); own time by package:")
    for name, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40} {seconds:7.1f} s  {seconds / total:5.1%}")
    print(f"profile: {out}")


if __name__ == "__main__":
    main()
