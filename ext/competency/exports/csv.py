"""The CSV export: one row per indicator occurrence, for spreadsheets.

An indicator shown at two positions (II.4.a and V.1.a) has two rows with the
same id. The text is UTF-8 with a byte order mark and CRLF line endings, so
Excel and LibreOffice open accents and curly quotes correctly; write it
unchanged (`newline=""`). A site with a shared library (family.py) adds two
columns at the end, the shared ids of the competency and the indicator; a site
without one keeps the columns it always had.

A cell a spreadsheet would read as a formula (text starting with = + - @, a tab or a carriage
return) starts with an apostrophe, so model text stays text when HR opens the file (the
formula-injection advice of OWASP); `cell_text` is the one place this is done.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..sources.family import Family
from ..sources.model import Model
from ..sphinx_ext.inline import plain_text
from .json import item_url, utility_of

COLUMNS = (
    "model",
    "utility",
    "section_code",
    "section_title",
    "competency_code",
    "competency_title",
    "indicator_code",
    "indicator_id",
    "indicator_text",
    "url",
    "original_code",
)

#: Added at the end in the export of a site with a shared library.
FAMILY_COLUMNS = ("shared_competency", "shared_indicator")

BOM = "\ufeff"

#: The first characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """`value` as a spreadsheet shows it: as text, never as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def indicator_rows(model: Model, family: Family | None = None) -> Iterator[dict[str, str]]:
    """Every indicator occurrence of a model, in published order."""
    for section in model.sections:
        for placement in section.placements():
            competency = model.competencies[placement.competency]
            for shown in placement.indicators:
                indicator = model.indicators[shown.indicator]
                row = {
                    "model": model.id,
                    "utility": utility_of(model) or "",
                    "section_code": section.code,
                    "section_title": section.title,
                    "competency_code": placement.code,
                    "competency_title": competency.title,
                    "indicator_code": shown.code,
                    "indicator_id": indicator.id,
                    "indicator_text": plain_text(indicator.text),
                    "url": item_url(model.id, "indicator", indicator.id),
                    "original_code": model.home_of_indicator(indicator.id)[1].code if shown.is_reference else "",
                }
                if family is not None:
                    row["shared_competency"] = family.shared_id(model.id, competency.id) or ""
                    row["shared_indicator"] = family.shared_id(model.id, indicator.id) or ""
                yield {column: cell_text(value) for column, value in row.items()}


def export_csv(models: Iterable[Model], family: Family | None = None) -> str:
    """The CSV text, BOM first, CRLF line endings."""
    buffer = io.StringIO(newline="")
    columns = COLUMNS + (FAMILY_COLUMNS if family is not None else ())
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for model in models:
        writer.writerows(indicator_rows(model, family))
    return BOM + buffer.getvalue()
