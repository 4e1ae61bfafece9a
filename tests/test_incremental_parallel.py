"""The hard properties of the build: incremental rebuilds after a YAML edit, and parallel reads."""

from __future__ import annotations

import filecmp
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docutils import frontend, nodes
from docutils.parsers import rst
from docutils.utils import new_document
from sphinx.testing.util import SphinxTestApp

from competency.exports import downloads
from competency.theme import direct_pages

from .helpers import page_text

OLD = "Reports hazards to the supervisor"
NEW = "Reports hazards to the crew supervisor at once"


def _rebuild(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> tuple[SphinxTestApp, list[str]]:
    """A second sphinx-build run on the same folders, recording which documents it reads."""
    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    app.build()
    return app, read


@pytest.mark.sphinx("html", testroot="two-models", freshenv=True)
def test_editing_one_indicator_updates_every_page_showing_it(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    app.cleanup()  # as if sphinx-build ended: a second app may register the same nodes
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    showing = [
        "indicators/reports-hazards",
        "competencies/safety-awareness",
        "sections/non-technical",
        "sections/superior-performance",
        "responsibilities/reports-problems",
        "profile",
        "appraisal",  # the HR forms list every indicator
        "self-assessment",
        "interview",
        "posting",
    ]
    for page in showing:
        assert OLD in page_text(outdir / f"meter-reader/{page}.html"), page

    model = srcdir / "competency_src" / "meter-reader.yaml"
    time.sleep(0.01)
    model.write_text(model.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    future = time.time() + 2  # make sure the mtime moves even on coarse file systems
    os.utime(model, (future, future))
    second, read = _rebuild(make_app, srcdir)

    for page in showing:
        text = page_text(outdir / f"meter-reader/{page}.html")
        assert NEW in text and OLD not in text, page
    assert not [d for d in read if d.startswith("line-locator/")], "the untouched model was re-read"
    # no page of the model is read again: none has a document (they are written from the model)
    assert [d for d in read if d.startswith("meter-reader/")] == []
    assert not [d for d in second.env.all_docs if d.startswith("meter-reader/")]
    neighbour = (outdir / "meter-reader/indicators/watches-for-dogs-and-traffic.html").read_text(encoding="utf-8")
    assert NEW in neighbour and OLD not in neighbour
    # a hand-written page naming the indicator through a role shows the new wording too
    assert "roles" not in read
    roles = page_text(outdir / "roles.html")
    assert f"II.1.b {NEW}" in roles and OLD not in roles
    assert second.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="two-models", freshenv=True)
def test_a_build_with_nothing_changed_reads_nothing(app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]) -> None:
    app.build()
    app.cleanup()
    generated = Path(app.srcdir, "meter-reader", ".gitignore")
    pages = [
        Path(app.outdir, "meter-reader", *parts)
        for parts in (("index.html",), ("sections", "non-technical.html"), ("indicators", "reports-hazards.html"))
    ]
    before, written = generated.stat().st_mtime_ns, [page.stat().st_mtime_ns for page in pages]
    _second, read = _rebuild(make_app, Path(app.srcdir))
    assert read == []
    assert generated.stat().st_mtime_ns == before  # the generated folder is compared, never rewritten
    assert [page.stat().st_mtime_ns for page in pages] == written  # no page is written again


@pytest.mark.sphinx("html", testroot="two-models", freshenv=True)
def test_a_removed_model_loses_its_pages(app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]) -> None:
    app.build()
    app.cleanup()
    srcdir = Path(app.srcdir)
    (srcdir / "competency_src" / "line-locator.yaml").unlink()
    second, _read = _rebuild(make_app, srcdir)
    assert not (srcdir / "line-locator").exists()
    assert second.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="family", srcdir="parallel-exports", freshenv=True, parallel=2)
def test_the_exports_written_by_workers_are_those_of_a_serial_build(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With -j, each worker writes the exports of its share of the models; this process the library's."""
    writers = tmp_path / "writers"
    writers.mkdir()
    write = downloads.write_model_exports

    def noting(folder: Path, models: Any, **options: Any) -> Any:
        (writers / f"{os.getpid()}-{len(models)}").touch()
        return write(folder, models, **options)

    monkeypatch.setattr(downloads, "write_model_exports", noting)
    app.build()
    app.cleanup()
    by_pid = [path.name.split("-") for path in writers.iterdir()]
    assert len(app.env.get_domain("comp").site.models) == 2  # type: ignore[attr-defined]
    assert [n for pid, n in by_pid if int(pid) == os.getpid()] == ["0"]  # the library's, here
    assert len([pid for pid, n in by_pid if int(pid) != os.getpid() and int(n) > 0]) == 2  # two workers
    monkeypatch.setattr(downloads, "write_model_exports", write)
    serial = make_app("html", srcdir=Path(app.srcdir), builddir=tmp_path / "serial", freshenv=True, parallel=0)
    serial.build()
    exports = sorted(p.name for p in Path(app.outdir, "_exports").iterdir())
    assert exports == sorted(p.name for p in Path(serial.outdir, "_exports").iterdir())
    assert "shared.case.json" in exports and len(exports) == 8  # three a model, the library, the family data
    _match, mismatch, errors = filecmp.cmpfiles(
        Path(app.outdir, "_exports"), Path(serial.outdir, "_exports"), exports, shallow=False
    )
    assert mismatch == [] and errors == []
    assert app.warning.getvalue() == "" and serial.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="two-models", freshenv=True, parallel=2)
