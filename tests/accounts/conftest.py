"""Fixtures of the account tests: demo accounts by name, one browser per person, the audit log read back.

Times are set with ``clock.frozen``; the audit log and the session rows read that clock, so a
test can walk a lock or a timeout minute by minute.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import AuditEntry, User, UserSession
from tests.conftest import DEMO_DIR

#: Monday 2026-11-23, 09:00 China time.
MONDAY_9 = "2026-11-23T09:00:00"


@pytest.fixture(scope="session")
def passwords() -> dict[str, str]:
    """The demo accounts' passwords by username."""
    return {u["username"]: u["password"] for u in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}


def post_login(client, username: str, password: str, **kwargs):
    return client.post("/admin/login", data={"username": username, "password": password}, **kwargs)


@pytest.fixture
def browser(app, demo, passwords):
    """A new test client (a browser of its own), logged in as ``username`` unless None."""

    def _browser(username: str | None = None):
        client = app.test_client()
        if username is not None:
            response = post_login(client, username, passwords[username])
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _browser


@pytest.fixture
def audit_log(app):
    """The audit entries (of ``action`` when given) as plain values, oldest first."""

    def _entries(action: str | None = None) -> list[SimpleNamespace]:
        with app.app_context():
            query = select(AuditEntry).order_by(AuditEntry.id)
            if action is not None:
                query = query.where(AuditEntry.action == action)
            return [SimpleNamespace(action=e.action, username=e.username, user_id=e.user_id, address=e.address,
                                    target_type=e.target_type, target_id=e.target_id, detail=e.detail,
                                    at=e.at, summary=e.summary)
                    for e in db.session.scalars(query)]

    return _entries


@pytest.fixture
def account(app):
    """An account as stored now, by username."""

    def _account(username: str) -> SimpleNamespace:
        with app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            return SimpleNamespace(id=user.id, password_hash=user.password_hash, active=user.active,
                                   password_changed_at=user.password_changed_at)

    return _account


@pytest.fixture
def session_rows(app):
    """The server-side sessions of an account, oldest first, as (ended, end_reason)."""

    def _rows(username: str) -> list[tuple[bool, str]]:
        with app.app_context():
            rows = db.session.scalars(select(UserSession).join(User, User.id == UserSession.user_id)
                                      .where(User.username == username).order_by(UserSession.id))
            return [(row.ended_at is not None, row.end_reason) for row in rows]

    return _rows


def is_logged_in(client) -> bool:
    """Whether the back office lets this client in (the dashboard answers instead of redirecting)."""
    return client.get("/admin/").status_code == 200
