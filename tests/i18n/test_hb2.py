"""The complaint, case, supervision and audit pages in English on request, and unchanged in Chinese.

Chinese is the source language: the marked templates must render byte for byte what they rendered
before marking, and the English catalog must fill every placeholder (escaped like any other value).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import FeeLine, new_case
from sunshine.site.db import db
from sunshine.site.models import Complaint, ServiceItem

#: A Monday; the demo's complaints and questions have deadlines around it.
TODAY = "2026-11-23T10:00:00"


@pytest.fixture
def in_english():
    """Switch a logged-in client to English (the header's switch: a cookie)."""

    def _switch(client):
        assert client.post("/admin/language", data={"lang": "en"}).status_code == 302
        return client

    return _switch


@pytest.fixture
def permit_case(demo) -> int:
    """A construction permit case (promised 5, statutory 10 working days) with one fee, registered by the approval system."""
    with demo.app_context(), clock.frozen("2026-09-28T09:30:00"):
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-002")).one()
        case, _ = new_case(item, "ZJJ-2026-000128", dt.date(2026, 9, 28), status="accepted",
                           fees=[FeeLine("城市基础设施配套费", 3600000)], query_code="K7MP4QRT", source="api",
                           applicant_name="王建华", applicant_phone="13881234567",
                           applicant_id_no="51162319790605302X")
        db.session.add(case)
        db.session.commit()
        return case.id


def page(client, path: str, status: int = 200) -> str:
    with clock.frozen(TODAY):
        response = client.get(path)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_the_complaint_list_in_english(login_as, in_english):
    html = page(in_english(login_as("editor-zjj")), "/admin/complaints")
    assert "<title>Complaints - Sunshine back office</title>" in html
    assert '<nav aria-label="Filter by status" class="filters">' in html
    assert ("<p class=\"hint\">The deadline is that of the current step (the acceptance deadline once received, "
            "the answer deadline once accepted). Red “overdue”: past the deadline and still not accepted or answered; "
            "yellow “due soon”: due within 1 working day(s), today included.</p>") in html
    assert "<caption>2 in total</caption>" in html
    assert "投诉处理" not in html.split("<main", 1)[1]


def test_the_complaint_list_in_chinese_is_unchanged(login_as):
    html = page(login_as("editor-zjj"), "/admin/complaints")
    assert "<title>投诉处理 - 阳光政务后台</title>" in html
    assert '<nav aria-label="按状态筛选" class="filters">' in html
    assert ("<p class=\"hint\">期限为当前环节的期限（收到后为受理期限，受理后为答复期限）。红色“已超期”：已过期限仍未受理或答复；"
            "黄色“即将到期”：1个工作日内（含今天）到期。</p>") in html
    assert "<caption>共 2 件</caption>" in html


SUPERVISION_HINT_EN = (
    '<p class="hint">As of today (2026-11-23): <span class="badge badge-red">Red card</span> past the promised deadline '
    "(for complaints the acceptance or answer deadline of the current step, for questions the answer deadline) and not "
    'finished; <span class="badge badge-yellow">Yellow card</span> due within 1 working day(s), today included. '
    "Deadlines count working days: holidays excluded, make-up working days included.</p>")
SUPERVISION_HINT_ZH = (
    '<p class="hint">按今天（2026-11-23）计算：<span class="badge badge-red">红牌警告</span> 已过承诺期限（投诉为当前环节的受理'
    '或答复期限，咨询为答复期限）仍未办结；<span class="badge badge-yellow">黄牌预警</span> 1个工作日内（含今天）到期。'
    "期限按工作日计算，节假日不计、调休上班日计入。</p>")


def test_the_supervision_board_in_english_keeps_its_badges_inside_one_sentence(login_as, in_english):
    html = page(in_english(login_as("supervisor")), "/admin/supervision")
    assert SUPERVISION_HINT_EN in html
    assert "<legend>Filter</legend>" in html
    assert '<option value="">All departments</option>' in html
    assert ('<th scope="col">Department</th><th scope="col">Window</th><th scope="col">Red-card cases</th>'
            '<th scope="col">Yellow-card cases</th><th scope="col">Overdue complaints</th>') in html


def test_the_supervision_board_in_chinese_is_unchanged(login_as):
    html = page(login_as("supervisor"), "/admin/supervision")
    assert SUPERVISION_HINT_ZH in html
    assert "<legend>筛选</legend>" in html
    assert '<option value="">全部部门</option>' in html


def test_a_case_in_english(login_as, in_english, permit_case):
    html = page(in_english(login_as("editor-zjj")), f"/admin/cases/{permit_case}")
    assert "<h1>Case ZJJ-2026-000128: 商品房预售许可</h1>" in html
    assert "<dt>Promised time limit</dt><dd>5 working day(s)</dd>" in html
    assert "<dt>Statutory time limit</dt><dd>10 working day(s)</dd>" in html
    assert '<h2 id="fees-title">Fees (single payment slip)</h2>' in html
    assert '<th scope="row">Total</th><td id="fees-total"><strong>36,000.00</strong></td>' in html
    assert ('<p class="warning-text"><strong>Personal data: never pass it on</strong>. Use it only to contact the '
            "applicant and follow up; never put it in the notes of handling steps.</p>") in html
    assert '<span class="hint">(recorded 2026-09-28 09:30)</span>' in html


def test_a_case_in_chinese_is_unchanged(login_as, permit_case):
    html = page(login_as("editor-zjj"), f"/admin/cases/{permit_case}")
    assert "<h1>办件 ZJJ-2026-000128：商品房预售许可</h1>" in html
    assert "<dt>承诺办结时限</dt><dd>5个工作日</dd>" in html
    assert '<h2 id="fees-title">收费（一单收费）</h2>' in html
    assert '<th scope="row">合计</th><td id="fees-total"><strong>36,000.00</strong></td>' in html
    assert ('<p class="warning-text"><strong>个人信息，严禁外传</strong>：仅用于联系和回访，不得写入办理环节说明。</p>') in html
    assert '<span class="hint">（登记于 2026-09-28 09:30）</span>' in html


def test_the_refused_audit_filter_says_so_in_english(login_as, in_english):
    html = page(in_english(login_as("admin")), "/admin/audit?since=2026-13-01", status=400)
    assert "<h2>Some filters are wrong. Correct them and search again:</h2>" in html
    assert '<label for="filter-since">From</label> <span class="hint">(format 2026-03-01, day included)</span>' in html


def test_the_refused_audit_filter_in_chinese_is_unchanged(login_as):
    html = page(login_as("admin"), "/admin/audit?since=2026-13-01", status=400)
    assert "<h2>筛选条件有误，请修改后再查询：</h2>" in html
    assert '<label for="filter-since">开始日期</label> <span class="hint">（格式 2026-03-01，含当天）</span>' in html


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_markup_in_a_subject_is_escaped_inside_a_translated_heading(login_as, in_english, demo, english):
    with demo.app_context():
        complaint = db.session.scalars(select(Complaint).order_by(Complaint.id)).first()
        complaint.subject = "<b>加装电梯</b>施工噪音"
        number, complaint_id = complaint.tracking_no, complaint.id
        db.session.commit()
    client = login_as("admin")
    html = page(in_english(client) if english else client, f"/admin/complaints/{complaint_id}")
    heading = "Complaint {}: {}" if english else "投诉 {}：{}"
    assert f"<h1>{heading.format(number, '&lt;b&gt;加装电梯&lt;/b&gt;施工噪音')}</h1>" in html
    assert "<b>加装电梯</b>" not in html
