"""Sphinx configuration of the repository's staff site: the reference example of a utility's site.

Pages are read from docs/, models from competency_src/; everything else is the tool's shared site
configuration (competency/siteconf.py), the same a utility's own site uses.
"""

from __future__ import annotations

from competency.siteconf import staff_site

globals().update(
    staff_site(
        __file__,
        name="Water Utility Competency Models",
        title="Competency models",
        author="Competency site maintainers",
    )
)

# The About page: who keeps the site and where staff report a mistake.
competency_site_maintainer = "the competency site maintainers of the HR department"
competency_site_contact = "competency-site@intranet.example"

# Each site's public address, by "generic" and utility tag: links between the sites are written only
# to the sites listed here (manual/variants.md). Empty: every site links within itself alone.
competency_site_urls: dict[str, str] = {}
