"""The rates published on the site, computed from counts in one place."""

from decimal import Decimal

from sunshine.contract.figures import (
    empty_tally,
    format_percent,
    over_veto_line,
    percent,
    rates,
)


def _tally(**counts):
    tally = empty_tally()
    ratings = counts.pop("ratings", {})
    tally.update(counts)
    tally["ratings"].update({str(k): v for k, v in ratings.items()})
    return tally


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(15161, 15470) == Decimal("98.0")  # the seed's 15470 handled, 15161 completed


def test_a_rate_without_a_denominator_is_no_data_not_zero():
    assert percent(0, 0) is None
    assert format_percent(None) == "无数据"
    assert rates(empty_tally())["on_time"] is None


def test_rates_of_a_month():
    tally = _tally(cases_completed=40, completed_on_time=36, completed_early=20, completed_on_the_spot=5,
                   ratings={5: 10, 4: 6, 3: 2, 2: 1, 1: 1}, bad_rectified=1,
                   complaints_received=5, complaints_answered=3, complaints_answered_on_time=2,
                   complaints_due=4)
    assert rates(tally) == {
        "on_time": Decimal("90.0"), "early": Decimal("50.0"), "on_the_spot": Decimal("12.5"),
        "satisfaction": Decimal("90.0"), "dissatisfaction": Decimal("10.0"), "rectified": Decimal("50.0"),
        "complaints_on_time": Decimal("50.0"),
    }


def test_the_veto_line_is_reached_at_exactly_thirty_percent():
    assert over_veto_line(_tally(ratings={5: 7, 2: 3}))  # 30.0 %
    assert not over_veto_line(_tally(ratings={5: 71, 2: 29}))  # 29.0 %
    assert not over_veto_line(empty_tally())  # no ratings, no flag
