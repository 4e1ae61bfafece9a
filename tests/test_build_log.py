"""What a rebuild prints: no "configuration has changed" and no myst-parser settings unless conf.py changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

ANNOUNCEMENT = "The configuration has changed"
MYST_SETTINGS = "MdParserConfig("


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_a_rebuild_with_the_same_settings_announces_no_change(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    app.cleanup()
    srcdir = Path(app.srcdir)
    # The extensions complete html_static_path as the builder starts, after Sphinx saved the
    # configuration: without the filter every rebuild would announce a change.
    again = make_app("html", srcdir=srcdir)
    again.build()
    again.cleanup()
    status = again.status.getvalue()
    assert ANNOUNCEMENT not in status and MYST_SETTINGS not in status
    assert "0 added, 0 changed, 0 removed" in status  # the rest of the output is still there

    changed = make_app("html", srcdir=srcdir, confoverrides={"html_title": "Another title"})
    changed.build()
    changed.cleanup()
    status = changed.status.getvalue()
    assert f"{ANNOUNCEMENT} (" in status and "'html_title'" in status
    assert MYST_SETTINGS in status

    back = make_app("html", srcdir=srcdir, confoverrides={"html_title": "Another title"})
    back.build()
    status = back.status.getvalue()
    assert ANNOUNCEMENT not in status and MYST_SETTINGS not in status
