"""The publish queue on Redis (``SUNSHINE_QUEUE_URL=redis://…``, back offices on several hosts): a request
made by one back-office process is built by a worker process that shares only the Redis queue.

Uses the real server at 127.0.0.1:6379, database 14 only, emptied before and after; skipped only when
that server cannot be reached.
"""

from __future__ import annotations

import pytest

from sunshine.site import create_app
from sunshine.site.jobs import job_queue, request_publish
from tests.jobs.test_publish_jobs import jobs, live_page
from tests.redis_db import empty_redis_database

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_db14():
    yield from empty_redis_database(REDIS_URL, "for the publish queue")


@pytest.fixture
def back_office_and_worker(queued, app_config, redis_db14):
    """Two apps on the same database and web root (``queued`` seeded them: a published item), as two
    hosts would be, sharing a Redis queue."""
    config = {**app_config, "SUNSHINE_QUEUE_IMMEDIATE": False, "SUNSHINE_QUEUE_URL": REDIS_URL}
    return create_app(config), create_app(config)


def test_a_request_queued_in_redis_is_built_by_another_process(back_office_and_worker, redis_db14):
    office, worker = back_office_and_worker
    with office.test_request_context():
        request_publish("已发布第1版：建筑工程施工许可证核发")
    assert job_queue(office).huey.pending_count() == 1
    assert any(b"sunshine" in key for key in redis_db14.keys())  # the entry lives in Redis, not in a file
    huey = job_queue(worker).huey
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    assert [job.state for job in jobs(office)] == ["done"]
    assert "建筑工程施工许可证核发" in live_page(office).read_text("utf-8")
