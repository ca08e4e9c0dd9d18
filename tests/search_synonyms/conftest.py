"""Fixtures of the synonym tests: the demo data, publish requests that really queue, groups read back.

A synonym change asks for a publish; with the suite's immediate queue that would build the whole
site inside each request. Here the request is recorded and enqueued on a real huey file (the code
path of a deployment with a worker), and nothing builds.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import AuditEntry, Department, PublishJob, SearchSynonym, User


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "SUNSHINE_QUEUE_IMMEDIATE": False,
            "SUNSHINE_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}"}


@pytest.fixture
def department_id(app):
    def _id(code: str) -> int:
        with app.app_context():
            return db.session.scalars(select(Department.id).where(Department.code == code)).one()

    return _id


@pytest.fixture
def stored_groups(app):
    """The office groups as stored: (words, department code or None, author's username), by id."""

    def _groups() -> list[tuple[str, str | None, str | None]]:
        with app.app_context():
            rows = db.session.execute(
                select(SearchSynonym.words, Department.code, User.username)
                .outerjoin(Department, Department.id == SearchSynonym.department_id)
                .outerjoin(User, User.id == SearchSynonym.created_by_id)
                .order_by(SearchSynonym.id))
            return [tuple(row) for row in rows]

    return _groups


@pytest.fixture
def add_stored(app, department_id):
    """Store a group directly (as an earlier change would have), returning its id."""

    def _add(words: str, department: str | None, username: str = "admin") -> int:
        with app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            group = SearchSynonym(words=words, department_id=department_id(department) if department else None,
                                  created_by_id=user.id, created_at=clock.now())
            db.session.add(group)
            db.session.commit()
            return group.id

    return _add


@pytest.fixture
def audit_entries(app):
    def _entries() -> list[SimpleNamespace]:
        with app.app_context():
            rows = db.session.execute(
                select(AuditEntry, Department.code)
                .outerjoin(Department, Department.id == AuditEntry.department_id)
                .where(AuditEntry.target_type == "search_synonym").order_by(AuditEntry.id))
            return [SimpleNamespace(action=e.action, username=e.username, department=code, target_id=e.target_id,
                                    summary=e.summary, detail=e.detail) for e, code in rows]

    return _entries


@pytest.fixture
def publish_reasons(app):
    def _reasons() -> list[tuple[str, str]]:
        with app.app_context():
            return [tuple(row) for row in db.session.execute(
                select(PublishJob.reason, PublishJob.state).order_by(PublishJob.id))]

    return _reasons
