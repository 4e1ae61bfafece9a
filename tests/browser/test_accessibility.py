"""axe-core finds no WCAG 2.1 A/AA violation on the main pages of every site, in light and dark mode."""

from __future__ import annotations

import pytest

from .conftest import PAGES, site_pages, wait_for_search

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
    # axe would fetch every stylesheet again to read @import rules, resolving theme.css's
    # `@import "../basic.css"` against the page instead of the stylesheet (a 404 of axe's own).
    "preload": False,
}
AXE_PAGES = [
    "home",
    "model",
    "section",
    "competency",
    "indicator",
    "responsibility",
    "matrix",
    "indicator-index",
    "search",
]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {' '.join(node['failureSummary'].split())[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_wcag_violations(new_context, mode: str, site_variant: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # The theme follows the system colour scheme (default_mode "auto"); the emulated one is used.
    page = new_context(color_scheme=mode).new_page()
    failures = {}
    # The main pages, and those a variant adds or changes (left-out, added, reworded items, its summary).
    pages = {name: path for name, path in site_pages(site_variant).items() if name in AXE_PAGES or name not in PAGES}
    for name, path in pages.items():
        page.goto(path)
        if name == "search":
            wait_for_search(page)  # the results are checked too
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        results = axe.run(page, options=AXE_OPTIONS).response
        assert results["passes"], f"axe checked nothing on {name}"
        violations = results["violations"]
        if violations:
            failures[name] = _describe(violations)
    assert not failures, "\n".join(f"{site_variant} {mode} {name}:\n{text}" for name, text in failures.items())
