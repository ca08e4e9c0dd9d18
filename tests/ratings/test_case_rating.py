"""一事一评: rating a decided case with its number and query code, once (public intake)."""

from __future__ import annotations

import datetime as dt
import re

from sunshine.site import clock

from .conftest import RATED_AT

CASE_NO = "ZJJ-2026-000123"


def _rate(public, case_no: str, code: str, **fields):
    data = {"case_no": case_no, "query_code": code, "level": "5",
            "comment": "窗口一次性告知了全部材料，五天就拿到了施工许可证。", **fields}
    with clock.frozen(RATED_AT):
        return public.post("/intake/case/rate", data=data)


def test_completed_case_is_rated_with_its_department_and_item(public, make_case, ratings):
    code = make_case(CASE_NO)
    response = _rate(public, CASE_NO, code)
    assert response.status_code == 201
    assert "感谢您的评价" in response.get_data(as_text=True)
    [rating] = [r for r in ratings() if r.case_no == CASE_NO]
    assert (rating.target_kind, rating.department_code, rating.item_code, rating.level) == (
        "case", "zjj", "ZJJ-XK-001", 5)
    assert rating.created_at == dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)
    assert rating.status == "valid"


def test_query_code_is_accepted_in_lower_case(public, make_case, ratings):
    code = make_case(CASE_NO)
    assert _rate(public, CASE_NO, code.lower()).status_code == 201


def test_second_rating_of_the_same_case_is_refused(public, make_case, count_ratings):
    code = make_case(CASE_NO)
    _rate(public, CASE_NO, code)
    before = count_ratings()
    response = _rate(public, CASE_NO, code, level="1", comment="再评一次")
    assert response.status_code == 409
    assert "该办件已评价" in response.get_data(as_text=True)
    assert count_ratings() == before


def test_wrong_code_and_unknown_number_get_the_same_answer(public, make_case, count_ratings):
    code = make_case(CASE_NO)
    wrong = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    before = count_ratings()
    wrong_code = _rate(public, CASE_NO, wrong)
    unknown_no = _rate(public, "ZJJ-2026-999999", code)
    assert wrong_code.status_code == unknown_no.status_code == 404
    message = "办件编号或查询码不正确，请核对后再试。"
    assert message in wrong_code.get_data(as_text=True) and message in unknown_no.get_data(as_text=True)
    assert count_ratings() == before


def test_undecided_case_cannot_be_rated(public, make_case, count_ratings):
    code = make_case(CASE_NO, status="processing")
    before = count_ratings()
    response = _rate(public, CASE_NO, code)
    assert response.status_code == 409
    assert "该办件尚未办结" in response.get_data(as_text=True)
    assert count_ratings() == before


def test_undecided_case_is_not_revealed_without_the_right_code(public, make_case):
    make_case(CASE_NO, status="processing")
    response = _rate(public, CASE_NO, "WRONGCD2")
    assert response.status_code == 404
    assert "尚未办结" not in response.get_data(as_text=True)


def test_rejected_case_can_be_rated(public, make_case, ratings):
    code = make_case(CASE_NO, status="rejected")
    assert _rate(public, CASE_NO, code, level="3").status_code == 201
    assert [r.level for r in ratings() if r.case_no == CASE_NO] == [3]


def test_case_number_link_prefills_the_number(public, make_case):
    make_case(CASE_NO)
    html = public.get(f"/intake/case/rate?no={CASE_NO}").get_data(as_text=True)
    assert f'value="{CASE_NO}"' in html
    assert re.search(r'<input[^>]*id="query_code"[^>]*value=""', html)


def test_bad_input_is_refused_keeping_what_was_typed(public, make_case, count_ratings):
    code = make_case(CASE_NO)
    before = count_ratings()
    response = _rate(public, CASE_NO, code, level="", comment="材料清单写得很清楚", contact_phone="12345")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请选择满意程度" in html
    assert "请填写正确的手机号" in html
    assert "材料清单写得很清楚" in html and 'value="12345"' in html and f'value="{CASE_NO}"' in html
    assert count_ratings() == before


def test_case_rating_without_number_or_code_is_400(public, make_case, count_ratings):
    make_case(CASE_NO)
    before = count_ratings()
    response = _rate(public, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写办件编号。" in html and "请填写查询码。" in html
    assert count_ratings() == before


def test_applicant_data_never_appears_on_the_thank_you_page(public, make_case):
    code = make_case(CASE_NO)
    html = _rate(public, CASE_NO, code).get_data(as_text=True)
    for private in ("赵建华", "13700001111", "511623198805061234"):
        assert private not in html
