"""The extension's configuration values, declared once with defaults and help."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from ..sources.site import overlay_files

#: The key of the generic site in `competency_site_urls` (the others are utilities' tags).
GENERIC = "generic"


class SiteLinks(NamedTuple):
    """The addresses pages link with: this site's own, and every site's whose address is configured."""

    #: This site's public address ("" = unknown: permanent links are shown relative to the site).
    base_url: str
    #: (site, address ending in "/") for every configured site: "generic" and utilities' tags.
    sites: tuple[tuple[str, str], ...]


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
    #: Empty: this site's entry in `site_urls`, if any.
    base_url: str = _setting(
        "", "absolute URL of the published site, shown in permanent links (default: its site_urls entry)"
    )
    #: Public address of each site, by site: "generic" and each utility's tag. Links between sites
    #: (a utility's page to the generic wording, the generic site to the utilities' sites) are written
    #: only to the sites listed here; without an address a page names the other site's page as text.
    site_urls: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "help": 'public address of each site, {"generic": ..., "<utility>": ...}; links between sites use it'
        },
    )
    #: Git revision (a tag such as v1.0) that the {comp:changes} page compares the sources with.
    changes_since: str = _setting("", "git revision the {comp:changes} page compares with (empty: no changes page)")
    #: Who keeps the site, named on its About page ({comp:site-contact}).
    site_maintainer: str = _setting("", "who maintains the site, named on the About page")
    #: Where staff report a mistake: an e-mail address or a web address (a form, an issue tracker).
    site_contact: str = _setting("", "e-mail or web address where staff report a mistake (About page)")
    #: Set by `make html` when it builds an earlier edition (edition_build.py): the edition's name.
    edition: str = _setting(
        "", "name of the edition this build shows (set by make html for the editions; empty: the current site)"
    )
    #: The edition's date (YYYY-MM-DD), shown in its banner.
    edition_date: str = _setting("", "date of the edition this build shows")
    #: "current" for the latest edition, "superseded" for the others.
    edition_status: str = _setting("", "'current' (the latest edition) or 'superseded'")
    #: The edition's git commit, named by its exports.
    edition_revision: str = _setting("", "git commit of the edition this build shows (named by its exports)")
    #: The edition's note, shown on its changes page.
    edition_note: str = _setting("", "note of the edition this build shows")
    #: The source folder of the edition before it, for its changes page ("" for the first edition).
    edition_previous: str = _setting(
        "", "source folder of the edition before the one this build shows, for its changes page"
    )
    #: Set by the build from its -t tags (state.choose_variant): what `only:` expressions are matched with.
    active_tags: list[str] = field(
        default_factory=list,
        metadata={"help": "tags of this build, which only: expressions are matched with (set from -t, not in conf.py)"},
    )

    def site_links(self) -> SiteLinks:
        """This site's address (`base_url`, else its entry in `site_urls`) and every configured site's."""
        sites = {name: url.rstrip("/") + "/" for name, url in sorted(self.site_urls.items()) if url}
        own = self.base_url or sites.get(self.utility or GENERIC, "")
        return SiteLinks(base_url=own, sites=tuple(sites.items()))


def default_of(item: Any) -> Any:
    """A setting's default (a fresh one for mutable defaults)."""
    return item.default_factory() if item.default is MISSING else item.default


def setup_config(app: Sphinx) -> None:
    for item in fields(CompetencyConfig):
        default = default_of(item)
        # Every value changes what pages show, so a change re-reads every page.
        app.add_config_value(
            f"competency_{item.name}", default, "env", types=[type(default)], description=item.metadata["help"]
        )
    # After the utility is chosen from the -t tag (state.choose_variant): its own address is checked.
    app.connect("config-inited", _check_config, priority=600)


def competency_config(config: Config) -> CompetencyConfig:
    """The one way the extension reads its settings."""
    values: dict[str, Any] = {
        item.name: getattr(config, f"competency_{item.name}") for item in fields(CompetencyConfig)
    }
    return CompetencyConfig(**values)


def _check_config(app: Sphinx, config: Config) -> None:
    settings = competency_config(config)
    addresses = {"competency_base_url": settings.base_url}
    addresses |= {f"competency_site_urls[{name!r}]": url for name, url in settings.site_urls.items()}
    for name, value in addresses.items():
        if not isinstance(value, str) or (value and not value.startswith(("http://", "https://", "/"))):
            raise ConfigError(f"{name} must be an http(s) address or a path starting with '/', not {value!r}")
    known = {GENERIC, *(path.stem for path in overlay_files(Path(app.confdir, settings.source_dir)))}
    unknown = sorted(set(settings.site_urls) - known)
    if unknown:
        raise ConfigError(
            f"competency_site_urls names no site {', '.join(map(repr, unknown))}; "
            f"its keys are 'generic' and utilities' tags: {', '.join(sorted(known))}"
        )
    own = settings.site_urls.get(settings.utility or GENERIC, "")
    if settings.base_url and own and settings.base_url.rstrip("/") != own.rstrip("/"):
        raise ConfigError(
            f"competency_base_url {settings.base_url!r} and this site's entry in competency_site_urls "
            f"{own!r} differ; set one of them"
        )
    if settings.edition_status not in ("", "current", "superseded"):
        status = settings.edition_status
        raise ConfigError(f"competency_edition_status must be 'current' or 'superseded', not {status!r}")
