"""The sources loaded for one build, kept beside the environment (never pickled).

Models are loaded once, when the builder starts, in the main process; parallel
readers are forked after that and inherit them. Any problem in the sources
stops the build there, before a single page is written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import competency_config
from .model import Model
from .problems import SourceError
from .site import Site, load_site
from .stubs import STUB_SUFFIX, write_stubs

logger = logging.getLogger(__name__)

_ATTRIBUTE = "competency_site"


class SourceProblems(SystemExit):
    """Stops sphinx-build with status 1 after the problems were logged (no traceback)."""


def site_of(env: BuildEnvironment) -> Site:
    site: Site = getattr(env.get_domain("comp"), _ATTRIBUTE)
    return site


def indicator_order(model: Model) -> dict[str, int]:
    """Position of each indicator in published order (cached per model object)."""
    cache: dict[int, dict[str, int]] = _ORDER_CACHE
    key = id(model)
    if key not in cache:
        order = [p.indicator for c in model.competency_placements() for p in c.indicators]
        cache[key] = {item: n for n, item in reversed(list(enumerate(order)))}
    return cache[key]


_ORDER_CACHE: dict[int, dict[str, int]] = {}


def load_sources(app: Sphinx) -> None:
    """builder-inited: load every model, write the page stubs, or stop with located errors."""
    settings = competency_config(app.config)
    source_dir = Path(app.confdir, settings.source_dir)
    try:
        site = load_site(source_dir)
        written = write_stubs(Path(app.srcdir), list(site.models.values()))
    except SourceError as exc:
        for problem in exc.problems:
            where = problem.location
            # A "path:line:column" string is shown as it is by Sphinx's logging.
            location = f"{where.path}:{where.line or 1}" + (f":{where.column}" if where.column else "")
            logger.error("%s%s", problem.message, f" ({problem.hint})" if problem.hint else "",
                         type="competency", subtype="source", location=location)
        logger.error("the competency sources have %d problem(s); nothing was built", len(exc.problems),
                     type="competency", subtype="source")
        sys.stderr.flush()
        raise SourceProblems(1) from None
    setattr(app.env.get_domain("comp"), _ATTRIBUTE, site)
    if written:
        logger.info("competency: %d page stub(s) written for %d model(s)", written, len(site.models))


def setup_state(app: Sphinx) -> None:
    app.add_source_suffix(STUB_SUFFIX, "competency")
    app.connect("builder-inited", load_sources)


