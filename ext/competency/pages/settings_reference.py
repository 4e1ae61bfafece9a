"""The ``{competency-settings}`` directive of the tool's documentation: the settings table, from config.py.

The table is rendered from the declaration of the settings (names, defaults, help in the fields'
metadata), so the documentation lists exactly the settings a build accepts. The tool's
documentation adds this module as an extension; a staff site does not need it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..sphinx_ext.config import CompetencyConfig, default_of


class SettingsDirective(SphinxDirective):
    """A table: setting, default, meaning."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = [
            (f"competency_{item.name}", repr(default_of(item)), item.metadata["help"])
            for item in fields(CompetencyConfig)
        ]
        return [_table(("Setting", "Default", "Meaning"), rows)]


def _table(header: tuple[str, ...], rows: list[tuple[str, str, str]]) -> nodes.table:
    table = nodes.table(classes=["comp-settings"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]
    group += nodes.thead("", _row(header, literal=False))
    group += nodes.tbody("", *(_row(row, literal=True) for row in rows))
    return table


def _row(cells: tuple[str, ...], *, literal: bool) -> nodes.row:
    row = nodes.row()
    for number, text in enumerate(cells):
        # The name and the default are code; the help is prose.
        content: nodes.Node = nodes.literal(text, text) if literal and number < 2 else nodes.Text(text)
        row += nodes.entry("", nodes.paragraph("", "", content))
    return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("competency-settings", SettingsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