def test_parallel_build_gives_the_same_site(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_parallel_build_is_the_serial_one(app, make_app, tmp_path, monkeypatch)


@pytest.mark.sphinx("html", testroot="family", srcdir="parallel-family", freshenv=True, parallel=2)
def test_the_family_pages_written_by_workers_are_the_serial_ones(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _assert_parallel_build_is_the_serial_one(app, make_app, tmp_path, monkeypatch)
    assert "shared/index" in documents and "shared/competencies/communication" in documents


def _assert_parallel_build_is_the_serial_one(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Build with every page and document written by forked workers, then serially; the same files.
    Return the documents the workers wrote."""
    monkeypatch.setattr(direct_pages, "PARALLEL_WRITE_MIN_PAGES", 2)  # workers, however few the pages
    written: list[int] = []
    documents: list[str] = []
    write_in_workers = direct_pages.DirectPageWriter._write_in_workers
    monkeypatch.setattr(
        direct_pages.DirectPageWriter,
        "_write_in_workers",
        lambda writer, pages, docs: (
            written.append(len(pages)) or documents.extend(docs) or write_in_workers(writer, pages, docs)
        ),
    )
    app.build()
    app.cleanup()
    assert written and written[0] > 3  # the pages without a document were written by workers
    assert "index" in documents  # and the documents, in the same workers
    serial = make_app("html", srcdir=Path(app.srcdir), builddir=tmp_path / "serial", freshenv=True, parallel=0)
    serial.build()
    parallel_out, serial_out = Path(app.outdir), Path(serial.outdir)
    pages = sorted(p.relative_to(parallel_out) for p in parallel_out.rglob("*.html"))
    assert pages == sorted(p.relative_to(serial_out) for p in serial_out.rglob("*.html"))
    assert len(pages) > 20
    _match, mismatch, errors = filecmp.cmpfiles(
        parallel_out, serial_out, [*map(str, pages), "objects.inv", "searchindex.js"], shallow=False
    )
    assert mismatch == [] and errors == []
    assert app.warning.getvalue() == "" and serial.warning.getvalue() == ""
    return documents


@pytest.mark.sphinx("html", testroot="withdrawn", freshenv=True)
def test_a_deleted_stub_is_written_again(app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]) -> None:
    app.build()
    app.cleanup()
    # The pages of withdrawn items and of former ids are documents, read from stubs.
    stub = Path(app.srcdir, "plant-operator", "indicators", "logs-readings-on-paper.comp")
    stub.unlink()
    second, _read = _rebuild(make_app, Path(app.srcdir))
    assert stub.is_file()
    assert second.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="two-models", freshenv=True)
def test_a_deleted_page_without_a_document_is_written_again(
    app: SphinxTestApp, make_app: Callable[..., SphinxTestApp]
) -> None:
    app.build()
    app.cleanup()
    page = Path(app.outdir, "meter-reader", "indicators", "reports-hazards.html")
    expected = page.read_bytes()
    other = Path(app.outdir, "meter-reader", "indicators", "reads-meters-accurately.html")
    written = other.stat().st_mtime_ns
    page.unlink()
    second, read = _rebuild(make_app, Path(app.srcdir))
    assert read == [] and page.read_bytes() == expected
    assert other.stat().st_mtime_ns == written  # only the missing page is written
    assert second.warning.getvalue() == ""


def test_a_lent_title_does_not_keep_its_page_alive() -> None:
    """The titles lent to the environment stay until every page is written: a copy that kept its
    document (as docutils' copies do) would keep every page written in memory to the end."""
    document = new_document("page", frontend.get_default_settings(rst.Parser))
    section = nodes.section()
    section += nodes.title("", "", nodes.Text("I.1.a "), nodes.emphasis("", "Reads meters"))
    document += section
    title = section.next_node(nodes.title)
    for node in title.findall(nodes.Text):
        node.document = document  # as a page's text nodes are once the page is resolved
    # docutils' own copy of the title keeps the page's document, through its text
    assert document in [node.document for node in title.deepcopy().findall()]
    lent = direct_pages._detached_copy(title)
    assert lent.astext() == title.astext() and lent is not title
    assert [node.document for node in lent.findall()] == [None] * 4
    assert title.document is document  # the page's own title is untouched
