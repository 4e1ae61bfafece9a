"""Shared fixtures: Sphinx's own testing fixtures, with the tiny test roots in tests/roots/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return REPO / "tests" / "roots"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
