"""How a case moves and when it is due (``cases.lifecycle``), on the official working-day calendar.

The default case (ZJJ-XK-002, promised 5 / statutory 10 working days) is accepted
on Monday 2026-09-28: 国庆节 runs 10-01..10-07 and Saturday 10-10 is a make-up
working day, so 5 working days end on that Saturday.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import (
    CaseError,
    Progress,
    change_status,
    new_case,
    next_statuses,
    progress,
)
from sunshine.site.db import db
from sunshine.site.models import ServiceCase, ServiceItem

D = dt.date.fromisoformat


def _refused(app, case_id: int, today: str, status: str, on: str, **kwargs) -> str:
    """The message of a refused change; the refused change leaves nothing behind."""
    with app.app_context(), clock.frozen(f"{today}T10:00:00"):
        case = db.session.get(ServiceCase, case_id)
        with pytest.raises(CaseError) as refused:
            change_status(case, status, D(on), **kwargs)
        db.session.rollback()
    return str(refused.value)


def test_promised_deadline_skips_national_day_and_counts_the_make_up_saturday(make_case, load_case):
    stored = load_case(make_case())
    assert stored.accepted_on == D("2026-09-28")
    assert stored.deadline == D("2026-10-10")


def test_statutory_deadline_is_counted_the_same_way(make_case, load_case):
    assert load_case(make_case()).statutory_deadline == D("2026-10-16")


def test_limits_are_copied_from_the_item(make_case, load_case):
    stored = load_case(make_case())
    assert (stored.promised_days, stored.statutory_days) == (5, 10)


def test_case_awaiting_correction_has_no_deadline(make_case, load_case):
    stored = load_case(make_case(received_on="2026-09-25", status="correction",
                                 note="缺少施工图设计文件审查合格书，请补正"))
    assert stored.accepted_on is None and stored.deadline is None


def test_acceptance_after_correction_starts_the_clock_that_day(make_case, move_case, load_case):
    case_id = make_case(received_on="2026-09-25", status="correction")
    move_case(case_id, "accepted", "2026-09-28")
    stored = load_case(case_id)
    assert stored.accepted_on == D("2026-09-28")
    assert stored.deadline == D("2026-10-10")
    assert [e[1] for e in stored.events] == ["correction", "accepted"]


def test_extension_moves_both_deadlines_and_keeps_its_reason(make_case, move_case, load_case):
    case_id = make_case()
    move_case(case_id, "extended", "2026-10-09", extension_days=3, note="需组织现场踏勘，经局长批准延长3个工作日")
    stored = load_case(case_id)
    assert stored.deadline == D("2026-10-14")
    assert stored.statutory_deadline == D("2026-10-21")
    assert stored.extension_reason == "需组织现场踏勘，经局长批准延长3个工作日"
    assert stored.events[-1] == ("2026-10-09", "extended", "需组织现场踏勘，经局长批准延长3个工作日")


def test_extension_without_a_reason_is_refused(app, make_case, load_case):
    case_id = make_case()
    message = _refused(app, case_id, "2026-10-09", "extended", "2026-10-09", extension_days=3, note="  ")
    assert message == "延期须写明理由（延期办结告知制）。"
    stored = load_case(case_id)
    assert (stored.status, stored.extension_days, stored.deadline) == ("accepted", 0, D("2026-10-10"))


def test_extension_without_days_is_refused(app, make_case):
    message = _refused(app, make_case(), "2026-10-09", "extended", "2026-10-09", note="需要现场踏勘")
    assert message == "延期须写明延长的工作日数（1至30）。"


def test_a_second_extension_is_refused(app, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "extended", "2026-10-09", extension_days=3, note="需要现场踏勘")
    move_case(case_id, "processing", "2026-10-12")
    message = _refused(app, case_id, "2026-10-13", "extended", "2026-10-13", extension_days=2, note="再延")
    assert message == "该办件已延期一次，不能再次延期。"


def test_a_second_extension_is_not_offered(app, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "extended", "2026-10-09", extension_days=3, note="需要现场踏勘")
    move_case(case_id, "processing", "2026-10-12")
    with app.app_context():
        assert next_statuses(db.session.get(ServiceCase, case_id)) == ("completed", "rejected")


def test_rejection_without_a_reason_is_refused(app, make_case, load_case):
    case_id = make_case()
    assert _refused(app, case_id, "2026-09-29", "rejected", "2026-09-29") == "不予受理须写明理由。"
    assert load_case(case_id).status == "accepted"


def test_rejection_records_its_reason_and_decision_date(make_case, move_case, load_case):
    case_id = make_case()
    move_case(case_id, "rejected", "2026-09-29", note="建设用地规划许可证尚未取得，不符合受理条件")
    stored = load_case(case_id)
    assert (stored.status, stored.completed_on) == ("rejected", D("2026-09-29"))
    assert stored.rejection_reason == "建设用地规划许可证尚未取得，不符合受理条件"


def test_a_completed_case_cannot_move_again(app, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-10-09")
    message = _refused(app, case_id, "2026-10-12", "processing", "2026-10-12")
    assert message == "办件当前为“办结”，不能改为“办理中”。"


def test_a_case_awaiting_correction_cannot_be_processed(app, make_case):
    case_id = make_case(received_on="2026-09-25", status="correction")
    message = _refused(app, case_id, "2026-09-28", "processing", "2026-09-28")
    assert message == "办件当前为“补正告知”，不能改为“办理中”。"


def test_a_step_dated_after_today_is_refused(app, make_case, load_case):
    case_id = make_case()
    message = _refused(app, case_id, "2026-10-09", "completed", "2026-10-10")
    assert message == "日期 2026-10-10 晚于今天，不能登记未来的办理环节。"
    assert load_case(case_id).status == "accepted"


def test_a_step_dated_before_the_last_one_is_refused(app, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "processing", "2026-09-30")
    message = _refused(app, case_id, "2026-10-09", "completed", "2026-09-29")
    assert message == "日期 2026-09-29 早于上一个环节的日期 2026-09-30。"


def test_completion_on_the_acceptance_day_is_on_the_spot(make_case, move_case, load_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-09-28")
    assert load_case(case_id).on_the_spot is True


def _new(app, today: str, received_on: str, **kwargs):
    with app.app_context(), clock.frozen(f"{today}T09:00:00"):
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-002")).one()
        with pytest.raises(CaseError) as refused:
            new_case(item, "ZJJ-2026-000200", D(received_on), **kwargs)
    return str(refused.value)


def test_a_case_received_after_today_is_refused(app, demo):
    assert _new(app, "2026-09-28", "2026-09-29") == "收件日期 2026-09-29 晚于今天，不能登记未来的办件。"


def test_a_case_cannot_start_completed(app, demo):
    assert _new(app, "2026-09-28", "2026-09-28", status="completed") == \
        "新办件的状态只能是“补正告知”、“受理”、“不予受理”，不能是“办结”。"


def test_a_case_refused_at_receipt_needs_a_reason(app, demo):
    assert _new(app, "2026-09-28", "2026-09-28", status="rejected") == "不予受理须写明理由。"


def test_a_case_accepted_before_it_was_received_is_refused(app, demo):
    assert _new(app, "2026-09-29", "2026-09-28", status_on=D("2026-09-25")) == \
        "状态日期 2026-09-25 早于收件日期 2026-09-28。"


def test_a_case_awaiting_correction_cannot_be_on_the_spot(app, demo):
    assert _new(app, "2026-09-28", "2026-09-28", status="correction", on_the_spot=True) == \
        "现场办结的办件须当场受理，状态不能是“补正告知”。"


def _progress(app, case_id: int, today: str) -> Progress:
    with app.app_context():
        return progress(db.session.get(ServiceCase, case_id), D(today))


def test_progress_counts_working_days_left_across_the_holiday(app, make_case):
    assert _progress(app, make_case(), "2026-09-30") == Progress("running", 3)


def test_progress_on_the_deadline_day_is_due_today(app, make_case):
    assert _progress(app, make_case(), "2026-10-10") == Progress("due_today")


def test_progress_past_the_deadline_counts_working_days_over(app, make_case):
    assert _progress(app, make_case(), "2026-10-14") == Progress("overdue", 3)


def test_progress_of_a_late_completion(app, make_case, move_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-10-13")
    assert _progress(app, case_id, "2026-11-02") == Progress("completed_late", 2)


def test_progress_while_awaiting_correction(app, make_case):
    case_id = make_case(received_on="2026-09-25", status="correction")
    assert _progress(app, case_id, "2026-10-14") == Progress("awaiting_correction")
