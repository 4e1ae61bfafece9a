"""Wires every feature module into Sphinx; each module owns its own registrations."""

from __future__ import annotations

from sphinx.application import Sphinx

from ..exports.downloads import setup_exports
from ..pages.about import setup_about
from ..pages.catalogue import setup_catalogue
from ..pages.changes import setup_changes
from ..pages.editions import setup_edition_pages
from ..pages.family import setup_family
from ..pages.forms import setup_form_pages
from ..theme.build_speed import setup_build_speed
from ..theme.direct_pages import setup_direct_pages
from ..theme.nav import setup_nav
from ..theme.stale_outputs import setup_stale_outputs
from ..theme.texts import setup_theme_text
from .build_log import setup_build_log
from .config import setup_config
from .domain import setup_domain
from .nodes import setup_nodes
from .reader import setup_reader
from .state import setup_state
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
    setup_direct_pages(app)
    setup_build_speed(app)  # after setup_direct_pages: its builder extends that one
    setup_build_log(app)
    setup_stale_outputs(app)
    setup_write_errors(app)
    setup_family(app)
    setup_form_pages(app)
