"""The public face of answered questions (网上咨询公开): consented, chosen by the department, masked.

A question appears when it is answered, its asker agreed to publication and the department did not
withhold it; only the department, item (when public), dates, days taken, whether it was answered on
time, and the subject, question and answer passed through ``privacy.masking.mask``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..db import db
from ..deadlines import working_days_between
from ..models import Question
from ..privacy.masking import mask_for_publication


def public_question(question: Question, department: str, item_codes: set[str]) -> dict[str, Any]:
    """One question as published (also the back office's preview)."""
    name = question.contact_name
    asked = clock.to_cn_date(question.received_at)
    answered = clock.to_cn_date(question.answered_at or question.received_at)
    item = question.item
    return {
        "code": question.tracking_no,
        "department": department,
        "item": item.code if item is not None and item.code in item_codes else None,
        "subject": mask_for_publication(question.subject, name),
        "question": mask_for_publication(question.content, name),
        "answer": mask_for_publication(question.answer, name),
        "asked_on": asked.isoformat(),
        "answered_on": answered.isoformat(),
        "days_taken": working_days_between(asked, answered),
        "on_time": answered <= question.deadline,
    }


def public_questions(departments: dict[int, str], item_codes: set[str]) -> list[dict[str, Any]]:
    """Every publishable question of a public department, by number."""
    stmt = (select(Question).options(joinedload(Question.item))
            .where(Question.department_id.in_(list(departments)), Question.status == "answered",
                   Question.publish_consent.is_(True), Question.public.is_(True))
            .order_by(Question.tracking_no))
    return [public_question(q, departments[q.department_id], item_codes) for q in db.session.scalars(stmt)]
