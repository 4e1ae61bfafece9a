"""Links in model text (links.py): only the site's pages, comp items and http(s) addresses, each checked.

A link that leads nowhere, or out of the site, is a located error for `competency check` and for the
build alike; an allowed link becomes a working link on every page that shows the text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from competency.sources.links import Link, parse_target

from .conftest import REPO
from .helpers import copy_root

SHOWN = "Reports hazards to the supervisor"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://example.org/page", Link(kind="web")),
        ("http://intranet/x?y=1#z", Link(kind="web")),
        (
            "comp:indicator:meter-reader/reports-hazards",
            Link(kind="item", role="indicator", name="meter-reader/reports-hazards"),
        ),
        ("comp:model:meter-reader", Link(kind="item", role="model", name="meter-reader")),
        ("/guide-import", Link(kind="page", name="guide-import")),
        ("/guides/first.html", Link(kind="page", name="guides/first")),
        ("/index.md", Link(kind="page", name="index")),
    ],
)
def test_allowed_targets(href: str, expected: Link) -> None:
    assert parse_target(href) == expected


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("genindex.html", "the relative link 'genindex.html' leads to a different place"),
        ("../../../etc/passwd", "the relative link '../../../etc/passwd'"),
        ("#nope", "the anchor '#nope' is not checked"),
        ("/index#top", "'/index#top' is not a page of the site"),
        ("/../outside", "'/../outside' is not a page of the site"),
        ("//evil.example/x", "the relative link '//evil.example/x'"),
        ("https://", "an http(s) address needs a host name"),
        ("mailto:hr@example.org", "links with 'mailto:' are not allowed"),
        ("comp:indicator:reports-hazards", "is not a link to an item"),
        ("comp:model:meter-reader/x", "is not a link to an item"),
        ("comp:widget:meter-reader/x", "is not a link to an item"),
    ],
)
def test_refused_targets(href: str, reason: str) -> None:
    message = parse_target(href)
    assert isinstance(message, str) and reason in message, message


def _site(tmp_path: Path, link: str) -> tuple[Path, int]:
    """A copy of the basic root whose indicator text links `link`; and the line of that text."""
    site = tmp_path / "site"
    copy_root("basic", site)  # the example model's link is followed: a copy is edited
    model = site / "competency_src" / "meter-reader.yaml"
    text = model.read_text(encoding="utf-8")
    assert text.count(SHOWN) == 1
    model.write_text(text.replace(SHOWN, f"Reports hazards to [the supervisor]({link})"), encoding="utf-8")
    line = text[: text.index(SHOWN)].count("\n") + 1
    (site / "guide.md").write_text("---\norphan: true\n---\n# A guide\n\nHow to read meters.\n", encoding="utf-8")
    return site, line


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO / "ext")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _check(site: Path) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "competency.cli", "check", "competency_src", "--docs", ".", cwd=site)


def _build(site: Path) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-n", ".", "_build/html", cwd=site)


BROKEN = [
    ("genindex.html", "not allowed: the relative link 'genindex.html'"),
    ("#nope", "not allowed: the anchor '#nope' is not checked"),
    ("../../../../etc/passwd", "not allowed: the relative link '../../../../etc/passwd'"),
    ("/no-such-page", "broken link to '/no-such-page': there is no page 'no-such-page' in the site"),
    ("comp:indicator:meter-reader/no-such-item", "the model 'meter-reader' has no item 'no-such-item'"),
    ("comp:competency:meter-reader/reports-hazards", "'reports-hazards' is an indicator, not a competency"),
    ("comp:indicator:no-such-model/reports-hazards", "there is no model 'no-such-model'"),
    ("mailto:hr@example.org", "not allowed: links with 'mailto:' are not allowed"),
]


@pytest.mark.parametrize(("link", "message"), BROKEN, ids=[link for link, _ in BROKEN])
def test_a_bad_link_is_a_located_error_for_check_and_build(tmp_path: Path, link: str, message: str) -> None:
    site, line = _site(tmp_path, link)
    checked = _check(site)
    assert checked.returncode == 1, checked.stderr
    assert f"competency_src/meter-reader.yaml:{line}:" in checked.stderr and message in checked.stderr, checked.stderr
    built = _build(site)
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr
    assert f"competency_src/meter-reader.yaml:{line}:" in built.stderr and message in built.stderr, built.stderr
    assert not (site / "_build" / "html" / "meter-reader").exists()


@pytest.mark.parametrize(
    ("link", "href"),
    [
        ("/guide", "../../guide.html"),
        ("/guide.md", "../../guide.html"),
        ("comp:indicator:meter-reader/reads-meters-accurately", "reads-meters-accurately.html"),
        ("comp:model:meter-reader", "../index.html"),
        ("https://example.org/safety", "https://example.org/safety"),
    ],
)
def test_an_allowed_link_works_and_is_never_inside_another(tmp_path: Path, link: str, href: str) -> None:
    site, _ = _site(tmp_path, link)
    assert _check(site).returncode == 0
    built = _build(site)
    assert built.returncode == 0, built.stderr
    out = site / "_build" / "html" / "meter-reader"
    page = out / "indicators" / "reports-hazards.html"
    assert f'href="{href}"' in page.read_text(encoding="utf-8")
    assert href.startswith("https://") or (page.parent / href).resolve().is_file()
    # Where the text is itself the link to the indicator, its own link is only text (no <a> in an <a>).
    listing = (out / "competencies" / "safety-awareness.html").read_text(encoding="utf-8")
    linked_text = re.search(r'href="\.\./indicators/reports-hazards\.html"[^>]*>(.*?)</a>', listing)
    assert linked_text and linked_text[1].endswith("Reports hazards to <span>the supervisor</span></span>")
