"""The sources loaded for one build, kept beside the environment (never pickled).

Models are loaded once, when the builder starts, in the main process; parallel
readers are forked after that and inherit them. Any problem in the sources
stops the build there, before a single page is written.
"""

from __future__ import annotations

import html
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from ..changes.history import load_edition_index
from ..pages.family import write_family_stubs
from ..sources.family import FAMILY_FOLDER, LIBRARY_FILE
from ..sources.links import site_pages
from ..sources.overlay import BUILDER_TAGS
from ..sources.problems import SourceError
from ..sources.scales import SCALE_FILE
from ..sources.site import Site, model_files, overlay_files
from ..sources.source_cache import file_stamp, load_site_cached
from ..sources.variants import site_for_utility
from ..sources.yamlfile import read_yaml
from .build_record import record, recorded
from .config import competency_config
from .digests import changed_family_pages, changed_pages, family_pages_key, inputs_key
from .direct_pages import direct_objects, direct_pages
from .domain import BuildChanges, comp_domain
from .stubs import STUB_SUFFIX, write_stubs
from .warning_types import Subtype

logger = logging.getLogger(__name__)


class SourceProblems(SystemExit):
    """Stops sphinx-build with status 1 after the problems were logged (no traceback)."""


def site_of(env: BuildEnvironment) -> Site:
    return comp_domain(env).site


def load_sources(app: Sphinx) -> None:
    """builder-inited: load every model, write the page stubs, or stop with located errors."""
    settings = competency_config(app.config)
    source_dir = Path(app.confdir, settings.source_dir)
    stamps = _stamps_before_reading(source_dir)
    try:
        pages = site_pages(Path(app.srcdir))  # the pages links in model text may name
        # The same check as `competency check`: no id vanishes without a record (an edition's
        # sources were checked when it was released).
        site = load_site_cached(
            source_dir,
            Path(app.doctreedir) / "competency-sources.pickle",
            pages,
            withdrawals=not settings.edition,
            jobs=app.parallel,
        )
        if not settings.edition:
            site = replace(site, editions=load_edition_index(site, Path(app.doctreedir)))
        else:
            site = replace(site, edition=settings.edition)
        written = write_stubs(Path(app.srcdir), site)
        written += write_family_stubs(Path(app.srcdir), site)  # the shared/ pages of a family of jobs
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
                subtype=Subtype.SOURCE,
                location=location,
            )
        logger.error(
            "the competency sources have %d problem(s); nothing was built",
            len(exc.problems),
            type="competency",
            subtype=Subtype.SOURCE,
        )
        sys.stderr.flush()
        raise SourceProblems(1) from None
    domain = comp_domain(app.env)
    domain.keep_site(site)
    pages = direct_pages(site)
    domain.keep_direct_pages(pages, dict(direct_objects(site, pages, settings.site_links())))
    _find_changed_pages(app, site, stamps)
    if written:
        logger.info("competency: %d page stub(s) written for %d model(s)", written, len(site.models))


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


def _stamps_before_reading(source_dir: Path) -> dict[Path, tuple[int, int]]:
    """The source files' stamps taken before any is read: a file saved while the build reads it
    then has a stamp the next build sees as changed (a stamp taken after reading would hide it)."""
    stamps = {}
    # Every file the site is loaded from: models, overlays, the family's library, the HR rating scale.
    shared = [source_dir / LIBRARY_FILE, source_dir / SCALE_FILE]
    for path in (*model_files(source_dir), *overlay_files(source_dir), *shared) if source_dir.is_dir() else ():
        try:
            stamps[path] = file_stamp(path)
        except OSError:
            continue  # gone meanwhile: loading reports it, or the next build sees it
    return stamps


def note_site_dependency(env: BuildEnvironment) -> None:
    """Pages that show the models (the home page's catalogue and downloads) are read again whenever a
    model, an overlay or the library is added, removed or changed (`_find_changed_pages`)."""
    comp_domain(env).note_shows_models(env.docname)


def _find_changed_pages(app: Sphinx, site: Site, stamps: dict[Path, tuple[int, int]]) -> None:
    """Which models changed since the last finished build, and which of their pages now differ.

    The keys are saved only when a build finishes (`_save_model_keys`): a build killed after
    reading but before writing leaves them old, so the next build writes the pages again.
    """
    domain = comp_domain(app.env)
    settings = competency_config(app.config)
    urls = settings.site_links()
    saved = recorded(app, "model_keys")
    saved = saved if isinstance(saved, dict) else {}
    known = set(app.env.all_docs)  # empty on a fresh build: everything is read anyway
    tags = app.config.competency_active_tags
    keys = {m: inputs_key(site, site.written[m], tags, urls, stamps) for m in site.models}
    family = family_pages_key(site, stamps)
    if family is not None:
        keys[FAMILY_FOLDER] = family  # no model id: ids are model file names, and `shared` is a folder
    changed = [m for m in site.models if saved.get(m) != keys[m]]
    stale: set[str] = set()
    for model_id in changed if known else ():
        stale |= changed_pages(site, model_id, domain.digests, urls) & known
    if known and family is not None and saved != keys:
        # The family's pages show every job: any change of a job or of the library may change them;
        # with the library and the jobs as they were, a career path only when one of its jobs changed.
        same_family = saved.get(FAMILY_FOLDER) == family and set(saved) == set(keys)
        stale |= changed_family_pages(site, domain.digests, set(changed) if same_family else None) & known
    if known and saved != keys:
        stale |= domain.pages_showing_models & known
    if known and set(saved) != set(keys):
        # A model was added or removed: hand-written pages list the models (the home page's catalogue
        # and its toctree), and they are few, so all of them are read again.
        stale |= {d for d in known if Path(app.env.doc2path(d)).suffix != STUB_SUFFIX}
    domain.keep_changes(BuildChanges(frozenset(stale), tuple(changed), keys))


