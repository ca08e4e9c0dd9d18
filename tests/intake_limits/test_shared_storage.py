"""Several workers, one count: with Redis storage two app instances share the limit; memory:// does not.

Two apps built from the same settings stand for two gunicorn workers (each
worker builds its own app and Limiter). The Redis test uses the real server at
127.0.0.1:6379, database 15 only, emptied before and after; it is skipped only
when that server cannot be reached.
"""

from __future__ import annotations

import pytest

from tests.redis_db import empty_redis_database

from .conftest import COMPLAINT, complaints

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_db15():
    """Database 15 of the local Redis, empty; skip when no Redis answers."""
    yield from empty_redis_database(REDIS_URL, "to share rate-limit counts between workers")


def _file(app):
    return app.test_client().post("/intake/complaint", data=COMPLAINT).status_code


def test_two_workers_share_one_count_in_redis(make_app, limited_config, redis_db15):
    config = {**limited_config, "SUNSHINE_RATELIMIT_STORAGE": REDIS_URL}
    first, second = make_app(config), make_app(config)
    before = complaints(first)
    assert [_file(first), _file(second), _file(first), _file(second)] == [201, 201, 429, 429]
    assert complaints(first) == before + 2
    assert any(key.startswith(b"LIMITS:LIMITER/sunshine-intake/127.0.0.1/filing/") for key in redis_db15.keys())


def test_two_workers_with_memory_storage_count_apart(make_app, limited_config):
    """Why production needs Redis: each process keeps its own count, so two workers let 2 x 2 through."""
    first, second = make_app(limited_config), make_app(limited_config)
    assert [_file(first), _file(first), _file(second), _file(second), _file(first)] == [201, 201, 201, 201, 429]
