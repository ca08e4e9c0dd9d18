"""Filing and looking up complaints (效能投诉): numbers, secret codes, deadlines.

The query code is shown to the citizen once and stored only as a hash; a
lookup needs both the tracking number and the code, and answers the same
"not found" whichever of the two is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from . import clock
from .db import db
from .deadlines import add_working_days
from .models import Complaint, ComplaintEvent, Department, ServiceItem
from .query_codes import check_code, check_unknown, hash_code, new_code


@dataclass
class Filed:
    complaint: Complaint
    query_code: str


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
    received_at = received_at or clock.now()
    day = clock.to_cn_date(received_at)
    code = new_code()
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
        check_unknown(query_code)
        return None
    return complaint if check_code(complaint.query_code_hash, query_code) else None
