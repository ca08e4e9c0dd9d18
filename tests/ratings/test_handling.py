"""Work-order stages (回访 → 核实 → 整改 → 反馈) and appeals (申诉复核), as rules over the models."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.figures import compute_figures
from sunshine.site.models import Department, Rating, Rectification, User
from sunshine.site.ratings.handling import (
    HandlingRefused,
    decide_appeal,
    file_appeal,
    is_overdue,
    record_stage,
    stage_marks,
    void_rating,
)

COMMENT = "窗口让我补交了三次营业执照复印件，每次说法都不一样。"


@pytest.fixture
def order_of(demo, rate_item, ratings):
    """Rate ZJJ-XK-001 badly through the public form; yields a function giving the stored work order."""

    def _make(**fields) -> int:
        assert rate_item(level="2", **fields).status_code == 201
        [rating] = ratings(comment=fields.get("comment", COMMENT))
        return rating.id

    return _make


def _order(rating_id: int) -> Rectification:
    return db.session.scalars(select(Rectification).where(Rectification.rating_id == rating_id)).one()


def _user(name: str) -> User:
    return db.session.scalars(select(User).where(User.username == name)).one()


def _at(day: str):
    return clock.frozen(f"{day}T15:00:00+08:00")


def test_finding_before_the_follow_up_call_is_refused(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        with pytest.raises(HandlingRefused, match="请先完成“回访”，再办理“核实”。"):
            record_stage(order, "finding", "经核实，窗口人员未一次性告知。")
        assert order.status == "open" and order.verified_on is None


def test_stages_in_order_are_dated_by_the_clock_and_close_the_order(demo, order_of):
    rating_id = order_of()
    with demo.app_context():
        order = _order(rating_id)
        with _at("2026-10-08"):
            record_stage(order, "contact", "电话回访陈女士，反映补交材料三次。")
        with _at("2026-10-12"):
            record_stage(order, "finding", "经核实，窗口人员未按一次性告知制度告知材料要求。")
        with _at("2026-10-13"):
            record_stage(order, "rectify", "对窗口人员批评教育，重新印制一次性告知单。")
        with _at("2026-10-16"):
            record_stage(order, "answer", "已电话告知陈女士整改情况，陈女士表示认可。")
        db.session.commit()
        order = _order(rating_id)
        assert order.status == "closed"
        assert (order.contacted_on, order.verified_on, order.rectified_on, order.answered_on) == (
            dt.date(2026, 10, 8), dt.date(2026, 10, 12), dt.date(2026, 10, 13), dt.date(2026, 10, 16))
        marks = [(m.stage.name, m.mark) for m in stage_marks(order, dt.date(2026, 10, 20))]
        assert marks == [("contact", "done"), ("finding", "late"), ("rectify", "done"), ("answer", "done")]


def test_closed_order_refuses_any_stage(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        for stage, text in (("contact", "回访"), ("finding", "核实"), ("rectify", "整改"), ("answer", "反馈")):
            record_stage(order, stage, text)
        with pytest.raises(HandlingRefused, match="该工单已办结"):
            record_stage(order, "answer", "再次反馈")


def test_a_stage_is_recorded_once(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        record_stage(order, "contact", "电话回访")
        with pytest.raises(HandlingRefused, match="“回访”已于 2026-10-08 登记，不能重复办理。"):
            record_stage(order, "contact", "又回访一次")


def test_empty_stage_text_is_refused(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        with pytest.raises(HandlingRefused, match="请填写回访情况。"):
            record_stage(_order(rating_id), "contact", "   ")


def test_no_contact_order_refuses_a_follow_up_call_and_starts_at_finding(demo, order_of):
    rating_id = order_of(contact_phone="")
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        with pytest.raises(HandlingRefused, match="评价人未留联系方式，无需回访"):
            record_stage(order, "contact", "电话回访")
        record_stage(order, "finding", "经核实属实。")
        assert order.status == "verified"
        assert stage_marks(order, dt.date(2026, 10, 8))[0].mark == "skipped"


def test_overdue_marks_per_stage(demo, order_of):
    rating_id = order_of()
    with demo.app_context():
        order = _order(rating_id)
        # Due 10-08 for the call: not overdue on its due day, overdue the day after.
        assert not is_overdue(order, dt.date(2026, 10, 8))
        assert is_overdue(order, dt.date(2026, 10, 9))
        marks = {m.stage.name: m.mark for m in stage_marks(order, dt.date(2026, 10, 12))}
        assert marks == {"contact": "overdue", "finding": "overdue", "rectify": "waiting", "answer": "waiting"}


def test_pending_appeal_pauses_the_stages(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        file_appeal(order, "评价人并未到本窗口办理业务，系误评。", user_id=_user("editor-zjj").id)
        assert order.appeal_status == "pending"
        with pytest.raises(HandlingRefused, match="暂停办理"):
            record_stage(order, "contact", "电话回访")


def test_upheld_appeal_voids_the_rating_and_the_order_without_touching_it(demo, order_of):
    rating_id = order_of()
    with demo.app_context():
        rating = db.session.get(Rating, rating_id)
        before = (rating.level, rating.comment, rating.target_kind, rating.item_id, rating.department_id,
                  rating.created_at)
        order = _order(rating_id)
        admin = _user("admin")
        with _at("2026-10-08"):
            file_appeal(order, "评价人并未到本窗口办理业务，系误评。", user_id=_user("editor-zjj").id)
        with _at("2026-10-09"):
            decide_appeal(order, True, "经调取窗口录像，评价人当日未到住建局窗口，申诉成立。", user_id=admin.id)
        db.session.commit()
        rating = db.session.get(Rating, rating_id)
        assert rating.status == "voided"
        assert rating.void_reason == "经调取窗口录像，评价人当日未到住建局窗口，申诉成立。"
        assert rating.voided_at == dt.datetime(2026, 10, 9, 7, 0, tzinfo=dt.UTC)
        assert rating.voided_by == admin.id
        assert (rating.level, rating.comment, rating.target_kind, rating.item_id, rating.department_id,
                rating.created_at) == before
        order = _order(rating_id)
        assert (order.status, order.appeal_status, order.decided_by) == ("voided", "upheld", admin.id)


def test_voided_rating_is_not_counted_in_the_figures(demo, order_of):
    rating_id = order_of()
    with demo.app_context():
        zjj = db.session.scalars(select(Department).where(Department.code == "zjj")).one()

        def bad_in_september() -> int:
            figures = compute_figures({zjj.id: "zjj"}, as_of=dt.date(2026, 9, 30), months=1)
            return figures["departments"][0]["total"]["ratings"]["2"]

        counted = bad_in_september()
        order = _order(rating_id)
        with _at("2026-10-08"):
            file_appeal(order, "恶意评价。", user_id=_user("editor-zjj").id)
            decide_appeal(order, True, "申诉成立。", user_id=_user("admin").id)
        db.session.commit()
        assert bad_in_september() == counted - 1


def test_rejected_appeal_lets_the_order_go_on(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        file_appeal(order, "评价人要求不合理。", user_id=_user("editor-zjj").id)
        decide_appeal(order, False, "评价人反映的问题属实，申诉不成立。", user_id=_user("admin").id)
        assert (order.appeal_status, order.rating.status) == ("rejected", "valid")
        record_stage(order, "contact", "电话回访陈女士。")
        assert order.status == "contacted"


def test_an_order_is_appealed_once(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        editor = _user("editor-zjj").id
        file_appeal(order, "误评。", user_id=editor)
        with pytest.raises(HandlingRefused, match="正在等待复核"):
            file_appeal(order, "再申诉。", user_id=editor)
        decide_appeal(order, False, "申诉不成立。", user_id=_user("admin").id)
        with pytest.raises(HandlingRefused, match="不能重复申诉"):
            file_appeal(order, "再申诉。", user_id=editor)


def test_decision_needs_a_pending_appeal_and_a_note(demo, order_of):
    rating_id = order_of()
    with demo.app_context(), _at("2026-10-08"):
        order = _order(rating_id)
        admin = _user("admin").id
        with pytest.raises(HandlingRefused, match="没有待复核的申诉"):
            decide_appeal(order, True, "成立。", user_id=admin)
        file_appeal(order, "误评。", user_id=_user("editor-zjj").id)
        with pytest.raises(HandlingRefused, match="复核须写明复核意见"):
            decide_appeal(order, True, " ", user_id=admin)
        assert order.rating.status == "valid"


def test_administrator_may_void_a_rating_directly_with_a_reason(demo, rate_item, ratings):
    rate_item(level="5", comment="刷好评")
    [rating] = ratings(comment="刷好评")
    with demo.app_context(), _at("2026-10-08"):
        stored = db.session.get(Rating, rating.id)
        with pytest.raises(HandlingRefused, match="作废评价须写明理由"):
            void_rating(stored, "", user_id=_user("admin").id)
        void_rating(stored, "同一号码一小时内提交二十条好评，属刷评。", user_id=_user("admin").id)
        assert (stored.status, stored.level, stored.comment) == ("voided", 5, "刷好评")
