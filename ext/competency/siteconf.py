"""The Sphinx settings every site made with the tool shares: theme, templates, search, Markdown.

A site's conf.py takes them in one call and adds only what is its own (its name, its logo, its
contact), so a utility's site, the repository's reference site and the tool's documentation look
alike and none of them copies another's configuration::

    from competency.siteconf import staff_site

    globals().update(staff_site(__file__, name="Millbrook Water competency models", logo="logo.svg"))

Sphinx reads conf.py's global names; anything set after the call overrides the shared value.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

#: The theme's template overrides (accessibility fixes of its navigation), shipped in the package.
TEMPLATES = Path(__file__).parent / "theme" / "templates"

#: Where a staff site keeps its Markdown pages and its models, relative to its conf.py.
PAGES_FOLDER = "docs"
SOURCES_FOLDER = "competency_src"


def staff_site(conf_file: str, *, name: str, title: str = "", logo: str = "", author: str = "") -> dict[str, Any]:
    """The settings of a site for staff: the models of competency_src/ and the pages of docs/.

    `name` is the site's full name (Sphinx's `project`), `title` the short one in the header (default:
    the name), `logo` an image file relative to conf.py shown beside the title.
    """
    pages = Path(conf_file).resolve().parent / PAGES_FOLDER
    settings = _shared(name=name, title=title, logo=logo, author=author)
    settings.update(
        extensions=["myst_parser", "sphinx_design", "competency"],
        competency_source_dir=SOURCES_FOLDER,
        # The utility variant comes from the -t tag (make html UTILITY=<name>).
        competency_utility="",
        # Hand-written pages have no pages below them: no empty navigation column beside them.
        html_sidebars={"**": ["sidebar-nav-bs"], **{page.stem: [] for page in sorted(pages.glob("*.md"))}},
    )
    return settings


def manual_site(conf_file: str, *, name: str, title: str = "", author: str = "") -> dict[str, Any]:
    """The settings of the tool's own documentation: hand-written pages, no models."""
    del conf_file  # the same signature as staff_site; the manual has no folders of its own to find
    settings = _shared(name=name, title=title, logo="", author=author)
    settings.update(
        extensions=[
            "myst_parser",
            "sphinx_design",
            "sphinx.ext.intersphinx",
            "competency.intersphinx_client",  # the comp roles, resolved into the reference site
            "competency.pages.settings_reference",
            "sphinx_argparse_cli",
        ],
        html_sidebars={"**": []},
    )
    settings["html_theme_options"]["header_links_before_dropdown"] = 3
    return settings


#: The templates the site lists that never render empty on a page they are left in: the theme renders
#: every other listed template once more per page to find out (performance.md). The breadcrumbs are
#: empty on the home page only, where they are left out (theme/build_speed.py).
NEVER_EMPTY_TEMPLATES = (
    "navbar-logo.html",
    "navbar-nav.html",
    "theme-switcher.html",
    "search-button-field.html",
    "sidebar-nav-bs.html",
    "copyright.html",
    "breadcrumbs.html",
)


def _shared(*, name: str, title: str, logo: str, author: str) -> dict[str, Any]:
    # Reproducible builds: the date printed on pages comes from SOURCE_DATE_EPOCH when set.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    theme_options: dict[str, Any] = {
        # The sidebar shows the current model's whole tree (model -> section -> competency -> indicator),
        # folded below level 1. Depth 3 reaches every item page, so the theme renders the tree once per
        # folder and reuses it; depth 2 re-resolves it for every indicator page, 2x slower (performance.md
        # of the tool's documentation).
        "navigation_depth": 3,
        "show_nav_level": 1,
        "collapse_navigation": False,
        "navbar_align": "left",
        "header_links_before_dropdown": 1,  # one header row: the rest is under "More"
        "show_toc_level": 1,
        "secondary_sidebar_items": ["page-toc"],
        # The theme renders every listed template once more per page to drop empty ones: list only what
        # shows, and skip that check for templates that are never empty (performance.md).
        "navbar_end": ["theme-switcher"],
        "primary_sidebar_end": [],
        "templates_skip_empty_check": list(NEVER_EMPTY_TEMPLATES),
        "footer_start": ["copyright"],
        "footer_end": [],
        "navigation_with_keys": False,
        "use_edit_page_button": False,
        "icon_links": [],
        # The intranet may have no internet: nothing is loaded from another host.
        "analytics": {},
    }
    if logo:
        theme_options["logo"] = {"text": title or name, "alt_text": ""}  # the text names the site
    return {
        "project": name,
        "author": author or "the site's maintainers",
        "copyright": author or "the site's maintainers",
        "source_suffix": {".md": "markdown"},
        "exclude_patterns": ["_build", "**/.ipynb_checkpoints"],
        "root_doc": "index",
        # The site's icon from the package: without one a browser asks every server for /favicon.ico.
        "html_favicon": str(Path(__file__).parent / "theme" / "static" / "favicon.svg"),
        "myst_enable_extensions": ["colon_fence", "deflist"],
        "myst_heading_anchors": 3,
        # Published wording is shown exactly: no "--" turned into a dash, no straight quotes curled.
        "smartquotes": False,
        # Every cross-reference must resolve: builds are nitpicky and warnings are errors.
        "nitpicky": True,
        "today": time.strftime("%Y-%m-%d", time.gmtime(int(epoch))) if epoch else "",
        "today_fmt": "%Y-%m-%d",
        "html_theme": "pydata_sphinx_theme",
        "templates_path": [str(TEMPLATES)],
        "html_title": title or name,
        "html_logo": logo or None,
        "html_static_path": [],
        "html_last_updated_fmt": None,
        "html_show_sourcelink": False,
        # No general index: the site has no index entries, and its index of every indicator is
        # comp-indicators.html. (Writing an empty index costs time on every rebuild of a large site.)
        "html_use_index": False,
        # Search result summaries are taken from the pages themselves (competency.js), not from
        # copies of the Markdown sources.
        "html_copy_source": False,
        "html_theme_options": theme_options,
        "html_context": {"default_mode": "auto"},
    }
