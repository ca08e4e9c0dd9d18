import datetime as dt

import pytest

from sunshine.site.deadlines import add_working_days, is_working_day, working_days_between


def test_weekend_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday


def test_national_day_holiday_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 10, 2))


def test_deadline_skips_the_national_day_holiday():
    # Friday 2026-09-25 + 5 working days must not land inside 1–7 October.
    deadline = add_working_days(dt.date(2026, 9, 25), 5)
    assert deadline > dt.date(2026, 10, 7)
    assert working_days_between(dt.date(2026, 9, 25), deadline) == 5


def test_deadline_counts_from_the_next_day():
    assert add_working_days(dt.date(2026, 11, 23), 1) == dt.date(2026, 11, 24)


def test_zero_days_is_the_same_day():
    assert add_working_days(dt.date(2026, 11, 23), 0) == dt.date(2026, 11, 23)


def test_year_beyond_the_official_calendar_falls_back_to_weekdays():
    # 2030 is not in chinese_calendar yet: Monday–Friday count.
    assert add_working_days(dt.date(2030, 6, 7), 1) == dt.date(2030, 6, 10)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 11, 23), -1)
