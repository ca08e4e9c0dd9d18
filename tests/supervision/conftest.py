"""Fixtures of the 电子监察 tests: cases made through the real lifecycle on demo items,
complaints filed the way the intake files them, ticks run at a fixed moment.

Records are read back in a short app context of their own and returned as plain
values, so no test holds a session that a request could share.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from sunshine.site import clock
from sunshine.site.cases.lifecycle import new_case
from sunshine.site.db import db
from sunshine.site.models import (
    Complaint,
    Department,
    Question,
    ServiceCase,
    ServiceItem,
    Urge,
    User,
)


@pytest.fixture(autouse=True)
def _release_clock():
    """A test that pins the clock never leaks its moment into the next one."""
    yield
    clock.set_now(None)


@pytest.fixture
def make_case(app, demo):
    """A case of a demo item accepted (or awaiting 补正) on ``on``; returns its id."""

    def _make(item_code: str, case_no: str, on: str, *, status: str = "accepted") -> int:
        day = dt.date.fromisoformat(on)
        with app.app_context(), clock.frozen(f"{on}T09:30:00"):
            item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == item_code)).one()
            case, _code = new_case(item, case_no, day, status=status, applicant_name="王建国",
                                   applicant_phone="13907310001", applicant_id_no="430102198505061234")
            db.session.add(case)
            db.session.commit()
            return case.id

    return _make


@pytest.fixture
def load_case(app):
    def _load(case_id: int) -> SimpleNamespace:
        with app.app_context():
            case = db.session.get(ServiceCase, case_id)
            return SimpleNamespace(status=case.status, deadline=case.deadline, warning=case.warning,
                                   updated_at=case.updated_at, department_code=case.department.code)

    return _load


@pytest.fixture
def run_tick(app):
    """``tick()`` as cron would run it at ``moment`` (China time)."""
    from sunshine.site.tick import tick

    def _run(moment: str, **options):
        with app.app_context(), clock.frozen(moment):
            return tick(**options)

    return _run


@pytest.fixture
def make_complaint(app, demo):
    """A complaint filed through the intake's function, its current stage due on ``deadline``."""
    from sunshine.site.complaints import file_complaint
    from sunshine.site.complaints.lifecycle import AWAITING_REPLY

    def _make(department_code: str, subject: str, deadline: str, *, status: str = "received") -> int:
        with app.app_context():
            department = db.session.scalars(select(Department).where(Department.code == department_code)).one()
            complaint_id = file_complaint(
                department=department, item=None, category="办理超时", subject=subject,
                content="9月下旬递交的申请，窗口承诺的期限已到，至今没有任何答复。",
                contact_name="李秀英", contact_phone="13807315566", days_to_answer=13,
                received_at=dt.datetime(2026, 9, 21, 10, 0, tzinfo=clock.CN_TZ)).complaint.id
            due = dt.date.fromisoformat(deadline)
            db.session.execute(update(Complaint).where(Complaint.id == complaint_id)
                               .values(deadline=due, accept_deadline=due, status=status,
                                       due_on=due if status in AWAITING_REPLY else None))
            db.session.commit()
            return complaint_id

    return _make


@pytest.fixture
def make_question(app, demo):
    """An online question asked through the intake's function, to be answered by ``deadline``."""
    from sunshine.site.questions.asking import ask_question

    def _make(department_code: str, subject: str, deadline: str, *, status: str = "received") -> int:
        with app.app_context():
            department = db.session.scalars(select(Department).where(Department.code == department_code)).one()
            question_id = ask_question(
                department=department, item=None, subject=subject,
                content="想了解办理流程和需要准备的材料。", contact_name="赵德明", contact_phone="13607318899",
                received_at=dt.datetime(2026, 9, 28, 10, 0, tzinfo=clock.CN_TZ)).question.id
            db.session.execute(update(Question).where(Question.id == question_id)
                               .values(deadline=dt.date.fromisoformat(deadline), status=status))
            db.session.commit()
            return question_id

    return _make


@pytest.fixture
def load_urges(app):
    """Every urge stored, oldest first, as plain values."""

    def _load() -> list[SimpleNamespace]:
        with app.app_context():
            names = {u.id: u.username for u in db.session.scalars(select(User))}
            return [SimpleNamespace(kind=u.target_kind, case_id=u.case_id, complaint_id=u.complaint_id,
                                    department_code=u.department.code, note=u.note, at=u.at,
                                    by=names.get(u.user_id), acknowledged_at=u.acknowledged_at,
                                    acknowledged_by=names.get(u.acknowledged_by), id=u.id)
                    for u in db.session.scalars(select(Urge).order_by(Urge.id))]

    return _load


@pytest.fixture
def signed_in(app, demo):
    """A new test client per account (``login_as`` reuses one client, and a logged-in client stays
    who it was), so a supervisor and a department's editor can act in the same test."""
    import yaml

    from tests.conftest import DEMO_DIR, login

    passwords = {u["username"]: u["password"]
                 for u in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}

    def _signed_in(username: str):
        client = app.test_client()
        response = login(client, username, passwords[username])
        assert response.status_code == 200
        with client.session_transaction() as session:
            assert session.get("_user_id")
        return client

    return _signed_in
