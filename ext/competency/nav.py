"""The navigation sidebar of item pages: only the current branch of the current model.

The theme renders the sidebar by resolving the model's whole toctree and
editing it with BeautifulSoup for every page, so its cost grows with the
model's size on every page (half of a large build, measured in
manual/performance.md). Item pages know exactly where they are, so their
sidebar is written here from the model instead: the model's sections, the
current section's competencies (or responsibilities) and the current
competency's indicators, in the theme's own markup.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .model import Model
from .page_parts import display
from .pages import page_docname
from .state import site_of

OVERVIEW_PAGES = (
    ("matrix", "Responsibilities and competencies"),
    ("profile", "Job profile"),
    ("variant", "Utility variants"),
)


def _where(model: Model, pagename: str) -> tuple[str | None, str | None]:
    """(section id, competency id) of the branch a page belongs to."""
    parts = pagename.split("/")
    if len(parts) != 3:
        return None, None
    folder, item = parts[1], parts[2]
    if folder == "sections" and model.kind_of(item) == "section":
        return item, None
    if folder == "competencies" and item in model.competencies:
        return model.home_of_competency(item).section, item
    if folder == "indicators" and item in model.indicators:
        competency, _ = model.home_of_indicator(item)
        return competency.section, competency.competency
    if folder == "responsibilities" and item in model.responsibilities:
        return next(s.id for s in model.sections if item in s.responsibilities), None
    return None, None


def sidebar_html(model: Model, pagename: str, uri: Any) -> str:
    """The sidebar of a page of `model`; `uri(docname)` gives a link relative to the page."""
    section_id, competency_id = _where(model, pagename)

    def item(level: int, docname: str, label: str, children: list[str] = ()) -> str:  # type: ignore[assignment]
        on_path = docname == pagename or bool(children)
        classes = f"toctree-l{level}" + (" current active" if on_path else "") + (" has-children" if children else "")
        link_class = "current reference internal" if docname == pagename else "reference internal"
        nested = f"<ul>{''.join(children)}</ul>" if children else ""
        return (
            f'<li class="{classes}"><a class="{link_class}" href="{html.escape(uri(docname))}">'
            f"{html.escape(label)}</a>{nested}</li>"
        )

    entries = []
    for section in model.sections:
        children: list[str] = []
        if section.id == section_id:
            children = [
                item(2, page_docname(model.id, "responsibility", r), display(model, "responsibility", r))
                for r in section.responsibilities
            ]
            for placement in section.placements():
                if placement.is_reference:
                    continue
                indicators = []
                if placement.competency == competency_id:
                    indicators = [
                        item(3, page_docname(model.id, "indicator", i), display(model, "indicator", i))
                        for i in model.competencies[placement.competency].indicators
                    ]
                children.append(
                    item(
                        2,
                        page_docname(model.id, "competency", placement.competency),
                        display(model, "competency", placement.competency),
                        indicators,
                    )
                )
        entries.append(item(1, page_docname(model.id, "section", section.id), section.heading, children))
    entries += [item(1, page_docname(model.id, kind, ""), label) for kind, label in OVERVIEW_PAGES]
    return f'<ul class="current nav bd-sidenav">{"".join(entries)}</ul>'


def model_of_page(env: BuildEnvironment, pagename: str) -> Model | None:
    """The model whose folder holds a page, if any: every generated page of a model is in its folder."""
    model_id, _, rest = pagename.partition("/")
    return site_of(env).models.get(model_id) if rest else None


def _add_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    model = model_of_page(app.env, pagename)
    if model is None:
        return
    context["comp_sidebar"] = sidebar_html(
        model, pagename, lambda docname: app.builder.get_relative_uri(pagename, docname)
    )
    # The theme finds out whether a page has a sidebar by walking every toctree entry of the site,
    # on every page (that grows with the pages squared): an item page always has its sidebar.
    context["suppress_sidebar_toctree"] = _never


def _never(**_kwargs: Any) -> bool:
    return False


def setup_nav(app: Sphinx) -> None:
    # After the theme's handlers, which set the functions replaced on item pages.
    app.connect("html-page-context", _add_sidebar, priority=600)
