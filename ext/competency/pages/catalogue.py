"""The ``{comp:catalogue}`` directive: the home page's cards, one per model and section.

The home page is a hand-written Markdown page; what it shows of the models
comes from the YAML through this directive, so the two cannot drift apart.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component

from ..sources.family import family_of
from ..sources.model import Model
from ..sphinx_ext.state import note_site_dependency, site_of
from .family import family_catalogue_line, family_docname
from .forms import form_links
from .items import page_docname
from .parts import KIND_LABELS, badge, hidden_toctree, link, paragraph, section_size


class CatalogueDirective(SphinxDirective):
    """Cards for every model and its sections, and the toctree of the model pages."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        site = site_of(self.env)
        result: list[nodes.Node] = []
        note_site_dependency(self.env)  # read again when a model is added, removed or changed
        for model in site.models.values():
            result += self.model_cards(model)
        entries = [page_docname(m, "model", m) for m in site.models]
        if site.library is not None:  # a family of jobs: its shared pages (pages/family.py)
            self.env.note_dependency(str(site.library.path))
            result.append(family_catalogue_line(family_of(site)))
            entries.append(family_docname("shared-index"))
        result.append(hidden_toctree(self.env.docname, entries))
        return result

    def model_cards(self, model: Model) -> list[nodes.Node]:
        heading = nodes.rubric(classes=["comp-catalogue-model"])
        heading["heading-level"] = 2
        heading += link(model.id, "model", model.id, model.title)
        forms = paragraph("HR forms: ", classes=["comp-catalogue-forms"])
        for n, line in enumerate(form_links(model)):
            forms += [nodes.Text(" · ")] if n else []
            forms += line.children
        grid = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
        row = create_component(
            "grid-row", ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]
        )
        grid += row
        for section in model.sections:
            column = create_component("grid-item", ["sd-col", "sd-d-flex-row"])
            card = create_component(
                "card",
                [
                    "sd-card",
                    "sd-sphinx-override",
                    "sd-w-100",
                    "sd-shadow-sm",
                    "sd-card-hover",
                    "comp-card",
                    f"comp-card-{section.kind}",
                ],
            )
            body = create_component("card-body", ["sd-card-body"])
            title = paragraph(
                link(model.id, "section", section.id, section.heading),
                classes=["sd-card-title", "sd-font-weight-bold", "comp-card-title"],
            )
            body += title
            body += paragraph(badge(section.kind))
            body += paragraph(_summary(model, section.id), classes=["sd-card-text"])
            card += body
            column += card
            row += column
        return [heading, forms, grid]


def _summary(model: Model, section_id: str) -> str:
    section = model.section(section_id)
    if section.responsibilities:
        return f"{len(section.responsibilities)} responsibilities the job centres on."
    competencies, indicators = section_size(section)
    what = KIND_LABELS[section.kind].lower()
    if indicators:
        return f"{competencies} {what} competencies with {indicators} behavioural indicators."
    return f"{competencies} {what} competencies."


def setup_catalogue(app) -> None:
    app.add_directive_to_domain("comp", "catalogue", CatalogueDirective)
