"""Fixtures of the bad-input tests: the demo data set with one decided case, and row counts of every table.

Every public POST endpoint gets a valid submission (``ENDPOINTS``) that would
store something or find something; the corpus spoils one part of it at a time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sunshine.site import clock
from sunshine.site.cases.lifecycle import change_status, new_case
from sunshine.site.db import db
from sunshine.site.models import ServiceItem

CASE_NO = "ZJJ-2026-000456"
CASE_CODE = "K7M2P9QA"
#: The day before 国庆节: every submission of these tests happens then.
SENT_AT = "2026-09-30T10:00:00+08:00"

COMPLAINT = {
    "department": "zjj", "item": "ZJJ-XK-001", "category": "办理超时",
    "subject": "施工许可超过承诺时限未办结",
    "content": "九月十五日提交的施工许可申请，承诺五个工作日，至今已过十个工作日仍未办结。",
    "contact_name": "王秀兰", "contact_phone": "13981234567",
}
RATING = {"level": "2", "comment": "窗口让我补交了三次营业执照复印件，每次说法都不一样。",
          "contact_name": "陈美玲", "contact_phone": "13912345678"}
QUESTION = {
    "department": "zjj", "item": "ZJJ-XK-001", "subject": "施工许可需要提交哪些材料",
    "content": "我家自建房需要办理施工许可，请问需要准备哪些材料？", "contact_name": "陈建国",
    "contact_phone": "13700002222", "contact_email": "chen.jg@example.cn", "notify_by": "email",
}
#: A complaint closed on 2026-09-29 (add_closed_complaint): on SENT_AT it may be reopened or confirmed.
CLOSED_NO = "TS-K7MX-2QPA"
CLOSED_CODE = "P9QAK7M2"
REOPEN = {"tracking_no": CLOSED_NO, "query_code": CLOSED_CODE,
          "reason": "答复说已办结，但我至今没有收到施工许可证。"}
CONFIRM = {"tracking_no": CLOSED_NO, "query_code": CLOSED_CODE, "solved": "no", "level": "2",
           "comment": "问题没有解决，窗口也联系不上。"}

#: endpoint → (address, a valid submission, its text fields, the status the valid submission gets).
ENDPOINTS = {
    "complaint": ("/intake/complaint", COMPLAINT, ("subject", "content", "contact_name", "contact_phone"), 201),
    "lookup": ("/intake/lookup", {"tracking_no": "TS20260930-0001", "query_code": "AAAAAAAA"},
               ("tracking_no", "query_code"), 404),
    "case": ("/intake/case", {"case_no": CASE_NO, "query_code": CASE_CODE}, ("case_no", "query_code"), 200),
    "rate": ("/intake/rate?item=ZJJ-XK-001", RATING, ("comment", "contact_name", "contact_phone"), 201),
    "case_rate": ("/intake/case/rate", {"case_no": CASE_NO, "query_code": CASE_CODE, **RATING},
                  ("case_no", "query_code", "comment", "contact_name", "contact_phone"), 201),
    "question": ("/intake/question", QUESTION, ("subject", "content", "contact_name", "contact_phone",
                                                "contact_email"), 201),
    "question_lookup": ("/intake/question/lookup", {"question_no": "ZX-AAAA-AAAA", "query_code": "AAAAAAAA"},
                        ("question_no", "query_code"), 404),
    "complaint_reopen": ("/intake/lookup/reopen", REOPEN, ("tracking_no", "query_code", "reason"), 200),
    "complaint_confirm": ("/intake/lookup/confirm", CONFIRM, ("tracking_no", "query_code", "comment"), 200),
}


def add_closed_complaint(app) -> None:
    """CLOSED_NO, filed 2026-09-21 and closed (resolved) 2026-09-29, with query code CLOSED_CODE."""
    from sunshine.site.complaints import file_complaint
    from sunshine.site.complaints.lifecycle import apply_action
    from sunshine.site.models import Department
    from sunshine.site.query_codes import hash_code

    with app.app_context():
        department = db.session.scalars(select(Department).where(Department.code == "zjj")).one()
        with clock.frozen("2026-09-21T09:00:00+08:00"):
            complaint = file_complaint(department=department, item=None, category="办理超时",
                                       subject="施工许可超过承诺时限未办结", content="九月十五日提交的施工许可申请，至今未办结。",
                                       contact_name="王秀兰", contact_phone="13981234567").complaint
        complaint.tracking_no, complaint.query_code_hash = CLOSED_NO, hash_code(CLOSED_CODE)
        for action, on, extra in (("accept", "2026-09-22", {}), ("assign", "2026-09-22", {"department": department}),
                                  ("reply", "2026-09-28", {"reply": "已督促窗口办结。"}),
                                  ("close", "2026-09-29", {"outcome": "resolved"})):
            with clock.frozen(f"{on}T15:00:00+08:00"):
                apply_action(complaint, action, user_id=None, **extra)
        db.session.commit()


def add_decided_case(app) -> None:
    """A case of ZJJ-XK-001 received 2026-09-21 and completed 2026-09-25, with query code CASE_CODE."""
    with app.app_context(), clock.frozen("2026-09-25T16:00:00+08:00"):
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one()
        case, _code = new_case(item, CASE_NO, dt.date(2026, 9, 21), query_code=CASE_CODE,
                               applicant_name="赵建华", applicant_phone="13700001111")
        change_status(case, "processing", dt.date(2026, 9, 22))
        change_status(case, "completed", dt.date(2026, 9, 25))
        db.session.add(case)
        db.session.commit()


@pytest.fixture
def intake(demo):
    """The demo data set plus one decided case and one closed complaint (CSRF off, as in most tests)."""
    add_decided_case(demo)
    add_closed_complaint(demo)
    return demo


@pytest.fixture
def row_counts():
    """Rows of every table of the app, by table name."""

    def _counts(app) -> dict[str, int]:
        with app.app_context():
            return {table.name: db.session.scalar(select(func.count()).select_from(table))
                    for table in db.metadata.sorted_tables}

    return _counts
