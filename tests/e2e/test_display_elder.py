"""长者模式 in a real browser with scripts off: the header's 大字 link enlarges every page (static
and intake) and stays chosen; 标准 switches back. In elder mode every page type keeps text at
WCAG AAA contrast (axe's color-contrast-enhanced rule) and its skip link."""

from __future__ import annotations

import pytest

from .page_checkers import AXE, require, screenshot_dir
from .test_page_checks import _public_pages

pytestmark = pytest.mark.browser


def _px(page, selector: str, prop: str) -> float:
    return float(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}").removesuffix("px"))


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_the_elder_link_enlarges_pages_without_javascript_and_is_remembered(no_script_page, live_server):
    page, snap_item = no_script_page, _public_pages(live_server)["item"]
    page.goto(live_server + snap_item)
    assert _px(page, "body", "fontSize") == 18
    page.get_by_role("link", name="大字", exact=True).click()
    page.wait_for_load_state()
    assert page.url == live_server + snap_item  # back on the same page …
    size = _px(page, "body", "fontSize")
    assert size >= 20  # … in large type
    assert _px(page, "body", "lineHeight") >= 1.8 * size
    page.goto(live_server + "/departments/")  # another static page: still large
    assert _px(page, "body", "fontSize") == size
    page.goto(live_server + "/intake/complaint")  # a form of the intake: large too
    assert _px(page, "body", "fontSize") == size
    assert _px(page, "#main", "fontSize") == size


def test_the_standard_link_switches_back(no_script_page, live_server):
    page = no_script_page
    page.goto(live_server + "/fees/")
    page.get_by_role("link", name="大字", exact=True).click()
    page.wait_for_load_state()
    assert _px(page, "body", "fontSize") >= 20
    page.goto(live_server + "/intake/question")
    page.get_by_role("link", name="标准", exact=True).click()  # from the intake: back by the Referer
    page.wait_for_load_state()
    assert page.url == live_server + "/intake/question"
    assert _px(page, "body", "fontSize") == 18
    page.goto(live_server + "/fees/")
    assert _px(page, "body", "fontSize") == 18


def test_the_elder_mode_marks_its_own_link_in_the_header(no_script_page, live_server):
    page = no_script_page
    page.goto(live_server + "/")
    standard_bg = page.eval_on_selector(".display-elder", "e => getComputedStyle(e).backgroundColor")
    page.get_by_role("link", name="大字", exact=True).click()
    page.wait_for_load_state()
    elder_bg = page.eval_on_selector(".display-elder", "e => getComputedStyle(e).backgroundColor")
    assert (standard_bg, elder_bg) == ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")


@pytest.fixture(scope="module")
def elder_checked(browser, live_server):
    """Every page type in elder mode at 360 px: axe's AAA contrast violations and whether the
    page scrolls sideways (screenshots into $SUNSHINE_SCREENSHOTS when set)."""
    require(AXE, "axe-core")
    shots = screenshot_dir()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server + "/intake/display/elder?next=/")
    found: dict[str, tuple[list[dict], int, float]] = {}
    for name, path in _public_pages(live_server).items():
        page.goto(live_server + path)
        if shots is not None:
            page.screenshot(path=str(shots / f"{name}-360-elder.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['color-contrast-enhanced'], resultTypes: ['violations']})")
        violations = [{"help": v["help"], "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]}
                      for v in result["violations"]]
        found[name] = (violations, page.evaluate("document.documentElement.scrollWidth"), _px(page, "body", "fontSize"))
    context.close()
    return found


def test_elder_mode_text_has_aaa_contrast_on_every_page_type(elder_checked):
    assert len(elder_checked) == 26
    assert {name: found[0] for name, found in elder_checked.items() if found[0]} == {}


def test_elder_mode_fits_a_phone_on_every_page_type(elder_checked):
    assert {name: found[1] for name, found in elder_checked.items() if found[1] > 360} == {}


def test_elder_mode_is_in_force_on_every_page_type(elder_checked):
    assert {name: found[2] for name, found in elder_checked.items() if found[2] < 20} == {}
