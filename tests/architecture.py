"""The package's boundaries, read from its code with `ast` (tests/test_architecture.py runs them).

- `sources/` reads the sources without Sphinx: it imports neither Sphinx nor docutils (nor a Sphinx
  extension or theme), and nothing of the package outside `sources/`, which would bring them in.
- Only `theme/` touches the internals of Sphinx's HTML builder and of pydata-sphinx-theme: it alone imports
  `StandaloneHTMLBuilder` or the theme, reads private attributes (`app._*`, `builder._*`, `env._*`)
  and names the theme's page-context internals or markup.
- Every such use in `theme/` is labelled where it stands: a comment just above it (or on its line) with
  `Internal:` (what and why) and `Public API:` (what would replace it, or that none exists yet).
- Warning subtypes are the members of one enum (`sphinx_ext/warning_types.Subtype`), never text.
- Build state has one gateway, the `comp` domain (`sphinx_ext/domain.py`): no other module reads or
  writes its `data` or sets attributes on it, and no module sets attributes on `app` or `env`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SPHINX_PACKAGES = ("sphinx", "docutils", "myst_parser", "sphinx_design", "pydata_sphinx_theme")
#: Names from Sphinx's HTML builder that only theme/ may import.
HTML_BUILDER_INTERNALS = {("sphinx.builders.html", "StandaloneHTMLBuilder")}
#: Keys of pydata-sphinx-theme's page context and its markup, which only theme/ may name.
THEME_INTERNALS = (
    "generate_header_nav_html",
    "suppress_sidebar_toctree",
    "theme_secondary_sidebar_items",
    "bd-sidenav",
)
#: Sphinx's objects: their private attributes are internals.
SPHINX_OBJECTS = {"app", "builder", "env", "domain", "indexer"}
#: Objects no module sets attributes on, but the one that owns them (None: none does).
OWNED = {"app": None, "env": None, "domain": "sphinx_ext/domain.py"}
#: The builder and its search indexer may be changed in theme/ only, labelled like any internal.
PATCHED = {"builder", "indexer"}
#: The one list of the extension's warning subtypes.
SUBTYPES = "sphinx_ext/warning_types.Subtype"
#: The one module that reads the `data` of the comp domain.
DOMAIN_MODULE = "sphinx_ext/domain.py"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def check(package: Path, builder_methods: frozenset[str] = frozenset()) -> list[Violation]:
    """Every boundary the package at `package` (a folder with __init__.py) crosses.

    `builder_methods`: the methods of Sphinx's HTML builder; a subclass overriding one uses an internal.
    """
    found: list[Violation] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        found += _check_module(package.name, relative, path.read_text(encoding="utf-8"), builder_methods)
    return found


def _check_module(package: str, relative: str, text: str, builder_methods: frozenset[str]) -> list[Violation]:
    module = _Module(package, relative, text, builder_methods)
    for node in ast.walk(module.tree):
        module.visit(node)
    return module.found


class _Module:
    """One module's code, and what it crosses."""

    def __init__(self, package: str, relative: str, text: str, builder_methods: frozenset[str]) -> None:
        self.package, self.relative, self.builder_methods = package, relative, builder_methods
        self.tree = ast.parse(text)
        self.lines = text.splitlines()
        self.starts = _statement_starts(self.tree)
        self.room = relative.split("/")[0] if "/" in relative else ""
        # The package a module's relative imports start from.
        self.here = [package, *relative.removesuffix(".py").split("/")][:-1]
        self.found: list[Violation] = []

    def report(self, node: ast.AST, what: str) -> None:
        self.found.append(Violation(self.relative, getattr(node, "lineno", 0), what))

    def internal(self, node: ast.AST, what: str) -> None:
        if self.room != "theme":
            self.report(node, f"{what} outside theme/")
        elif not _labelled(self.lines, self.starts, node):
            self.report(node, f"{what} without an 'Internal:' and 'Public API:' label")

    def set_on(self, node: ast.AST, target: ast.AST, name: str) -> None:
        owner = _owner(target)
        if owner in OWNED and OWNED[owner] != self.relative:
            self.report(node, f"sets {name} on {owner}")
        elif owner in PATCHED:
            self.internal(node, f"sets {name} on {owner}")

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            self.visit_import(node)
        elif isinstance(node, ast.Attribute):
            self.visit_attribute(node)
        elif isinstance(node, ast.ClassDef):
            self.visit_class(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for key in THEME_INTERNALS:
                if key in node.value:
                    self.internal(node, f"names the theme's {key}")
        elif isinstance(node, ast.Call):
            self.visit_call(node)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Attribute):
                    self.set_on(node, target.value, target.attr)

    def visit_class(self, node: ast.ClassDef) -> None:
        if any(_owner(base) == "StandaloneHTMLBuilder" for base in node.bases):
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and method.name in self.builder_methods:
                    self.internal(method, f"overrides StandaloneHTMLBuilder.{method.name}")

    def visit_import(self, node: ast.Import | ast.ImportFrom) -> None:
        for module, name in _imports(node, self.here):
            top = module.split(".")[0]
            if self.room == "sources" and top in SPHINX_PACKAGES:
                self.report(node, f"sources/ imports {module}")
            if self.room == "sources" and top == self.package and not module.startswith(f"{self.package}.sources"):
                self.report(node, f"sources/ imports {module}, outside sources/")
            if (module, name) in HTML_BUILDER_INTERNALS:
                self.internal(node, f"imports {name}")
            if top == "pydata_sphinx_theme":
                self.internal(node, f"imports {module}")

    def visit_attribute(self, node: ast.Attribute) -> None:
        if _is_private(node.attr) and _owner(node.value) in SPHINX_OBJECTS and isinstance(node.ctx, ast.Load):
            self.internal(node, f"reads {_owner(node.value)}.{node.attr}")
        if node.attr == "data" and _owner(node.value) == "domain" and self.relative != DOMAIN_MODULE:
            self.report(node, f"reads the data of the comp domain outside {DOMAIN_MODULE}")

    def visit_call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg == "subtype" and isinstance(keyword.value, ast.Constant):
                self.report(node, f"warning subtype {keyword.value.value!r} written as text, not a {SUBTYPES}")
        if _call_name(node) not in ("getattr", "setattr") or len(node.args) < 2:
            return
        target, name = node.args[0], node.args[1]
        named = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
        if named and _is_private(named) and _owner(target) in SPHINX_OBJECTS:
            self.internal(node, f"reads {_owner(target)}.{named}")
        elif _call_name(node) == "setattr":
            self.set_on(node, target, named or "an attribute")


