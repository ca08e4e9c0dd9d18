"""Fixtures of the citizen's side of complaints and questions: the demo data set, filing through the
intake at a set time, and the office's steps taken through the real lifecycle rules.

The dates are chosen around 国庆节 2026 (10月1日至7日 off, Saturday 10月10日 a make-up working day):
a complaint filed on 2026-09-30 is to be accepted by 2026-10-08 and answered by 2026-10-23.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.complaints.lifecycle import apply_action
from sunshine.site.db import db
from sunshine.site.models import Complaint, Department, Question, User
from sunshine.site.questions import answering

#: 10:00 on the day before 国庆节.
FILED_AT = "2026-09-30T10:00:00+08:00"
COMPLAINT = {
    "department": "zjj", "item": "ZJJ-XK-001", "category": "办理超时",
    "subject": "施工许可超过承诺时限未办结",
    "content": "九月十五日提交的施工许可申请，承诺五个工作日，至今已过十个工作日仍未办结。",
    "contact_name": "王秀兰", "contact_phone": "13981234567",
}
QUESTION = {
    "department": "zjj", "item": "ZJJ-XK-001", "subject": "施工许可需要提交哪些材料",
    "content": "我家自建房需要办理施工许可，请问需要准备哪些材料？可以网上提交吗？",
    "contact_name": "陈建国", "contact_phone": "13700002222",
}


def receipt(html: str) -> tuple[str, str]:
    """(number, query code) shown on a complaint or question receipt."""
    number = re.search(r'id="(?:tracking|question)-no">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code">([^<]+)<', html).group(1)
    return number, code


def text_of(html: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (tags dropped, blanks collapsed)."""
    match = re.search(rf'<(\w+)[^>]*\sid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(2)).split())


@pytest.fixture
def intake(demo):
    return demo


@pytest.fixture
def file(intake):
    """File a complaint through the form at ``at``; returns (response, number, code)."""

    def _file(at: str = FILED_AT, client=None, **changes):
        client = client or intake.test_client()
        with clock.frozen(at):
            response = client.post("/intake/complaint", data={**COMPLAINT, **changes})
        assert response.status_code == 201, response.get_data(as_text=True)
        return (response, *receipt(response.get_data(as_text=True)))

    return _file


@pytest.fixture
def ask(intake):
    def _ask(at: str = FILED_AT, client=None, **changes):
        client = client or intake.test_client()
        with clock.frozen(at):
            response = client.post("/intake/question", data={**QUESTION, **changes})
        assert response.status_code == 201, response.get_data(as_text=True)
        return (response, *receipt(response.get_data(as_text=True)))

    return _ask


@pytest.fixture
def office(intake):
    """Take an office's step on a complaint (by number) on day ``on`` at 15:00, as the administrator."""

    def _step(number: str, action: str, on: str, **kwargs) -> None:
        step(intake, number, action, on, **kwargs)

    return _step


def step(app, number: str, action: str, on: str, **kwargs) -> None:
    """An office's step on a complaint (by number) on day ``on`` at 15:00, as the administrator."""
    with app.app_context(), clock.frozen(f"{on}T15:00:00+08:00"):
        complaint = db.session.scalars(select(Complaint).where(Complaint.tracking_no == number)).one()
        admin = db.session.scalars(select(User).where(User.username == "admin")).one()
        if action in ("assign", "reassign") and "department" in kwargs:
            kwargs["department"] = db.session.scalars(
                select(Department).where(Department.code == kwargs["department"])).one()
        apply_action(complaint, action, user_id=admin.id, **kwargs)
        db.session.commit()


def walk_to_closed(app, number: str, *, accepted="2026-10-08", replied="2026-10-20", closed="2026-10-20",
                   outcome="resolved", outcome_note="") -> None:
    """Accept, assign, answer and close a complaint on the given days."""
    step(app, number, "accept", accepted, public_note="您的投诉已受理，将交住建局核实。")
    step(app, number, "assign", accepted, department="zjj", note="请审批股周建国两日内核实")
    step(app, number, "reply", replied, reply="经核实，因系统故障延误，已于10月19日办结并向您致歉。")
    step(app, number, "close", closed, outcome=outcome, public_note=outcome_note)


@pytest.fixture
def walk(intake):
    def _walk(number: str, **days) -> None:
        walk_to_closed(intake, number, **days)

    return _walk


@pytest.fixture
def walk_in():
    """``walk_to_closed`` in an app of the test's choosing."""
    return walk_to_closed


@pytest.fixture
def lookup(intake):
    def _lookup(number: str, code: str, at: str, client=None):
        client = client or intake.test_client()
        with clock.frozen(at):
            return client.post("/intake/lookup", data={"tracking_no": number, "query_code": code})

    return _lookup


@pytest.fixture
def stored(intake):
    """The stored complaint (or question) with ``number``, as a dict of the named columns."""

    def _stored(number: str, *columns: str) -> dict:
        model = Question if number.startswith("ZX") else Complaint
        with intake.app_context():
            row = db.session.scalars(select(model).where(model.tracking_no == number)).one()
            return {c: getattr(row, c) for c in columns}

    return _stored


@pytest.fixture
def answer_question(intake):
    def _answer(number: str, on: str, text: str = "", *, decline: tuple[str, str] | None = None) -> None:
        with intake.app_context(), clock.frozen(f"{on}T15:00:00+08:00"):
            question = db.session.scalars(select(Question).where(Question.tracking_no == number)).one()
            admin = db.session.scalars(select(User).where(User.username == "admin")).one()
            if decline:
                answering.decline(question, decline[0], decline[1], user_id=admin.id)
            else:
                answering.answer(question, text, user_id=admin.id)
            db.session.commit()

    return _answer


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
