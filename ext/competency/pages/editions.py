"""The editions in hand-written pages and in the builds of the editions themselves: the list of
editions (``{comp:editions}``, on the home page), and in the build of an edition its banner on every
page and its changes page (``{comp:edition-changes}``, ``{comp:edition-note}``)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..changes.diff import diff_sites
from ..changes.history import EditionIndex
from ..sources.site import load_site
from ..sphinx_ext.config import competency_config
from ..sphinx_ext.inline import inline_nodes
from ..sphinx_ext.state import note_site_dependency, site_of
from .changes import model_changes
from .edition_parts import address_link
from .parts import bullet_list, paragraph

#: The page each earlier edition's build adds: what changed in that edition.
CHANGES_PAGE = "edition-changes"


# -- the list of editions (home page) ----------------------------------------------------------------


class EditionsDirective(SphinxDirective):
    """``{comp:editions}``: the editions, newest first, each with its site and its changes page."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        settings = competency_config(self.config)
        up = "../" * self.env.docname.count("/")
        if settings.edition:
            current = up + "../../index.html"
            return [
                paragraph(
                    f"This is edition {settings.edition} ({settings.edition_date}) of the models, as published. ",
                    address_link("See the current site", current),
                    ".",
                    classes=["comp-editions"],
                )
            ]
        note_site_dependency(self.env)  # a release changes the file the site's key is made from
        index: EditionIndex | None = site_of(self.env).editions
        if index is None:
            return []  # nothing released yet: nothing to cite or compare
        latest = index.latest
        result: list[nodes.Node] = [
            paragraph(
                nodes.strong("Current edition: ", "Current edition: "),
                f"{latest.name} ({latest.date}). ",
                address_link("What changed in it", f"{up}editions/{latest.name}/{CHANGES_PAGE}.html"),
                ".",
                classes=["comp-editions-latest"],
            )
        ]
        lines = []
        for edition in reversed(index.editions):
            line = paragraph(
                address_link(f"Edition {edition.name}", f"{up}editions/{edition.name}/index.html"), f" ({edition.date})"
            )
            if edition.note:
                line += nodes.Text(": ")
                line += inline_nodes(edition.note)
            line += nodes.Text(" — ")
            line += address_link("what changed", f"{up}editions/{edition.name}/{CHANGES_PAGE}.html")
            lines.append(line)
        result.append(bullet_list(lines, classes=["comp-editions"]))
        return result


# -- the build of an earlier edition ------------------------------------------------------------------


class EditionChangesDirective(SphinxDirective):
    """``{comp:edition-changes}``: what this edition changed against the one before it."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        settings = competency_config(self.config)
        site = site_of(self.env)
        result: list[nodes.Node] = []
        if not settings.edition_previous:
            result.append(paragraph("The first edition: every model below is new.", classes=["comp-changes-intro"]))
            previous = {}
        else:
            old = load_site(Path(settings.edition_previous))
            previous = old.written
            result.append(paragraph("Changes to the models since the edition before.", classes=["comp-changes-intro"]))
        diffs = diff_sites(previous, site.written, site.withdrawn_models)
        if not diffs:
            result.append(paragraph("Nothing changed."))
        for model_diff in diffs:
            result += model_changes(model_diff)
        return result


def changes_page_text(name: str, date: str, note: str, previous: str) -> str:
    """The Markdown source of an edition's changes page (written into the edition's copy of docs/)."""
    since = f" since edition {previous}" if previous else ""
    lines = ["---", "orphan: true", "---", "", f"# What changed in edition {name}{since}", ""]
    lines += [f"Edition {name} was released on {date}.", ""]
    if note:
        lines += ["```{comp:edition-note}", "```", ""]
    lines += ["```{comp:edition-changes}", "```", ""]
    return "\n".join(lines)


class EditionNoteDirective(SphinxDirective):
    """``{comp:edition-note}``: the note of the edition this build shows (escaped, never parsed as markup)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        note = competency_config(self.config).edition_note
        return [paragraph(*inline_nodes(note), classes=["comp-edition-note"])] if note else []


def edition_banner(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Every page of an earlier edition says so, and links to the current page of the same item."""
    settings = competency_config(app.config)
    if not settings.edition or "body" not in context:
        return
    site = site_of(app.env)
    up = "../" * (pagename.count("/") + 2)  # from editions/<name>/<page> to the site's root
    folders = {name for m in (*site.written.values(), *site.withdrawn_models.values()) for name in (m.id, *m.aliases)}
    is_item = pagename.split("/", 1)[0] in folders
    current = up + (pagename + ".html" if is_item else "index.html")
    name, date = html.escape(settings.edition), html.escape(settings.edition_date)
    if settings.edition_status == "current":
        said = f"Edition <strong>{name}</strong> ({date}), the current edition: this page keeps its wording."
        see = "See the current page" if is_item else "See the current site"
    else:
        said = f"Superseded edition <strong>{name}</strong> ({date})."
        see = "See the current wording" if is_item else "See the current site"
    changes = "../" * pagename.count("/") + f"{CHANGES_PAGE}.html"
    banner = (
        f'<div class="comp-edition-banner" role="note"><p>{said} '
        f'<a class="comp-edition-current" href="{html.escape(current)}">{see}</a> · '
        f'<a href="{html.escape(changes)}">What changed in this edition</a></p></div>\n'
    )
    context["body"] = banner + context["body"]


def setup_edition_pages(app: Sphinx) -> None:
    app.add_directive_to_domain("comp", "editions", EditionsDirective)
    app.add_directive_to_domain("comp", "edition-changes", EditionChangesDirective)
    app.add_directive_to_domain("comp", "edition-note", EditionNoteDirective)
    app.connect("html-page-context", edition_banner)
