"""`only:` expressions: tag names joined by `and`, `or`, `not`, parentheses and `x if y else z`.

The grammar is the one of Sphinx's `only` directive and `-t` tags, read by jinja2's expression parser
the way Sphinx reads it (`sphinx.util.tags` in Sphinx 9), so a maintainer writes the same expressions in
YAML and in Markdown pages. It lives here so that the sources are read without Sphinx;
tests/test_only_expressions.py checks it against Sphinx's own.
"""

from __future__ import annotations

from collections.abc import Collection

import jinja2.environment
import jinja2.nodes
import jinja2.parser

_ENV = jinja2.environment.Environment()


class BooleanParser(jinja2.parser.Parser):
    """jinja2's expression parser with comparisons, calls and filters taken out: names and constants."""

    def parse_compare(self) -> jinja2.nodes.Expr:
        node: jinja2.nodes.Expr
        token = self.stream.current
        if token.type == "name":
            if token.value in {"true", "True"}:
                node = jinja2.nodes.Const(True, lineno=token.lineno)
            elif token.value in {"false", "False"}:
                node = jinja2.nodes.Const(False, lineno=token.lineno)
            elif token.value in {"none", "None"}:
                node = jinja2.nodes.Const(None, lineno=token.lineno)
            else:
                node = jinja2.nodes.Name(token.value, "load", lineno=token.lineno)
            next(self.stream)
        elif token.type == "lparen":
            next(self.stream)
            node = self.parse_expression()
            self.stream.expect("rparen")
        else:
            self.fail(f"unexpected token '{token}'", token.lineno)
        return node


class Tags:
    """The tags of one variant, matching `only:` expressions."""

    def __init__(self, tags: Collection[str] = ()) -> None:
        self._tags = frozenset(tags)
        self._results: dict[str, bool] = {}

    def eval_condition(self, condition: str) -> bool:
        """Whether the expression holds for these tags (a tag present is true, a tag absent false)."""
        if condition not in self._results:
            parser = BooleanParser(_ENV, condition, state="variable")
            expression = parser.parse_expression()
            if not parser.stream.eos:
                raise ValueError("chunk after expression")
            self._results[condition] = self._holds(expression)
        return self._results[condition]

    def _holds(self, node: jinja2.nodes.Node | None) -> bool:
        if isinstance(node, jinja2.nodes.CondExpr):
            return self._holds(node.expr1) if self._holds(node.test) else self._holds(node.expr2)
        if isinstance(node, jinja2.nodes.And):
            return self._holds(node.left) and self._holds(node.right)
        if isinstance(node, jinja2.nodes.Or):
            return self._holds(node.left) or self._holds(node.right)
        if isinstance(node, jinja2.nodes.Not):
            return not self._holds(node.node)
        if isinstance(node, jinja2.nodes.Name):
            return node.name in self._tags
        raise TypeError("invalid node, check parsing")
