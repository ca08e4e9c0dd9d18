"""Filing: one complaint per form rendering, whatever the repeats; the receipt needs no second read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, func, select

from sunshine.site import clock
from sunshine.site.complaints import file_complaint
from sunshine.site.db import db
from sunshine.site.models import Complaint, Department

KEY = "b1-Zq3VtYp0aLmN8rKs2UwXy4Hc"


def _file(demo, **extra):
    department = db.session.scalars(select(Department).where(Department.code == "mz")).one()
    return file_complaint(department=department, item=None, category="服务态度", subject="窗口人员态度生硬",
                          content="办理低保年审时窗口人员不耐烦，多次打断我的说明。", contact_name="",
                          contact_phone="", submission_key=KEY, **extra)


def test_a_repeated_post_returns_the_first_complaint_and_its_code(demo):
    with demo.app_context(), clock.frozen("2026-11-23T10:00:00"):
        first = _file(demo)
        number, code = first.complaint.tracking_no, first.query_code
        again = _file(demo)
        assert (again.new, again.complaint.tracking_no, again.query_code) == (False, number, code)
        assert db.session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.submission_key == KEY)) == 1


def test_the_filed_complaint_is_usable_after_the_commit_without_a_query(demo):
    with demo.app_context(), clock.frozen("2026-11-23T10:00:00"):
        filed = _file(demo)
        statements = []
        def count(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            receipt = (filed.complaint.tracking_no, filed.complaint.department.code, filed.complaint.deadline,
                       filed.complaint.accept_deadline)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert statements == []
        assert receipt[1:] == ("mz", dt.date(2026, 12, 10), dt.date(2026, 11, 24))
