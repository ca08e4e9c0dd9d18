"""Error pages of the back office, in the user's language."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from . import bp


@bp.errorhandler(403)
def forbidden(_error):
    return render_template("admin/error.html", title=_("没有权限"),
                           message=_("您没有权限访问该内容。")), 403


@bp.errorhandler(404)
def not_found(_error):
    return render_template("admin/error.html", title=_("找不到该内容"),
                           message=_("您要找的内容不存在或已被删除。")), 404


@bp.errorhandler(CSRFError)
def csrf_failed(_error):
    return render_template("admin/error.html", title=_("页面已过期"),
                           message=_("页面已过期或来源不明，操作未执行。请返回上一页，刷新后重新提交。")), 400
