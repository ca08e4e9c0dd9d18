"""Fixtures of the leak tests: everything logged (SQL included), and one citizen's complaint and
question walked to the end with their contact details typed everywhere they could be typed.

The complainant 欧阳晓峰 files through the intake form and asks through ``ask_question``, with a
phone, an e-mail and consent to publication, and writes the same details into the subject and the
text; the department's reply and answer quote the phone back. Every step is committed, indexed
and notified the way the back office does it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.complaints.lifecycle import apply_action
from sunshine.site.db import db
from sunshine.site.models import Complaint, Department, ServiceItem, User
from sunshine.site.notify import notify
from sunshine.site.questions.answering import answer
from sunshine.site.questions.asking import ask_question
from sunshine.site.search_docs import index_record

NAME = "欧阳晓峰"
GIVEN_NAME = "晓峰"
PHONE = "13700001111"
EMAIL = "leak.check@example.cn"
#: The phone as people type it, each of which goes into some free text below.
PHONE_FORMS = ("137 0000 1111", "137-0000-1111", "+86 137 0000 1111", "+8613700001111", "１３７００００１１１１")
#: Any spelling of the phone: digits with spaces or dashes between them, full-width or not.
_PHONE_ANYHOW = re.compile(r"1[\s\-]?3[\s\-]?7[\s\-]?0[\s\-]?0[\s\-]?0[\s\-]?0[\s\-]?1[\s\-]?1[\s\-]?1[\s\-]?1")
_FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})

SUBMISSION_KEY = "privacy-leak-check-0001"
COMPLAINT_FORM = {
    "department": "zjj", "item": "ZJJ-XK-001", "category": "服务态度",
    "subject": f"{NAME}反映施工许可窗口推诿，电话{PHONE}",
    "content": (f"我叫{NAME}（{GIVEN_NAME}），手机{PHONE_FORMS[0]}，也可打{PHONE_FORMS[1]}或{PHONE_FORMS[2]}，"
                f"邮箱{EMAIL}。11月10日到8号窗口办施工许可，窗口让我第三次补材料。"),
    "contact_name": NAME, "contact_phone": PHONE_FORMS[2], "contact_email": EMAIL, "notify_by": "email",
    "publish_consent": "y", "submission": SUBMISSION_KEY,
}
REPLY = f"{NAME}您好：已按您留下的电话{PHONE}与您联系，窗口已一次性告知所需材料，许可证已于11月18日办结。"
QUESTION_SUBJECT = f"施工许可要带哪些材料？（{NAME}，{PHONE_FORMS[3]}）"
QUESTION_CONTENT = f"我是{NAME}，想办施工许可，请问需要哪些材料？请回电{PHONE_FORMS[4]}或发邮件到{EMAIL}。"
ANSWER = f"欧阳先生您好：所需材料见事项指南，已电话{PHONE}告知您。"


_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def readable(text: str) -> str:
    """Text without zero-width spaces (Pagefind puts one between the words it segments)."""
    return _ZERO_WIDTH.sub("", text)


def leaks(text: str) -> list[str]:
    """Which of the citizen's details ``text`` holds, in any spelling, zero-width spaces or not."""
    text = readable(text)
    found = [label for label, value in (("name", NAME), ("given name", GIVEN_NAME), ("e-mail", EMAIL),
                                        ("e-mail user", "leak.check")) if value in text]
    if _PHONE_ANYHOW.search(text.translate(_FOLD)):
        found.append("phone")
    return found


#: The loggers that could carry a record's values: SQL statements, the app, notifications, search.
LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "sunshine", "sunshine.site", "sunshine.notify",
           "sunshine.search", "flask.app", "werkzeug")


def leaked(caplog, phases: tuple[str, ...] = ("setup", "call")) -> str:
    """Every record of those phases of the test, formatted with its traceback, as one text."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(record) for phase in phases for record in caplog.get_records(phase))


@pytest.fixture
def logs(caplog):
    """Everything logged at any level while the test runs, with SQLAlchemy's statement log on."""
    kept = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        kept.append((logger, logger.disabled, logger.propagate))
        logger.disabled = False  # a logging.config call elsewhere in the session may have switched it off
        logger.propagate = True
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, disabled, propagate in kept:
        logger.disabled, logger.propagate = disabled, propagate


@dataclass
class Walked:
    complaint_id: int
    tracking_no: str
    question_id: int
    question_no: str


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}+08:00")


@pytest.fixture
def walked(demo, client, logs) -> Walked:
    """The complaint filed on the intake and closed as resolved; the question asked and answered."""
    with clock.frozen("2026-11-16T09:30:00+08:00"):
        filed = client.post("/intake/complaint", data=COMPLAINT_FORM)
    assert filed.status_code == 201, filed.get_data(as_text=True)

    with demo.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.submission_key == SUBMISSION_KEY)).one()
        clerk = db.session.scalars(select(User).where(User.username == "editor-zjj")).one()
        department = db.session.scalars(select(Department).where(Department.code == "zjj")).one()
        steps = [
            ("accept", "2026-11-16T15:00:00", {"public_note": "已受理"}),
            ("assign", "2026-11-17T10:00:00", {"department": department, "note": f"投诉人电话{PHONE}"}),
            ("reply", "2026-11-18T16:00:00", {"reply": REPLY, "note": f"已电话{PHONE}联系{NAME}"}),
            ("close", "2026-11-19T10:00:00", {"outcome": "resolved", "public_note": f"已电话回访{NAME}"}),
        ]
        for action, moment, details in steps:
            with clock.frozen(f"{moment}+08:00"):
                apply_action(complaint, action, user_id=clerk.id, **details)
                db.session.commit()
                index_record(complaint)
                notify(complaint, "投诉办理进度", f"您的投诉{complaint.tracking_no}已{complaint.status_label}。")

        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one()
        asked = ask_question(department=department, item=item, subject=QUESTION_SUBJECT, content=QUESTION_CONTENT,
                             contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL, notify_by="sms",
                             publish_consent=True, received_at=_at("2026-11-16T11:00:00"))
        question = asked.question
        notify(question, "咨询已收到", f"咨询编号：{question.tracking_no}，查询码：{asked.query_code}")
        with clock.frozen("2026-11-18T09:00:00+08:00"):
            answer(question, ANSWER, user_id=clerk.id, public=True)
            db.session.commit()
        notify(question, "咨询已答复", f"您的咨询{question.tracking_no}已答复。")
        walked = Walked(complaint.id, complaint.tracking_no, question.id, question.tracking_no)
    return walked
