"""The `comp` domain alone, for another Sphinx project that links to this site through intersphinx.

Sphinx's ``{external+<inventory>:comp:indicator}`` role needs the `comp`
domain in the linking project; the full `competency` extension would also
look for models to build. Such a project adds, in its conf.py::

    extensions = ["sphinx.ext.intersphinx", "competency.intersphinx_client"]

(see manual/intersphinx.md).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .sphinx_ext.domain import CompetencyDomain


class LinkingDomain(CompetencyDomain):
    """The `comp` domain without its index page: the linking project has no items to index, and an
    index of its own would take the `comp-indicators` label that names the linked site's index."""

    indices = []


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(LinkingDomain)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
