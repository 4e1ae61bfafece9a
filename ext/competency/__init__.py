"""Sphinx extension publishing job competency models: one page per competency, indicator and responsibility."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: Version of the data this extension pickles into the environment. Bump it, with the
#: reason, whenever the shape of the domain data or of the page doctrees changes:
#: 1 - first version (objects and referrers of the comp domain).
#: 2 - redirects of former ids (aliases) in the comp domain data.
#: 3 - objects kept by document, so clearing a document no longer scans every object.
#: 4 - page digests and model input keys: an edit re-reads only the pages it changes.
#: 5 - objects no longer record the indicator index's group and order (taken from the site).
#: 6 - the modules moved into subpackages: the pickled records (ObjectEntry) have new module paths.
ENV_VERSION = 6


def setup(app: Sphinx) -> dict[str, Any]:
    from .sphinx_ext.extension import setup_extension
    from .sphinx_ext.tool_code import environment_version

    setup_extension(app)
    return {
        "version": __version__,
        "env_version": environment_version(),  # ENV_VERSION and the tool's code (tool_code.py)
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
