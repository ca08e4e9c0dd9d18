"""The compact header: on a phone (360×640) the home page's search box is on the first screen,
and every item of the main navigation stays reachable (one row that scrolls sideways)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publisher.static_browser import chromium, served

pytestmark = pytest.mark.browser


def test_the_home_search_box_and_button_are_on_a_phones_first_screen(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 360, "height": 640})
        tab.goto(base + "/")
        box = tab.locator("#home-q").bounding_box()
        button = tab.locator(".quick-search button").bounding_box()
        assert box is not None and button is not None
        assert box["y"] + box["height"] <= 640 and button["y"] + button["height"] <= 640
        assert box["width"] >= 300  # the full width of the phone, not squeezed


def test_the_phone_header_is_one_line_of_name_and_one_row_of_links(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 360, "height": 640})
        tab.goto(base + "/items/")
        header = tab.locator(".site-header").bounding_box()
        assert header is not None and header["height"] <= 100
        tops = tab.eval_on_selector_all(".site-nav a", "links => links.map(a => a.offsetTop)")
        assert len(tops) == 10 and len(set(tops)) == 1  # one row …
        tab.focus(".site-nav a[href='/data/']")  # … whose last link scrolls into view when reached
        last = tab.locator(".site-nav a[href='/data/']").bounding_box()
        assert last is not None and 0 <= last["x"] and last["x"] + last["width"] <= 360


def test_a_wide_screen_shows_every_link_without_scrolling(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.goto(base + "/")
        overflow = tab.eval_on_selector(".site-nav ul", "ul => ul.scrollWidth - ul.clientWidth")
        assert overflow == 0
