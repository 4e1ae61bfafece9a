"""`only:` expressions are matched as Sphinx matches the tags of its `only` directive (sources/only.py)."""

from __future__ import annotations

import pytest
from sphinx.util.tags import Tags as SphinxTags

from competency.sources.only import Tags

EXPRESSIONS = [
    "millbrook",
    "not millbrook",
    "millbrook or north_shore",
    "millbrook and not north_shore",
    "(millbrook or north_shore) and not html",
    "millbrook if html else north_shore",
    "not (a and (b or not c))",
    "true",
    "a or",
    "a b",
    "a == b",
    "a(b)",
    "",
    "((a)",
    "a if b",
    "a|upper",
]
TAG_SETS = [set(), {"millbrook"}, {"north_shore", "html"}, {"a", "c"}, {"a", "b", "c", "html", "millbrook"}]


def _outcome(tags: object, expression: str) -> tuple[str, object]:
    try:
        return "value", tags.eval_condition(expression)  # type: ignore[attr-defined]
    except Exception as exc:  # the same error, or the same value
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_an_expression_holds_or_fails_as_in_sphinx(expression: str) -> None:
    for tags in TAG_SETS:
        assert _outcome(Tags(tags), expression) == _outcome(SphinxTags(tags), expression), (expression, tags)