def _imports(node: ast.Import | ast.ImportFrom, here: list[str]) -> list[tuple[str, str]]:
    """(module, name) for each name imported; the name is "" for `import module`."""
    if isinstance(node, ast.Import):
        return [(alias.name, "") for alias in node.names]
    if node.level:
        base = here[: len(here) - node.level + 1]
        module = ".".join([*base, *([node.module] if node.module else [])])
    else:
        module = node.module or ""
    pairs = [(module, alias.name) for alias in node.names]
    # `from . import x` may import a module: count it as one.
    return pairs + [(f"{module}.{alias.name}", "") for alias in node.names if node.module is None]


def _owner(node: ast.AST) -> str:
    """The name an attribute is read on: `app` for `app.x`, `self.app.x` and `app.builder` → `builder`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and _call_name(node) == "get_domain":
        return "domain"
    return ""


def _call_name(node: ast.Call) -> str:
    function = node.func
    return (
        function.id if isinstance(function, ast.Name) else function.attr if isinstance(function, ast.Attribute) else ""
    )


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _statement_starts(tree: ast.AST) -> dict[int, int]:
    """The first line of the innermost statement holding each line."""
    starts: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            span = (node.end_lineno or node.lineno) - node.lineno
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                if line not in starts or span < starts[line][1]:
                    starts[line] = (node.lineno, span)
    return {line: start for line, (start, _) in starts.items()}


def _labelled(lines: list[str], starts: dict[int, int], node: ast.AST) -> bool:
    """Whether a comment on the statement, or just above it, says what internal it uses and why."""
    line = getattr(node, "lineno", 1)
    first = starts.get(line, line)
    block = [text for text in lines[first - 1 : line] if "#" in text]
    above = first - 2
    while above >= 0 and lines[above].strip().startswith(("#", "@")):
        block.append(lines[above])
        above -= 1
    text = "\n".join(block)
    return "Internal:" in text and "Public API:" in text
