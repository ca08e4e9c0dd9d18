"""Error pages of the back office, in Chinese."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError

from . import bp


@bp.errorhandler(403)
def forbidden(_error):
    return render_template("admin/error.html", title="没有权限",
                           message="您没有权限访问该内容。"), 403


@bp.errorhandler(404)
def not_found(_error):
    return render_template("admin/error.html", title="找不到该内容",
                           message="您要找的内容不存在或已被删除。"), 404


@bp.errorhandler(CSRFError)
def csrf_failed(_error):
    return render_template("admin/error.html", title="页面已过期",
                           message="页面已过期或来源不明，操作未执行。请返回上一页，刷新后重新提交。"), 400
