"""Fixtures of the rate-limit tests: the demo data set in an app whose intake limits are on and low.

The shared ``app_config`` turns the limits off (the rest of the suite posts many
times from 127.0.0.1); here they are on, at 2 posts a minute, so a test stays
well inside one window of Flask-Limiter's real clock.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sunshine.site import create_app
from sunshine.site.db import db
from sunshine.site.models import Complaint, Rating

from ..conftest import restore_rows

LOW = "2 per minute"
COMPLAINT = {
    "department": "zjj", "item": "ZJJ-XK-001", "category": "办理超时",
    "subject": "施工许可超过承诺时限未办结",
    "content": "九月十五日提交的施工许可申请，承诺五个工作日，至今已过十个工作日仍未办结。",
    "contact_name": "王秀兰", "contact_phone": "13981234567",
}
RATING = {"level": "2", "comment": "窗口让我补交了三次营业执照复印件，每次说法都不一样。",
          "contact_name": "陈美玲", "contact_phone": "13912345678"}
WRONG_LOOKUP = {"tracking_no": "TS20260930-0001", "query_code": "AAAAAAAA"}


@pytest.fixture
def limited_config(app_config) -> dict:
    """The test settings with the intake limits on: 2 filings and 2 failed lookups a minute per address."""
    return {**app_config, "RATELIMIT_ENABLED": True, "SUNSHINE_RATELIMIT_STORAGE": "memory://",
            "SUNSHINE_LIMIT_FILING": LOW, "SUNSHINE_LIMIT_LOOKUP": LOW, "SUNSHINE_LIMIT_SEARCH": LOW}


@pytest.fixture
def make_app(demo_rows):
    """Build an app from settings; the first one built empties the database and loads the demo data set.

    Further apps share that database, like the workers of one deployment.
    """
    built = []

    def _make(config: dict):
        app = create_app(config)
        if not built:
            with app.app_context():
                for table in reversed(db.metadata.sorted_tables):
                    db.session.execute(table.delete())
                db.session.commit()
                restore_rows(demo_rows)
        built.append(app)
        return app

    yield _make
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def limited(make_app, limited_config):
    return make_app(limited_config)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def complaints(app) -> int:
    return count(app, Complaint)


def ratings(app) -> int:
    return count(app, Rating)
