"""Publishing the public site from the back office: a recorded background job, never inside the request.

A save that publishes or withdraws a record asks for a publish (``jobs.request_publish``) and
returns at once; the dashboard shows the queued, running, done and failed jobs and the live build.
A failed build never undoes a publish: the record stays published, the job says why, and the next
request (or 重新生成网站) builds again.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from ..jobs import request_publish
from ..models.publish_job import DONE, FAILED
from . import bp
from .permissions import roles_required


def rebuild_site(done: str, *, failed_prefix: str) -> bool:
    """Ask for a publish and flash what became of it so far; False only when it already failed."""
    job = request_publish(done, current_user if current_user.is_authenticated else None)
    if job.state == DONE:  # immediate mode: built inside this request
        flash(f"{done}，网站已更新（用时{job.seconds:.1f}秒）", "success")
    elif job.state == FAILED:
        flash(f"{failed_prefix}网站生成失败：{job.error}，请稍后点击重新生成网站", "error")
        return False
    else:
        flash(f"{done}，网站更新已排队（第{job.id}号发布任务），稍后自动上线，进度见工作台", "success")
    return True


@bp.post("/site/rebuild")
@roles_required("admin")
def site_rebuild():
    rebuild_site("已重新生成网站", failed_prefix="")
    return redirect(url_for("admin.dashboard"))
