"""办件查询 at the public intake: number + query code, the timeline and deadline explained, no applicant data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sunshine.site import clock
from sunshine.site.cases.queries import PublicCase
from sunshine.site.db import db
from sunshine.site.models import Rating, ServiceCase

from .conftest import APPLICANT, CODE, PERMIT_FEES

URL = "/intake/case"


def _look_up(client, today: str, case_no: str = "ZJJ-2026-000128", code: str = CODE):
    with clock.frozen(f"{today}T10:00:00"):
        return client.post(URL, data={"case_no": case_no, "query_code": code})


def test_number_and_code_show_the_case(client, make_case):
    make_case()
    response = _look_up(client, "2026-09-30")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "商品房预售许可" in html and "清川县住房和城乡建设局" in html
    assert '<dd id="status">受理</dd>' in html


def test_the_promised_deadline_is_shown_with_how_it_was_counted(client, make_case):
    make_case()
    html = _look_up(client, "2026-09-30").get_data(as_text=True)
    assert '<dd id="deadline">2026年10月10日</dd>' in html
    assert ("自2026年9月28日受理起计5个工作日；其间国庆节（10月1日至7日）不计，"
            "10月10日（星期六）为调休上班日，计入。") in html
    assert '<dd id="statutory-deadline">2026年10月16日</dd>' in html


def test_working_days_left_are_shown(client, make_case):
    make_case()
    assert '<dd id="progress">剩余3个工作日</dd>' in _look_up(client, "2026-09-30").get_data(as_text=True)


def test_an_overdue_case_says_by_how_many_working_days(client, make_case):
    make_case()
    html = _look_up(client, "2026-10-14").get_data(as_text=True)
    assert '<dd id="progress">已超期3个工作日（红牌警告）</dd>' in html


def test_the_page_never_shows_the_applicant(client, make_case):
    make_case()
    html = _look_up(client, "2026-09-30").get_data(as_text=True)
    for value in APPLICANT.values():
        assert value not in html


def test_the_public_view_has_no_applicant_field():
    names = {f.name for f in dataclasses.fields(PublicCase)}
    assert not any(name.startswith("applicant") for name in names)


def test_the_code_is_case_insensitive(client, make_case):
    make_case()
    assert _look_up(client, "2026-09-30", code=CODE.lower()).status_code == 200


def test_the_number_may_be_typed_in_small_letters(client, make_case):
    make_case()
    assert _look_up(client, "2026-09-30", case_no="zjj-2026-000128").status_code == 200


def test_wrong_code_and_unknown_number_get_the_same_answer(client, make_case):
    make_case()
    wrong_code = _look_up(client, "2026-09-30", code="AAAAAAAA")
    unknown = _look_up(client, "2026-09-30", case_no="ZJJ-2026-999999", code="AAAAAAAA")
    assert wrong_code.status_code == unknown.status_code == 404
    assert "办件编号或查询码不正确，请核对后再试。" in wrong_code.get_data(as_text=True)
    assert (wrong_code.get_data(as_text=True).replace("ZJJ-2026-000128", "#")
            == unknown.get_data(as_text=True).replace("ZJJ-2026-999999", "#"))


def test_missing_code_is_a_400_that_keeps_the_number(client, make_case):
    make_case()
    response = _look_up(client, "2026-09-30", code="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写查询码。" in html and 'value="ZJJ-2026-000128"' in html


def test_an_extension_is_shown_with_its_reason(client, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "extended", "2026-10-09", extension_days=3, note="需组织现场踏勘，经局长批准延长3个工作日")
    html = _look_up(client, "2026-10-09").get_data(as_text=True)
    assert '<dd id="deadline">2026年10月14日</dd>' in html
    assert "延长3个工作日。理由：需组织现场踏勘，经局长批准延长3个工作日" in html
    assert "自2026年9月28日受理起计8个工作日（承诺5个工作日，延期3个工作日）" in html


def test_the_timeline_lists_each_step_with_its_public_note(client, make_case, move_case):
    case_id = make_case(received_on="2026-09-25", status="correction", note="请补正施工图设计文件审查合格书")
    move_case(case_id, "accepted", "2026-09-28")
    move_case(case_id, "rejected", "2026-09-29", note="预售资金监管协议未签订，不符合受理条件")
    html = _look_up(client, "2026-09-30").get_data(as_text=True)
    assert ('<time datetime="2026-09-25">2026年9月25日</time> 补正告知：请补正施工图设计文件审查合格书</li>'
            in html)
    assert '<time datetime="2026-09-28">2026年9月28日</time> 受理</li>' in html
    assert '<p id="rejection-reason">预售资金监管协议未签订，不符合受理条件</p>' in html


def test_fees_charged_are_listed_with_their_total(client, make_case):
    make_case(fees=PERMIT_FEES)
    html = _look_up(client, "2026-09-30").get_data(as_text=True)
    assert "<td>城市基础设施配套费</td><td>36,000.00</td>" in html
    assert '<td id="fees-total">48,500.50</td>' in html


def test_a_completed_unrated_case_links_to_the_rating_form(client, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-10-09")
    html = _look_up(client, "2026-10-12").get_data(as_text=True)
    assert 'href="/intake/case/rate?no=ZJJ-2026-000128"' in html
    assert "已办结，在承诺时限内" in html


def test_a_running_case_has_no_rating_link(client, make_case):
    make_case()
    assert "/intake/case/rate" not in _look_up(client, "2026-09-30").get_data(as_text=True)


def test_a_rated_case_has_no_rating_link(app, client, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-10-09")
    with app.app_context():
        case = db.session.get(ServiceCase, case_id)
        db.session.add(Rating(target_kind="case", department_id=case.department_id, item_id=case.item_id,
                              case_id=case.id, level=5, comment="", status="valid",
                              created_at=dt.datetime(2026, 10, 9, 8, 0, tzinfo=dt.UTC)))
        db.session.commit()
    assert "/intake/case/rate" not in _look_up(client, "2026-10-12").get_data(as_text=True)


def test_the_lookup_form_needs_its_csrf_token(csrf_app):
    response = csrf_app.test_client().post(URL, data={"case_no": "ZJJ-2026-000128", "query_code": CODE})
    assert response.status_code == 400
