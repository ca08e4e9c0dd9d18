"""Filing and looking up complaints (效能投诉): numbers, secret codes, deadlines.

The tracking number is random (TS-K7MX-2QPA: 40 bits from the query-code alphabet),
so it says nothing about how many complaints a day brings and is easy to read
aloud; a clash with an existing number is retried. The query code is shown to
the citizen once and stored only as a hash; a lookup needs both the tracking
number and the code, and answers the same "not found" whichever is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..db import commit_keeping_loaded, db
from ..deadlines import add_working_days
from ..models import Complaint, ComplaintEvent, Department, ServiceItem
from ..query_codes import check_code, check_unknown, code_for, hash_code, new_code
from .lifecycle import Rules

TRACKING_PREFIX = "TS"
_COMPACT_NUMBER = re.compile(rf"^{TRACKING_PREFIX}([A-Z0-9]{{4}})([A-Z0-9]{{4}})$")


@dataclass
class Filed:
    complaint: Complaint
    query_code: str
    #: False when the same form had already filed this complaint (a refresh or a double click).
    new: bool = True


def new_tracking_no() -> str:
    """TS-XXXX-XXXX from the unambiguous alphabet of query codes: random, never a count."""
    body = new_code()
    return f"{TRACKING_PREFIX}-{body[:4]}-{body[4:]}"


def normalise_tracking_no(value: str) -> str:
    """What the citizen typed → the stored form: case, spaces and dashes do not matter.

    Numbers of the first release (TS20261102-0001) are kept as typed, upper-cased.
    """
    text = (value or "").strip().upper()
    compact = re.sub(r"[\s\-－—_]", "", text)
    match = _COMPACT_NUMBER.match(compact)
    return f"{TRACKING_PREFIX}-{match.group(1)}-{match.group(2)}" if match else text


SUBMISSION_PURPOSE = "complaint-submission"


def _filed_with(submission_key: str | None) -> Filed | None:
    if not submission_key:
        return None
    found = db.session.scalars(select(Complaint).where(Complaint.submission_key == submission_key)).first()
    return Filed(found, code_for(SUBMISSION_PURPOSE, submission_key), new=False) if found else None


def record_owners(department, item) -> dict:
    """The department and item as relationships (model instances) or as ids (the intake's cached
    ``choices.Option``s, so that a filing reads no department or item row)."""
    if isinstance(department, Department):
        return {"department": department, "item": item}
    return {"department_id": department.id, "item_id": item.id if item is not None else None}


def file_complaint(*, department: Department, item: ServiceItem | None, category: str, subject: str,
                   content: str, contact_name: str, contact_phone: str, days_to_answer: int | None = None,
                   received_at: dt.datetime | None = None, submission_key: str | None = None,
                   contact_email: str = "", notify_by: str = "", publish_consent: bool = False,
                   days_to_accept: int | None = None) -> Filed:
    """Store a new complaint with its deadline; retries the number on a concurrent clash.

    ``submission_key`` (random, one per rendering of the form) makes filing idempotent: a second
    post with the same key stores nothing and returns the first complaint with the same query code.
    The insert comes first and the unique key finds a repeat (no lookup before every filing), and
    the commit keeps what was written loaded (the receipt needs no second read): the intake's hot path.
    """
    received_at = received_at or clock.now()
    day = clock.to_cn_date(received_at)
    rules = Rules.from_app()
    answer_days = rules.answer_days if days_to_answer is None else days_to_answer
    accept_by = add_working_days(day, rules.accept_days if days_to_accept is None else days_to_accept)
    code = code_for(SUBMISSION_PURPOSE, submission_key) if submission_key else new_code()
    for _attempt in range(5):
        complaint = Complaint(
            tracking_no=new_tracking_no(),
            query_code_hash=hash_code(code),
            **record_owners(department, item),
            category=category,
            subject=subject,
            content=content,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            notify_by=notify_by,
            publish_consent=publish_consent,
            status="received",
            received_at=received_at,
            accept_deadline=accept_by,
            deadline=add_working_days(day, answer_days),
            due_on=accept_by,
            late_answers=0,
            reopen_count=0,
            submission_key=submission_key or None,
        )
        complaint.events.append(ComplaintEvent(at=received_at, action="收到", note="网上投诉",
                                               public_note="", actor="citizen"))
        db.session.add(complaint)
        try:
            commit_keeping_loaded()
        except IntegrityError:
            db.session.rollback()
            earlier = _filed_with(submission_key)  # the same form posted twice at once
            if earlier is not None:
                return earlier
            continue  # a tracking number clash: draw another
        return Filed(complaint=complaint, query_code=code)
    raise RuntimeError("could not allocate a tracking number")


def lookup(tracking_no: str, query_code: str) -> Complaint | None:
    complaint = db.session.scalars(
        select(Complaint).where(Complaint.tracking_no == normalise_tracking_no(tracking_no))
    ).first()
    if complaint is None:
        check_unknown(query_code)
        return None
    return complaint if check_code(complaint.query_code_hash, query_code) else None
