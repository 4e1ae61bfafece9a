"""No page grows with the number of its siblings: the sidebar cuts long lists (nav.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from competency.siteconf import TEMPLATES
from competency.theme.nav import SIBLINGS_AROUND

#: More siblings than the sidebar shows, and ten times as many.
SMALL = 2 * SIBLINGS_AROUND + 3
LARGE = 10 * SMALL

CONF = f"""
extensions = ["myst_parser", "competency"]
source_suffix = {{".md": "markdown"}}
competency_source_dir = "competency_src"
nitpicky = True
smartquotes = False
html_theme = "pydata_sphinx_theme"
html_theme_options = {{"navigation_depth": 3, "show_nav_level": 1, "collapse_navigation": False}}
templates_path = [{str(TEMPLATES)!r}]
"""

INDEX = """# Models

```{comp:catalogue}
```
"""


def _model(count: int) -> dict:
    """One competency of `count` indicators, and a section of `count` competencies."""
    return {
        "id": "wide",
        "title": "Wide Model",
        "sections": [
            {
                "id": "technical",
                "kind": "technical",
                "title": "Technical Competencies",
                "competencies": [
                    {
                        "id": "big",
                        "title": "Big Competency",
                        "indicators": [{"id": f"ind-{n:04d}", "text": f"Does task {n:04d}"} for n in range(count)],
                    }
                ],
            },
            {
                "id": "non-technical",
                "kind": "non-technical",
                "title": "Non-Technical Competencies",
                "competencies": [
                    {
                        "id": f"comp-{n:04d}",
                        "title": f"Skill {n:04d}",
                        "indicators": [{"id": f"only-{n:04d}", "text": f"Shows skill {n:04d}"}],
                    }
                    for n in range(count)
                ],
            },
        ],
    }


def _build(make_app: Callable[..., SphinxTestApp], folder: Path, count: int) -> Path:
    (folder / "competency_src").mkdir(parents=True)
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "index.md").write_text(INDEX, encoding="utf-8")
    # JSON is YAML: the model needs no YAML writer.
    (folder / "competency_src" / "wide.yaml").write_text(json.dumps(_model(count), indent=1), encoding="utf-8")
    app = make_app("html", srcdir=folder, freshenv=True)
    app.build()
    assert app.statuscode == 0, app.warning.getvalue()
    return Path(app.outdir)


def _largest(out: Path, pattern: str) -> int:
    return max(p.stat().st_size for p in (out / "wide").glob(pattern))


def _sidebar(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index('class="current nav bd-sidenav"') : text.index("</nav>", text.index("bd-sidenav"))]


def test_page_size_does_not_grow_with_the_siblings(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
    small = _build(make_app, tmp_path / "small", SMALL)
    large = _build(make_app, tmp_path / "large", LARGE)
    # One more sidebar entry is about 200 bytes: 180 more siblings would add tens of kB to every page.
    slack = 1500
    for pattern in ("indicators/ind-*.html", "indicators/only-*.html", "competencies/comp-*.html"):
        assert _largest(large, pattern) <= _largest(small, pattern) + slack, pattern
    # The competency page lists its own indicators (its content grows), but its sidebar is cut too.
    big_small, big_large = small / "wide/competencies/big.html", large / "wide/competencies/big.html"
    assert len(_sidebar(big_large)) <= len(_sidebar(big_small)) + slack
    _check_window(large)


def _check_window(out: Path) -> None:
    """The sidebar shows the siblings around the current page and links the parent for the rest."""
    middle = LARGE // 2
    sidebar = _sidebar(out / f"wide/indicators/ind-{middle:04d}.html")
    others = sorted(int(n) for n in re.findall(r'href="ind-(\d{4})\.html"', sidebar))
    around = [n for n in range(middle - SIBLINGS_AROUND, middle + SIBLINGS_AROUND + 1) if n != middle]
    assert others == around
    assert sidebar.count('<a aria-current="page" class="current reference internal" href="">') == 1  # the page itself
    hidden_before, hidden_after = middle - SIBLINGS_AROUND, LARGE - middle - SIBLINGS_AROUND - 1
    assert f"… {hidden_before:,} more in I.1 Big Competency" in sidebar
    assert f"… {hidden_after:,} more in I.1 Big Competency" in sidebar
    assert sidebar.count('href="../competencies/big.html"') == 3  # the competency and the two "more" links
    # The first indicator: the window starts at the beginning, everything after it is behind one link.
    first = _sidebar(out / "wide/indicators/ind-0000.html")
    assert sorted(int(n) for n in re.findall(r'href="ind-(\d{4})\.html"', first)) == list(
        range(1, 2 * SIBLINGS_AROUND + 1)
    )
    assert f"… {LARGE - 2 * SIBLINGS_AROUND - 1:,} more in I.1 Big Competency" in first
    assert "more in I.1 Big Competency</a></li></ul>" in first and first.count("more in I.1") == 1
    # A section of many competencies is cut the same way, around the current competency.
    skills = _sidebar(out / f"wide/competencies/comp-{middle:04d}.html")
    assert len(re.findall(r'href="comp-\d{4}\.html"', skills)) == 2 * SIBLINGS_AROUND
    assert skills.count("more in II. Non-Technical Competencies") == 2
    assert skills.count('href="../sections/non-technical.html"') == 3
