"""How a deadline was counted, as the 办件查询 shows it."""

import datetime as dt

from sunshine.site.deadlines import explain


def test_national_day_is_skipped_and_the_make_up_saturday_counts():
    counted = explain(dt.date(2026, 9, 28), 5)
    assert counted.end == dt.date(2026, 10, 10)
    assert [day for day, _ in counted.holidays] == [dt.date(2026, 10, d) for d in range(1, 8)]
    assert {name for _, name in counted.holidays} == {"国庆节"}
    assert counted.makeup_days == (dt.date(2026, 10, 10),)
    assert counted.weekend_days == 0


def test_an_ordinary_week_skips_only_the_weekend():
    counted = explain(dt.date(2026, 11, 20), 3)  # Friday
    assert counted.end == dt.date(2026, 11, 25)
    assert counted.holidays == () and counted.makeup_days == ()
    assert counted.weekend_days == 2


def test_spring_festival_2026_and_its_make_up_saturday():
    counted = explain(dt.date(2026, 2, 13), 2)  # Friday before the make-up Saturday 2-14
    assert counted.end == dt.date(2026, 2, 24)
    assert counted.makeup_days == (dt.date(2026, 2, 14),)
    assert {name for _, name in counted.holidays} == {"春节"}
