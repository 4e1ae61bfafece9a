"""Shared fixtures: Sphinx's own testing fixtures, with the tiny test roots in tests/roots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .helpers import ROOTS, write_root_conf

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def app_params(app_params: Any, rootdir: Path) -> Any:
    """Sphinx's own `app_params`, whose copy of the test root gets the roots' shared conf.py."""
    srcdir = Path(app_params.kwargs["srcdir"])
    # Sphinx 9 always builds a copy in its temporary folder; never write into tests/roots itself.
    assert not srcdir.resolve().is_relative_to(rootdir.resolve()), f"Sphinx builds {srcdir} in place"
    write_root_conf(srcdir)
    return app_params


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
