"""The pages of documents that are gone are removed from the build output.

Sphinx forgets a removed document but leaves its HTML file in the output folder, so a model, an
item or a former id's redirect taken out of the sources would stay online, unlike in a clean build.
The pages the output holds (the documents' and those written without one, theme/direct_pages.py)
are recorded beside the environment when a build finishes; a build removes every recorded or
removed page that no longer exists. The record also covers a build that starts from a fresh
environment (a changed configuration), which does not know what the previous one wrote.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..sphinx_ext.build_record import record, recorded
from ..sphinx_ext.domain import comp_domain
from .internals import writes_html_pages


def _recorded(app: Sphinx) -> set[str]:
    docnames = recorded(app, "output_pages")
    return {d for d in docnames if isinstance(d, str)} if isinstance(docnames, list) else set()


def remove_pages_of_gone_documents(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """env-get-outdated: delete the output page of every document that no longer exists."""
    if not writes_html_pages(app.builder):
        return []
    outdir = Path(app.outdir).resolve()
    pages = env.found_docs | set(comp_domain(env).direct_pages)  # documents and the pages without one
    for docname in sorted((_recorded(app) | removed) - pages):
        page = Path(app.builder.get_outfilename(docname)).resolve()
        if not page.is_relative_to(outdir):
            continue
        page.unlink(missing_ok=True)
        folder = page.parent
        while folder != outdir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # a clean build has no empty folder where a model's pages were
            folder = folder.parent
    return []


def record_output_pages(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the documents whose pages the output holds now (compared before writing)."""
    if exception is not None or not writes_html_pages(app.builder):
        return
    record(app, "output_pages", sorted(app.env.found_docs | set(comp_domain(app.env).direct_pages)))


def setup_stale_outputs(app: Sphinx) -> None:
    app.connect("env-get-outdated", remove_pages_of_gone_documents)
    app.connect("build-finished", record_output_pages)