def _save_model_keys(app: Sphinx, exception: Exception | None) -> None:
    keys = comp_domain(app.env).changes.model_keys
    if exception is None and keys is not None:
        record(app, "model_keys", keys)


def pages_to_read_again(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: the pages whose content an edit changed (their stubs did not change), and
    the pages whose table of contents listed a removed page (a clean build would not list it)."""
    stale = set(comp_domain(env).changes.stale_pages)
    stale |= {parent for parent, children in env.toctree_includes.items() if removed.intersection(children)}
    comp_domain(env).note_documents_touched(removed)
    comp_domain(env).note_family_outline(family_outline(env))  # before anything is purged or read
    return sorted(stale - removed)


def family_outline(env: BuildEnvironment) -> dict[str, Any]:
    """What the theme's sidebar of the family's pages is made of: each family page's title and the
    pages its toctree lists (the family's toctrees list family pages only)."""
    return {
        docname: [env.titles[docname].astext() if docname in env.titles else "", env.toctree_includes.get(docname, [])]
        for docname in env.all_docs
        if docname.startswith(f"{FAMILY_FOLDER}/")
    }


def _note_documents_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: every document this build reads (Sphinx's list, after every handler)."""
    comp_domain(env).note_documents_touched(docnames)


def pages_naming_changed_items(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages to write again (not read) after a model changed.

    Every page of a changed model may name the edited item in its navigation (sidebar,
    previous and next), and hand-written pages show items' codes and titles through roles;
    both are filled in when a page is written. (The builder writes a model's page again only if
    its navigation did change: theme/direct_pages.py.)
    """
    domain = comp_domain(env)
    # The family's pages have the theme's sidebar, made of the family's toctrees: when one of its
    # pages was added or removed, or one read again has another title or lists other pages, every
    # one of them shows it. (A family page read again is written anyway.)
    family = {d for d in env.found_docs if d.startswith(f"{FAMILY_FOLDER}/")}
    touched = any(d.startswith(f"{FAMILY_FOLDER}/") for d in domain.documents_touched)
    changed = touched and domain.family_outline_before != family_outline(env)  # untouched: unchanged
    family_pages = family if changed else set()
    models = domain.changes.changed_models
    if not models:
        return sorted(family_pages)
    prefixes = tuple(f"{model_id}/" for model_id in models)
    return sorted({d for d in env.found_docs if d.startswith(prefixes)} | domain.referrers | family_pages)


def shown_page(env: BuildEnvironment, docname: str | None) -> str | None:
    """A page as navigation shows it (a link with its title): what a change of it is looked for in."""
    return None if not docname else f"{docname}:{env.titles.get(docname, '')}"


def pages_with_changed_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages to write again because their navigation changed.

    Every page shows the site's top-level entries in its header, and the previous and next pages
    with their titles. Sphinx writes again only the pages it read, so a model added, removed or
    renamed would leave the other pages pointing at the old neighbours. What each page's navigation
    shows is compared with what it showed when the pages were last written.
    """

    if not comp_domain(env).documents_touched:
        # Navigation is made of documents' toctrees and titles: with none read or removed, none changed
        # (and comparing every page's navigation is a tenth of a no-op build of a large site).
        return []

    relations = env.collect_relations()
    header = [shown_page(env, d) for d in env.toctree_includes.get(app.config.root_doc, [])]
    navigation = {d: [shown_page(env, r) for r in relations.get(d, ())] for d in env.found_docs}
    before = comp_domain(env).replace_navigation({"header": header, "pages": navigation})
    if before.get("header") != header:
        return sorted(env.found_docs)
    pages = before.get("pages", {})
    return sorted(d for d, shows in navigation.items() if pages.get(d) != shows)


def setup_state(app: Sphinx) -> None:
    app.add_source_suffix(STUB_SUFFIX, "competency")
    app.connect("config-inited", choose_variant)
    app.connect("builder-inited", load_sources)
    app.connect("env-get-outdated", pages_to_read_again)
    app.connect("env-before-read-docs", _note_documents_read)
    app.connect("build-finished", _save_model_keys)
    app.connect("env-get-updated", pages_naming_changed_items)
    app.connect("env-get-updated", pages_with_changed_navigation)
