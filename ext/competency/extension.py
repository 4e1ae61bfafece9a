"""Wires every feature module into Sphinx; each module owns its own registrations."""

from __future__ import annotations

from sphinx.application import Sphinx

from .build_speed import setup_build_speed
from .catalogue import setup_catalogue
from .changes_page import setup_changes
from .config import setup_config
from .domain import setup_domain
from .family_pages import setup_family
from .form_pages import setup_form_pages
from .nav import setup_nav
from .nodes import setup_nodes
from .publish_exports import setup_exports
from .reader import setup_reader
from .state import setup_state


def setup_extension(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")
    setup_config(app)
    setup_domain(app)
    setup_nodes(app)
    setup_nav(app)
    setup_state(app)
    setup_reader(app)
    setup_catalogue(app)
    setup_exports(app)
    setup_changes(app)
    setup_build_speed(app)
    setup_family(app)
    setup_form_pages(app)
