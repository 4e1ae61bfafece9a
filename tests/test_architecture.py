"""The package's boundaries hold (tests/architecture.py), and each check reports a deliberate violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder

from .architecture import check
from .conftest import REPO

PACKAGE = REPO / "ext" / "competency"
BUILDER_METHODS = frozenset(name for name in dir(StandaloneHTMLBuilder) if not name.startswith("__"))


def test_the_package_keeps_its_boundaries() -> None:
    assert [str(v) for v in check(PACKAGE, BUILDER_METHODS)] == []


def test_the_sources_load_without_sphinx() -> None:
    """What the import rules promise, seen at run time: reading a site loads neither Sphinx nor docutils."""
    modules = sorted(p.stem for p in (PACKAGE / "sources").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import competency.sources.{name}\n" for name in modules)
        + "from competency.sources.site import load_site\n"
        + f"load_site(__import__('pathlib').Path({str(REPO / 'competency_src')!r}))\n"
        + "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', 'myst_parser'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_the_rooms_are_the_folders() -> None:
    """Every module is in a room of the architecture map; at the top only the public entry points."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "intersphinx_client.py", "siteconf.py"]
    rooms = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert rooms == ["changes", "cli", "exports", "importer", "pages", "publishing", "sources", "sphinx_ext", "theme"]
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert [room for room in rooms if f"`{room}/`" not in contributing] == []


LABEL = "# Internal: why. Public API: what would replace it.\n"

VIOLATIONS = [
    ("sources/only.py", "from sphinx.util.tags import Tags\n", "sources/only.py:1: sources/ imports sphinx.util.tags"),
    ("sources/markup.py", "import docutils.nodes\n", "sources/markup.py:1: sources/ imports docutils.nodes"),
    (
        "sources/stubs.py",
        "from ..pages.items import page_docname\n",
        "sources/stubs.py:1: sources/ imports competency.pages.items, outside sources/",
    ),
    (
        "pages/family.py",
        "def f():\n    from sphinx.builders.html import StandaloneHTMLBuilder\n",
        "pages/family.py:2: imports StandaloneHTMLBuilder outside theme/",
    ),
    (
        "exports/downloads.py",
        "def f(app):\n    return app._warncount\n",
        "exports/downloads.py:2: reads app._warncount outside theme/",
    ),
    (
        "exports/downloads.py",
        'def f(app):\n    return getattr(app, "_fail_on_warnings", False)\n',
        "exports/downloads.py:2: reads app._fail_on_warnings outside theme/",
    ),
    (
        "pages/header.py",
        'def f(context):\n    context["generate_header_nav_html"] = None\n',
        "pages/header.py:2: names the theme's generate_header_nav_html outside theme/",
    ),
    ("pages/nav.py", "import pydata_sphinx_theme\n", "pages/nav.py:1: imports pydata_sphinx_theme outside theme/"),
    (
        "theme/nav.py",
        "HTML = '<ul class=\"bd-sidenav\"></ul>'\n",
        "theme/nav.py:1: names the theme's bd-sidenav without an 'Internal:' and 'Public API:' label",
    ),
    (
        "theme/builder.py",
        "from sphinx.builders.html import StandaloneHTMLBuilder  "
        + LABEL
        + "class B(StandaloneHTMLBuilder):\n    def prepare_writing(self, docnames):\n        pass\n",
        "theme/builder.py:3: overrides StandaloneHTMLBuilder.prepare_writing without an 'Internal:' and 'Public API:'"
        " label",
    ),
    (
        "theme/speed.py",
        "def f(app):\n    app.builder._removed_docs = True\n",
        "theme/speed.py:2: sets _removed_docs on builder without an 'Internal:' and 'Public API:' label",
    ),
    (
        "sphinx_ext/reader.py",
        'def f(env):\n    return env.get_domain("comp").data["digests"]\n',
        "sphinx_ext/reader.py:2: reads the data of the comp domain outside sphinx_ext/domain.py",
    ),
    (
        "sphinx_ext/state.py",
        "def f(domain):\n    domain.competency_stale_pages = set()\n",
        "sphinx_ext/state.py:2: sets competency_stale_pages on domain",
    ),
    (
        "sphinx_ext/state.py",
        'def f(domain, site):\n    setattr(domain, "competency_site", site)\n',
        "sphinx_ext/state.py:2: sets competency_site on domain",
    ),
    (
        "sphinx_ext/build_log.py",
        "def f(app):\n    app.competency_settings_digest = ''\n",
        "sphinx_ext/build_log.py:2: sets competency_settings_digest on app",
    ),
    (
        "pages/changes.py",
        'def f(logger):\n    logger.warning("x", type="competency", subtype="changes")\n',
        "pages/changes.py:2: warning subtype 'changes' written as text, not a sphinx_ext/warning_types.Subtype",
    ),
]


def _package(tmp_path: Path, module: str, code: str) -> Path:
    package = tmp_path / "competency"
    for room in ("sources", "sphinx_ext", "pages", "theme", "exports"):
        (package / room).mkdir(parents=True, exist_ok=True)
        (package / room / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "sources" / "model.py").write_text("import json\n\nfrom .problems import Problem\n")
    (package / module).write_text(code)
    return package


@pytest.mark.parametrize(("module", "code", "reported"), VIOLATIONS)
def test_a_violation_is_reported(tmp_path: Path, module: str, code: str, reported: str) -> None:
    assert [str(v) for v in check(_package(tmp_path, module, code), frozenset({"prepare_writing"}))] == [reported]


@pytest.mark.parametrize(
    ("module", "code"),
    [
        ("theme/nav.py", LABEL + "HTML = '<ul class=\"bd-sidenav\"></ul>'\n"),
        (
            "theme/speed.py",
            "def f(app):\n    # Internal: ours.\n    # Public API: none.\n    app.builder._removed_docs = True\n",
        ),
        ("theme/internals.py", "def f(app):\n    " + LABEL + "    return app._warncount\n"),
        ("sphinx_ext/domain.py", "def f(domain, builder):\n    domain.builder = builder\n    return domain.data\n"),
        ("sources/loader.py", "import jinja2\n\nfrom .model import Model\nfrom ..sources.yamlfile import read_yaml\n"),
    ],
)
def test_what_is_allowed_is_not_reported(tmp_path: Path, module: str, code: str) -> None:
    """The counterpart of the violations: a labelled internal in theme/, the domain's own data."""
    assert [str(v) for v in check(_package(tmp_path, module, code), frozenset({"prepare_writing"}))] == []
