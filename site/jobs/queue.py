"""The task queue behind publishing: huey, on the embedded default or on Redis.

huey was chosen because it runs on a SQLite file with no other service (the embedded default of a
county install), on Redis when several hosts share one queue, in a thread inside ``sunshine demo``,
and immediately inside the request for tests (its real code path, not a stand-in). Its task lock
refuses a second run instead of coalescing it (../shared/SCALE-NOTES.md §3), so the queue carries
only "something is waiting"; which requests a run builds is decided in the database
(``publishing.claim``), which also makes a lost queue entry harmless: the worker's periodic check and
its start-up pass build whatever is still queued.
"""

from __future__ import annotations

import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)

QUEUE_NAME = "sunshine"
EXTENSION = "sunshine_queue"


class QueueConfigError(ValueError):
    """SUNSHINE_QUEUE_URL names no queue this program can use."""


@dataclass
class JobQueue:
    huey: Huey
    publish: Any  # the huey task: calling it enqueues a run
    reindex: Any  # rebuilds the back-office search index (after a synonym change)


def make_huey(url: str, *, immediate: bool = False) -> Huey:
    """A huey instance for ``sqlite:///path`` or ``redis://host:port/db``."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False, immediate=immediate)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False, immediate=immediate)
    raise QueueConfigError(f"无法识别的任务队列地址：{url}（应为 sqlite:/// 或 redis://）"
                           f" / unknown queue URL: {url}")


def _register(huey: Huey, app: Flask) -> JobQueue:
    from ..publishing import PublishError, follow_search
    from .publishing import run_queued

    @huey.task(name="publish")
    def publish() -> None:
        with app.app_context():
            run_queued(app)

    @huey.periodic_task(crontab(minute="*"), name="publish-leftovers")
    def publish_leftovers() -> None:
        """Builds requests whose queue entry was lost (a crash between commit and enqueue), and a live
        search index its pages went live without (the worker stopped before the publisher made it)."""
        with app.app_context():
            run_queued(app)
            try:
                follow_search(app)
            except PublishError as exc:
                log.warning("search index update failed: %s", exc)

    @huey.task(name="reindex")
    def reindex() -> None:
        """A full rebuild takes a minute at 10,000 items: never inside a request. Not locked: two
        rebuilds in a row are harmless (Whoosh serializes writers), a refused one could miss a change."""
        from ..search_docs import reindex_all

        with app.app_context():
            reindex_all()

    return JobQueue(huey=huey, publish=publish, reindex=reindex)


def job_queue(app: Flask) -> JobQueue:
    """The app's queue, made on first use (a public-only process never opens it)."""
    queue = app.extensions.get(EXTENSION)
    if queue is None:
        huey = make_huey(app.config["SUNSHINE_QUEUE_URL"], immediate=app.config["SUNSHINE_QUEUE_IMMEDIATE"])
        queue = app.extensions[EXTENSION] = _register(huey, app)
    return queue


def start_thread_worker(app: Flask):
    """A worker thread inside this process (``sunshine demo``); returns the consumer to stop.

    huey's consumer installs its own SIGINT/SIGTERM/SIGHUP handlers for a process it owns; here
    the web server owns the process, so its handlers are put back (Ctrl-C still stops the demo).
    """
    consumer = job_queue(app).huey.create_consumer(workers=1, worker_type="thread", periodic=True)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    return consumer
