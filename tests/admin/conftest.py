"""Fixtures of the back-office tests: records read back by code, pages read as forms.

Records are read in a short app context of their own and returned as plain
values, so no test holds a session that a request could share.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import ClassVar

import pytest
from sqlalchemy import inspect, select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import Complaint, Department, Notice, Question, ServiceItem

from .htmlforms import form_fields


def _columns(record) -> dict:
    return {attr.key: getattr(record, attr.key) for attr in inspect(record).mapper.column_attrs}


@pytest.fixture
def load_item(app):
    """An item as stored now (columns, department code and nested row names), or None."""

    def _load(code: str):
        with app.app_context():
            found = db.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).first()
            if found is None:
                return None
            return SimpleNamespace(
                **_columns(found), department_code=found.department.code,
                materials=[m.name for m in found.materials], steps=[s.name for s in found.steps],
                fees=[f.name for f in found.fees])

    return _load


@pytest.fixture
def load_notice(app):
    def _load(code: str):
        with app.app_context():
            found = db.session.scalars(select(Notice).where(Notice.code == code)).first()
            if found is None:
                return None
            return SimpleNamespace(**_columns(found),
                                   department_code=found.department.code if found.department else None)

    return _load


@pytest.fixture
def load_complaint(app):
    """A complaint as stored now; ``events`` as (action, internal note, user id), ``public_events``
    as (action, public note, actor), ``department_code``."""

    def _load(complaint_id: int):
        with app.app_context():
            found = db.session.get(Complaint, complaint_id)
            return SimpleNamespace(**_columns(found), department_code=found.department.code,
                                   events=[(e.action, e.note, e.user_id) for e in found.events],
                                   public_events=[(e.action, e.public_note, e.actor) for e in found.events])

    return _load


@pytest.fixture
def load_question(app):
    def _load(question_id: int):
        with app.app_context():
            found = db.session.get(Question, question_id)
            return SimpleNamespace(**_columns(found), department_code=found.department.code)

    return _load


@pytest.fixture
def user_id(app):
    def _user_id(username: str) -> int:
        from sunshine.site.models import User

        with app.app_context():
            return db.session.scalars(select(User.id).where(User.username == username)).one()

    return _user_id


@pytest.fixture
def form_of(client):
    """GET a page and return the fields of its form posting to ``action`` (default: the page)."""

    def _form_of(url: str, action: str | None = None) -> dict[str, str]:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return form_fields(response.get_data(as_text=True), action=action or url)

    return _form_of


#: Monday 2026-11-23, 10:00 China time: filed then, a complaint must be accepted by Tuesday 11-24
#: and answered by Thursday 12-10 (13 working days); a question answered by Monday 11-30 (5).
FILED_AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.CN_TZ)


@pytest.fixture
def new_complaint(app, demo):
    """File a complaint against a department the way the public intake does; returns its id."""
    from sunshine.site.complaints import file_complaint

    def _new(department_code: str, **overrides) -> int:
        with app.app_context():
            department = db.session.scalars(
                select(Department).where(Department.code == department_code)).one()
            fields = dict(item=None, category="材料反复要求", subject="窗口多次要求补交同一份材料",
                          content="11月20日上午在窗口办理时，工作人员三次要求补交营业执照复印件。",
                          contact_name="张秀兰", contact_phone="13812345678", days_to_answer=13,
                          received_at=FILED_AT)
            fields.update(overrides)
            return file_complaint(department=department, **fields).complaint.id

    return _new


@pytest.fixture
def move_complaint(app):
    """Take lifecycle steps on a stored complaint at ``on`` (China time), as the back office would."""
    from sunshine.site.complaints.lifecycle import apply_action

    def _move(complaint_id: int, *steps: str | tuple[str, dict], on: str = "2026-11-24T09:00:00") -> None:
        with app.app_context(), clock.frozen(on):
            complaint = db.session.get(Complaint, complaint_id)
            for step in steps:
                action, options = (step, {}) if isinstance(step, str) else step
                if action in ("assign", "reassign") and "department" in options:
                    options = {**options, "department": db.session.scalars(
                        select(Department).where(Department.code == options["department"])).one()}
                apply_action(complaint, action, user_id=None, **options)
            db.session.commit()

    return _move


@pytest.fixture
def new_question(app, demo):
    """Ask a question of a department the way the public intake does; returns its id."""
    from sunshine.site.questions.asking import ask_question

    def _new(department_code: str, **overrides) -> int:
        with app.app_context():
            department = db.session.scalars(
                select(Department).where(Department.code == department_code)).one()
            fields = dict(item=None, subject="个体工商户变更经营场所要带哪些材料",
                          content="我叫周建华，电话13912345678，准备把小吃店从东街搬到西街，请问变更登记要准备什么？",
                          contact_name="周建华", contact_phone="13912345678", publish_consent=True,
                          received_at=FILED_AT)
            fields.update(overrides)
            return ask_question(department=department, **fields).question.id

    return _new


@pytest.fixture
def without_demo_questions(app, demo):
    """The demo data set without its online questions, for tests that count them."""
    from sqlalchemy import delete

    with app.app_context():
        db.session.execute(delete(Question))
        db.session.commit()


class RecordingGateway:
    """An SMS gateway (``notify.senders.SmsGateway``) that keeps what it was asked to send, in order."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send_sms(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


@pytest.fixture
def sent_sms(app):
    """The app sends SMS through ``RecordingGateway``; returns the list of (phone, text) sent."""
    RecordingGateway.sent.clear()
    app.config["SUNSHINE_NOTIFY_SMS"] = "tests.admin.conftest:RecordingGateway"
    app.config["SUNSHINE_INTAKE_URL"] = "https://ts.qingchuan.gov.cn"
    yield RecordingGateway.sent
    RecordingGateway.sent.clear()


@pytest.fixture
def signed_in(app, demo):
    """A new test client per account, so two people can act in one test (``login_as`` reuses one)."""
    import yaml

    from tests.conftest import DEMO_DIR, login

    passwords = {u["username"]: u["password"]
                 for u in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}

    def _signed_in(username: str):
        client = app.test_client()
        assert login(client, username, passwords[username]).status_code == 200
        return client

    return _signed_in


@pytest.fixture
def item_url(app):
    """The edit page of an item, by code."""

    def _url(code: str) -> str:
        with app.app_context():
            item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == code)).one()
        return f"/admin/items/{item_id}/edit"

    return _url
