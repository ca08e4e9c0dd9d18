"""Publishing the public site from the back office: a recorded background job, never inside the request.

A save that publishes or withdraws a record asks for a publish (``jobs.request_publish``) and
returns at once; the dashboard shows the queued, running, done and failed jobs and the live build.
A failed build never undoes a publish: the record stays published, the job says why, and the next
request (or 重新生成网站) builds again.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..jobs import request_publish
from ..models.publish_job import DONE, FAILED
from ..roles import N_
from . import bp
from .permissions import Action, requires


def rebuild_site(done: str, *, failed_prefix: str, **values: object) -> bool:
    """Ask for a publish and flash what became of it so far; False only when it already failed.

    ``done`` and ``failed_prefix`` are untranslated messages (``N_``), ``values`` fill their
    placeholders: the job keeps the reason in Chinese (it is a record, read by everyone), the
    flash says it in the user's language.
    """
    job = request_publish(done % values, current_user if current_user.is_authenticated else None)
    shown = _(done, **values)
    if job.state == DONE:  # immediate mode: built inside this request
        flash(_("%(done)s，网站已更新（用时%(seconds)s秒）", done=shown, seconds=format(job.seconds, ".1f")), "success")
    elif job.state == FAILED:
        if failed_prefix:
            flash(_("%(prefix)s网站生成失败：%(error)s，请稍后点击重新生成网站", prefix=_(failed_prefix),
                    error=job.error), "error")
        else:
            flash(_("网站生成失败：%(error)s，请稍后点击重新生成网站", error=job.error), "error")
        return False
    else:
        flash(_("%(done)s，网站更新已排队（第%(job)s号发布任务），稍后自动上线，进度见工作台", done=shown, job=job.id),
              "success")
    return True


@bp.post("/site/rebuild")
@requires(Action.REBUILD_SITE)
def site_rebuild():
    rebuild_site(N_("已重新生成网站"), failed_prefix="")
    return redirect(url_for("admin.dashboard"))
