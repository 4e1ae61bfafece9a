"""What a build prints: no announcement of a configuration change when nothing was changed.

The theme and extensions complete some settings when the builder starts (the theme's options, the
template and static folders), after Sphinx has saved the configuration it then compares with.
So every rebuild would say "The configuration has changed (4 options: ...)" and myst-parser would
print its whole configuration, although nobody changed conf.py. The settings as conf.py, `-D` and
`-t` give them are recorded when a build finishes; a build that starts with the same settings
leaves those two messages out. A real change still shows them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.config import Config

from .build_record import record, recorded

#: The loggers of the two messages (Sphinx's logging adapters put "sphinx." before a module's name).
LOGGERS = ("sphinx.sphinx.environment", "sphinx.myst_parser.sphinx_ext.main")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


class QuietUnchangedConfiguration(logging.Filter):
    """Drops Sphinx's "The configuration has changed" and myst-parser's dump of its settings."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (message.startswith("The configuration has changed") or "myst v" in message)


def settings_digest(app: Sphinx, config: Config) -> str:
    """The settings before the theme completes them, and the tags."""
    values = sorted((option.name, _stable(option.value)) for option in config)
    return hashlib.sha256(repr([values, sorted(app.tags)]).encode()).hexdigest()


def _stable(value: object) -> str:
    """A text that is the same in every process for the same value (sets sorted, no addresses)."""
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_stable(k)}: {_stable(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    return _ADDRESS.sub("", repr(value))


#: Each build's settings digest, from config-inited to build-finished (kept here, not set on the app).
_DIGESTS: WeakKeyDictionary[Sphinx, str] = WeakKeyDictionary()


def quiet_if_unchanged(app: Sphinx, config: Config) -> None:
    """config-inited (before Sphinx compares the configuration): install the filter if nothing changed."""
    digest = settings_digest(app, config)
    _DIGESTS[app] = digest
    unchanged = recorded(app, "settings") == digest
    if unchanged:
        quiet = QuietUnchangedConfiguration()
        for name in LOGGERS:
            logging.getLogger(name).addFilter(quiet)
        app.connect("build-finished", lambda _app, _exc: _remove(quiet), priority=900)


def _remove(quiet: QuietUnchangedConfiguration) -> None:
    for name in LOGGERS:
        logging.getLogger(name).removeFilter(quiet)  # tests run many builds in one process


def record_settings(app: Sphinx, exception: Exception | None) -> None:
    digest = _DIGESTS.get(app)
    if exception is None and digest is not None:
        record(app, "settings", digest)


def setup_build_log(app: Sphinx) -> None:
    # Late, so the variant's title (state.choose_variant) is in the digest.
    app.connect("config-inited", quiet_if_unchanged, priority=950)
    app.connect("build-finished", record_settings)


def build_settings_digest(app: Sphinx) -> str:
    """The digest of this build's settings (what conf.py and the command line set)."""
    return _DIGESTS.get(app, "")
