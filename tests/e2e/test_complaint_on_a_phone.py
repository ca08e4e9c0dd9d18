"""End to end, issue 6, the citizen on a phone-sized screen: they ask a question and file a complaint;
the department answers late (the citizen sees the red state first), the citizen reopens, the
department closes it again, and after publishing the anonymized outcome and the published answer
are on the public site.

Time passes by restarting the server with another ``SUNSHINE_CLOCK`` over the same database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.serving import wait_until_answering

from .conftest import _free_port, _sunshine, sign_in

pytestmark = pytest.mark.browser

FILED = "2026-11-23T10:00:00+08:00"  # Monday: accept by 11-24, answer by 12-10
LATE = "2026-12-14T09:30:00+08:00"  # Monday after the answer deadline
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
QUESTION_SUBJECT = "最低生活保障可以由子女代办吗"
QUESTION_TEXT = "我母亲行动不便，申请城乡居民最低生活保障能否由我代为到窗口办理？我的电话13990001234。"
COMPLAINT_SUBJECT = "食品经营许可申请两周无人答复"
COMPLAINT_TEXT = "11月9日提交食品经营许可申请，窗口王科长说三天内电话通知，至今无人联系。我的手机13881234567。"
ANSWER = "可以。由子女代办的，请携带申请人和代办人的身份证、户口簿及授权委托书到民政局3号窗口办理。"


class Site:
    """A demo installation served by ``sunshine serve``, restartable at another moment."""

    def __init__(self, root) -> None:
        self.env = {**os.environ, "SUNSHINE_INSTANCE_PATH": str(root / "instance"),
                    "SUNSHINE_DATABASE_URL": f"sqlite:///{root / 'phone.sqlite3'}",
                    "SUNSHINE_STATIC_SEARCH": "0", "SUNSHINE_CLOCK": FILED, "PYTHONWARNINGS": "ignore"}
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None

    def cli(self, *args: str) -> None:
        _sunshine(self.env, *args)

    def start(self, moment: str) -> None:
        self.stop()
        self.env["SUNSHINE_CLOCK"] = moment
        self.server = subprocess.Popen(
            [sys.executable, "-m", "sunshine.site.cli", "serve", "--port", str(self.port)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_answering(self.server, self.base + "/healthz")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)
            self.server = None


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    site.cli("init-db")
    site.cli("seed-demo", "--no-cases")
    site.cli("publish")
    site.start(FILED)
    yield site
    site.stop()


@pytest.fixture
def people(browser):
    contexts = []

    def _open(**options):
        context = browser.new_context(**(options or {"locale": "zh-CN", "viewport": {"width": 1200, "height": 900}}))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)
        return page

    yield _open
    for context in contexts:
        context.close()


def _act(page, action: str, **fields: str) -> None:
    """Fill one action form of the complaint page (fields by short name) and submit it."""
    form = page.locator(f"form#action-{action}")
    for name, value in fields.items():
        control = form.locator(f"[name={action}-{name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").count() == 0, page.locator("main").inner_text()


def _fits_the_screen(page) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _look_up(page, base: str, number: str, code: str) -> None:
    page.goto(base + "/intake/lookup")
    page.locator("input[name=tracking_no]").fill(number)
    page.locator("input[name=query_code]").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()


def test_question_and_complaint_from_a_phone_to_published_outcome(site, people):
    base = site.base
    phone = people(**PHONE)

    # The citizen asks about an item from its page's link, consenting to publication.
    phone.goto(base + "/items/MZ-JF-001/")
    phone.get_by_role("link", name=re.compile("我要咨询")).first.click()
    phone.wait_for_load_state()
    assert phone.locator("header nav").count() >= 1  # the public site's own header, on the intake
    phone.locator("input[name=subject]").fill(QUESTION_SUBJECT)
    phone.locator("textarea[name=content]").fill(QUESTION_TEXT)
    phone.locator("input[name=publish_consent]").check()
    _fits_the_screen(phone)
    phone.get_by_role("button", name=re.compile("提交")).click()
    question_no = phone.locator("#question-no").inner_text().strip()
    assert re.fullmatch(r"ZX-[A-Z2-9]{4}-[A-Z2-9]{4}", question_no)

    # ... and files a complaint; the form says when to expect what before filing.
    phone.goto(base + "/intake/complaint?department=scjg")
    deadlines = phone.locator("main").inner_text()
    assert "2026年11月24日" in deadlines and "2026年12月10日" in deadlines
    phone.locator("select[name=category]").select_option("办理超时")
    phone.locator("input[name=subject]").fill(COMPLAINT_SUBJECT)
    phone.locator("textarea[name=content]").fill(COMPLAINT_TEXT)
    phone.locator("input[name=contact_name]").fill("黄丽娟")
    phone.locator("input[name=contact_phone]").fill("+86 138-8123-4567")
    phone.locator("input[name=publish_consent]").check()
    _fits_the_screen(phone)
    phone.get_by_role("button", name=re.compile("提交")).click()
    number = phone.locator("#tracking-no").inner_text().strip()
    code = phone.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"TS-[A-Z2-9]{4}-[A-Z2-9]{4}", number)
    assert "2026年12月10日" in phone.locator("#receipt").inner_text()

    # Three weeks later nobody has acted: the citizen sees the red state.
    site.start(LATE)
    _look_up(phone, base, number, code)
    assert "已超期" in phone.locator("main").inner_text()
    _fits_the_screen(phone)

    # The department answers late and closes it.
    clerk = sign_in(people(), base, "editor-scjg", "editor-demo-2026")
    clerk.goto(base + "/admin/complaints")
    clerk.get_by_role("link", name=number).click()
    page_url = clerk.url
    _act(clerk, "accept")
    _act(clerk, "reply", reply="经核实，因经办人王科长休假，申请未按时转交审批股；许可证已于12月14日办结，已向您致歉。")
    _act(clerk, "close", outcome="resolved")

    # The citizen is not satisfied and reopens, once.
    _look_up(phone, base, number, code)
    assert phone.locator("#status").inner_text().strip() == "已办结"
    reopen = phone.locator("#reopen")
    reopen.locator("textarea").fill("许可证上的经营项目少了“热食类食品制售”，问题没有完全解决。")
    reopen.get_by_role("button").click()
    phone.wait_for_load_state()
    assert phone.locator("#status").inner_text().strip() == "重新办理中"

    # The department answers again and closes it with its reasons.
    clerk.goto(page_url)
    _act(clerk, "reply", reply="已补正经营项目“热食类食品制售”并重新发证，请到3号窗口领取。")
    _act(clerk, "close", outcome="partly", public_note="经营项目已补正；延误原因已在科室内通报整改。")

    # The department of the question answers it.
    mz = sign_in(people(), base, "editor-mz", "editor-demo-2026")
    mz.goto(base + "/admin/questions")
    mz.get_by_role("link", name=question_no).click()
    mz.locator("form#action-answer textarea").fill(ANSWER)
    mz.locator("form#action-answer button[type=submit]").click()
    mz.wait_for_load_state()

    # The citizen sees the closing and no second reopening is offered.
    _look_up(phone, base, number, code)
    assert "经营项目已补正" in phone.locator("main").inner_text()
    assert phone.locator("#reopen form").count() == 0

    # After publishing, the outcome (anonymized) and the answer are on the public site.
    site.cli("publish")
    phone.goto(base + "/figures/complaints/")
    outcome = phone.locator("main").inner_text()
    assert number in outcome and "部分解决" in outcome and "已补正经营项目" in outcome and "超期" in outcome
    assert "王科长" not in outcome and "某科长" in outcome
    assert "13881234567" not in phone.content() and "黄丽娟" not in phone.content()
    _fits_the_screen(phone)
    phone.goto(base + "/items/MZ-JF-001/")
    assert ANSWER in phone.locator("main").inner_text()
    phone.goto(base + f"/questions/{question_no}/")
    page_text = phone.locator("main").inner_text()
    assert ANSWER in page_text and "13990001234" not in page_text and "（电话号码已隐去）" in page_text
