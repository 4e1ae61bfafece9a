"""The ``{comp:site-contact}`` directive of the About page: who keeps the site and how to report a mistake.

Both come from conf.py (``competency_site_maintainer``, ``competency_site_contact``), so a utility
changes them in one place and every build shows the current ones.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..sphinx_ext.config import competency_config
from .parts import paragraph


class SiteContactDirective(SphinxDirective):
    """Paragraphs naming the site's maintainer and where to report a mistake."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        settings = competency_config(self.config)
        result: list[nodes.Node] = []
        if settings.site_maintainer:
            result.append(paragraph(f"This site is maintained by {settings.site_maintainer}."))
        report = "To report a mistake (a wrong word, a link that does not work, a job that is missing)"
        contact = contact_link(settings.site_contact)
        if contact is None:
            result.append(paragraph(f"{report}, tell the site's maintainers, with the address of the page."))
        else:
            result.append(paragraph(f"{report}, write to ", contact, ", with the address of the page."))
        return [nodes.container("", *result, classes=["comp-site-contact"])]


def contact_link(contact: str) -> nodes.reference | None:
    """A link to an e-mail address (mailto:) or a web address; None when there is no contact."""
    contact = contact.strip()
    if not contact:
        return None
    if contact.startswith(("http://", "https://", "mailto:")):
        uri = contact
    elif "@" in contact:
        uri = f"mailto:{contact}"
    else:  # a path on the intranet, such as /forms/competency-mistake
        uri = contact
    shown = contact.removeprefix("mailto:")
    return nodes.reference(shown, shown, refuri=uri)


def setup_about(app: Sphinx) -> None:
    app.add_directive_to_domain("comp", "site-contact", SiteContactDirective)
