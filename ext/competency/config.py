"""The extension's configuration values, declared once with defaults and help."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError


def _setting(default: str, help_text: str) -> Any:
    """A setting's default and its help (shown by Sphinx and in the tool's settings reference)."""
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyConfig:
    """Settings read from conf.py (each prefixed with ``competency_``)."""

    #: Folder of the model YAML files, relative to the folder of conf.py.
    source_dir: str = _setting("competency_src", "folder of the model YAML files, relative to conf.py")
    #: Utility variant to build ("" for the generic site); conf.py sets it from the -t tag.
    utility: str = _setting("", "utility variant to build, empty for the generic site")
    #: Absolute URL the site is published at; when set, permanent links are shown in full.
    base_url: str = _setting("", "absolute URL of the published site, shown in permanent links")
    #: Address of the generic site, for links from a utility's pages to the generic wording
    #: ("" = the sibling folder that `make variants` writes: _build/generic/html/).
    generic_url: str = _setting("", "address of the generic site, linked from a utility's changed and unused items")
    #: Git revision (a tag such as v1.0) that the {comp:changes} page compares the sources with.
    changes_since: str = _setting("", "git revision the {comp:changes} page compares with (empty: no changes page)")
    #: Who keeps the site, named on its About page ({comp:site-contact}).
    site_maintainer: str = _setting("", "who maintains the site, named on the About page")
    #: Where staff report a mistake: an e-mail address or a web address (a form, an issue tracker).
    site_contact: str = _setting("", "e-mail or web address where staff report a mistake (About page)")


def setup_config(app: Sphinx) -> None:
    for item in fields(CompetencyConfig):
        # Every value changes what pages show, so a change re-reads every page.
        app.add_config_value(
            f"competency_{item.name}", item.default, "env", types=[str], description=item.metadata["help"]
        )
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
