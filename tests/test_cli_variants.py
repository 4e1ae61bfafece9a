"""`competency variant-check`: what the Makefile runs before building a utility's site."""

from __future__ import annotations

import pytest

from competency.cli import main

from .conftest import REPO

SOURCE = str(REPO / "tests" / "roots" / "test-variants" / "competency_src")


def test_an_unknown_utility_is_an_error_listing_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variant-check", "smalltown", "--src", SOURCE]) == 2
    err = capsys.readouterr().err
    assert "unknown utility 'smalltown'" in err
    assert "Known utilities: big_city, small_town" in err


def test_known_utilities_and_the_generic_site_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variant-check", "small_town", "--src", SOURCE]) == 0
    assert main(["variant-check", "", "--src", SOURCE]) == 0
    assert main(["variant-check", "--list", "--src", SOURCE]) == 0
    assert capsys.readouterr().out.split() == ["big_city", "small_town"]
