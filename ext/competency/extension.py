"""Wires every feature module into Sphinx; each module owns its own registrations."""

from __future__ import annotations

from sphinx.application import Sphinx

from .catalogue import setup_catalogue
from .config import setup_config
from .domain import setup_domain
from .nodes import setup_nodes
from .reader import CompetencyPageParser
from .state import setup_state


def setup_extension(app: Sphinx) -> None:
    app.setup_extension("sphinx_design")
    setup_config(app)
    setup_domain(app)
    setup_nodes(app)
    setup_state(app)
    app.add_source_parser(CompetencyPageParser)
    setup_catalogue(app)
