"""Fixtures of the back-office tests: records read back by code, pages read as forms.

Records are read in a short app context of their own and returned as plain
values, so no test holds a session that a request could share.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, select

from sunshine.site.db import db
from sunshine.site.models import Complaint, Department, Notice, ServiceItem

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
    def _load(complaint_id: int):
        with app.app_context():
            found = db.session.get(Complaint, complaint_id)
            return SimpleNamespace(**_columns(found),
                                   events=[(e.action, e.note, e.user_id) for e in found.events])

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
                          contact_name="张秀兰", contact_phone="13812345678", days_to_answer=13)
            fields.update(overrides)
            return file_complaint(department=department, **fields).complaint.id

    return _new


@pytest.fixture
def item_url(app):
    """The edit page of an item, by code."""

    def _url(code: str) -> str:
        with app.app_context():
            item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == code)).one()
        return f"/admin/items/{item_id}/edit"

    return _url
