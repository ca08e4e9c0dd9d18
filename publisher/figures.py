"""Figures: the snapshot's performance aggregates shaped for the public pages —
the centre and each department, per month and for the whole period, each row
with its counts, its rates and its flag at the veto line.

Every rate comes from ``sunshine.contract.figures`` (never a formula of its
own here), so the pages, the CSV and anyone re-checking the open data agree.
Pure data; never writes files, never imports Flask or the site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sunshine.contract.figures import (
    RATE_LABELS,
    bad_ratings,
    empty_tally,
    over_veto_line,
    rates,
    ratings_total,
)

Record = dict[str, Any]
Tally = Mapping[str, Any]

TOTAL_LABEL = "合计"

#: Count columns of a tally, with their Chinese names, in display order.
COUNT_LABELS: dict[str, str] = {
    "cases_received": "受理办件",
    "cases_completed": "办结办件",
    "completed_on_time": "按时办结",
    "completed_early": "提前办结",
    "completed_on_the_spot": "现场办结",
    "cases_rejected": "不予受理",
    "bad_rectified": "差评已整改",
    "complaints_received": "收到投诉",
    "complaints_answered": "已答复投诉",
    "complaints_answered_on_time": "按时答复投诉",
    "complaints_due": "已答复或已到期投诉",
}


def month_label(month: str) -> str:
    """``2024-05`` → ``2024年5月``; other values unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    return f"{match.group(1)}年{int(match.group(2))}月" if match else month


@dataclass(frozen=True)
class Row:
    """One tally (a month, or the whole period) with everything derived from it."""

    key: str  # "2024-05", or "total"
    label: str  # "2024年5月", or "合计"
    tally: Tally
    rates: dict[str, Decimal | None]
    ratings: int  # valid ratings of any level
    bad: int  # 差评: 不满意 + 非常不满意
    over_veto: bool

    def count(self, name: str) -> int:
        return int(self.tally[name])

    def rating(self, level: int) -> int:
        return int(self.tally["ratings"][str(level)])


def make_row(key: str, label: str, tally: Tally, veto_percent: int) -> Row:
    return Row(
        key=key,
        label=label,
        tally=tally,
        rates=rates(tally),
        ratings=ratings_total(tally),
        bad=bad_ratings(tally),
        over_veto=over_veto_line(tally, veto_percent),
    )


@dataclass(frozen=True)
class Unit:
    """The centre, or one department: totals and months."""

    code: str  # department code; "" for the centre
    name: str
    short_name: str
    total: Row
    months: list[Row]

    @property
    def over_veto(self) -> bool:
        return self.total.over_veto

    @property
    def flagged_months(self) -> list[Row]:
        return [row for row in self.months if row.over_veto]

    @property
    def has_cases(self) -> bool:
        return self.total.count("cases_received") > 0 or self.total.count("cases_completed") > 0


@dataclass(frozen=True)
class Figures:
    """The published figures of one snapshot."""

    as_of: str
    months: list[str]
    veto_percent: int
    centre: Unit
    departments: list[Unit]  # in the order of the departments given (window order)

    @property
    def period(self) -> str:
        """``2024年5月至2024年6月``, one month alone, or ``暂无统计期间``."""
        if not self.months:
            return "暂无统计期间"
        first, last = month_label(self.months[0]), month_label(self.months[-1])
        return first if first == last else f"{first}至{last}"

    def of(self, code: str) -> Unit:
        return next(unit for unit in self.departments if unit.code == code)

    def ranking(self) -> list[Unit]:
        """Departments slowest first by 按时办结率; those without completed cases last."""
        order = {unit.code: index for index, unit in enumerate(self.departments)}

        def key(unit: Unit) -> tuple[int, Decimal, int]:
            rate = unit.total.rates["on_time"]
            return (
                (1, Decimal(0), order[unit.code]) if rate is None else (0, rate, order[unit.code])
            )

        return sorted(self.departments, key=key)

    def over_veto(self) -> list[Unit]:
        return [unit for unit in self.departments if unit.over_veto]


def _unit(
    code: str, name: str, short_name: str, data: Record | None, months: list[str], veto: int
) -> Unit:
    total = data["total"] if data else empty_tally()
    by_month = {row["month"]: row for row in (data["months"] if data else [])}
    rows = [
        make_row(month, month_label(month), by_month.get(month) or empty_tally(), veto)
        for month in months
    ]
    return Unit(code, name, short_name, make_row("total", TOTAL_LABEL, total, veto), rows)


def build_figures(snapshot: Record, departments: list[Record]) -> Figures:
    """Shape ``snapshot["figures"]`` for the pages; ``departments`` in display order.

    A department without a row in the figures (e.g. one that joined the hall after
    the figures were computed) gets empty tallies, so its rates read 无数据.
    """
    data = snapshot["figures"]
    months = list(data["months"])
    veto = int(data["veto_percent"])
    rows = {row["department"]: row for row in data["departments"]}
    centre_name = snapshot["site"]["name"]
    return Figures(
        as_of=data["as_of"],
        months=months,
        veto_percent=veto,
        centre=_unit("", centre_name, "全中心", data["centre"], months, veto),
        departments=[
            _unit(d["code"], d["name"], d["short_name"], rows.get(d["code"]), months, veto)
            for d in departments
        ],
    )


__all__ = [
    "COUNT_LABELS",
    "RATE_LABELS",
    "TOTAL_LABEL",
    "Figures",
    "Row",
    "Unit",
    "build_figures",
    "make_row",
    "month_label",
]
