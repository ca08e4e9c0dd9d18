"""Background jobs of the back office: publishing the public site.

A save never builds the site inside the clerk's request: it records a ``PublishJob`` and enqueues
a task on the queue (``queue.py``: huey, on a SQLite file by default, Redis when configured);
``sunshine worker`` runs the tasks, and every run builds once for all requests queued so far
(``publishing.py``).
"""

from .publishing import LiveBuild, live_build, recent_jobs, request_publish, run_queued
from .queue import job_queue, start_thread_worker

__all__ = ["LiveBuild", "job_queue", "live_build", "recent_jobs", "request_publish", "run_queued",
           "start_thread_worker"]
