"""Two audiences, two sites: the staff site holds no tool documentation, the tool's documentation builds on
its own, and a site started with `competency init` outside the repository builds and has no broken link."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from competency.cli import build_parser
from competency.pages.about import contact_link
from competency.sphinx_ext.config import CompetencyConfig

from .conftest import REPO
from .helpers import page_text
from .robustness.sitebuild import EPOCH
from .test_links import crawl_site
from .test_real_site import MODEL, build, copy_site

#: The pages of the tool's documentation (manual/): none of them belongs in a staff site.
MANUAL_PAGES = sorted(p.stem for p in (REPO / "manual").glob("*.md"))
TOOL_PAGES = [name for name in MANUAL_PAGES if name != "index"]
CSR_TEXT = REPO / "tests" / "data" / "import" / "customer-service-representative.txt"


def _search_docnames(site: Path) -> list[str]:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    match = re.search(r'"docnames":(\[.*?\])', text)
    assert match, "no docnames in searchindex.js"
    return json.loads(match.group(1))


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": EPOCH, "HOME": str(cwd)}
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=600, check=False, cwd=cwd, env=env
    )


# -- the staff site ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("staff"))
    result = build(site)
    assert result.returncode == 0, result.stderr
    return site / "out"


@pytest.mark.slow
def test_the_staff_site_holds_the_models_and_an_about_page_only(staff_site: Path) -> None:
    top_pages = sorted(p.name for p in staff_site.glob("*.html"))
    assert top_pages == ["about.html", "comp-indicators.html", "index.html", "search.html"]
    assert sorted(p.name for p in staff_site.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) == [MODEL]
    assert len(TOOL_PAGES) >= 14
    for name in TOOL_PAGES:
        assert not list(staff_site.rglob(f"{name}.html")), name
    docnames = _search_docnames(staff_site)
    assert {d for d in docnames if not d.startswith(f"{MODEL}/")} == {"index", "about"}
    assert len(docnames) > 60  # every item page is searchable
    # The home page's navigation names the About page and no guide.
    home = (staff_site / "index.html").read_text(encoding="utf-8")
    assert 'href="about.html"' in home
    assert not [name for name in TOOL_PAGES if f'href="{name}.html"' in home]


@pytest.mark.slow
def test_the_about_page_says_how_to_link_cite_and_report_a_mistake(staff_site: Path) -> None:
    text = page_text(staff_site / "about.html")
    for words in ("Finding an item", "What the codes mean", "Citing an item", "permanent link"):
        assert words in text
    assert "maintained by the competency site maintainers of the HR department" in text
    html = (staff_site / "about.html").read_text(encoding="utf-8")
    assert 'href="mailto:' in html


def test_a_contact_is_a_mail_or_web_link() -> None:
    assert contact_link("") is None
    mail = contact_link("hr@utility.example")
    assert mail is not None and mail["refuri"] == "mailto:hr@utility.example" and mail.astext() == "hr@utility.example"
    web = contact_link("https://intranet.example/forms/mistake")
    assert web is not None and web["refuri"] == "https://intranet.example/forms/mistake"


# -- the tool's documentation ----------------------------------------------------------------------------


def _copy_repository_sites(target: Path) -> Path:
    copy_site(target)
    shutil.copytree(REPO / "manual", target / "manual")
    shutil.copy(REPO / "CONTRIBUTING.md", target / "CONTRIBUTING.md")
    return target


@pytest.fixture(scope="module")
def docs_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference staff site and the tool's documentation, laid out as `make docs` lays them out."""
    repo = _copy_repository_sites(tmp_path_factory.mktemp("docs"))
    layout = repo / "_build"
    staff = build(repo, "-d", str(layout / "generic" / "doctrees"), out=layout / "generic" / "html")
    assert staff.returncode == 0, staff.stderr
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-c", "manual"]
    docs = subprocess.run(
        [*command, "-d", str(layout / "docs" / "doctrees"), "manual", str(layout / "docs" / "html")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=repo,
    )
    assert docs.returncode == 0, docs.stderr
    assert "WARNING" not in docs.stderr and "ERROR" not in docs.stderr, docs.stderr
    return layout


@pytest.mark.slow
def test_the_tool_documentation_has_every_page_and_every_link_resolves(docs_layout: Path) -> None:
    docs = docs_layout / "docs" / "html"
    assert sorted(p.stem for p in docs.glob("*.html") if p.stem not in ("search", "genindex")) == MANUAL_PAGES
    # Crawled with the reference site beside it, which the examples of roles link into (the reference
    # site's own links, into the utilities' sites, are crawled in test_real_site.py).
    broken = [b for b in crawl_site(docs_layout) if b.startswith("docs/html/")]
    assert [b for b in broken if "/_static/" not in b.split(":")[0]] == []  # theme assets are not pages
    assert len(broken) < 20
    maintainers = (docs / "guide-maintainers.html").read_text(encoding="utf-8")
    assert f'href="../../generic/html/{MODEL}/indicators/explains-bill-calculation.html"' in maintainers
    assert 'href="../../generic/html/comp-indicators.html"' in maintainers
    assert "CompetencyDomain" not in page_text(docs / "index.html")


@pytest.mark.slow
def test_the_cli_reference_is_the_parser_and_the_settings_reference_the_declaration(docs_layout: Path) -> None:
    docs = docs_layout / "docs" / "html"
    cli = page_text(docs / "cli.html")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # argparse keeps them here
    assert {"import", "check", "fmt", "export", "diff", "init"} <= set(commands)
    for name, subparser in commands.items():
        assert f"competency {name}" in cli, name
        for action in subparser._actions:
            for option in action.option_strings:
                assert option in cli, f"{name} {option}"
    settings = page_text(docs / "settings.html")
    for item in fields(CompetencyConfig):
        assert f"competency_{item.name}" in settings
        assert item.metadata["help"] in settings


@pytest.mark.slow
def test_the_architecture_page_is_contributing_md(docs_layout: Path) -> None:
    text = page_text(docs_layout / "docs" / "html" / "architecture.html")
    assert "Rules of the house" in text and "Ids make URLs; positions make codes." in text


# -- a utility's own site, outside the repository --------------------------------------------------------


@pytest.mark.slow
def test_a_site_made_by_init_builds_at_once_and_with_an_imported_model(tmp_path: Path) -> None:
    assert REPO not in tmp_path.parents
    site = tmp_path / "millbrook-competencies"
    made = _run(
        sys.executable, "-m", "competency.cli", "init", site, "--name", "Millbrook Water", "--contact", "hr@mb.example",
        "--maintainer", "Millbrook HR", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "Makefile",
        "competency_src/README.md",
        "conf.py",
        "docs/about.md",
        "docs/index.md",
        "logo.svg",
    ]
    conf = (site / "conf.py").read_text(encoding="utf-8")
    assert "from competency.siteconf import staff_site" in conf and len(conf.splitlines()) < 15
    published = site / "_build" / "generic" / "html"

    first = _run("make", "html", f"PYTHON={sys.executable}", cwd=site)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "WARNING" not in first.stderr
    assert crawl_site(published) == []
    assert "Millbrook Water" in (published / "index.html").read_text(encoding="utf-8")

    target = site / "competency_src" / f"{MODEL}.yaml"
    imported = _run(sys.executable, "-m", "competency.cli", "import", CSR_TEXT, "-o", target, cwd=site)
    assert imported.returncode == 0, imported.stderr
    second = _run("make", "html", f"PYTHON={sys.executable}", cwd=site)
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(list((published / MODEL / "indicators").glob("*.html"))) == 47
    assert f'href="{MODEL}/index.html"' in (published / "index.html").read_text(encoding="utf-8")
    # The maintainer is named in the footer and as the exports' creator, not only on the About page.
    assert "Copyright Millbrook HR." in (published / MODEL / "index.html").read_text(encoding="utf-8")
    case = json.loads((published / "_exports" / f"{MODEL}.case.json").read_text(encoding="utf-8"))
    assert case["CFDocument"]["creator"] == "Millbrook HR"
    assert crawl_site(published) == []
    about = (published / "about.html").read_text(encoding="utf-8")
    assert 'href="mailto:hr' in about
    assert (published / "_static" / "logo.svg").is_file()
    # The site is the utility's own: no page of the tool's documentation.
    assert not [name for name in TOOL_PAGES if (published / f"{name}.html").exists()]
    # `make html` is the tool's own build: with the site's virtualenv (.venv) it needs no PYTHON,
    # starts nothing when nothing changed, and refuses an unknown utility.
    (site / ".venv").symlink_to(sys.prefix, target_is_directory=True)  # the tests' virtualenv
    again = _run("make", "html", cwd=site)  # another Python than PYTHON= above: Sphinx checks its outputs
    assert again.returncode == 0, again.stdout + again.stderr
    assert ".venv/bin/python -m competency.publishing.build_site" in again.stdout
    assert "already holds this build: nothing to publish" in again.stdout + again.stderr
    noop = _run("make", "html", cwd=site)
    assert "Nothing changed since the last build: _build/generic/html is current." in noop.stdout + noop.stderr
    assert "Running Sphinx" not in noop.stdout + noop.stderr
    unknown = _run("make", "html", "UTILITY=riverside", cwd=site)
    assert unknown.returncode != 0 and "unknown utility 'riverside'" in unknown.stderr


def test_init_never_writes_into_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.md").write_text("mine\n", encoding="utf-8")
    result = _run(sys.executable, "-m", "competency.cli", "init", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 2
    assert "already exists and is not an empty folder: nothing was written" in result.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no scratch folder left behind


def test_init_refuses_a_name_with_markup(tmp_path: Path) -> None:
    result = _run(sys.executable, "-m", "competency.cli", "init", tmp_path / "s", "--name", "<b>HR</b>", cwd=tmp_path)
    assert result.returncode == 2 and "may hold only letters" in result.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.slow
def test_the_package_carries_what_a_site_needs(tmp_path: Path) -> None:
    """A wheel of the project holds the site template, the theme's templates, the static files and schemas."""
    source = tmp_path / "source"  # built from a copy: a build writes its own folders beside the sources
    source.mkdir()
    shutil.copy(REPO / "pyproject.toml", source)
    shutil.copy(REPO / "README.md", source)
    shutil.copytree(REPO / "ext", source / "ext", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    import zipfile

    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    template = REPO / "ext" / "competency" / "cli" / "site_template"
    needed = [p.relative_to(REPO / "ext").as_posix() for p in template.rglob("*") if p.is_file()]
    needed += [
        "competency/siteconf.py",
        "competency/theme/templates/sidebar-nav-bs.html",
        "competency/theme/static/competency.js",
    ]
    needed += ["competency/schemas/competency-model.schema.json"]
    assert [n for n in needed if n not in names] == []
