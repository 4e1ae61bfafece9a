"""Intersphinx: another Sphinx project links to an indicator of this site (manual/intersphinx.md)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html import unescape
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from .helpers import copy_root

BASE = "https://intranet.example/competencies/"


def _links(html: str) -> dict[str, str]:
    """href -> visible text of every external link of a page."""
    return {
        unescape(href): " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())
        for href, text in re.findall(r'<a class="reference external" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def test_client_site_links_to_an_indicator_with_its_code_and_text(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    site_src = tmp_path / "site"
    copy_root("basic", site_src)
    site = make_app("html", srcdir=site_src, freshenv=True)
    site.build()
    site.cleanup()  # one Sphinx application at a time: the client registers its own nodes
    client_src = tmp_path / "client"
    copy_root("intersphinx-client", client_src)  # its own conf.py
    shutil.copy(Path(site.outdir) / "objects.inv", client_src / "objects.inv")

    client = make_app("html", srcdir=client_src, freshenv=True)
    client.build()
    assert client.warning.getvalue().strip() == ""
    links = _links((Path(client.outdir) / "index.html").read_text(encoding="utf-8"))
    assert (
        links[BASE + "meter-reader/indicators/reads-meters-accurately.html"]
        == "I.1.a Reads all meter types accurately, including AMR meters"
    )
    assert links[BASE + "meter-reader/indicators/reports-damaged-meters.html"] == "reading meters"
    assert links[BASE + "meter-reader/competencies/meter-reading.html"] == "I.1 Meter Reading (Basic Expertise)"
    # Without the comp domain, the page itself is still reachable through the std domain.
    assert links[BASE + "meter-reader/indicators/reports-hazards.html"] == "II.1.b Reports hazards to the supervisor"
