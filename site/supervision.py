"""电子监察: the green / yellow / red light of a deadline, one rule for cases and complaints.

Pure functions: yellow when the deadline is ``warn_days`` working days away or
closer (today included), red once it has passed. What is still running is the
caller's business (a decided case or an answered complaint has no light).
"""

from __future__ import annotations

import datetime as dt

from .deadlines import add_working_days

GREEN, YELLOW, RED = "green", "yellow", "red"


def warning_level(deadline: dt.date | None, today: dt.date, warn_days: int = 1) -> str:
    """green, yellow or red for a running deadline as of ``today``."""
    if deadline is None:
        return GREEN
    if deadline < today:
        return RED
    if deadline <= add_working_days(today, warn_days):
        return YELLOW
    return GREEN
