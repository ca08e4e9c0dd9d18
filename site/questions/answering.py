"""Answering or declining a question: the rules, for the back office (no request, no commit)."""

from __future__ import annotations

import datetime as dt

from sunshine.contract.codes import QUESTION_DECLINE_REASONS

from .. import clock
from ..models import Department, Question
from ..supervision import GREEN, warning_level


class AnswerRefused(Exception):
    """Not allowed now, or missing what it needs (message in Chinese)."""


def answer(question: Question, text: str, *, user_id: int, public: bool = True,
           at: dt.datetime | None = None) -> None:
    """答复: the answer the asker sees (and, with consent and ``public``, everyone, masked)."""
    if question.status != "received":
        raise AnswerRefused(f"该咨询当前为“{question.status_label}”，不能再答复。")
    if not (text or "").strip():
        raise AnswerRefused("请填写答复内容。")
    question.answer = text.strip()
    question.answered_at = at or clock.now()
    question.answered_by = user_id
    question.public = bool(public)
    question.status = "answered"


def decline(question: Question, reason: str, note: str, *, user_id: int, at: dt.datetime | None = None) -> None:
    """不予答复 with a reason and a note to the asker; never published."""
    if question.status != "received":
        raise AnswerRefused(f"该咨询当前为“{question.status_label}”，不能不予答复。")
    if reason not in QUESTION_DECLINE_REASONS:
        raise AnswerRefused("请选择不予答复的理由。")
    if not (note or "").strip():
        raise AnswerRefused("请写明给提问人的说明。")
    question.decline_reason = reason
    question.decline_note = note.strip()
    question.answered_at = at or clock.now()
    question.answered_by = user_id
    question.public = False
    question.status = "declined"


def reassign(question: Question, department: Department) -> None:
    """转办: the administrator sends a question to the department that should answer it."""
    if question.status != "received":
        raise AnswerRefused("已答复的咨询不能转办。")
    if department.id == question.department_id:
        raise AnswerRefused("转办时请选择另一个部门。")
    question.department = department
    question.department_id = department.id


def light(question: Question, today: dt.date, warn_days: int = 1) -> str:
    """The 电子监察 light of an unanswered question's deadline (the rule of cases and complaints)."""
    if question.status != "received":
        return GREEN
    return warning_level(question.deadline, today, warn_days)
