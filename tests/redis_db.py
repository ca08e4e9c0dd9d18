"""One database of the local Redis (127.0.0.1:6379), emptied before and after a test; the test is
skipped only when no Redis answers (CI's machine runs one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def empty_redis_database(url: str, why: str) -> Iterator[Any]:
    """Yield a client of the database at ``url`` (e.g. ``redis://127.0.0.1:6379/15``); ``why`` names
    what the test needs Redis for, in the skip message."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"no Redis at {url} {why} ({error})")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
