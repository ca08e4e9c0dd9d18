"""Filing and looking up complaints (效能投诉): numbers, secret codes, deadlines.

The query code is shown to the citizen once and stored only as a hash; a
lookup needs both the tracking number and the code, and answers the same
"not found" whichever of the two is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .db import db
from .deadlines import add_working_days
from .models import Complaint, ComplaintEvent, Department, ServiceItem
from .templating import CN_TZ

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
CODE_LENGTH = 8


@dataclass
class Filed:
    complaint: Complaint
    query_code: str


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_code(code: str) -> str:
    return generate_password_hash(code.upper())


@functools.cache
def _dummy_hash() -> str:
    return hash_code("X" * CODE_LENGTH)


def _next_tracking_no(day: dt.date) -> str:
    prefix = f"TS{day:%Y%m%d}-"
    count = db.session.scalar(
        select(func.count()).select_from(Complaint).where(Complaint.tracking_no.like(prefix + "%"))
    )
    return f"{prefix}{count + 1:04d}"


def file_complaint(*, department: Department, item: ServiceItem | None, category: str, subject: str,
                   content: str, contact_name: str, contact_phone: str, days_to_answer: int,
                   received_at: dt.datetime | None = None) -> Filed:
    """Store a new complaint with its deadline; retries the number on a concurrent clash."""
    received_at = received_at or dt.datetime.now(CN_TZ)
    day = received_at.astimezone(CN_TZ).date()
    code = new_query_code()
    for _attempt in range(5):
        complaint = Complaint(
            tracking_no=_next_tracking_no(day),
            query_code_hash=hash_code(code),
            department=department,
            item=item,
            category=category,
            subject=subject,
            content=content,
            contact_name=contact_name,
            contact_phone=contact_phone,
            status="received",
            received_at=received_at,
            deadline=add_working_days(day, days_to_answer),
        )
        complaint.events.append(ComplaintEvent(at=received_at, action="收到", note="网上投诉"))
        db.session.add(complaint)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return Filed(complaint=complaint, query_code=code)
    raise RuntimeError("could not allocate a tracking number")


def lookup(tracking_no: str, query_code: str) -> Complaint | None:
    complaint = db.session.scalars(
        select(Complaint).where(Complaint.tracking_no == tracking_no.strip().upper())
    ).first()
    if complaint is None:
        # Check against a fixed hash so an unknown number costs the same as a wrong code.
        check_password_hash(_dummy_hash(), query_code)
        return None
    if not check_password_hash(complaint.query_code_hash, query_code.strip().upper()):
        return None
    return complaint
