"""Zoom, reflow and keyboard focus on every page type (WCAG 1.4.4, 1.4.10, 2.4.7, 2.4.1).

* 200 % zoom of a 1280 px window is a 640 px viewport; 400 % is 320 px (the reflow criterion).
  At both, and at 320 px in 长者模式, no page scrolls sideways as a whole. Content that is
  two-dimensional by nature (wide tables, charts) may scroll inside its own region, which must
  then be reachable by keyboard: focusable with a name (tabindex + aria-label), or holding links.
* Tabbing through the first 25 stops of a few page types: the skip link comes first and shows
  itself; every focused element draws an indicator (an outline, or a box shadow it lacks unfocused).

The page list is test_page_checks's (24 page types).
"""

from __future__ import annotations

import pytest

from .test_page_checks import _public_pages

pytestmark = pytest.mark.browser

#: (label, viewport width, height, display mode)
LAYOUTS = (("zoom200", 640, 800, "standard"), ("reflow400", 320, 640, "standard"),
           ("reflow400-elder", 320, 640, "elder"))

#: What scrolls sideways on the page, and whether each scrolling region is keyboard-reachable.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const scrolls = cs => cs.overflowX === 'auto' || cs.overflowX === 'scroll';
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.classList.length ? '.' + [...e.classList].join('.') : '');
  const regions = [];
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (scrolls(cs) && el.scrollWidth > el.clientWidth + 1) {
      const focusable = el.hasAttribute('tabindex') && el.tabIndex >= 0;
      const labelled = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      const holdsStops = !!el.querySelector('a[href], button, input, select, textarea, summary');
      if (!((focusable && labelled) || holdsStops)) regions.push(name(el));
    }
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let inside = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (scrolls(getComputedStyle(p))) { inside = true; break; }
      }
      if (!inside && cs.position !== 'absolute' && cs.position !== 'fixed') wide.push(name(el));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5), regions};
}"""


@pytest.fixture(scope="module")
def overflow(browser, live_server):
    """Per (layout, page name): the document's scroll width, the viewport's width, the first few
    elements sticking out, and the scrolling regions a keyboard could not reach."""
    found = {}
    for label, width, height, mode in LAYOUTS:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server}/intake/display/{mode}?next=/")
        for name, path in _public_pages(live_server).items():
            page.goto(live_server + path)
            found[(label, name)] = page.evaluate(OVERFLOW_JS)
        context.close()
    return found


@pytest.mark.parametrize("layout", [layout[0] for layout in LAYOUTS])
def test_no_page_scrolls_sideways(overflow, layout):
    pages = {name: facts for (label, name), facts in overflow.items() if label == layout}
    assert len(pages) == 26
    too_wide = {name: (f["scrollWidth"], f["width"], f["wide"]) for name, f in pages.items()
                if f["scrollWidth"] > f["width"]}
    assert too_wide == {}


@pytest.mark.parametrize("layout", [layout[0] for layout in LAYOUTS])
def test_every_region_that_scrolls_sideways_is_reachable_by_keyboard(overflow, layout):
    unreachable = {name: f["regions"] for (label, name), f in overflow.items() if label == layout and f["regions"]}
    assert unreachable == {}


#: The focused element's indicator: outline and box shadow, plus where it is.
FOCUS_JS = """() => {
  const e = document.activeElement;
  const cs = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || e.name || '').trim().slice(0, 20),
          cls: e.className && e.className.baseVal === undefined ? e.className : '',
          outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth), boxShadow: cs.boxShadow,
          top: box.top, bottom: box.bottom, width: box.width, height: box.height};
}"""


def _style_of(page, handle) -> dict:
    return handle.evaluate("e => { const cs = getComputedStyle(e); return {outlineStyle: cs.outlineStyle, "
                           "outlineWidth: parseFloat(cs.outlineWidth), boxShadow: cs.boxShadow}; }")


def _tab_through(page, stops: int = 25) -> list[dict]:
    """Press Tab ``stops`` times; for each stop: its focused style and its style once focus moved on."""
    seen = []
    previous = None
    for _ in range(stops):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        if page.evaluate("document.activeElement === document.body"):
            break
        focused = page.evaluate(FOCUS_JS)
        if previous is not None:
            seen[-1]["after"] = _style_of(page, previous)
        seen.append({"focused": focused})
        previous = handle
    if previous is not None:
        page.evaluate("document.activeElement.blur()")
        seen[-1]["after"] = _style_of(page, previous)
    return seen


def _indicator_shown(stop: dict) -> bool:
    focused, after = stop["focused"], stop["after"]
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
    shadow = focused["boxShadow"] != "none" and focused["boxShadow"] != after["boxShadow"]
    return outline or shadow


FOCUS_PAGES = ("home", "item", "items", "search", "complaint-form", "figures")


@pytest.fixture(scope="module")
def tabbed(browser, live_server):
    found = {}
    for mode in ("standard", "elder"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server}/intake/display/{mode}?next=/")
        for name in FOCUS_PAGES:
            page.goto(live_server + _public_pages(live_server)[name])
            page.wait_for_load_state("networkidle")
            skip_before = page.locator(".skip-link").bounding_box()
            found[(mode, name)] = {"stops": _tab_through(page), "skip_before": skip_before}
        context.close()
    return found


@pytest.mark.parametrize("mode", ["standard", "elder"])
@pytest.mark.parametrize("name", FOCUS_PAGES)
def test_the_skip_link_is_the_first_stop_and_shows_itself(tabbed, name, mode):
    facts = tabbed[(mode, name)]
    first = facts["stops"][0]["focused"]
    assert (first["tag"], first["text"]) == ("a", "跳到主要内容")
    before = facts["skip_before"]
    assert before["y"] + before["height"] <= 0 or before["x"] + before["width"] <= 0  # hidden until focused …
    assert first["top"] >= 0 and first["height"] >= 24 and first["width"] >= 100  # … then on screen


@pytest.mark.parametrize("mode", ["standard", "elder"])
@pytest.mark.parametrize("name", FOCUS_PAGES)
def test_every_focused_element_shows_a_focus_indicator(tabbed, name, mode):
    stops = tabbed[(mode, name)]["stops"]
    assert len(stops) >= 15  # header, navigation and the page's first links and fields
    invisible = [(s["focused"]["tag"], s["focused"]["text"], s["focused"]["cls"]) for s in stops
                 if not _indicator_shown(s)]
    assert invisible == []
