"""Renamed items: the former id's URL redirects, and the former id still resolves."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from competency.sources.loader import load_model
from competency.sources.problems import SourceError

from .conftest import REPO
from .helpers import copy_root

ROOT = REPO / "tests" / "roots" / "test-basic"
OLD, NEW = "reports-hazards", "reports-hazards-to-supervisor"


def _rename(model: Path) -> None:
    text = model.read_text(encoding="utf-8")
    text = text.replace(f"id: {OLD}\n", f"id: {NEW}\n            aliases: [{OLD}]\n")
    text = text.replace(f"ref: {OLD}", f"ref: {NEW}").replace(f", {OLD}]", f", {NEW}]")
    model.write_text(text, encoding="utf-8")


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    target = tmp_path / "src"
    copy_root("basic", target)  # follows the symlink: the model becomes a file of its own
    return target


def test_a_renamed_item_keeps_its_old_url_and_id(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    first = make_app("html", srcdir=srcdir, freshenv=True)
    first.build()
    old_page = Path(first.outdir, "meter-reader", "indicators", f"{OLD}.html")
    assert old_page.is_file()
    first.cleanup()

    _rename(srcdir / "competency_src" / "meter-reader.yaml")
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\nOld name: {{comp:indicator}}`{OLD}`.\n", "utf-8")
    second = make_app("html", srcdir=srcdir)
    second.build()
    assert second.warning.getvalue() == ""
    out = Path(second.outdir)

    redirect = old_page.read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url={NEW}.html">' in redirect
    assert f'<link rel="canonical" href="{NEW}.html">' in redirect
    assert f'href="{NEW}.html"' in redirect  # a plain link too, for browsers that ignore the refresh
    assert "II.1.b Reports hazards to the supervisor" in (
        out / "meter-reader" / "indicators" / f"{NEW}.html"
    ).read_text(encoding="utf-8")
    # the old id still resolves in roles ...
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(
        rf'href="meter-reader/indicators/{NEW}.html"[^>]*><span class="comp-ref comp-ref-indicator">'
        r"II.1.b Reports hazards",
        home,
    )
    # ... and in objects.inv, for other sites linking through intersphinx
    with (out / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)["comp:indicator"]
    assert data[f"meter-reader/{OLD}"].uri == data[f"meter-reader/{NEW}"].uri == f"meter-reader/indicators/{NEW}.html"
    # the redirect page is not a search result
    assert f"meter-reader/indicators/{OLD}" not in _search_docs(out, "supervisor")


def _search_docs(out: Path, word: str) -> list[str]:
    import json

    raw = (out / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    hits: list[int] = []
    for table in ("terms", "titleterms"):
        found = index[table].get(word, [])
        hits += found if isinstance(found, list) else [found]
    return [index["docnames"][n] for n in hits]


def test_an_alias_cannot_be_a_live_id(tmp_path: Path) -> None:
    model = tmp_path / "meter-reader.yaml"
    shutil.copy(ROOT / "competency_src" / "meter-reader.yaml", model)
    text = model.read_text(encoding="utf-8").replace(
        "id: driving\n", "id: driving\n            aliases: [initiative]\n"
    )
    model.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_model(model)
    assert any("the id 'initiative' is already used on line" in p.message for p in caught.value.problems)


def test_a_reference_by_former_id_says_which_id_to_use(tmp_path: Path) -> None:
    model = tmp_path / "meter-reader.yaml"
    shutil.copy(ROOT / "competency_src" / "meter-reader.yaml", model)
    _rename(model)
    model.write_text(model.read_text(encoding="utf-8").replace(f"ref: {NEW}", f"ref: {OLD}"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_model(model)
    (problem,) = caught.value.problems
    assert problem.message == f"'{OLD}' is a former id (alias) of '{NEW}'"
    assert problem.hint == f"write `{NEW}` instead"


def _renamed(make_app: Callable[..., SphinxTestApp], srcdir: Path, former: str) -> SphinxTestApp:
    """The site built with the meter reader model's former ids `former` (YAML list items)."""
    model = srcdir / "competency_src" / "meter-reader.yaml"
    text = model.read_text(encoding="utf-8").replace(
        "id: meter-reader\n", f"id: meter-reader\naliases: [{former}]\n", 1
    )
    model.write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    return app


def test_a_renamed_model_keeps_every_old_url(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    app = _renamed(make_app, srcdir, "meter-man")
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    old = (out / "meter-man" / "indicators" / "reports-hazards.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../meter-reader/indicators/reports-hazards.html"' in old
    assert (out / "meter-man" / "index.html").is_file() and (out / "meter-man" / "matrix.html").is_file()
    with (out / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)
    assert data["comp:indicator"]["meter-man/reports-hazards"].uri == "meter-reader/indicators/reports-hazards.html"
    assert data["comp:model"]["meter-man"].uri == "meter-reader/index.html"


def test_a_model_renamed_twice_keeps_the_old_urls_of_both(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> None:
    """Each former id's folder redirects to the current pages; the second's is not made from the first's
    (`mr`'s stubs were once made from `meter-man`'s as well, cut at the wrong length: `mrctions/...`,
    a second page of each item, which stopped the build)."""
    app = _renamed(make_app, srcdir, "meter-man, mr")
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    for old_id in ("meter-man", "mr"):
        old = (out / old_id / "indicators" / "reports-hazards.html").read_text(encoding="utf-8")
        assert 'content="0; url=../../meter-reader/indicators/reports-hazards.html"' in old
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("m")) == ["meter-man", "meter-reader", "mr"]
    assert {p.relative_to(out / "mr").as_posix() for p in (out / "mr").rglob("*.html")} == {
        p.relative_to(out / "meter-man").as_posix() for p in (out / "meter-man").rglob("*.html")
    }
