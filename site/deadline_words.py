"""Deadlines in the words citizens read: Chinese dates, and what a count of working days skipped.

Shared by the case lookup (``cases.queries``) and the complaint and question pages
(``complaints.progress``), so every public page says "国庆节（10月1日至7日）不计" the same way.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from .deadlines import Explanation

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def cn_date(day: dt.date, *, year: bool = True) -> str:
    """2026-10-01 → "2026年10月1日" (or "10月1日" without the year)."""
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if year else text


def date_in(day: dt.date, start_year: int) -> str:
    """The date, with its year only when it is not ``start_year``'s."""
    return cn_date(day, year=day.year != start_year)


def span(first: dt.date, last: dt.date, start_year: int) -> str:
    """"10月1日至7日", "1月31日至2月2日", "12月31日至2027年1月2日", or one day."""
    head = date_in(first, start_year)
    if first == last:
        return head
    if last.year != first.year:
        tail = cn_date(last)
    elif last.month != first.month:
        tail = cn_date(last, year=False)
    else:
        tail = f"{last.day}日"
    return f"{head}至{tail}"


def _runs(holidays: tuple[tuple[dt.date, str], ...]) -> list[tuple[str, dt.date, dt.date]]:
    """Consecutive days of one holiday as (name, first, last)."""
    runs: list[tuple[str, dt.date, dt.date]] = []
    for day, name in holidays:
        if runs and runs[-1][0] == name and (day - runs[-1][2]).days == 1:
            runs[-1] = (name, runs[-1][1], day)
        else:
            runs.append((name, day, day))
    return runs


def counted_parts(counted: Explanation, start_year: int, *, weekends: bool = False) -> list[str]:
    """What the count skipped and counted: holidays by name, make-up working days (and weekends)."""
    parts: list[str] = []
    if counted.holidays:
        runs = []
        for name, group in groupby(_runs(counted.holidays), key=lambda run: run[0]):
            spans = "、".join(span(first, last, start_year) for _, first, last in group)
            runs.append(f"{name}（{spans}）")
        parts.append("、".join(runs) + "不计")
    if counted.makeup_days:
        made = "、".join(f"{date_in(d, start_year)}（{WEEKDAYS[d.weekday()]}）" for d in counted.makeup_days)
        parts.append(f"{made}为调休上班日，计入")
    if weekends and counted.weekend_days:
        parts.append(f"{'另有' if parts else ''}周六、周日{counted.weekend_days}天不计")
    return parts


def with_parts(head: str, parts: list[str]) -> str:
    return head + ("；其间" + "，".join(parts) if parts else "")
