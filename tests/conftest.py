"""Shared fixtures: an app over a real database (SQLite, or PostgreSQL when
SUNSHINE_TEST_DATABASE_URL is set), clients per role, and the demo data set.

The schema is built once per session by the Alembic migrations themselves;
each test then starts from empty tables. The demo data set is seeded once per
session through the real seeder and kept as rows; a test that wants it gets a
copy of those rows inserted into its empty tables (milliseconds, where seeding
through the workflow took a second or more on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from sunshine.site import clock, create_app
from sunshine.site.cases.lifecycle import change_status
from sunshine.site.config import PROJECT_ROOT
from sunshine.site.db import db
from sunshine.site.models import ServiceCase

DEMO_DIR = PROJECT_ROOT / "content" / "demo"


#: argon2id with the smallest parameters argon2 allows (1 pass, 8 KiB): real hashes, ~50 µs each.
CHEAP_HASHER_PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def _cheap_password_hashing(monkeypatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr("sunshine.site.passwords.hasher", PasswordHasher(**CHEAP_HASHER_PARAMETERS))


@pytest.fixture(autouse=True)
def fast_password_hashing(request, monkeypatch):
    """Seeding hashes 7 passwords with argon2id (~0.2 s each, 64 MiB); the same algorithm with
    the cheapest parameters keeps tests fast. Hashes and checks go through the real code path.
    Tests marked ``real_password_hashing`` keep the production parameters."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    _cheap_password_hashing(monkeypatch)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that never reach the test database (no ``database_url`` among their fixtures,
    however indirect): the PostgreSQL pass of ``make test`` leaves them out, as they would only run
    the same code a second time (the publisher, the contract, the analysis)."""
    for item in items:
        if "database_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("SUNSHINE_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Drop whatever is there, then migrate to head: the migrations are under test too."""
    from flask_migrate import upgrade

    from sunshine.site import MIGRATIONS_DIR

    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path_factory.mktemp("schema")),
                      "SQLALCHEMY_DATABASE_URI": _driver(database_url)})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    return database_url


def _driver(url: str) -> str:
    from sunshine.site.config import database_url as normalise

    return normalise(url)


@pytest.fixture(scope="session")
def preview_socket(tmp_path_factory) -> Iterator[Path]:
    """One preview publisher for the session's apps (started by the first preview), stopped after
    the tests: a per-test instance would start one per test, as slow as a city's cold start."""
    from sunshine.site.preview_server import PreviewServer

    path = tmp_path_factory.mktemp("preview") / "preview.sock"
    yield path
    PreviewServer(path, idle=0).stop()


@pytest.fixture
def app_config(tmp_path, _schema, preview_socket) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": _driver(_schema),
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SUNSHINE_WEB_ROOT": str(tmp_path / "public"),
        "SUNSHINE_SNAPSHOT_PATH": str(tmp_path / "snapshot.json"),
        "SUNSHINE_SEARCH_INDEX": str(tmp_path / "search-index"),
        "SUNSHINE_STATIC_SEARCH": False,
        "SUNSHINE_SEARCH_LATER": False,  # a test that reads the index right after a publish: see test_search_later
        "SUNSHINE_COLLECT_BETWEEN_PUBLISHES": False,  # one process for every test: see test_resident_publisher
        "SUNSHINE_PREVIEW_SOCKET": str(preview_socket),
        "RATELIMIT_ENABLED": False,  # the suite posts many times from 127.0.0.1; tests/intake_limits turns it on
        "SUNSHINE_CHOICES_SECONDS": 0,  # a test that publishes sees it in the next form
        "SUNSHINE_NOTIFY_ASYNC": False,  # notifications are sent inline, so a test can see them
        "SUNSHINE_QUEUE_IMMEDIATE": True,  # a publish request is built inside the request (tests/jobs queue for real)
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def csrf_app(app_config):
    """The app as deployed: CSRF protection on."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_rows(_schema, tmp_path_factory) -> dict[str, list[dict]]:
    """Every row of the demo data set, seeded once through the real seeder (published records published)."""
    from sunshine.site.seed import seed_demo

    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path_factory.mktemp("demo-rows")),
                      "SQLALCHEMY_DATABASE_URI": _driver(_schema), "SECRET_KEY": "test-secret"})
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        _cheap_password_hashing(patch)
        _empty_tables()
        seed_demo(DEMO_DIR)
        rows = {table.name: [dict(row._mapping) for row in db.session.execute(
                    table.select().order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}
        _empty_tables()
        db.session.remove()
        db.engine.dispose()
    return rows


def restore_rows(rows: dict[str, list[dict]]) -> None:
    """Insert the kept rows into empty tables (in an app context), sequences moved past them."""
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    if db.engine.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            if "id" in table.c and rows[table.name]:
                db.session.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                                   {"t": table.name, "n": max(r["id"] for r in rows[table.name])})
    db.session.commit()


@pytest.fixture
def csrf_demo(csrf_app, demo_rows):
    """The demo data set in the app as deployed (CSRF protection on)."""
    with csrf_app.app_context():
        restore_rows(demo_rows)
    return csrf_app


@pytest.fixture
def move_case(app):
    """Move a stored case through ``lifecycle.change_status`` on day ``on`` (the clock set to that afternoon)."""

    def _move(case_id: int, status: str, on: str, **kwargs) -> None:
        with app.app_context(), clock.frozen(f"{on}T15:00:00"):
            case = db.session.get(ServiceCase, case_id)
            change_status(case, status, dt.date.fromisoformat(on), **kwargs)
            db.session.commit()

    return _move


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app, demo_rows):
    """The demo data set, as the real seeder loads it (published records published)."""
    with app.app_context():
        restore_rows(demo_rows)
    return app


def login(client, username: str, password: str):
    return client.post("/admin/login", data={"username": username, "password": password},
                       follow_redirects=True)


@pytest.fixture
def login_as(client, demo):
    """Log the test client in as one of the demo accounts."""
    import yaml

    users = {u["username"]: u for u in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}

    def _login(username: str):
        response = login(client, username, users[username]["password"])
        assert response.status_code == 200
        return client

    return _login


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT
