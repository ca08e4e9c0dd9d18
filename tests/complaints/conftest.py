"""A complaint filed on a known day against a demo department, and a clerk to move it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, Department, User

#: Wednesday 2026-09-30: the accept deadline skips 国庆节 (10-01…10-08) and lands on Friday 10-09.
FILED_AT = "2026-09-30T10:00:00"


@pytest.fixture
def filed(demo):
    """File a complaint on FILED_AT (accept 1, answer 13 working days); returns its id."""
    from sunshine.site.complaints import file_complaint

    def _file(department_code: str = "scjg", **overrides) -> int:
        with demo.app_context(), clock.frozen(FILED_AT):
            department = db.session.scalars(select(Department).where(Department.code == department_code)).one()
            fields = dict(item=None, category="办理超时", subject="食品经营许可证超期未办结",
                          content="9月10日递交的食品经营许可申请，承诺10个工作日，至今没有结果。",
                          contact_name="黄丽娟", contact_phone="13881234567", publish_consent=True)
            fields.update(overrides)
            return file_complaint(department=department, **fields).complaint.id

    return _file


@pytest.fixture
def act(demo):
    """Apply a lifecycle action at a moment ("2026-10-09T15:00:00"), committed; returns the complaint's id."""
    from sunshine.site.complaints.lifecycle import apply_action

    def _act(complaint_id: int, action: str, at: str, *, by: str | None = "editor-scjg", **kwargs) -> int:
        with demo.app_context(), clock.frozen(at):
            complaint = db.session.get(Complaint, complaint_id)
            user = db.session.scalars(select(User).where(User.username == by)).one() if by else None
            for key in ("department",):
                if isinstance(kwargs.get(key), str):
                    kwargs[key] = db.session.scalars(select(Department).where(Department.code == kwargs[key])).one()
            apply_action(complaint, action, user_id=user.id if user else None, **kwargs)
            db.session.commit()
        return complaint_id

    return _act


@pytest.fixture
def stored(demo):
    def _load(complaint_id: int) -> Complaint:
        with demo.app_context():
            complaint = db.session.get(Complaint, complaint_id)
            _ = list(complaint.events), complaint.department.code
            db.session.expunge_all()
            return complaint

    return _load


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
