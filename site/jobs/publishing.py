"""Publish requests: record, coalesce, build, record the outcome.

``request_publish`` records a queued ``PublishJob`` and enqueues a run. A run (``run_queued``, in the
worker) claims every queued job at once in one UPDATE, unless another run is building, and builds
the site once for all of them; it then looks again, so requests that arrived during the build are
built together by the next pass (coalescing, which huey's task lock alone would refuse instead).
A job found "running" for longer than ``SUNSHINE_PUBLISH_TIMEOUT`` died with its worker: it is
recorded as failed and no longer blocks the queue. The live site itself is only ever swapped by the
publisher (atomic; a failed build leaves it as it was).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import exists, select, update
from sqlalchemy.orm import aliased

from sunshine.search.static_delta import search_pending

from .. import clock
from ..db import db
from ..models import PublishJob, User
from ..models.publish_job import DONE, FAILED, QUEUED, RUNNING
from ..publishing import PublishError, publish_site, warm_worker
from .queue import job_queue

log = logging.getLogger(__name__)
INTERRUPTED = "生成中断（工作进程退出或超时），请重新生成网站 / interrupted: the worker died or timed out"


def request_publish(reason: str, user: User | None = None) -> PublishJob:
    """Record a request to publish and enqueue a run; returns the job (already built in immediate mode)."""
    job = PublishJob(state=QUEUED, reason=" ".join(reason.split())[:200], requested_by=user,
                     requested_at=clock.now(), run_token="", build_id="", error="")
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    try:
        job_queue(app).publish()
    except Exception:  # the request stays queued: the worker's periodic pass builds it
        log.exception("could not enqueue publish job %s", job.id)
    db.session.refresh(job)
    return job


def fail_stale(now: dt.datetime, timeout_seconds: int) -> int:
    """Jobs left "running" by a worker that died; returns how many were marked failed."""
    result = db.session.execute(
        update(PublishJob)
        .where(PublishJob.state == RUNNING, PublishJob.started_at < now - dt.timedelta(seconds=timeout_seconds))
        .values(state=FAILED, finished_at=now, error=INTERRUPTED)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def claim(now: dt.datetime) -> str | None:
    """Take every queued job for one build, unless a build is running; the run's token or None."""
    token = secrets.token_hex(8)
    other = aliased(PublishJob)
    result = db.session.execute(
        update(PublishJob)
        .where(PublishJob.state == QUEUED, ~exists(select(other.id).where(other.state == RUNNING)))
        .values(state=RUNNING, started_at=now, run_token=token)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount else None


def _finish(token: str, **values) -> None:
    db.session.execute(update(PublishJob).where(PublishJob.run_token == token)
                       .values(finished_at=clock.now(), **values).execution_options(synchronize_session=False))
    db.session.commit()


def build_claimed(app: Flask, token: str) -> bool:
    """Build the site for the jobs of ``token``; records done or failed with a one-line reason."""
    try:
        outcome = publish_site(app)
    except (PublishError, OSError, subprocess.SubprocessError) as exc:
        log.warning("publish failed: %s", exc)
        _finish(token, state=FAILED, error=" ".join(str(exc).split())[:500] or type(exc).__name__)
        return False
    except Exception as exc:
        log.exception("publish crashed")
        _finish(token, state=FAILED, error=f"发布程序出错：{type(exc).__name__} / publish crashed")
        return False
    _finish(token, state=DONE, build_id=outcome.live_dir.name, seconds=round(outcome.seconds, 2),
            items=outcome.items)
    return True


def run_queued(app: Flask) -> int:
    """Build until nothing is queued (or another run is building); returns the number of builds."""
    builds = 0
    while True:
        now = clock.now()
        fail_stale(now, app.config["SUNSHINE_PUBLISH_TIMEOUT"])
        token = claim(now)
        if token is None:
            return builds
        build_claimed(app, token)
        builds += 1


#: The reason recorded for a rebuild that a worker's warm-up made live (``warm_worker``).
REBUILT_BY_NEW_PROGRAM = "程序或模板已更新，工作进程启动时按现行程序重新生成网站"


def warm_and_record(app: Flask) -> str | None:
    """Warm a worker that has just started (``publishing.warm_worker``); a rebuild it made live is recorded
    as a done job, so that the dashboard and the history name every build that went live. Returns the line
    for the worker's output, or None when nothing is live."""
    warmed = warm_worker(app)
    if warmed is None:
        return None
    if warmed.published is not None:
        now = clock.now()
        began = now - dt.timedelta(seconds=warmed.seconds)
        db.session.add(PublishJob(state=DONE, reason=REBUILT_BY_NEW_PROGRAM, requested_at=began, started_at=began,
                                  finished_at=now, run_token="", build_id=warmed.published.name,
                                  seconds=round(warmed.seconds, 2), error=""))
        db.session.commit()
    return warmed.line


def recent_jobs(limit: int = 8) -> list[PublishJob]:
    return list(db.session.scalars(select(PublishJob).order_by(PublishJob.id.desc()).limit(limit)))


@dataclass(frozen=True)
class LiveBuild:
    build_id: str
    #: When the job that built it finished (None if it was published outside the back office).
    finished_at: dt.datetime | None
    #: The pages are live and their search index is still being made (SUNSHINE_SEARCH_LATER).
    search_pending: bool = False


def live_build(app: Flask) -> LiveBuild | None:
    """The build the public site serves now (``web_root/current``), with the time it went live.

    Build ids sort by time. A build that only brought the search index up to date after a job's pages
    went live (the publisher's follow-up, publisher/service.py) is named by no job: the time shown is that
    of the last job done before it, whose pages it serves."""
    current = Path(app.config["SUNSHINE_WEB_ROOT"]) / "current"
    if not current.is_symlink():
        return None
    live = current.resolve()
    last = db.session.execute(select(PublishJob.build_id, PublishJob.finished_at).where(
        PublishJob.build_id <= live.name, PublishJob.state == DONE).order_by(PublishJob.build_id.desc())).first()
    finished = last.finished_at if last is not None else None
    return LiveBuild(build_id=live.name, finished_at=finished, search_pending=search_pending(live))
