"""The parse cache: unchanged model files are not parsed again; an edited one always is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from competency.sources import source_cache
from competency.sources.loader import load_model_document
from competency.sources.problems import SourceError
from competency.sources.source_cache import load_site_cached

from .conftest import REPO


def test_only_edited_files_are_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-variants" / "competency_src", source)
    cache = tmp_path / "cache" / "sources.pickle"
    parsed: list[str] = []
    monkeypatch.setattr(
        source_cache, "load_model_document", lambda path: parsed.append(path.name) or load_model_document(path)
    )
    first = load_site_cached(source, cache)
    assert sorted(parsed) == ["line-locator.yaml", "meter-reader.yaml"] and cache.is_file()

    parsed.clear()
    second = load_site_cached(source, cache)
    assert parsed == [] and second.written.keys() == first.written.keys()
    assert second.overlays.keys() == {"big_city", "small_town"}  # overlays are checked afresh

    model = source / "line-locator.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("Marks buried lines before digging", "Marks buried lines the day before"), "utf-8")
    later = model.stat().st_mtime_ns + 5_000_000_000
    os.utime(model, ns=(later, later))
    third = load_site_cached(source, cache)
    assert parsed == ["line-locator.yaml"]
    assert third.written["line-locator"].indicators["marks-lines"].text == "Marks buried lines the day before"


def test_a_broken_cache_file_is_ignored(tmp_path: Path) -> None:
    source = REPO / "tests" / "roots" / "test-variants" / "competency_src"
    cache = tmp_path / "sources.pickle"
    cache.write_bytes(b"not a pickle")
    site = load_site_cached(source, cache)
    assert "meter-reader" in site.written


def test_the_family_library_is_parsed_again_only_when_edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-family" / "competency_src", source)
    cache = tmp_path / "sources.pickle"
    parsed: list[str] = []
    read = source_cache.read_yaml
    monkeypatch.setattr(source_cache, "read_yaml", lambda path: parsed.append(path.name) or read(path))
    first = load_site_cached(source, cache)
    assert parsed == ["library.yaml"] and first.library is not None

    parsed.clear()
    second = load_site_cached(source, cache)
    assert parsed == [] and second.library is not None
    assert second.library.competencies.keys() == first.library.competencies.keys()

    library = source / "shared" / "library.yaml"
    words = first.library.competencies["communication"].description
    library.write_text(library.read_text(encoding="utf-8").replace(words, "Listening and explaining."), "utf-8")
    later = library.stat().st_mtime_ns + 5_000_000_000
    os.utime(library, ns=(later, later))
    third = load_site_cached(source, cache)
    assert parsed == ["library.yaml"]
    assert third.library.competencies["communication"].description == "Listening and explaining."


def test_files_to_parse_are_parsed_in_as_many_processes_as_the_build_may_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-variants" / "competency_src", source)
    parsers = tmp_path / "parsers.txt"

    def parse(path: Path) -> object:
        with parsers.open("a", encoding="utf-8") as stream:
            stream.write(f"{path.name} {os.getpid()}\n")
        return load_model_document(path)

    monkeypatch.setattr(source_cache, "load_model_document", parse)
    parallel = load_site_cached(source, tmp_path / "parallel.pickle", jobs=2)
    lines = sorted(parsers.read_text(encoding="utf-8").split("\n")[:-1])
    assert [line.split()[0] for line in lines] == ["line-locator.yaml", "meter-reader.yaml"]  # each once
    assert str(os.getpid()) not in {line.split()[1] for line in lines}  # by the workers
    parsers.unlink()
    again = load_site_cached(source, tmp_path / "parallel.pickle", jobs=2)
    assert not parsers.exists() and again.written == parallel.written  # kept in the cache
    serial = load_site_cached(source, tmp_path / "serial.pickle")
    assert parallel.written == serial.written and parallel.documents.keys() == serial.documents.keys()


def test_a_file_that_does_not_parse_is_reported_as_without_workers(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-variants" / "competency_src", source)
    model = source / "line-locator.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("title: Line Locator", "title: [Line"), "utf-8")
    messages = []
    for jobs, cache in ((2, "parallel.pickle"), (1, "serial.pickle")):
        with pytest.raises(SourceError) as raised:
            load_site_cached(source, tmp_path / cache, jobs=jobs)
        messages.append([str(problem) for problem in raised.value.problems])
    assert messages[0] == messages[1] and "line-locator.yaml" in messages[0][0]


def test_only_the_entry_of_an_edited_file_is_pickled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO / "tests" / "roots" / "test-variants" / "competency_src", source)
    cache = tmp_path / "sources.pickle"
    pickled: list[str] = []
    pickle_entry = source_cache._pickled
    monkeypatch.setattr(
        source_cache, "_pickled", lambda entry: pickled.append(entry[2].path.name) or pickle_entry(entry)
    )
    first = load_site_cached(source, cache)
    assert sorted(pickled) == ["line-locator.yaml", "meter-reader.yaml"]

    pickled.clear()
    written = cache.stat().st_mtime_ns
    load_site_cached(source, cache)
    assert pickled == [] and cache.stat().st_mtime_ns == written  # nothing parsed: the cache is left as it is

    model = source / "line-locator.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("Marks buried lines before digging", "Marks lines"), "utf-8")
    later = model.stat().st_mtime_ns + 5_000_000_000
    os.utime(model, ns=(later, later))
    load_site_cached(source, cache)
    assert pickled == ["line-locator.yaml"]  # the other entry's bytes are written as they were read
    pickled.clear()
    again = load_site_cached(source, cache)
    assert pickled == [] and again.written["line-locator"].indicators["marks-lines"].text == "Marks lines"
    assert again.written["meter-reader"] == first.written["meter-reader"]
