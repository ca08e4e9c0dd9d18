"""The public face of handled complaints (投诉办理结果公开): consented, closed, anonymized.

Only complaints whose complainant agreed to publication and that are closed (办结) appear, and
only their department, item (when public), category, dates, working days taken, whether every
answer was on time, the outcome, and the subject, answer and reasons passed through
``privacy.masking.mask`` with the complainant's own name. Never the content as typed, a name,
a phone, an e-mail or a note.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..db import db
from ..deadlines import working_days_between
from ..models import Complaint
from ..privacy.masking import mask_for_publication


def public_outcome(complaint: Complaint, department: str, item_codes: set[str]) -> dict[str, Any]:
    """One complaint as published (also the back office's preview of what will be published)."""
    name = complaint.contact_name
    received = clock.to_cn_date(complaint.received_at)
    answered = clock.to_cn_date(complaint.answered_at or complaint.closed_at or complaint.received_at)
    item = complaint.item
    return {
        "code": complaint.tracking_no,
        "department": department,
        "item": item.code if item is not None and item.code in item_codes else None,
        "category": complaint.category,
        "subject": mask_for_publication(complaint.subject, name),
        "summary": mask_for_publication(complaint.reply, name),
        "outcome": complaint.outcome,
        "outcome_note": mask_for_publication(complaint.outcome_note, name),
        "received_on": received.isoformat(),
        "answered_on": answered.isoformat(),
        "closed_on": clock.to_cn_date(complaint.closed_at or complaint.received_at).isoformat(),
        "days_taken": working_days_between(received, answered),
        "on_time": complaint.late_answers == 0,
        "reopened": complaint.reopen_count > 0,
        "solved": complaint.solved,
    }


def public_outcomes(departments: dict[int, str], item_codes: set[str]) -> list[dict[str, Any]]:
    """Every publishable complaint of a public department, by tracking number."""
    stmt = (select(Complaint).options(joinedload(Complaint.item))
            .where(Complaint.department_id.in_(list(departments)), Complaint.status == "closed",
                   Complaint.publish_consent.is_(True), Complaint.outcome != "")
            .order_by(Complaint.tracking_no))
    return [public_outcome(c, departments[c.department_id], item_codes) for c in db.session.scalars(stmt)]
