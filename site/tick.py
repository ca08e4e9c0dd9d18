"""``sunshine tick``: recompute the 电子监察 light (green / yellow / red) of every open case.

Meant for cron, e.g. every 15 minutes and once just after midnight so the
day's new reds appear before the window opens::

    */15 * * * *  sunshine tick
    5 0 * * *     sunshine tick

One pass reads only what the rule needs (id, status, deadline, stored light)
of the cases that are open or still carry a yellow/red light, computes each
distinct (status, deadline) once with ``cases.lifecycle.current_warning``,
updates only the rows whose light changed (in bulk, by id) and commits once.
Complaints and online questions (网上咨询) have no stored light: those awaiting
acceptance or an answer are counted with the same rule
(``supervision.warning_level``, as ``complaints.lifecycle.light`` and
``questions.answering.light`` do) so the report shows all three.

It never changes a case's status, deadline or ``updated_at`` (the light is
derived, not an edit), never reads the wall clock directly (``clock``) and
never logs or prints anything about applicants.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, or_, select, update

from sunshine.contract.codes import CASE_OPEN_STATUSES, CASE_RUNNING_STATUSES

from . import clock
from .cases.lifecycle import current_warning
from .db import db
from .models import Complaint, Question, ServiceCase
from .supervision import GREEN, RED, YELLOW, warning_level

#: Ids per UPDATE statement (stays under every database's bound-parameter limit).
CHUNK = 500
LEVELS = (GREEN, YELLOW, RED)


@dataclass(frozen=True)
class TickReport:
    """What one tick found and changed."""

    today: dt.date
    #: Rows looked at (open cases plus decided ones still carrying a light).
    checked: int = 0
    turned_yellow: int = 0
    turned_red: int = 0
    back_to_green: int = 0
    #: Open cases by light after the tick.
    cases: dict[str, int] = field(default_factory=dict)
    #: Complaints awaiting an answer, by light.
    complaints: dict[str, int] = field(default_factory=dict)
    #: Online questions awaiting an answer, by light.
    questions: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.turned_yellow + self.turned_red + self.back_to_green

    def summary(self) -> str:
        """The one line the CLI prints."""
        line = (f"电子监察：红牌 {self.cases.get(RED, 0)} 件，黄牌 {self.cases.get(YELLOW, 0)} 件"
                f"（新增红牌 {self.turned_red} 件）")
        complaints_red, complaints_yellow = self.complaints.get(RED, 0), self.complaints.get(YELLOW, 0)
        if complaints_red or complaints_yellow:
            line += f"；投诉超期 {complaints_red} 件，即将到期 {complaints_yellow} 件"
        questions_red, questions_yellow = self.questions.get(RED, 0), self.questions.get(YELLOW, 0)
        if questions_red or questions_yellow:
            line += f"；咨询超期 {questions_red} 条，即将到期 {questions_yellow} 条"
        return line


class _Row:
    """The two attributes ``current_warning`` reads, without loading a whole case."""

    __slots__ = ("status", "deadline")

    def __init__(self, status: str, deadline: dt.date | None) -> None:
        self.status, self.deadline = status, deadline


def tick(today: dt.date | None = None, warn_days: int | None = None) -> TickReport:
    """Recompute and store the light of every open case as of ``today``; commit once."""
    today = today or clock.today()
    if warn_days is None:
        warn_days = int(current_app.config.get("SUNSHINE_WARNING_DAYS", 1))

    rows = db.session.execute(
        select(ServiceCase.id, ServiceCase.status, ServiceCase.deadline, ServiceCase.warning)
        .where(or_(ServiceCase.status.in_(CASE_OPEN_STATUSES), ServiceCase.warning != GREEN))
    ).all()

    levels: dict[tuple[str, dt.date | None], str] = {}
    changed: dict[str, list[int]] = {level: [] for level in LEVELS}
    totals: Counter[str] = Counter()
    for case_id, status, deadline, stored in rows:
        key = (status, deadline)
        level = levels.get(key)
        if level is None:
            level = levels[key] = current_warning(_Row(status, deadline), today, warn_days)
        if status in CASE_OPEN_STATUSES:
            totals[level] += 1
        if level != stored:
            changed[level].append(case_id)

    for level, ids in changed.items():
        for start in range(0, len(ids), CHUNK):
            stmt = update(ServiceCase).where(ServiceCase.id.in_(ids[start:start + CHUNK]))
            if level != GREEN:
                # A case decided since it was read keeps (or gets) green at the next tick, never red.
                stmt = stmt.where(ServiceCase.status.in_(CASE_RUNNING_STATUSES))
            db.session.execute(stmt.values(warning=level).execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire_all()

    return TickReport(
        today=today, checked=len(rows), turned_yellow=len(changed[YELLOW]), turned_red=len(changed[RED]),
        back_to_green=len(changed[GREEN]), cases={level: totals[level] for level in LEVELS},
        complaints=complaint_lights(today, warn_days), questions=question_lights(today, warn_days),
    )


def complaint_lights(today: dt.date, warn_days: int) -> dict[str, int]:
    """Complaints awaiting acceptance or an answer, by the light of their stage's deadline (one grouped query, one rule per distinct deadline)."""
    from .complaints.lifecycle import AWAITING_REPLY

    return _by_deadline(select(Complaint.due_on, func.count())
                        .where(Complaint.status.in_(AWAITING_REPLY), Complaint.due_on.is_not(None))
                        .group_by(Complaint.due_on), today, warn_days)


def question_lights(today: dt.date, warn_days: int) -> dict[str, int]:
    """Online questions awaiting an answer, by the light of their deadline (one grouped query)."""
    return _by_deadline(select(Question.deadline, func.count()).where(Question.status == "received")
                        .group_by(Question.deadline), today, warn_days)


def _by_deadline(grouped, today: dt.date, warn_days: int) -> dict[str, int]:
    """(deadline, count) rows → counts by light, the rule applied once per distinct deadline."""
    totals: Counter[str] = Counter()
    for deadline, count in db.session.execute(grouped).all():
        totals[warning_level(deadline, today, warn_days)] += count
    return {level: totals[level] for level in LEVELS}
