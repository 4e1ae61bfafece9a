"""The sources loaded for one build, kept beside the environment (never pickled).

Models are loaded once, when the builder starts, in the main process; parallel
readers are forked after that and inherit them. Any problem in the sources
stops the build there, before a single page is written.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from .config import competency_config
from .model import Model
from .problems import SourceError
from .site import Site, overlay_files
from .source_cache import load_site_cached
from .stubs import STUB_SUFFIX, write_stubs
from .variants import site_for_utility
from .yamlfile import read_yaml

logger = logging.getLogger(__name__)

_ATTRIBUTE = "competency_site"


class SourceProblems(SystemExit):
    """Stops sphinx-build with status 1 after the problems were logged (no traceback)."""


def site_of(env: BuildEnvironment) -> Site:
    site: Site = getattr(env.get_domain("comp"), _ATTRIBUTE)
    return site


def indicator_order(model: Model) -> dict[str, int]:
    """Position of each indicator in published order (cached per model object)."""
    cached = _ORDER_CACHE.get(id(model))
    if cached is None or cached[0] is not model:  # the model is kept, so its id() is not reused
        order = [p.indicator for c in model.competency_placements() for p in c.indicators]
        cached = (model, {item: n for n, item in reversed(list(enumerate(order)))})
        _ORDER_CACHE[id(model)] = cached
    return cached[1]


_ORDER_CACHE: dict[int, tuple[Model, dict[str, int]]] = {}


def load_sources(app: Sphinx) -> None:
    """builder-inited: load every model, write the page stubs, or stop with located errors."""
    settings = competency_config(app.config)
    source_dir = Path(app.confdir, settings.source_dir)
    try:
        site = load_site_cached(source_dir, Path(app.doctreedir) / "competency-sources.pickle")
        written = write_stubs(Path(app.srcdir), site)
        site = site_for_utility(site, settings.utility or None, app.config.competency_active_tags)
    except SourceError as exc:
        for problem in exc.problems:
            where = problem.location
            # A "path:line:column" string is shown as it is by Sphinx's logging.
            location = f"{where.path}:{where.line or 1}" + (f":{where.column}" if where.column else "")
            logger.error(
                "%s%s",
                problem.message,
                f" ({problem.hint})" if problem.hint else "",
                type="competency",
                subtype="source",
                location=location,
            )
        logger.error(
            "the competency sources have %d problem(s); nothing was built",
            len(exc.problems),
            type="competency",
            subtype="source",
        )
        sys.stderr.flush()
        raise SourceProblems(1) from None
    setattr(app.env.get_domain("comp"), _ATTRIBUTE, site)
    if written:
        logger.info("competency: %d page stub(s) written for %d model(s)", written, len(site.models))


#: Tags Sphinx sets itself; they never select a variant.
BUILDER_TAGS = {"html", "format_html", "builder_html"}


def choose_variant(app: Sphinx, config: Config) -> None:
    """config-inited: the utility comes from the -t tag naming an overlay.

    The utility and the tags become configuration values that invalidate the
    environment, so switching variants in one doctree folder re-reads everything
    instead of serving another variant's pages.
    """
    source_dir = Path(app.confdir, config.competency_source_dir)
    known = {p.stem: p for p in overlay_files(source_dir)}
    tags = sorted(set(app.tags) - BUILDER_TAGS) if hasattr(app.tags, "__iter__") else []
    config.competency_active_tags = tags
    chosen = [t for t in tags if t in known]
    if not config.competency_utility and chosen:
        if len(chosen) > 1:
            raise ConfigError(f"tags {', '.join(chosen)} each name a utility; build one utility at a time")
        config.competency_utility = chosen[0]
    utility = config.competency_utility
    if not utility:
        return
    if utility not in known:
        raise ConfigError(f"unknown utility '{utility}'; known utilities: {', '.join(sorted(known)) or 'none'}")
    name = _display_name(known[utility]) or utility
    config.html_title = f"{config.html_title or config.project} · {name}"
    banner = (
        f'<span class="comp-variant-banner">{html.escape(name)}</span>: this utility\'s version of the '
        "competency models"
    )
    if config.html_theme == "pydata_sphinx_theme":
        # The theme shows its announcement at the top of every page: readers always know whose site it is.
        config.html_theme_options = {**config.html_theme_options, "announcement": banner}
    else:
        app.connect(
            "html-page-context",
            lambda _app, _page, _template, context, _doctree: context.update(
                body=f'<p class="comp-variant-banner-line">{banner}</p>\n' + context.get("body", "")
            ),
        )


def _display_name(path: Path) -> str:
    try:
        name = read_yaml(path).data.get("name", "")
    except (SourceError, AttributeError):
        return ""  # the full check at builder-inited reports the problem
    return str(name)


def pages_naming_changed_items(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: re-write hand-written pages whose roles show items, when a source file changed.

    Roles show an item's code and title, which are filled in when a page is written; a page
    that is not re-read would otherwise keep the old wording.
    """
    domain = env.get_domain("comp")
    site = site_of(env)
    fingerprint = {str(path): path.stat().st_mtime_ns for path in site.files() if path.exists()}
    if domain.data.get("fingerprint") == fingerprint:
        return []
    domain.data["fingerprint"] = fingerprint
    return sorted(domain.data["referrers"])


def setup_state(app: Sphinx) -> None:
    app.add_config_value("competency_active_tags", [], "env", types=[list])
    app.add_source_suffix(STUB_SUFFIX, "competency")
    app.connect("config-inited", choose_variant)
    app.connect("builder-inited", load_sources)
    app.connect("env-get-updated", pages_naming_changed_items)
