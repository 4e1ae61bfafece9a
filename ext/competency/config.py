"""The extension's configuration values, declared once with defaults and help."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyConfig:
    """Settings read from conf.py (each prefixed with ``competency_``)."""

    #: Folder of the model YAML files, relative to the folder of conf.py.
    source_dir: str = "competency_src"
    #: Utility variant to build ("" for the generic site); conf.py sets it from the -t tag.
    utility: str = ""
    #: Absolute URL the site is published at; when set, permanent links are shown in full.
    base_url: str = ""
    #: Address of the generic site, for links from a utility's pages to the generic wording
    #: ("" = the sibling folder that `make variants` writes: _build/generic/html/).
    generic_url: str = ""
    #: Git revision (a tag such as v1.0) that the {comp:changes} page compares the sources with.
    changes_since: str = ""
    #: Set by `make html` when it builds an earlier edition (edition_build.py): the edition's name.
    edition: str = ""
    #: The edition's date (YYYY-MM-DD), shown in its banner.
    edition_date: str = ""
    #: "current" for the latest edition, "superseded" for the others.
    edition_status: str = ""
    #: The edition's note, shown on its changes page.
    edition_note: str = ""
    #: The source folder of the edition before it, for its changes page ("" for the first edition).
    edition_previous: str = ""


HELP = {
    "source_dir": "folder of the model YAML files, relative to conf.py",
    "utility": "utility variant to build, empty for the generic site",
    "base_url": "absolute URL of the published site, shown in permanent links",
    "generic_url": "address of the generic site, linked from a utility's changed and unused items",
    "changes_since": "git revision the {comp:changes} page compares with (empty: no changes page)",
    "edition": "name of the edition this build shows (set by make html for the editions; empty: the current site)",
    "edition_date": "date of the edition this build shows",
    "edition_status": "'current' (the latest edition) or 'superseded'",
    "edition_note": "note of the edition this build shows",
    "edition_previous": "source folder of the edition before the one this build shows, for its changes page",
}


def setup_config(app: Sphinx) -> None:
    for item in fields(CompetencyConfig):
        # Every value changes what pages show, so a change re-reads every page.
        app.add_config_value(f"competency_{item.name}", item.default, "env", types=[str], description=HELP[item.name])
    app.connect("config-inited", _check_config)


def competency_config(config: Config) -> CompetencyConfig:
    """The one way the extension reads its settings."""
    values: dict[str, Any] = {
        item.name: getattr(config, f"competency_{item.name}") for item in fields(CompetencyConfig)
    }
    return CompetencyConfig(**values)


def _check_config(app: Sphinx, config: Config) -> None:
    settings = competency_config(config)
    for name in ("base_url", "generic_url"):  # changes_since is any git revision
        value = getattr(settings, name)
        if value and not value.startswith(("http://", "https://", "/")) and not value.endswith("/"):
            raise ConfigError(f"competency_{name} must be an http(s) address or a path ending in '/', not {value!r}")
    if settings.edition_status not in ("", "current", "superseded"):
        status = settings.edition_status
        raise ConfigError(f"competency_edition_status must be 'current' or 'superseded', not {status!r}")
