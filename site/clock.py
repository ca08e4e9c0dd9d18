"""The clock: China time, today and now, in one place that tests (and demos) can set.

Every deadline, warning, figure and timestamp asks this module, never the wall
clock directly. Tests freeze it with ``frozen(...)``; an operator can pin a
whole process with ``SUNSHINE_CLOCK=2026-11-23T10:00:00+08:00`` (a demo that
should look the same every day, or a browser test against a server process).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

CN_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
ENV = "SUNSHINE_CLOCK"

_fixed: dt.datetime | None = None


def _parse(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=CN_TZ) if moment.tzinfo is None else moment


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    if _fixed is not None:
        return _fixed.astimezone(dt.UTC)
    pinned = os.environ.get(ENV)
    if pinned:
        return _parse(pinned).astimezone(dt.UTC)
    return dt.datetime.now(dt.UTC)


def now_cn() -> dt.datetime:
    """The current moment in China time."""
    return now().astimezone(CN_TZ)


def today() -> dt.date:
    """Today's date in China (deadlines count in China's working days)."""
    return now_cn().date()


def to_cn_date(moment: dt.datetime) -> dt.date:
    """The China calendar date of an aware moment."""
    return moment.astimezone(CN_TZ).date()


def set_now(moment: dt.datetime | str | None) -> None:
    """Pin the clock (None releases it). Naive values are China time."""
    global _fixed
    _fixed = _parse(moment) if isinstance(moment, str) else (
        moment.replace(tzinfo=CN_TZ) if moment is not None and moment.tzinfo is None else moment)


@contextmanager
def frozen(moment: dt.datetime | str) -> Iterator[None]:
    """Run a block at a fixed moment, then restore whatever the clock was."""
    global _fixed
    saved = _fixed
    set_now(moment)
    try:
        yield
    finally:
        _fixed = saved
