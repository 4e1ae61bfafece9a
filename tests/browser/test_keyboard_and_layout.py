"""Keyboard-only use (skip link, every control reachable, focus visible) and phone-width layout, on every site."""

from __future__ import annotations

import pytest

from .conftest import CLIPPED_PREV_NEXT, PAGES, site_pages, wait_for_search

pytestmark = pytest.mark.browser

#: Marks every visible, enabled control of the page with data-kb (its number) and returns how many.
MARK_CONTROLS = """() => {
    const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const controls = [...document.querySelectorAll(selector)].filter(el =>
        !el.disabled && !el.closest('[inert], dialog:not([open])') && el.getClientRects().length > 0
        && el.checkVisibility({visibilityProperty: true}));
    controls.forEach((el, i) => { el.dataset.kb = String(i); });
    return controls.map(el => (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 60));
}"""

#: What has the focus now: its data-kb number (or its tag), and whether its focus can be seen.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return {kb: null, tag: 'BODY', visible: false, text: ''}; }
    // The ring may be drawn by a child (the theme draws a navigation toggle's on its chevron).
    const ringed = [el, ...el.querySelectorAll('*')].filter(node => {
        const style = getComputedStyle(node);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1)
            || (style.boxShadow && style.boxShadow !== 'none');
    });
    const style = getComputedStyle(el);
    return {kb: el.dataset.kb ?? null, tag: el.tagName, visible: ringed.length > 0,
            text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60),
            outline: `${style.outlineStyle} ${style.outlineWidth}`, shadow: style.boxShadow};
}"""


@pytest.mark.parametrize("name", ["home", "indicator", "competency"])
def test_every_control_is_reached_with_tab_and_shows_its_focus(new_context, name: str, site_variant: str) -> None:
    page = new_context().new_page()
    page.goto(PAGES[name])
    controls = page.evaluate(MARK_CONTROLS)
    assert len(controls) > 5

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to main content", f"first Tab stop is {first}"
    assert first["visible"], f"the skip link shows no focus: {first}"
    assert page.locator("#pst-skip-link a").is_visible()

    reached, invisible = {first["kb"]}, []
    for _ in range(len(controls) + 25):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BODY" or focused["kb"] == first["kb"]:
            break  # the focus has gone round the page
        reached.add(focused["kb"])
        if not focused["visible"]:
            invisible.append(focused)
    missed = [text for i, text in enumerate(controls) if str(i) not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    assert not invisible, f"focused without a visible outline: {invisible}"


def test_skip_link_moves_to_the_main_content(page) -> None:
    page.goto(PAGES["indicator"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main-content') !== null")


def test_no_sideways_scrolling_on_a_phone(new_context, site_variant: str) -> None:
    """Every kind of page of the site fits a 375 px screen (a utility's name makes its header longer)."""
    page = new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True).new_page()
    too_wide = {}
    pages = site_pages(site_variant)
    assert {"home", "indicator", "profile", "search", "variant"} <= set(pages)
    for name, path in pages.items():
        page.goto(path)
        if name == "search":
            wait_for_search(page)
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
        )
        assert widths["client"] == 375
        if widths["scroll"] > widths["client"]:
            too_wide[name] = (widths["scroll"], page.evaluate(WIDER_THAN_THE_SCREEN))
        clipped = page.evaluate(CLIPPED_PREV_NEXT)
        assert not clipped, f"{site_variant} {name}: previous/next text cut off at 375 px: {clipped}"
    assert not too_wide, f"{site_variant}: pages wider than 375px: {too_wide}"


#: The first elements reaching past the right edge of the screen.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(el => el.tagName + '.' + el.className)"""
