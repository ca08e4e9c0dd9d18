"""Rebuilding the public site from the back office (the publisher runs in its own process).

A failed build never undoes a publish: the record stays published and the
message tells staff to press "重新生成网站" later.
"""

from __future__ import annotations

import subprocess

from flask import current_app, flash, redirect, url_for

from ..publishing import PublishError, publish_site
from . import bp
from .permissions import roles_required


def rebuild_site(done: str, *, failed_prefix: str) -> bool:
    """Rebuild and flash "<done>，网站已更新（用时X秒）" or the failure; True on success."""
    try:
        outcome = publish_site(current_app._get_current_object())
    except (PublishError, OSError, subprocess.SubprocessError) as exc:
        current_app.logger.warning("site rebuild failed: %s", exc)
        flash(f"{failed_prefix}网站生成失败：{exc}，请稍后点击重新生成网站", "error")
        return False
    flash(f"{done}，网站已更新（用时{outcome.seconds:.1f}秒）", "success")
    return True


@bp.post("/site/rebuild")
@roles_required("admin")
def site_rebuild():
    rebuild_site("已重新生成网站", failed_prefix="")
    return redirect(url_for("admin.dashboard"))
