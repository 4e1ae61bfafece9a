"""The site's downloads: every model as JSON, CSV and CASE in `_exports/`, linked by ``{comp:downloads}``.

The files are written at build-finished, by HTML builders only and only when
the build succeeded, from the models the build loaded (a utility's variant in a
variant build). They are written deterministically (see exports/files.py) and
only when their content changes. In a site with editions they name the edition
of their wording (exports/edition.py): the latest, in the current site; its own,
in an edition's build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parallel import ParallelTasks, parallel_available

from .. import __version__
from ..pages.parts import bullet_list, paragraph
from ..sources.family import family_of
from ..sources.model import Model
from ..sources.site import Site
from ..sources.source_cache import file_stamp
from ..sphinx_ext.build_record import record, recorded
from ..sphinx_ext.config import competency_config
from ..sphinx_ext.domain import comp_domain
from ..sphinx_ext.state import note_site_dependency, site_of
from ..sphinx_ext.tool_code import tool_key
from ..theme.internals import warnings_fail_build, writes_html_pages
from .case import DEFAULT_CREATOR, LIBRARY_FILE_NAME, LIBRARY_TITLE
from .edition import build_stamp
from .files import EXPORT_FOLDER, export_file_name, write_model_exports
from .json import shared_data

logger = logging.getLogger(__name__)

#: Format -> link text, in the order the links are shown.
DOWNLOAD_LABELS = {"json": "JSON", "csv": "CSV (spreadsheet)", "case": "CASE 1.1 (JSON)"}


def publish_exports(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: write `_exports/<model-id>.json|.csv|.case.json` into the HTML output."""
    if exception is not None or not _succeeded(app) or not writes_html_pages(app.builder):
        return
    if getattr(app.builder, "embedded", False):  # HTML help and similar: no downloads
        return
    site = site_of(app.env)
    settings = competency_config(app.config)
    base_url = settings.site_links().base_url
    edition = build_stamp(settings, site.source_dir)
    creator = str(app.config.author or DEFAULT_CREATOR)
    folder = app.builder.outdir / EXPORT_FOLDER
    # The exports depend on the source files and a few settings only: skip them when none changed
    # (rendering every model in three formats is most of a no-op rebuild of a large site) ...
    shown = [creator, base_url, edition.data() if edition else None]
    key = sources_key(app, site, folder, shown)
    family = family_of(site)
    expected = {m: [folder / export_file_name(m, fmt) for fmt in DOWNLOAD_LABELS] for m in site.models}
    library = [folder / LIBRARY_FILE_NAME] if family else []
    saved = recorded(app, "exports")
    saved = saved if isinstance(saved, dict) else {}
    every = [path for paths in expected.values() for path in paths] + library
    if saved.get("sources") == key and all(p.is_file() for p in every):
        return
    # ... and render again only the models whose own key (what their pages are built from, the other
    # jobs of the family they name included) changed; the library's file shows every job, and so does
    # each model's JSON, which lists the whole library with the jobs that use each item.
    model_keys = comp_domain(app.env).changes.model_keys or {}
    made_with = written_with(app, site, folder, shown)
    library_shown = _digest(shared_data(family)) if family else None
    keys = {m: json.dumps([made_with, model_keys.get(m), library_shown]) for m in site.models}
    before = saved.get("models") if isinstance(saved.get("models"), dict) else {}
    changed = [
        model
        for model_id, model in site.models.items()
        if model_keys.get(model_id) is None
        or before.get(model_id) != keys[model_id]
        or not all(p.is_file() for p in expected[model_id])
    ]
    _write_exports(app, folder, changed, creator=creator, base_url=base_url, family=family, edition=edition)
    # The exports of a model that is gone (a site without models yet has no export folder).
    for stale in set(folder.iterdir() if folder.is_dir() else ()) - set(every):
        if stale.is_file():
            stale.unlink()
    record(app, "exports", {"sources": key, "models": keys})
    logger.info("competency: the exports of %d of %d model(s) made in %s", len(changed), len(keys), EXPORT_FOLDER)


def _write_exports(app: Sphinx, folder: Path, models: list[Model], **options: Any) -> None:
    """The exports of `models`, and the library's in a family. With -j, the models are shared out
    among worker processes, as the pages are: rendering every model of 5,000 indicators in three
    formats took 1.7 s after the pages were written, with one core idle."""
    workers = app.parallel if parallel_available else 1
    if workers < 2 or len(models) < 2:
        write_model_exports(folder, models, **options)
        return
    folder.mkdir(parents=True, exist_ok=True)  # before the workers, which would race to make it
    tasks = ParallelTasks(workers)
    for share in (models[n::workers] for n in range(workers)):
        tasks.add_task(functools.partial(write_model_exports, folder, share, with_library=False, **options))
    write_model_exports(folder, [], **options)  # the library's, here meanwhile
    tasks.join()


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def sources_key(app: Sphinx, site: Site, folder: Path, settings: list[Any]) -> str:
    """What files written from the sources at build-finished are made of: the source files (by stamp)
    and what `written_with` names. Kept out of the site, which must be reproducible, in the build record."""
    return json.dumps([written_with(app, site, folder, settings), [(str(p), *file_stamp(p)) for p in site.files()]])


def written_with(app: Sphinx, site: Site, folder: Path, settings: list[Any]) -> list[Any]:
    """Besides the sources: the tool's version, the folder, the variant and tags, the date of the
    sources (SOURCE_DATE_EPOCH) and the `settings` the files show."""
    return [
        __version__,
        tool_key(),
        str(folder),
        site.utility.utility if site.utility else None,
        sorted(app.config.competency_active_tags),  # `only:` expressions choose what the models hold
        os.environ.get("SOURCE_DATE_EPOCH"),
        settings,
    ]


def _succeeded(app: Sphinx) -> bool:
    """No error so far, and no warning when warnings are errors (-W --keep-going fails after this event)."""
    if app.statuscode != 0:
        return False
    return not warnings_fail_build(app)


class DownloadsDirective(SphinxDirective):
    """``{comp:downloads}``: per model, links to its exports (relative, so a plain file server works)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        site = site_of(self.env)
        note_site_dependency(self.env)  # a model added or removed changes the list
        prefix = "../" * self.env.docname.count("/")
        items = []
        for model in site.models.values():
            self.env.note_dependency(str(model.path))
            items.append(self.model_line(model, prefix))
        if site.library is not None:  # the shared library is a CASE framework of its own
            self.env.note_dependency(str(site.library.path))
            label = "CASE 1.1 (JSON)"
            line = paragraph(nodes.strong(LIBRARY_TITLE, LIBRARY_TITLE), ": ")
            uri = f"{prefix}{EXPORT_FOLDER}/{LIBRARY_FILE_NAME}"
            line += nodes.reference(label, label, refuri=uri, classes=["comp-download", "comp-download-case"])
            items.append(line)
        return [bullet_list(items, classes=["comp-downloads"])]

    def model_line(self, model: Model, prefix: str) -> nodes.paragraph:
        line = paragraph(nodes.strong(model.title, model.title), ": ")
        for n, (fmt, label) in enumerate(DOWNLOAD_LABELS.items()):
            if n:
                line += nodes.Text(" · ")
            uri = f"{prefix}{EXPORT_FOLDER}/{export_file_name(model.id, fmt)}"
            line += nodes.reference(label, label, refuri=uri, classes=["comp-download", f"comp-download-{fmt}"])
        return line


def setup_exports(app: Sphinx) -> None:
    app.add_directive_to_domain("comp", "downloads", DownloadsDirective)
    app.connect("build-finished", publish_exports)
