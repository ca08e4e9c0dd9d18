"""The words citizens read next to a deadline: how it was counted, and where the case stands."""

from __future__ import annotations

import datetime as dt

from sunshine.site.cases.lifecycle import Progress
from sunshine.site.cases.queries import explain_text, progress_text, yuan

D = dt.date.fromisoformat


def test_national_day_and_the_make_up_saturday_are_named():
    assert explain_text(D("2026-09-28"), 5) == (
        "自2026年9月28日受理起计5个工作日；其间国庆节（10月1日至7日）不计，10月10日（星期六）为调休上班日，计入")


def test_an_extension_is_counted_into_the_days_and_said():
    assert explain_text(D("2026-09-28"), 10, extension_days=3, basis="法定") == (
        "自2026年9月28日受理起计13个工作日（法定10个工作日，延期3个工作日）；"
        "其间国庆节（10月1日至7日）不计，10月10日（星期六）为调休上班日，计入")


def test_spring_festival_with_two_make_up_saturdays():
    assert explain_text(D("2026-02-10"), 10) == (
        "自2026年2月10日受理起计10个工作日；其间春节（2月15日至23日）不计，"
        "2月14日（星期六）、2月28日（星期六）为调休上班日，计入")


def test_ordinary_weeks_need_no_explanation_beyond_the_start():
    assert explain_text(D("2026-11-02"), 5) == "自2026年11月2日受理起计5个工作日"


def test_an_immediate_case_is_due_the_day_it_is_accepted():
    assert explain_text(D("2026-11-02"), 0) == "受理当日（2026年11月2日）办结"


def test_progress_words():
    assert [progress_text(p) for p in (Progress("running", 3), Progress("due_today"), Progress("overdue", 2),
                                       Progress("completed_late", 1), Progress("awaiting_correction"))] == [
        "剩余3个工作日", "今天到期", "已超期2个工作日", "已办结，超期1个工作日", "等待申请人补正材料，尚未开始计时"]


def test_a_deadline_passed_over_a_weekend_is_still_overdue():
    assert progress_text(Progress("overdue", 0)) == "已超过办结期限"


def test_fen_are_shown_as_yuan_with_two_decimals():
    assert yuan(4850050) == "48,500.50"
