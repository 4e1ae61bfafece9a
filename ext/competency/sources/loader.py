"""Loading model files: YAML -> schema check -> immutable `Model` with display codes.

Semantic checks the schema cannot express live here: ids unique in a model
(aliases included), references that name defined items of the right kind,
`only:` expressions that Sphinx can evaluate, and the file name matching the
model id (the id is the URL folder).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2.nodes

from .links import check_form
from .model import (
    Competency,
    CompetencyPlacement,
    Group,
    Indicator,
    IndicatorPlacement,
    Model,
    Responsibility,
    Section,
    Withdrawal,
    WithdrawnItem,
    index_positions,
)
from .only import BooleanParser
from .problems import Location, Problem, SourceError, did_you_mean
from .schema import MODEL_SCHEMA, check_schema
from .yamlfile import JsonPath, YamlDocument, read_yaml

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: lettering of indicators and foundational items."""
    letters = string.ascii_lowercase
    return letters[index] if index < 26 else letter(index // 26 - 1) + letters[index % 26]


#: What an `only:` expression may hold: tag names joined by and, or, not, parentheses (and `x if y else z`).
_ONLY_NODES = (jinja2.nodes.And, jinja2.nodes.Or, jinja2.nodes.Not, jinja2.nodes.Name, jinja2.nodes.CondExpr)


def only_expression_problem(expression: str) -> str:
    """Why Sphinx could not evaluate an `only:` expression, or an empty string when it can.

    A variant matches the expression with the grammar of Sphinx's `only` (only.py); an expression
    it cannot parse or evaluate would stop that build with a traceback, in whichever variant meets it.
    """
    try:
        parser = BooleanParser(jinja2.Environment(), expression, state="variable")
        tree = parser.parse_expression()
        if not parser.stream.eos:
            return f"unexpected '{parser.stream.current.value}' after the expression"
    except jinja2.TemplateSyntaxError as exc:
        return str(exc.message or "it does not parse").replace("end of template", "end of the expression")
    except RecursionError:
        return "it is nested too deeply"
    nodes = [tree]
    while nodes:
        node = nodes.pop()
        if not isinstance(node, _ONLY_NODES):
            return f"'{getattr(node, 'value', node)}' is not a tag name"
        if isinstance(node, jinja2.nodes.CondExpr) and node.expr2 is None:
            return "`if` without `else`"
        nodes.extend(node.iter_child_nodes())
    return ""


def load_model(path: Path) -> Model:
    """Read, check and build one model file; raise SourceError listing every problem."""
    return load_model_document(path)[0]


def load_model_document(path: Path) -> tuple[Model, YamlDocument]:
    """The model of a file and the parsed file itself (utility variants are built from its data)."""
    document = read_yaml(path)
    problems = [*check_schema(document, MODEL_SCHEMA), *check_form(document)]  # links: links.py
    if problems:
        raise SourceError(problems)
    return build_model(document), document


def build_model(document: YamlDocument, *, check_file_name: bool = True) -> Model:
    """Build a model from checked data; raise SourceError for what the schema cannot check."""
    builder = _ModelBuilder(document, check_file_name=check_file_name)
    model = builder.build()
    if builder.problems:
        raise SourceError(builder.problems)
    return model


@dataclass
class _ModelBuilder:
    document: YamlDocument
    check_file_name: bool = True
    problems: list[Problem] = field(default_factory=list)
    #: Every id and alias seen so far -> where it was first defined.
    ids: dict[str, JsonPath] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    responsibilities: dict[str, Responsibility] = field(default_factory=dict)
    #: References to check once every definition is known: (id, expected kinds, where).
    refs: list[tuple[str, tuple[str, ...], JsonPath]] = field(default_factory=list)

    def build(self) -> Model:
        data = self.document.data
        path = self.document.path
        if self.check_file_name and path.stem != data["id"]:
            self.problem(
                ("id",),
                f"the model id '{data['id']}' differs from the file name '{path.name}'",
                f"rename the file to {data['id']}.yaml or change the id: the id is the folder of every URL",
            )
        self.claim(data["id"], ("id",), aliases=data.get("aliases", ()))
        if len(data["sections"]) > len(ROMAN):
            self.problem(("sections",), f"a model has at most {len(ROMAN)} sections", "")
        sections = tuple(self.section(raw, i) for i, raw in enumerate(data["sections"][: len(ROMAN)]))
        self.check_refs()
        self.own_indicators()
        withdrawn = self.withdrawn_items(data.get("withdrawn", ()), sections)
        competency_positions, indicator_positions = index_positions(sections)
        return Model(
            id=data["id"],
            title=data["title"],
            source=data.get("source"),
            note=data.get("note"),
            aliases=tuple(data.get("aliases", ())),
            path=path,
            sections=sections,
            competencies=self.competencies,
            indicators=self.indicators,
            responsibilities=self.responsibilities,
            withdrawn=withdrawn,
            withdrawal=self.withdrawal(data["withdrawal"]) if "withdrawal" in data else None,
            competency_positions=competency_positions,
            indicator_numbers={item: n for n, item in enumerate(indicator_positions)},  # first appearance order
            indicator_positions=indicator_positions,
        )

    # -- sections -------------------------------------------------------------------------------

    def section(self, raw: dict[str, Any], index: int) -> Section:
        where: JsonPath = ("sections", index)
        code = ROMAN[index]
        self.claim(raw["id"], (*where, "id"), aliases=raw.get("aliases", ()))
        competencies = tuple(
            self.competency_entry(entry, f"{code}.{n + 1}", raw["id"], None, (*where, "competencies", n))
            for n, entry in enumerate(raw.get("competencies", ()))
        )
        groups = tuple(
            self.group(g, f"{code}.{n + 1}", raw["id"], (*where, "groups", n))
            for n, g in enumerate(raw.get("groups", ()))
        )
        responsibilities = tuple(
            self.responsibility(r, f"{code}.{n + 1}", (*where, "responsibilities", n))
            for n, r in enumerate(raw.get("responsibilities", ()))
        )
        return Section(
            id=raw["id"],
            code=code,
            kind=raw["kind"],
            title=raw["title"],
            qualifier=raw.get("qualifier"),
            note=raw.get("note"),
            competencies=competencies,
            groups=groups,
            responsibilities=responsibilities,
            aliases=tuple(raw.get("aliases", ())),
            location=self.at(where),
        )

    def group(self, raw: dict[str, Any], code: str, section_id: str, where: JsonPath) -> Group:
        self.claim(raw["id"], (*where, "id"), aliases=raw.get("aliases", ()))
        placements = tuple(
            self.competency_entry(entry, f"{code}.{letter(n)}", section_id, raw["id"], (*where, "competencies", n))
            for n, entry in enumerate(raw["competencies"])
        )
        return Group(
            id=raw["id"],
            code=code,
            title=raw["title"],
            competencies=placements,
            aliases=tuple(raw.get("aliases", ())),
            location=self.at(where),
        )

    # -- competencies and indicators --------------------------------------------------------------

    def competency_entry(
        self, raw: dict[str, Any], code: str, section_id: str, group_id: str | None, where: JsonPath
    ) -> CompetencyPlacement:
        is_reference = "ref" in raw
        competency_id = raw["ref"] if is_reference else raw["id"]
        self.check_only(raw, where)
        if is_reference:
            self.refs.append((competency_id, ("competency",), (*where, "ref")))
        indicators = tuple(
            self.indicator_entry(entry, f"{code}.{letter(n)}", competency_id, (*where, "indicators", n))
            for n, entry in enumerate(raw.get("indicators", ()))
        )
        if not is_reference:
            self.claim(competency_id, (*where, "id"), aliases=raw.get("aliases", ()))
            self.competencies[competency_id] = Competency(
                id=competency_id,
                title=raw["title"],
                qualifier=raw.get("qualifier"),
                description=raw.get("description"),
                preamble=raw.get("preamble"),
                indicators=(),  # filled in by `own_indicators` once every placement is read
                aliases=tuple(raw.get("aliases", ())),
                only=raw.get("only"),
                location=self.at(where),
            )
        return CompetencyPlacement(
            code=code,
            competency=competency_id,
            section=section_id,
            group=group_id,
            indicators=indicators,
            is_reference=is_reference,
            only=raw.get("only"),
        )

    def indicator_entry(
        self, raw: dict[str, Any], code: str, competency_id: str, where: JsonPath
    ) -> IndicatorPlacement:
        self.check_only(raw, where)
        if "ref" in raw:
            self.refs.append((raw["ref"], ("indicator",), (*where, "ref")))
            return IndicatorPlacement(code=code, indicator=raw["ref"], is_reference=True, only=raw.get("only"))
        self.claim(raw["id"], (*where, "id"), aliases=raw.get("aliases", ()))
        self.indicators[raw["id"]] = Indicator(
            id=raw["id"],
            text=raw["text"],
            subitems=tuple(raw.get("subitems", ())),
            aliases=tuple(raw.get("aliases", ())),
            only=raw.get("only"),
            competency=competency_id,
            location=self.at(where),
        )
        return IndicatorPlacement(code=code, indicator=raw["id"], is_reference=False, only=raw.get("only"))

    def responsibility(self, raw: dict[str, Any], code: str, where: JsonPath) -> str:
        self.claim(raw["id"], (*where, "id"), aliases=raw.get("aliases", ()))
        self.check_only(raw, where)
        supported_by = tuple(raw.get("supported_by", ()))
        for n, item in enumerate(supported_by):
            self.refs.append((item, ("competency", "indicator"), (*where, "supported_by", n)))
        self.responsibilities[raw["id"]] = Responsibility(
            id=raw["id"],
            code=code,
            text=raw["text"],
            supported_by=supported_by,
            aliases=tuple(raw.get("aliases", ())),
            only=raw.get("only"),
            location=self.at(where),
        )
        return str(raw["id"])

    def own_indicators(self) -> None:
        """Each competency's indicators: those defined under it, also where a later section reuses it.

        (Section V may list a competency of section II with an indicator of its own.)
        """
        owned: dict[str, list[str]] = {}
        for indicator in self.indicators.values():
            owned.setdefault(indicator.competency, []).append(indicator.id)
        for competency_id, competency in self.competencies.items():
            self.competencies[competency_id] = replace(competency, indicators=tuple(owned.get(competency_id, ())))

    # -- withdrawn items --------------------------------------------------------------------------

    def withdrawn_items(self, raw: Any, sections: tuple[Section, ...]) -> dict[str, WithdrawnItem]:
        """The records of items taken out of the model; their ids and aliases stay reserved."""
        records: dict[str, WithdrawnItem] = {}
        live = {s.id for s in sections} | {*self.competencies, *self.indicators, *self.responsibilities}
        for n, entry in enumerate(raw):
            where: JsonPath = ("withdrawn", n)
            kind = entry["kind"]
            wanted, other = ("title", "text") if kind in ("section", "competency") else ("text", "title")
            if other in entry:
                self.problem(
                    (*where, other), f"a withdrawn {kind} gives its last {wanted}, not a {other}", f"write `{wanted}:`"
                )
            elif wanted not in entry:
                self.problem(
                    where, f"the withdrawn {kind} '{entry['id']}' has no {wanted}", f"add its last `{wanted}:`"
                )
            for name, at in [
                (entry["id"], (*where, "id")),
                *((a, (*where, "aliases")) for a in entry.get("aliases", ())),
            ]:
                if name in self.ids:
                    first = self.at(self.ids[name]).line
                    self.problem(
                        at,
                        f"the withdrawn id '{name}' is also used on line {first}",
                        "the id of a withdrawn item stays reserved: give the new item another id, or remove "
                        "this record if the item is back",
                    )
                else:
                    self.ids[name] = at
            records[entry["id"]] = WithdrawnItem(
                id=entry["id"],
                kind=kind,
                wording=str(entry.get(wanted) or entry.get(other) or entry["id"]),
                since=entry["since"],
                note=entry.get("note"),
                replaced_by=entry.get("replaced_by"),
                aliases=tuple(entry.get("aliases", ())),
                location=self.at(where),
            )
        aliases = {a: item_id for item_id, a in self.alias_pairs()}
        for n, record in enumerate(records.values()):
            target = record.replaced_by
            if target is None or target in live:
                continue
            at = ("withdrawn", n, "replaced_by")
            if target in aliases:
                self.problem(
                    at, f"'{target}' is a former id (alias) of '{aliases[target]}'", f"write `{aliases[target]}`"
                )
            elif target in records:
                self.problem(at, f"'{target}' is withdrawn too", "name the item that replaces it now")
            else:
                self.problem(
                    at,
                    f"unknown item '{target}'",
                    did_you_mean(target, live)
                    or "name a section, competency, indicator or responsibility of this model",
                )
        return records

    def alias_pairs(self) -> list[tuple[str, str]]:
        items = [*self.competencies.values(), *self.indicators.values(), *self.responsibilities.values()]
        return [(item.id, alias) for item in items for alias in item.aliases]

    def withdrawal(self, raw: dict[str, Any]) -> Withdrawal:
        return Withdrawal(
            since=raw["since"],
            note=raw.get("note"),
            replaced_by=raw.get("replaced_by"),
            location=self.at(("withdrawal",)),
        )

    # -- checks ---------------------------------------------------------------------------------

    def claim(self, item_id: str, where: JsonPath, *, aliases: Any = ()) -> None:
        """Record an id (and its aliases); a second definition is an error naming the first."""
        for name, at in [(item_id, where), *((a, (*where[:-1], "aliases")) for a in aliases)]:
            if name in self.ids:
                first = self.at(self.ids[name])
                what = "an alias" if at[-1] == "aliases" else "an id"
                self.problem(
                    at,
                    f"the id '{name}' is already used on line {first.line}",
                    f"{what} must be unique in the model: choose another id"
                    if what == "an id"
                    else "an alias may not name an item that exists; remove it from aliases",
                )
            else:
                self.ids[name] = at

    def check_only(self, raw: dict[str, Any], where: JsonPath) -> None:
        if "only" not in raw:
            return
        expression = raw["only"]
        reason = only_expression_problem(expression)
        if reason:
            shown = expression if len(expression) <= 60 else expression[:57] + "..."
            self.problem(
                (*where, "only"),
                f"the `only:` expression '{shown}' is not valid: {reason}",
                "combine tag names with and, or, not and parentheses, e.g. `millbrook or north_shore`",
            )

    def check_refs(self) -> None:
        known = {
            "competency": self.competencies,
            "indicator": self.indicators,
        }
        aliases = {a: c.id for table in known.values() for c in table.values() for a in c.aliases}
        for target, kinds, where in self.refs:
            if any(target in known[k] for k in kinds):
                continue
            if target in aliases:
                self.problem(
                    where,
                    f"'{target}' is a former id (alias) of '{aliases[target]}'",
                    f"write `{aliases[target]}` instead",
                )
                continue
            wanted = " or ".join(kinds)
            article = "an" if wanted[0] in "aeiou" else "a"
            other = next((k for k in known if target in known[k]), "")
            if other:  # e.g. an indicator `ref:` naming a competency (even the one it sits in)
                self.problem(
                    where, f"'{target}' is a {other}, not {article} {wanted}", f"refer to {article} {wanted} here"
                )
                continue
            candidates = [i for k in kinds for i in known[k]]
            hint = did_you_mean(target, candidates) or f"define {article} {wanted} with this id first"
            self.problem(where, f"unknown {wanted} '{target}'", hint)

    def at(self, where: JsonPath) -> Location:
        return self.document.positions.at(where)

    def problem(self, where: JsonPath, message: str, hint: str) -> None:
        self.problems.append(Problem(location=self.at(where), message=message, hint=hint))
