"""Wires every feature module into Sphinx; each module owns its own registrations."""

from __future__ import annotations

from sphinx.application import Sphinx

from .about_page import setup_about
from .build_log import setup_build_log
from .build_speed import setup_build_speed
from .catalogue import setup_catalogue
from .changes_page import setup_changes
from .config import setup_config
from .domain import setup_domain
from .edition_pages import setup_edition_pages
from .family_pages import setup_family
from .form_pages import setup_form_pages
from .nav import setup_nav
from .nodes import setup_nodes
from .publish_exports import setup_exports
from .reader import setup_reader
from .stale_outputs import setup_stale_outputs
from .state import setup_state
from .theme_text import setup_theme_text
from .write_errors import setup_write_errors


def setup_extension(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")
    setup_config(app)
    setup_domain(app)
    setup_nodes(app)
    setup_nav(app)
    setup_state(app)
    setup_reader(app)
    setup_catalogue(app)
    setup_about(app)
    setup_exports(app)
    setup_changes(app)
    setup_theme_text(app)
    setup_edition_pages(app)
    setup_build_speed(app)
    setup_build_log(app)
    setup_stale_outputs(app)
    setup_write_errors(app)
    setup_family(app)
    setup_form_pages(app)
