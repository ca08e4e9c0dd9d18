"""Rating a published item or department from its public page: a plain HTML form, no JavaScript."""

from __future__ import annotations

import re

from sunshine.site import clock

from ..conftest import csrf_token
from .conftest import RATED_AT


def test_item_form_has_five_labelled_levels_in_a_fieldset(public):
    response = public.get("/intake/rate?item=ZJJ-XK-001")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "建筑工程施工许可证核发" in html
    assert re.search(r"<fieldset[^>]*>\s*<legend>满意程度（必选）</legend>", html)
    labels = re.findall(r'<input[^>]*name="level"[^>]*type="radio"[^>]*value="(\d)">\s*<label for="level-\d">([^<]+)</label>',
                        html)
    assert labels == [("5", "非常满意"), ("4", "满意"), ("3", "基本满意"), ("2", "不满意"), ("1", "非常不满意")]
    assert "<script" not in html


def test_form_posts_back_to_the_same_target(public):
    html = public.get("/intake/rate?department=scjg").get_data(as_text=True)
    assert 'action="/intake/rate?department=scjg"' in html


def test_item_rating_is_stored_with_the_item_department(rate_item, ratings):
    response = rate_item("SCJG-XK-002", level="4", comment="十几分钟就拿到营业执照。", contact_name="", contact_phone="")
    assert response.status_code == 201
    [rating] = [r for r in ratings(comment="十几分钟就拿到营业执照。")]
    assert (rating.target_kind, rating.item_code, rating.department_code, rating.level, rating.case_id) == (
        "item", "SCJG-XK-002", "scjg", 4, None)


def test_department_rating_is_stored_without_an_item(public, ratings):
    with clock.frozen(RATED_AT):
        response = public.post("/intake/rate?department=mz", data={"level": "5", "comment": "婚姻登记窗口很热情"})
    assert response.status_code == 201
    [rating] = ratings(comment="婚姻登记窗口很热情")
    assert (rating.target_kind, rating.department_code, rating.item_id) == ("department", "mz", None)


def test_unknown_item_is_a_chinese_404(public):
    response = public.get("/intake/rate?item=ZJJ-XK-999")
    assert response.status_code == 404
    assert "找不到要评价的事项或部门" in response.get_data(as_text=True)


def test_unpublished_department_cannot_be_rated(public, count_ratings):
    before = count_ratings()
    assert public.get("/intake/rate?department=ybj").status_code == 404
    assert public.post("/intake/rate?department=ybj", data={"level": "5"}).status_code == 404
    assert count_ratings() == before


def test_rate_page_without_a_target_is_404(public):
    assert public.get("/intake/rate").status_code == 404


def test_bad_input_is_400_keeps_what_was_typed_and_stores_nothing(rate_item, count_ratings):
    before = count_ratings()
    long_comment = "等" * 501
    response = rate_item(level="9", comment=long_comment, contact_name="陈美玲", contact_phone="1391234")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请从五个等级中选择一个。" in html
    assert "评价内容不能超过500个字。" in html
    assert "请填写正确的手机号（11位）或固定电话（如0827-5231234）。" in html
    assert long_comment in html and 'value="陈美玲"' in html and 'value="1391234"' in html
    assert count_ratings() == before


def test_chosen_level_stays_checked_after_an_error(rate_item):
    html = rate_item(level="3", contact_phone="abc").get_data(as_text=True)
    assert re.search(r'<input checked id="level-2" name="level"[^>]*value="3">', html)


def test_rater_contact_never_appears_on_public_pages(public, rate_item):
    thanks = rate_item(contact_name="陈美玲", contact_phone="13912345678").get_data(as_text=True)
    again = public.get("/intake/rate?item=ZJJ-XK-001").get_data(as_text=True)
    for html in (thanks, again):
        assert "陈美玲" not in html and "13912345678" not in html


def _count(app) -> int:
    from sunshine.site.db import db
    from sunshine.site.models import Rating

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Rating))


def test_rating_needs_the_csrf_token_of_the_form(csrf_demo):
    csrf_app = csrf_demo
    before = _count(csrf_app)
    client = csrf_app.test_client()
    refused = client.post("/intake/rate?item=ZJJ-XK-001", data={"level": "5"})
    assert refused.status_code == 400
    assert _count(csrf_app) == before
    token = csrf_token(client.get("/intake/rate?item=ZJJ-XK-001").get_data(as_text=True))
    with clock.frozen(RATED_AT):
        accepted = client.post("/intake/rate?item=ZJJ-XK-001", data={"level": "5", "csrf_token": token})
    assert accepted.status_code == 201
    assert _count(csrf_app) == before + 1
