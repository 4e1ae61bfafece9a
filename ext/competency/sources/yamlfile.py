"""Reading one YAML source file into plain data, with the position of every value.

ruamel.yaml composes the file into a node graph; we convert that graph
ourselves instead of letting ruamel construct Python objects, because that is
where the safety rules live: no aliases (so no "billion laughs"), no custom
tags, no duplicate keys, a depth limit, and a size limit. Aliases and deep
nesting are refused while composing (`_SafeComposer`, `_SafeScanner`), before
anything is built, so no small file can make reading slow or exhaust the stack. Every value's line
and column are kept so that schema errors can point at the right place.

Every text is checked for characters that no page, export or inventory line may hold: control
characters other than tab and newline, line and paragraph separators, and lone surrogates. YAML
forbids most of them in the file itself, but a double-quoted escape ("\\0", "\\x1b", "\\u2028",
"\\ud800") writes any of them, and they would cut lines of objects.inv or the CSV, reach every page
or stop the build with a traceback. Numbers beyond 64 bits are refused too: no field takes a
number, and one of thousands of digits cannot even be printed in a message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scanner import RoundTripScanner

try:
    from _ruamel_yaml import CParser  # ruamel.yaml.clib: libyaml's parser
except ImportError:  # a Python without the compiled part: ruamel's own parser does it all
    CParser = None

from .problems import Location, Problem, SourceError
from .source_files import not_regular, read_source_bytes

#: Larger files are refused before parsing (reading 1 MB takes seconds; the longest real model is 16 kB).
MAX_BYTES = 1024 * 1024
#: Deeper nesting is refused: the model format needs about 10 levels.
MAX_DEPTH = 40

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}

JsonPath = tuple[str | int, ...]

#: The characters a text may not hold (tab and newline are the only control characters allowed).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})  # controls, lone surrogates, U+2028, U+2029
_ALLOWED_CONTROLS = frozenset("\t\n")
#: Bidirectional embeddings and overrides (U+202A to U+202E): an override shows the text after it,
#: to the end of its paragraph on a page, in another order than it is written (a title could read as
#: another). A text's direction comes from its letters; the isolates (U+2066 to U+2069) stay allowed.
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
#: Names of the control characters most often met (Unicode gives control characters no name).
_CONTROL_NAMES = {"\x00": "NUL", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE"}
#: Integers are refused beyond this size (no field takes a number; the schema then asks for a text).
_LARGEST_INTEGER = 2**63


@dataclass(slots=True)
class Positions:
    """Line and column (1-based) of every value and mapping key of one file."""

    path: Path
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def at(self, where: JsonPath, *, key: bool = False) -> Location:
        """The location of a value (or of its key), or of its nearest ancestor."""
        table = self.keys if key and where in self.keys else self.values
        probe = tuple(where)
        while probe and probe not in table:
            probe = probe[:-1]
        line, column = table.get(probe, (1, 1))
        return Location(path=self.path, line=line, column=column)


@dataclass(frozen=True, slots=True, kw_only=True)
class YamlDocument:
    """A parsed source file: plain data (dicts, lists, str, int, ...) and positions."""

    path: Path
    data: Any
    positions: Positions


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file, or raise SourceError describing what is wrong with it."""
    raw = _read_bytes(path)
    text = _decode(path, raw)
    empty = _problem(path, 1, 1, "the file is empty", "write a model or remove the file")
    if not text.strip():
        raise SourceError([empty])
    try:
        node = _compose(text)
    except _RefusedError as exc:
        raise SourceError([_problem(path, exc.line, exc.column, exc.message, exc.hint)]) from None
    except MarkedYAMLError as exc:
        raise SourceError([_syntax_problem(path, exc, text)]) from None
    except ReaderError as exc:
        raise SourceError([_reader_problem(path, exc, text)]) from None
    except (YAMLError, ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        # Unmarked errors (and the odd parser slip on pathological input) still name the file, never a traceback.
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise SourceError([_problem(path, 1, 1, f"invalid YAML: {message}", "")]) from None
    if node is None or (isinstance(node, ScalarNode) and _tag(node) == f"{_CORE}null" and not node.value):
        raise SourceError([empty])  # only comments, or an empty document (---)
    positions = Positions(path=path)
    problems: list[Problem] = []
    data = _convert(node, (), positions, problems, seen=set(), depth=0)
    if problems:
        raise SourceError(problems)
    return YamlDocument(path=path, data=data, positions=positions)


class _RefusedError(Exception):
    """A construct refused while composing (an alias, too deep nesting), with its place."""

    def __init__(self, mark: Any, message: str, hint: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1
        self.message = message
        self.hint = hint


class _SafeComposer(Composer):
    """ruamel's composer, refusing aliases and deep nesting *before* building anything.

    The stock composer is recursive (deep nesting would exhaust Python's stack) and shares the node of
    an anchor with every alias (a "billion laughs" file is small but expands without end); both are
    stopped here at the first offending event, located in the file.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _RefusedError(
                event.start_mark,
                f"YAML aliases (*{event.anchor}) are not allowed",
                "write the value out, or use `ref:` to reuse an item",
            )
        if not self.parser.check_event(MappingStartEvent, SequenceStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _RefusedError(
                    self.parser.peek_event().start_mark,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "the model format never needs this; check the indentation",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _SafeScanner(RoundTripScanner):
    """ruamel's scanner, refusing deep flow nesting ([[[[...) as soon as it is read.

    The scanner looks up to 1024 characters ahead for keys at every open bracket, which makes a line of
    brackets take seconds; the composer's depth limit would come too late.
    """

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:  # noqa: N803 - ruamel's name
        if self.flow_level >= MAX_DEPTH:
            raise _RefusedError(
                self.reader.get_mark(),
                f"nesting deeper than {MAX_DEPTH} levels",
                "the model format never needs this; check the brackets",
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


def _compose(text: str) -> Node | None:
    """The file's node tree: from libyaml's events when they come without a fault, else from
    ruamel's own parser, whose errors are the ones reported (its messages and places)."""
    try:
        return _compose_from_libyaml_events(text)
    except Exception:  # any fault: the pure parser finds it again, and says what it is
        pass
    yaml = YAML(typ="rt")
    yaml.Scanner = _SafeScanner
    yaml.Composer = _SafeComposer
    return yaml.compose(text)


class _EventLoader:
    """What ruamel's composer asks of a loader: a parser (here libyaml's, ruamel.yaml.clib) and a
    resolver (ruamel's own, as for the pure parser). Parsing a model in C is seven times faster,
    and the same composer builds the same nodes, marks included (tests/test_loader.py)."""

    def __init__(self, text: str) -> None:
        self._parser = CParser(text)
        self._resolver = VersionedResolver(loader=self)
        self.comment_handling = None


def _compose_from_libyaml_events(text: str) -> Node | None:
    if CParser is None:
        raise RuntimeError("ruamel.yaml.clib is not installed")
    loader = _EventLoader(text)
    try:
        return _SafeComposer(loader).get_single_node()
    finally:
        loader._parser.dispose()


def _reader_problem(path: Path, exc: ReaderError, text: str) -> Problem:
    """A character YAML does not allow (control characters such as NUL)."""
    position = exc.position if isinstance(exc.position, int) else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, int) else 0
    return _problem(
        path,
        line,
        column,
        f"the character U+{character:04X} is not allowed in a YAML file",
        "remove it: source files hold printable text only",
    )


def _read_bytes(path: Path) -> bytes:
    problem = not_regular(path)  # a FIFO or a dangling link: located, never waited on
    if problem:
        raise SourceError([problem])
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(
                [
                    _problem(
                        path,
                        1,
                        1,
                        f"the file is {size / 1048576:.1f} MB; source files are limited to {MAX_BYTES // 1048576} MB",
                        "split the model or check that the right file is in competency_src/",
                    )
                ]
            )
        return read_source_bytes(path)
    except OSError as exc:
        raise SourceError([_problem(path, 1, 1, f"cannot read the file: {exc.strerror}", "")]) from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        guess = "Windows-1252 or Latin-1" if 0x80 <= byte <= 0xFF else "an unknown encoding"
        raise SourceError(
            [
                _problem(
                    path,
                    line,
                    column,
                    f"byte 0x{byte:02X} is not valid UTF-8 (the file looks like {guess})",
                    "re-save the file as UTF-8",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def _syntax_problem(path: Path, exc: MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "another document" in problem:
        return _problem(
            path,
            line,
            column,
            "a second YAML document (---) is not allowed",
            "a source file holds one model; remove the '---' line or move the rest to its own file",
        )
    if "\t" in source_line[: max(column, 1)] or "'\\t'" in problem:
        return _problem(
            path,
            line,
            column,
            "a tab character is used for indentation",
            "YAML indents with spaces only; replace the tab with spaces",
        )
    return _problem(
        path,
        line,
        column,
        f"invalid YAML: {problem}",
        "check the indentation and quoting on this line and the one before",
    )


def _convert(
    node: Node, where: JsonPath, positions: Positions, problems: list[Problem], *, seen: set[int], depth: int
) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    positions.values[where] = (line, column)
    if id(node) in seen:
        problems.append(
            _problem(
                positions.path,
                line,
                column,
                "YAML aliases (*name) are not allowed",
                "write the value out, or use `ref:` to reuse an item",
            )
        )
        return None
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(
            _problem(
                positions.path,
                line,
                column,
                f"nesting deeper than {MAX_DEPTH} levels",
                "the model format never needs this; check the indentation",
            )
        )
        return None
    tag = _tag(node)
    if isinstance(node, MappingNode):
        return _convert_mapping(node, tag, where, positions, problems, seen=seen, depth=depth)
    if isinstance(node, SequenceNode):
        if tag != f"{_CORE}seq":
            problems.append(_tag_problem(positions.path, line, column, tag))
        return [
            _convert(item, (*where, i), positions, problems, seen=seen, depth=depth + 1)
            for i, item in enumerate(node.value)
        ]
    return _scalar(node, tag, positions.path, problems)


def _convert_mapping(
    node: MappingNode,
    tag: str,
    where: JsonPath,
    positions: Positions,
    problems: list[Problem],
    *,
    seen: set[int],
    depth: int,
) -> dict[str, Any]:
    path = positions.path
    if tag != f"{_CORE}map":
        problems.append(_tag_problem(path, node.start_mark.line + 1, node.start_mark.column + 1, tag))
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, ScalarNode) or _tag(key_node) == f"{_CORE}merge":
            problems.append(
                _problem(
                    path,
                    key_line,
                    key_column,
                    "keys must be plain words",
                    "merge keys (<<) and complex keys are not supported",
                )
            )
            continue
        key = str(key_node.value)
        refused = _refused_character(key)
        if refused:
            problems.append(_character_problem(path, key_line, key_column, refused, "key"))
            continue
        if key in result:
            first = positions.keys[(*where, key)]
            problems.append(
                _problem(
                    path,
                    key_line,
                    key_column,
                    f"duplicate key '{key}'",
                    f"it is already set on line {first[0]}; keep one of them",
                )
            )
            continue
        positions.keys[(*where, key)] = (key_line, key_column)
        result[key] = _convert(value_node, (*where, key), positions, problems, seen=seen, depth=depth + 1)
    return result


def _scalar(node: ScalarNode, tag: str, path: Path, problems: list[Problem]) -> Any:
    value = node.value
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.style == ">":
        value = value.replace("\a", "")  # ruamel marks the fold points of folded scalars with BEL
    if tag not in _SCALAR_TAGS:
        problems.append(_tag_problem(path, line, column, tag))
        return value
    refused = _refused_character(value)
    if refused:
        problems.append(_character_problem(path, line, column, refused, "text"))
        return None
    kind = tag.removeprefix(_CORE)
    try:
        if kind == "null":
            return None
        if kind == "bool":
            return value.lower() in ("true", "yes", "on")
        if kind == "int":
            number = _integer(value)
            if abs(number) >= _LARGEST_INTEGER:
                problems.append(_large_number_problem(path, line, column, value))
                return None
            return number
        if kind == "float":
            return float(value)
    except ValueError:
        if kind == "int":  # more digits than Python converts (4300): far too large as well
            problems.append(_large_number_problem(path, line, column, value))
            return None
        return value
    return value


def _integer(value: str) -> int:
    digits = value.replace("_", "")
    if digits.lstrip("+-")[:2].lower() in ("0x", "0o", "0b"):
        return int(digits, 0)
    return int(digits)


def _refused_character(text: str) -> str:
    """The first character of a text that no output may hold, or an empty string."""
    if text.isprintable():
        return ""  # the common case, checked in C: every refused character is non-printable
    for character in text:
        if character in _BIDI_OVERRIDES:
            return character
        if unicodedata.category(character) in _REFUSED_CATEGORIES and character not in _ALLOWED_CONTROLS:
            return character
    return ""


def _character_problem(path: Path, line: int, column: int, character: str, where: str) -> Problem:
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(character, "")
    code = f"U+{ord(character):04X}" + (f" ({name})" if name else "")
    if unicodedata.category(character) == "Cs":
        return _problem(
            path,
            line,
            column,
            f"the {where} holds a lone surrogate ({code}), which is not a character",
            "remove the escape: write the character itself, in UTF-8",
        )
    return _problem(
        path,
        line,
        column,
        f"the character {code} is not allowed in a {where}",
        "write a line break as a new line instead"
        if unicodedata.category(character) in ("Zl", "Zp")
        else "remove it: a text's direction comes from its letters, and this character would show the text "
        "after it in another order"
        if character in _BIDI_OVERRIDES
        else "remove it: texts hold printable characters, tabs and line breaks only",
    )


def _large_number_problem(path: Path, line: int, column: int, value: str) -> Problem:
    shown = value if len(value) <= 24 else f"{value[:20]}... ({len(value)} characters)"
    return _problem(
        path,
        line,
        column,
        f"the number {shown} is too large",
        "no field takes a number: put the value in quotes if it is a text",
    )


def _tag(node: Node) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag))


def _tag_problem(path: Path, line: int, column: int, tag: str) -> Problem:
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag  # as written in the file
    return _problem(
        path,
        line,
        column,
        f"the YAML tag '{shown}' is not allowed",
        "remove the tag: sources hold plain text, lists and mappings only",
    )


def _problem(path: Path, line: int, column: int, message: str, hint: str) -> Problem:
    return Problem(location=Location(path=path, line=line, column=column), message=message, hint=hint)
