"""Asking a question (网上咨询) and looking it up: the same numbers, codes and idempotency as complaints.

A question number is ZX-XXXX-XXXX (random, never a count); the query code is shown once and stored
as a keyed hash; a repeated post of one form rendering (its submission key) stores nothing new and
shows the same receipt.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..complaints.filing import record_owners
from ..db import commit_keeping_loaded, db
from ..deadlines import add_working_days
from ..models import Department, Question, ServiceItem
from ..query_codes import check_code, check_unknown, code_for, hash_code, new_code

PREFIX = "ZX"
SUBMISSION_PURPOSE = "question-submission"
_COMPACT = re.compile(rf"^{PREFIX}([A-Z0-9]{{4}})([A-Z0-9]{{4}})$")


@dataclass
class Asked:
    question: Question
    query_code: str
    new: bool = True


def new_question_no() -> str:
    body = new_code()
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def normalise_question_no(value: str) -> str:
    """What the citizen typed → the stored form (case, spaces and dashes do not matter)."""
    text = (value or "").strip().upper()
    match = _COMPACT.match(re.sub(r"[\s\-－—_]", "", text))
    return f"{PREFIX}-{match.group(1)}-{match.group(2)}" if match else text


def answer_days() -> int:
    return int(current_app.config.get("SUNSHINE_QUESTION_DAYS", 5)) if has_app_context() else 5


def _asked_with(submission_key: str | None) -> Asked | None:
    if not submission_key:
        return None
    found = db.session.scalars(select(Question).where(Question.submission_key == submission_key)).first()
    return Asked(found, code_for(SUBMISSION_PURPOSE, submission_key), new=False) if found else None


def ask_question(*, department: Department, item: ServiceItem | None, subject: str, content: str,
                 contact_name: str = "", contact_phone: str = "", contact_email: str = "", notify_by: str = "",
                 publish_consent: bool = False, received_at: dt.datetime | None = None,
                 submission_key: str | None = None) -> Asked:
    """Store a question with its answer deadline; commits. Idempotent per ``submission_key``."""
    received_at = received_at or clock.now()
    code = code_for(SUBMISSION_PURPOSE, submission_key) if submission_key else new_code()
    deadline = add_working_days(clock.to_cn_date(received_at), answer_days())
    for _attempt in range(5):
        question = Question(
            tracking_no=new_question_no(), query_code_hash=hash_code(code), submission_key=submission_key or None,
            **record_owners(department, item), subject=subject, content=content, contact_name=contact_name,
            contact_phone=contact_phone, contact_email=contact_email, notify_by=notify_by,
            publish_consent=publish_consent, status="received", received_at=received_at, deadline=deadline,
            answer="", decline_reason="", decline_note="", public=True,
        )
        db.session.add(question)
        try:
            commit_keeping_loaded()  # the receipt reads what was written, not the row again
        except IntegrityError:
            db.session.rollback()
            earlier = _asked_with(submission_key)
            if earlier is not None:
                return earlier
            continue
        return Asked(question, code)
    raise RuntimeError("could not allocate a question number")


def lookup_question(number: str, query_code: str) -> Question | None:
    """The question behind a number and its code; None for either wrong (same cost)."""
    question = db.session.scalars(
        select(Question).where(Question.tracking_no == normalise_question_no(number))).first()
    if question is None:
        check_unknown(query_code)
        return None
    return question if check_code(question.query_code_hash, query_code) else None
