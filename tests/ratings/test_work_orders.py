"""A bad rating opens its rectification work order, with stage deadlines in working days."""

from __future__ import annotations

import datetime as dt
import re

from sunshine.site.ratings.work_orders import NO_CONTACT_NOTE

COMMENT = "窗口让我补交了三次营业执照复印件，每次说法都不一样。"


def _rating(ratings):
    [rating] = ratings(comment=COMMENT)
    return rating


def test_bad_rating_opens_a_work_order_with_dates_across_national_day(rate_item, ratings, work_order):
    # Rated Wednesday 2026-09-30; 国庆节 10-01..10-07 are skipped, Saturday 10-10 is a make-up working day.
    assert rate_item(level="2").status_code == 201
    rating = _rating(ratings)
    order = work_order(rating.id)
    assert re.fullmatch(r"ZG2026-\d{4}", order.code)
    assert order.department_id == rating.department_id
    assert order.opened_on == dt.date(2026, 9, 30)
    assert order.contact_due == dt.date(2026, 10, 8)   # 1 working day
    assert order.finding_due == dt.date(2026, 10, 10)  # 3: 10-08, 10-09, 10-10 (make-up Saturday)
    assert order.rectify_due == dt.date(2026, 10, 13)  # 5: ..., 10-12, 10-13
    assert order.answer_due == dt.date(2026, 10, 16)   # 8
    assert order.status == "open" and order.contacted_on is None


def test_very_bad_rating_opens_a_work_order_too(rate_item, ratings, work_order):
    rate_item(level="1")
    assert work_order(_rating(ratings).id).status == "open"


def test_good_ratings_open_no_work_order(rate_item, ratings, work_order, count_work_orders):
    before = count_work_orders()
    for level in ("3", "4", "5"):
        rate_item(level=level, comment=f"{COMMENT}{level}")
    for level in ("3", "4", "5"):
        [rating] = ratings(comment=f"{COMMENT}{level}")
        assert work_order(rating.id) is None
    assert count_work_orders() == before


def test_rating_without_phone_skips_the_follow_up_call(rate_item, ratings, work_order):
    rate_item(level="1", contact_name="陈美玲", contact_phone="")
    order = work_order(_rating(ratings).id)
    assert order.status == "contacted"
    assert order.contact_note == NO_CONTACT_NOTE == "评价人未留联系方式，无需回访"
    assert order.contacted_on == dt.date(2026, 9, 30)


def test_work_order_numbers_follow_the_highest_one(rate_item, ratings, work_order):
    rate_item(level="2", comment="第一条差评")
    rate_item(level="2", comment="第二条差评")
    first = work_order(ratings(comment="第一条差评")[0].id).code
    second = work_order(ratings(comment="第二条差评")[0].id).code
    assert int(second[-4:]) == int(first[-4:]) + 1


def test_thank_you_page_says_when_the_department_calls_back(rate_item):
    html = rate_item(level="2").get_data(as_text=True)
    assert "我们将在1个工作日内回访，整改结果将在网站公开" in html
    assert "2026-10-08 前" in html
    assert re.search(r'id="work-order-code">ZG2026-\d{4}<', html)


def test_thank_you_page_without_phone_promises_the_finding(rate_item):
    html = rate_item(level="2", contact_phone="").get_data(as_text=True)
    assert "我们将在3个工作日内核实，整改结果将在网站公开" in html
    assert "您没有留下联系电话，部门不会回访您" in html


def test_good_rating_thank_you_page_has_no_work_order(rate_item):
    html = rate_item(level="5").get_data(as_text=True)
    assert "work-order-code" not in html and "已计入本月的满意度统计" in html


def test_snapshot_carries_the_work_order_but_never_the_rater(demo, rate_item, ratings, work_order):
    import json

    from sunshine.site import clock
    from sunshine.site.export import build_snapshot

    rate_item(level="1", comment=COMMENT, contact_name="陈美玲", contact_phone="13912345678")
    order = work_order(_rating(ratings).id)
    with demo.app_context(), clock.frozen("2026-10-09T10:00:00+08:00"):
        snapshot = build_snapshot()
    text = json.dumps(snapshot, ensure_ascii=False)
    assert order.code in [r["code"] for r in snapshot["rectifications"]]
    for private in ("陈美玲", "13912345678", COMMENT):
        assert private not in text
