"""What the rest of the extension asks of Sphinx's HTML builder that Sphinx offers no public way to ask."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders import Builder

# Internal: the class of Sphinx's HTML builder, to tell HTML builds (html, dirhtml, singlehtml, epub)
# from the others, which write no pages or static files.
# Public API: none; `builder.format == "html"` comes closest but a third-party builder may claim it.
from sphinx.builders.html import StandaloneHTMLBuilder


def writes_html_pages(builder: Builder) -> bool:
    """Whether the build writes HTML pages and the site's files beside them (downloads, data files)."""
    return isinstance(builder, StandaloneHTMLBuilder)


def warnings_fail_build(app: Sphinx) -> bool:
    """Whether the build already had a warning and `-W` makes warnings fail it (at the end, with --keep-going)."""
    # Internal: Sphinx keeps -W and the count of warnings in private attributes of the application.
    # Public API: none yet; a build-finished argument or `app.warningiserror` with a public count would do.
    return bool(getattr(app, "_fail_on_warnings", False) and getattr(app, "_warncount", 0))
