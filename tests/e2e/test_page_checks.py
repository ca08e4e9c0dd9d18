"""Every page type of the public site and the intake: zero axe-core violations, zero Nu HTML Checker errors.

Opened at a phone's width (360 px) and a desktop's (1280 px); full-page screenshots are kept for a
person to look at: in ``$SUNSHINE_SCREENSHOTS`` when set, else in the test's temporary directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .page_checkers import axe_violations, screenshot_dir, vnu_errors

pytestmark = pytest.mark.browser


def _snapshot(live) -> dict:
    return json.loads((Path(live.env["SUNSHINE_INSTANCE_PATH"]) / "snapshot.json").read_text(encoding="utf-8"))


def _public_pages(live) -> dict[str, str]:
    snap = _snapshot(live)
    first = lambda kind: snap[kind][0]["code"]  # noqa: E731 - a one-line lookup
    return {
        "home": "/", "items": "/items/", "item": f"/items/{first('items')}/", "departments": "/departments/",
        "department": f"/departments/{first('departments')}/", "fees": "/fees/", "channels": "/channels/",
        "notices": "/notices/", "notice": f"/notices/{first('notices')}/", "figures": "/figures/",
        "rectifications": "/figures/rectifications/", "outcomes": "/figures/complaints/",
        "questions": "/questions/", "question": f"/questions/{first('questions')}/", "search": "/search/",
        "data": "/data/", "not-found": "/no-such-page/", "items-filter": "/items-by/online/",
        "fee-category": "/fees/xzsyxsf/", "fee-bills": "/fees/bills/",
        "complaint-form": "/intake/complaint", "complaint-lookup": "/intake/lookup", "case-lookup": "/intake/case",
        "rate": "/intake/rate", "question-form": "/intake/question", "question-lookup": "/intake/question/lookup",
    }


@pytest.fixture(scope="module")
def checked(browser, live_server, tmp_path_factory):
    """axe's violations per page and width, each page opened once per width (screenshots kept)."""
    shots = screenshot_dir() or tmp_path_factory.mktemp("screenshots")
    found: dict[tuple[str, int], list[dict]] = {}
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        for name, path in _public_pages(live_server).items():
            page.goto(live_server + path)
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
            found[(name, width)] = axe_violations(page)
        context.close()
    return found


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", ["home", "items", "item", "departments", "department", "fees", "channels",
                                  "items-filter", "fee-category", "fee-bills", "notices", "notice", "figures", "rectifications", "outcomes", "questions",
                                  "question", "search", "data", "not-found", "complaint-form",
                                  "complaint-lookup", "case-lookup", "rate", "question-form", "question-lookup"])
def test_no_axe_violations(checked, name, width):
    assert checked[(name, width)] == []


def test_every_published_page_is_valid_html(live_server):
    site = (Path(live_server.env["SUNSHINE_INSTANCE_PATH"]) / "public" / "current").resolve()
    assert vnu_errors(sorted(site.rglob("*.html"))) == []


#: The withdrawal notices of the publisher's small snapshot (the demo withdraws nothing): a withdrawn
#: item's, department's and notice's page, and the channels page with its 已停用的渠道.
WITHDRAWN_PAGES = {
    "item-withdrawn": "/items/511623-ZJ-0009/",
    "department-withdrawn": "/departments/ybj/",
    "notice-withdrawn": "/notices/N2024-004/",
    "channels-withdrawn": "/channels/",
}


@pytest.fixture(scope="module")
def withdrawn_site(tmp_path_factory) -> Path:
    from sunshine.publisher.build import build_site
    from tests.publisher.conftest import SMALL_SNAPSHOT

    return build_site(SMALL_SNAPSHOT, tmp_path_factory.mktemp("withdrawn") / "site", static_index=False).out_dir


def test_the_withdrawn_pages_are_valid_html(withdrawn_site):
    files = [withdrawn_site / path.strip("/") / "index.html" for path in WITHDRAWN_PAGES.values()]
    assert ["已撤回" in f.read_text(encoding="utf-8") or "已停用的渠道" in f.read_text(encoding="utf-8")
            for f in files] == [True] * 4
    assert vnu_errors(files) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_withdrawn_pages_have_no_axe_violations(browser, withdrawn_site, tmp_path, width):
    """Opened at a phone's and a desktop's width, full-page screenshots kept like the other pages'."""
    from tests.publisher.static_browser import served

    shots = screenshot_dir() or tmp_path
    found = {}
    with served(withdrawn_site) as base:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        for name, path in WITHDRAWN_PAGES.items():
            page.goto(base + path)
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
            found[name] = axe_violations(page)
        context.close()
    assert found == {name: [] for name in WITHDRAWN_PAGES}
