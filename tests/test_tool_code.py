"""A build made with other code of the tool starts afresh (sphinx_ext/tool_code.py): after an upgrade
or an edit of the tool, every page is as a clean build writes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from competency.pages import parts
from competency.sphinx_ext import tool_code

from .helpers import page_text

PAGE = "meter-reader/indicators/reports-hazards.html"


def test_the_digest_covers_every_file_of_the_package_but_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    (package / "theme" / "static").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "module.py").write_text("x = 1\n", encoding="utf-8")
    (package / "theme" / "static" / "script.js").write_text("a();\n", encoding="utf-8")
    monkeypatch.setattr(tool_code, "PACKAGE", package)

    def digest() -> str:
        tool_code.code_digest.cache_clear()
        return tool_code.code_digest()

    first = digest()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"compiled")
    assert digest() == first
    (package / "theme" / "static" / "script.js").write_text("b();\n", encoding="utf-8")
    assert digest() != first
    tool_code.code_digest.cache_clear()


@pytest.mark.sphinx("html", testroot="two-models", srcdir="tool-code", freshenv=True)
def test_a_build_with_other_code_writes_every_page_again(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app.build()
    app.cleanup()
    assert "Non-technical" in page_text(Path(app.outdir) / PAGE)
    # the tool as if upgraded: a page part it writes differently, and so another digest of its code
    monkeypatch.setitem(parts.KIND_LABELS, "non-technical", "Non-technical skill")
    unchanged = make_app("html", srcdir=Path(app.srcdir))
    unchanged.build()
    unchanged.cleanup()
    assert "Non-technical skill" not in page_text(Path(app.outdir) / PAGE)  # what a build kept without the key
    monkeypatch.setattr(tool_code, "code_digest", lambda: "other code")
    read: list[str] = []
    upgraded = make_app("html", srcdir=Path(app.srcdir))
    upgraded.connect("source-read", lambda _app, docname, _source: read.append(docname))
    upgraded.build()
    assert "Non-technical skill" in page_text(Path(app.outdir) / PAGE)
    assert "index" in read  # the documents are read again too
    assert upgraded.warning.getvalue() == ""
