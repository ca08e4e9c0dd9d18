"""The formulas of the published figures, one place for both sides.

The snapshot carries counts only (see ``schema`` ``tally``); every rate is
derived here from those counts, so the back office's dashboards, the public
pages and anyone re-checking the open data compute the same numbers. A rate
whose denominator is zero is ``None`` ("无数据"), never 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .codes import BAD_RATING_MAX, RATING_LEVELS

#: 不满意率 at or above this percentage is flagged (the seeds' 一票否决 line); local, configurable.
DEFAULT_VETO_PERCENT = 30

Tally = Mapping[str, Any]


def empty_tally() -> dict[str, Any]:
    return {
        "cases_received": 0, "cases_completed": 0, "completed_on_time": 0, "completed_early": 0,
        "completed_on_the_spot": 0, "cases_rejected": 0,
        "ratings": {str(level): 0 for level in RATING_LEVELS},
        "bad_rectified": 0, "complaints_received": 0, "complaints_answered": 0,
        "complaints_answered_on_time": 0, "complaints_due": 0,
    }


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in percent with one decimal (half up), or None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratings_total(tally: Tally) -> int:
    return sum(tally["ratings"].values())


def bad_ratings(tally: Tally) -> int:
    return sum(n for level, n in tally["ratings"].items() if int(level) <= BAD_RATING_MAX)


def good_ratings(tally: Tally) -> int:
    return ratings_total(tally) - bad_ratings(tally)


def rates(tally: Tally) -> dict[str, Decimal | None]:
    """Every published rate of a tally, by name."""
    completed = tally["cases_completed"]
    return {
        "on_time": percent(tally["completed_on_time"], completed),  # 按时办结率
        "early": percent(tally["completed_early"], completed),  # 提前办结率
        "on_the_spot": percent(tally["completed_on_the_spot"], completed),  # 现场办结率
        "satisfaction": percent(good_ratings(tally), ratings_total(tally)),  # 满意率
        "dissatisfaction": percent(bad_ratings(tally), ratings_total(tally)),  # 不满意率
        "rectified": percent(tally["bad_rectified"], bad_ratings(tally)),  # 差评整改率
        # Only complaints already answered or past their deadline can be judged (a complaint
        # received yesterday is neither late nor on time yet).
        "complaints_on_time": percent(tally["complaints_answered_on_time"], tally["complaints_due"]),
    }


#: Chinese names of the rates, in display order.
RATE_LABELS: dict[str, str] = {
    "on_time": "按时办结率",
    "early": "提前办结率",
    "on_the_spot": "现场办结率",
    "satisfaction": "满意率",
    "dissatisfaction": "不满意率",
    "rectified": "差评整改率",
    "complaints_on_time": "投诉按时答复率",
}


def over_veto_line(tally: Tally, veto_percent: int = DEFAULT_VETO_PERCENT) -> bool:
    """True when the 不满意率 reaches the veto line (and there are ratings at all)."""
    rate = rates(tally)["dissatisfaction"]
    return rate is not None and rate >= veto_percent


def format_percent(value: Decimal | None) -> str:
    """98.0 → "98.0%"; None → "无数据"."""
    return "无数据" if value is None else f"{value}%"
