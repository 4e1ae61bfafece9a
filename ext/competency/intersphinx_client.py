"""The `comp` domain alone, for another Sphinx project that links to this site through intersphinx.

Sphinx's ``{external+<inventory>:comp:indicator}`` role needs the `comp`
domain in the linking project; the full `competency` extension would also
look for models to build. Such a project adds, in its conf.py::

    extensions = ["sphinx.ext.intersphinx", "competency.intersphinx_client"]

(see docs/guide-links.md).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .domain import CompetencyDomain


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(CompetencyDomain)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
