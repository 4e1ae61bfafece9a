"""Sphinx configuration of the tool's own documentation (make docs), with the staff sites' theme."""

from __future__ import annotations

from pathlib import Path

from competency.siteconf import manual_site

globals().update(manual_site(__file__, name="Competency site tool documentation", title="Competency site tool"))

# The examples of roles link into the repository's reference site, built beside this one by
# `make docs` (_build/generic/html next to _build/docs/html), through its object inventory.
_REFERENCE_SITE = Path(__file__).resolve().parents[1] / "_build" / "generic" / "html"
intersphinx_mapping = {"site": ("../../generic/html/", str(_REFERENCE_SITE / "objects.inv"))}
