"""complaints.progress: how a deadline is worded for the citizen (pure functions, exact dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site.complaints import progress
from sunshine.site.complaints.lifecycle import Rules
from sunshine.site.supervision import GREEN, RED, YELLOW


def test_spring_festival_with_its_make_up_saturday_is_explained():
    assert progress.explain_text(dt.date(2026, 2, 12), 5, "提交") == (
        "自2026年2月12日提交起计5个工作日（当日不计），至2026年2月26日；其间春节（2月15日至23日）不计，"
        "2月14日（星期六）为调休上班日，计入")


def test_a_count_without_holidays_names_only_the_weekend():
    assert progress.explain_text(dt.date(2026, 11, 2), 5, "办结") == (
        "自2026年11月2日办结起计5个工作日（当日不计），至2026年11月9日；其间周六、周日2天不计")


def test_a_count_within_the_week_needs_no_remark():
    assert progress.explain_text(dt.date(2026, 11, 2), 1, "提交") == "自2026年11月2日提交起计1个工作日（当日不计），至2026年11月3日"


@pytest.mark.parametrize(("due", "today", "light", "text"), [
    ("2026-10-23", "2026-10-19", GREEN, "剩余4个工作日"),
    ("2026-10-23", "2026-10-22", YELLOW, "即将到期（剩余1个工作日）"),
    ("2026-10-23", "2026-10-23", YELLOW, "即将到期（今天到期）"),
    ("2026-10-23", "2026-10-24", RED, "已超过期限"),  # a Saturday: past the date, no working day late yet
    ("2026-10-23", "2026-10-27", RED, "已超期2个工作日"),
])
def test_where_a_running_deadline_stands(due, today, light, text):
    assert progress.running_text(dt.date.fromisoformat(due), dt.date.fromisoformat(today), light) == text


def test_the_preview_follows_the_rules_given():
    stages = progress.complaint_preview(dt.date(2026, 9, 30), Rules(accept_days=2, answer_days=10))
    assert [(s.key, s.label, s.due.isoformat(), s.days) for s in stages] == [
        ("accept", "受理期限", "2026-10-09", 2), ("answer", "答复期限", "2026-10-20", 10)]


def test_the_question_preview_counts_the_question_days():
    (stage,) = progress.question_preview(dt.date(2026, 9, 30), 5)
    assert (stage.label, stage.due.isoformat(), stage.state) == ("答复期限", "2026-10-13", "upcoming")
