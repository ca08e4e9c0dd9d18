"""A back office whose publish requests really queue (huey on a SQLite file), and a published item."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.site import create_app
from sunshine.site.db import db
from sunshine.site.workflow import publish
from tests.conftest import _empty_tables
from tests.site.conftest import make_department, make_item

AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def queued(app_config, tmp_path):
    """The app with a real queue file: a request enqueues, and nothing runs until a test runs the task."""
    app = create_app({**app_config, "SUNSHINE_QUEUE_IMMEDIATE": False,
                      "SUNSHINE_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}"})
    with app.app_context():
        _empty_tables()
        dept = make_department()
        db.session.add(dept)
        publish(dept, at=AT)
        item = make_item(dept)
        db.session.add(item)
        publish(item, at=AT)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
