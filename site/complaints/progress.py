"""The citizen's view of deadlines: per stage, the date, the working days and how they were counted.

The form shows the stages a complaint (or a question) filed today will run through; the receipt
and the lookup show them for the stored record. Each stage says its start, the working days, the
resulting date and what ``deadlines.explain`` skipped or counted (holidays by name, 调休 make-up
working days, weekends), so a citizen can check the date by hand. The stage the office is working
on carries the e-supervision light of ``lifecycle.light`` (the back office's own rule), worded
for the citizen: "剩余3个工作日", "即将到期（今天到期）", "已超期2个工作日".

Pure functions over the models (no request, no query: the complaint's ``events`` are loaded by
the caller when its history is shown anyway).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .. import clock
from ..deadline_words import cn_date, counted_parts, date_in, with_parts
from ..deadlines import Explanation, explain, working_days_between
from ..models import Complaint, Question
from ..questions.answering import light as question_light
from ..supervision import GREEN, RED, YELLOW
from .lifecycle import AWAITING_REPLY, Rules, light, reopen_until

#: Stage key → its name on the citizen's pages.
STAGE_LABELS = {
    "accept": "受理期限",
    "answer": "答复期限",
    "reopen": "可申请重新办理的期限",
}
#: Lights whose state is shown to the citizen, with the class the pages style.
LIGHT_WORDS = {YELLOW: "即将到期", RED: "已超期"}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    #: The day the count starts from (not itself counted).
    start: dt.date
    #: What happened on ``start`` ("提交", "申请重新办理", "办结").
    start_event: str
    days: int
    due: dt.date
    explanation: Explanation
    #: "upcoming" (not started), "current" (running now), "done" (met or missed), "passed" (a window gone).
    state: str = "upcoming"
    #: green / yellow / red while current; green otherwise.
    light: str = GREEN
    #: The citizen's words for where the stage stands ("剩余3个工作日", "已于10月8日受理，按期").
    status_text: str = ""

    @property
    def how(self) -> str:
        return _how(self.start, self.days, self.start_event)

    @property
    def light_word(self) -> str:
        return LIGHT_WORDS.get(self.light, "")


def explain_text(start: dt.date, days: int, start_event: str, counted: Explanation | None = None) -> str:
    """How the date was counted, in Chinese.

    e.g. "自2026年9月30日提交起计13个工作日（当日不计），至2026年10月23日；其间国庆节（10月1日至7日）不计，
    10月10日（星期六）为调休上班日，计入，另有周六、周日3天不计".
    """
    counted = counted or _explain(start, days)
    head = f"自{cn_date(start)}{start_event}起计{days}个工作日（当日不计），至{cn_date(counted.end)}"
    return with_parts(head, counted_parts(counted, start.year, weekends=True))


#: ``deadlines.explain`` remembered: every filing of a day asks for the same few counts (the receipt is
#: on the intake's hot path, and naming holidays scans the calendar's table on each call).
_explain = functools.lru_cache(maxsize=4096)(explain)


@functools.lru_cache(maxsize=4096)
def _how(start: dt.date, days: int, start_event: str) -> str:
    return explain_text(start, days, start_event, _explain(start, days))


def _stage(key: str, start: dt.date, start_event: str, *, days: int | None = None,
           due: dt.date | None = None, **state) -> Stage:
    """A stage of ``days`` working days, or ending on the stored ``due`` (its days counted back)."""
    if days is None:
        days = working_days_between(start, due) if due is not None else 0
    counted = _explain(start, days)
    return Stage(key, STAGE_LABELS[key], start, start_event, days, due or counted.end, counted, **state)


def running_text(due: dt.date, today: dt.date, lamp: str) -> str:
    """Where a running deadline stands, as the citizen reads it."""
    if lamp == RED:
        late = working_days_between(due, today)
        return f"已超期{late}个工作日" if late else "已超过期限"
    left = working_days_between(today, due)
    if lamp == YELLOW:
        return "即将到期（今天到期）" if due == today else f"即将到期（剩余{left}个工作日）"
    return f"剩余{left}个工作日"


def _met_text(verb: str, on: dt.date, due: dt.date, year: int) -> str:
    if on <= due:
        return f"已于{date_in(on, year)}{verb}，按期"
    late = working_days_between(due, on)
    return f"已于{date_in(on, year)}{verb}，超期{late}个工作日" if late else f"已于{date_in(on, year)}{verb}，超过期限"


# --- before filing -------------------------------------------------------------------------------

def complaint_preview(today: dt.date, rules: Rules | None = None) -> list[Stage]:
    """The acceptance and answer deadlines of a complaint filed ``today`` (shown on the form)."""
    rules = rules or Rules.from_app()
    return [_stage("accept", today, "提交", days=rules.accept_days),
            _stage("answer", today, "提交", days=rules.answer_days)]


def question_preview(today: dt.date, days: int) -> list[Stage]:
    """The answer deadline of a question asked ``today``."""
    return [_stage("answer", today, "提交", days=days)]


# --- a stored complaint --------------------------------------------------------------------------

def _event_day(complaint: Complaint, *labels: str) -> dt.date | None:
    """Day of the latest history step named one of ``labels`` (e.g. "受理")."""
    days = [e.at for e in complaint.events if e.action in labels]
    return clock.to_cn_date(max(days)) if days else None


def complaint_stages(complaint: Complaint, today: dt.date, rules: Rules | None = None) -> list[Stage]:
    """Every deadline of ``complaint`` as of ``today``, in order: acceptance, answer, reopen window."""
    rules = rules or Rules.from_app()
    received = clock.to_cn_date(complaint.received_at)
    year = received.year
    lamp = light(complaint, today, rules.warn_days)
    stages: list[Stage] = []

    accept_due = complaint.accept_deadline or complaint.deadline
    if complaint.status == "received":
        stages.append(_stage("accept", received, "提交", due=accept_due, state="current", light=lamp,
                             status_text=running_text(accept_due, today, lamp)))
    else:
        decided = _event_day(complaint, "受理", "不予受理")
        verb = "不予受理" if complaint.status == "declined" else "受理"
        stages.append(_stage("accept", received, "提交", due=accept_due, state="done",
                             status_text=_met_text(verb, decided, accept_due, year) if decided else "已受理"))
    if complaint.status == "declined":
        return stages

    reopened = _event_day(complaint, "申请重新办理") if complaint.reopen_count else None
    start, start_event = (reopened, "申请重新办理") if reopened else (received, "提交")
    if complaint.status == "received":
        answer = _stage("answer", start, start_event, due=complaint.deadline)
    elif complaint.status in AWAITING_REPLY:
        answer = _stage("answer", start, start_event, due=complaint.deadline, state="current", light=lamp,
                        status_text=running_text(complaint.deadline, today, lamp))
    else:
        answered = clock.to_cn_date(complaint.answered_at) if complaint.answered_at else None
        answer = _stage("answer", start, start_event, due=complaint.deadline, state="done",
                        status_text=_met_text("答复", answered, complaint.deadline, year) if answered else "已答复")
    stages.append(answer)

    if complaint.status == "closed" and complaint.closed_at is not None and complaint.confirmed_at is None \
            and complaint.reopen_count == 0:
        closed = clock.to_cn_date(complaint.closed_at)
        last = reopen_until(complaint, rules)
        if last is not None:
            open_now = today <= last
            stages.append(_stage("reopen", closed, "办结", due=last, state="current" if open_now else "passed",
                                 status_text=(f"可在{date_in(last, year)}前（含当日）申请重新办理" if open_now
                                              else "已超过可申请重新办理的期限")))
    return stages


# --- a stored question ---------------------------------------------------------------------------

def question_stages(question: Question, today: dt.date, warn_days: int = 1) -> list[Stage]:
    """The answer deadline of ``question`` as of ``today`` (the light of ``questions.answering.light``)."""
    received = clock.to_cn_date(question.received_at)
    if question.status == "received":
        lamp = question_light(question, today, warn_days)
        return [_stage("answer", received, "提交", due=question.deadline, state="current", light=lamp,
                       status_text=running_text(question.deadline, today, lamp))]
    answered = clock.to_cn_date(question.answered_at) if question.answered_at else None
    verb = "答复" if question.status == "answered" else "作出不予答复的决定"
    text = _met_text(verb, answered, question.deadline, received.year) if answered else question.status_label
    return [_stage("answer", received, "提交", due=question.deadline, state="done", status_text=text)]
