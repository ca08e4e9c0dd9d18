"""The clock: China's date, set by tests and by SUNSHINE_CLOCK, never the wall clock."""

import datetime as dt

from sunshine.site import clock


def test_today_is_chinas_date_late_in_the_utc_evening():
    with clock.frozen(dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2026, 10, 1)


def test_naive_times_are_china_time():
    with clock.frozen("2026-10-08T09:00:00"):
        assert clock.now() == dt.datetime(2026, 10, 8, 1, 0, tzinfo=dt.UTC)


def test_frozen_restores_the_previous_setting():
    with clock.frozen("2026-10-08T09:00:00+08:00"):
        with clock.frozen("2027-02-10T09:00:00+08:00"):
            assert clock.today() == dt.date(2027, 2, 10)
        assert clock.today() == dt.date(2026, 10, 8)


def test_the_environment_pins_a_whole_process(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-23T10:00:00+08:00")
    assert clock.now_cn() == dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.CN_TZ)
