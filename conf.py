"""Sphinx configuration of the competency site (pages are read from docs/)."""

from __future__ import annotations

import os
import time
from pathlib import Path

project = "Water Utility Competency Models"
author = "Competency site maintainers"
copyright = "the competency site maintainers"  # noqa: A001 - Sphinx's own name

extensions = ["myst_parser", "sphinx_design", "competency"]

# Sources: Markdown pages in docs/, models in competency_src/ (page stubs are generated beside them).
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
root_doc = "index"
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Published wording is shown exactly: no "--" turned into a dash, no straight quotes curled.
smartquotes = False

competency_source_dir = "competency_src"
# The utility variant comes from the -t tag (make html UTILITY=<name>); see docs/variants.md.
competency_utility = ""
# Each site's public address, by "generic" and utility tag: links between the sites are written only
# to the sites listed here (docs/variants.md). Empty: every site links within itself alone.
competency_site_urls: dict[str, str] = {}

# Every cross-reference must resolve: the build is nitpicky and warnings are errors (Makefile).
nitpicky = True

# Reproducible builds: the date printed on pages comes from SOURCE_DATE_EPOCH when set.
_epoch = os.environ.get("SOURCE_DATE_EPOCH")
today = time.strftime("%Y-%m-%d", time.gmtime(int(_epoch))) if _epoch else ""
today_fmt = "%Y-%m-%d"

html_theme = "pydata_sphinx_theme"
# Template overrides (accessibility fixes of the theme's navigation): see docs/browser-support.md.
templates_path = ["docs/_templates"]
html_title = "Competency models"
html_static_path: list[str] = []
html_last_updated_fmt = None
html_show_sourcelink = False
# No general index: the site has no index entries, and its index of every indicator is
# comp-indicators.html. (Writing an empty index costs time on every rebuild of a large site.)
html_use_index = False
html_copy_source = False
html_theme_options = {
    # The sidebar shows the current model's whole tree (model -> section -> competency -> indicator),
    # folded below level 1. Depth 3 reaches every item page, so the theme renders the tree once per
    # folder and reuses it; depth 2 re-resolves it for every indicator page, 2x slower (docs/performance.md).
    "navigation_depth": 3,
    "show_nav_level": 1,
    "collapse_navigation": False,
    "navbar_align": "left",
    "header_links_before_dropdown": 1,  # one header row: the rest is under "More"
    "show_toc_level": 1,
    "secondary_sidebar_items": ["page-toc"],
    # The theme renders every listed template once more per page to drop empty ones: list only what
    # shows, and skip that check for templates that are never empty (docs/performance.md).
    "navbar_end": ["theme-switcher"],
    "primary_sidebar_end": [],
    "templates_skip_empty_check": [
        "navbar-logo.html",
        "navbar-nav.html",
        "theme-switcher.html",
        "search-button-field.html",
        "sidebar-nav-bs.html",
        "copyright.html",
    ],
    "footer_start": ["copyright"],
    "footer_end": [],
    "navigation_with_keys": False,
    "use_edit_page_button": False,
    "icon_links": [],
}
# Hand-written guides have no pages below them: no empty navigation column beside them.
_GUIDES = [path.stem for path in (Path(__file__).parent / "docs").glob("*.md")]
html_sidebars = {"**": ["sidebar-nav-bs"], "index": [], **dict.fromkeys(_GUIDES, [])}
html_context = {"default_mode": "auto"}

# The intranet may have no internet: nothing is loaded from another host.
html_theme_options["analytics"] = {}

ROOT = Path(__file__).parent
