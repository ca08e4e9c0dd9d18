"""Fixtures of the audit-log tests: the log read back as plain values, one browser per person, entries
written at a chosen China time, and the complaint fixtures of the back-office tests."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.site import audit, clock
from sunshine.site.db import db
from sunshine.site.models import AuditEntry, Department
from tests.admin.conftest import new_complaint, signed_in, user_id  # noqa: F401  (fixtures shared with tests/admin)


def _plain(entry: AuditEntry) -> SimpleNamespace:
    return SimpleNamespace(id=entry.id, action=entry.action, username=entry.username, user_id=entry.user_id,
                           department_id=entry.department_id, target_type=entry.target_type,
                           target_id=entry.target_id, summary=entry.summary, address=entry.address,
                           detail=entry.detail, at=entry.at)


@pytest.fixture
def audit_log(app):
    """The entries (of ``action`` when given), oldest first, as plain values."""

    def _entries(action: str | None = None) -> list[SimpleNamespace]:
        with app.app_context():
            query = select(AuditEntry).order_by(AuditEntry.id)
            if action is not None:
                query = query.where(AuditEntry.action == action)
            return [_plain(e) for e in db.session.scalars(query)]

    return _entries


@pytest.fixture
def log_text(audit_log):
    """Everything the log holds as one JSON text: summaries, details, names, addresses."""

    def _text() -> str:
        return json.dumps([vars(e) for e in audit_log()], ensure_ascii=False, default=str)

    return _text


@pytest.fixture
def department_id(app):
    def _id(code: str) -> int:
        with app.app_context():
            return db.session.scalars(select(Department.id).where(Department.code == code)).one()

    return _id


@pytest.fixture
def write_entry(app, department_id):
    """Write one entry at ``at`` (China time) as if ``username`` had acted, through ``audit.record``."""

    def _write(at: str, action: str, username: str, department: str | None = None, summary: str = "") -> None:
        with app.app_context(), clock.frozen(at):
            audit.record(action, username=username, summary=summary,
                         department_id=department_id(department) if department else None, commit=True)

    return _write
