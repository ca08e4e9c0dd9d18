"""Error pages of the public intake: Chinese, in the intake's layout, keeping what was typed when they can.

A refused form post (expired page / CSRF failure, a NUL byte) shows the same
form again with what was typed, a fresh CSRF token and a notice on top, so
sending it again works; the views register how to re-show their page with
``reshows``. A post over a rate limit (429, ``limits``) is shown back the same
way, with how long to wait. What cannot be shown back (a body in the wrong encoding, one too
large to read) gets a page with a link back to the form. These handlers never
store anything and never show a value the request did not carry.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import (
    BadRequest,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    TooManyRequests,
    UnsupportedMediaType,
)

from . import bp
from .guard import BadEncoding, NulInput, is_utf8_query
from .limits import seconds_to_wait, wait_text

#: endpoint → function(formdata, notice) rendering that endpoint's page again with the typed values.
Reshow = Callable[[MultiDict, dict[str, str]], ResponseReturnValue | None]
RESHOW: dict[str, Reshow] = {}

EXPIRED = {"title": "页面已过期，您填写的内容尚未提交",
           "message": "可能是页面打开太久，或浏览器没有保存本站的 Cookie。您填写的内容已保留在下面，请核对后再次提交。"}
NUL_NOTICE = {"title": "提交的内容含有无法保存的空字符，尚未提交",
              "message": "空字符已去掉，其余内容保留在下面，请核对后再次提交。"}


def reshows(endpoint: str) -> Callable[[Reshow], Reshow]:
    """Register how the page of ``endpoint`` is shown again from refused form data."""

    def register(function: Reshow) -> Reshow:
        RESHOW[endpoint] = function
        return function

    return register


def error_page(title: str, message: str, status: int, *, back: bool = True, keep_query: bool = True):
    """The intake's Chinese error page; ``back`` links to the address the request came to (its form)."""
    back_url = None
    if back and _intake_path():
        back_url = request.path
        if keep_query and request.args:
            back_url += "?" + urlencode(list(request.args.items(multi=True)))
    return render_template("public/error.html", title=title, message=message, back_url=back_url), status


def _reshow(notice: dict[str, str], formdata: MultiDict, status: int = 400) -> ResponseReturnValue | None:
    function = RESHOW.get(request.endpoint or "")
    if function is None or request.method != "POST":
        return None
    shown = function(formdata, notice)
    if shown is None:
        return None
    body, _status = shown if isinstance(shown, tuple) else (shown, 200)
    return body, status


@bp.errorhandler(CSRFError)
def csrf_failed(_error: CSRFError):
    return _reshow(EXPIRED, request.form) or error_page(
        EXPIRED["title"], "可能是页面打开太久，或浏览器没有保存本站的 Cookie。请返回表单，刷新后重新填写提交。", 400)


@bp.errorhandler(NulInput)
def nul_input(error: NulInput):
    if not error.in_args:
        cleaned = MultiDict([(key, value.replace("\x00", "")) for key, value in request.form.items(multi=True)])
        shown = _reshow(NUL_NOTICE, cleaned)
        if shown is not None:
            return shown
    return error_page("提交的内容含有无法保存的空字符", "内容未保存。请返回表单重新填写后提交。", 400,
                      keep_query=False)


@bp.errorhandler(BadEncoding)
def bad_encoding(_error: BadEncoding):
    return error_page("无法识别提交的文字",
                      "提交的文字不是 UTF-8 编码（可能来自旧版浏览器或其他软件），为避免保存成乱码，内容未保存。"
                      "请返回表单重新输入后提交。", 400, keep_query=is_utf8_query(request.query_string))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    return error_page("提交的内容太大",
                      f"提交的内容超过 {limit:.0f} MB，未保存。投诉内容请控制在3000字以内、评价内容在500字以内，"
                      "请返回表单重新填写。", 413)


@bp.errorhandler(UnsupportedMediaType)
def not_a_form(_error: UnsupportedMediaType):
    return error_page("请通过网页表单提交", "本页只接收网页表单提交的内容，未保存任何数据。请打开表单填写后提交。", 415)


@bp.errorhandler(TooManyRequests)
def too_many_requests(_error: TooManyRequests):
    """Over a rate limit of ``limits``: nothing was stored; the wait matches the Retry-After header."""
    title = f"提交过于频繁，请 {wait_text(seconds_to_wait())}后再试"
    kept = _reshow({"title": title, "message": "您填写的内容尚未提交，已保留在下面，请到时再提交。"},
                   request.form, status=429)
    return kept or error_page(title, "您的内容尚未提交，也未保存。请稍后再试。", 429)


@bp.errorhandler(BadRequest)
def bad_request(_error: BadRequest):
    return error_page("无法处理该请求", "提交的内容不完整或格式不对，未保存。请返回表单重新填写后提交。", 400)


@bp.errorhandler(InternalServerError)
def server_error(_error: InternalServerError):
    return error_page("系统暂时无法处理", "您的内容可能尚未保存。请稍后再试，或拨打12345政务服务便民热线。", 500,
                      back=False)


def _intake_path() -> bool:
    prefix = bp.url_prefix or ""
    return request.path == prefix or request.path.startswith(prefix + "/")


@bp.app_errorhandler(NotFound)
def unknown_address(error: NotFound):
    """Unknown addresses under the intake (elsewhere the app's own answer stands)."""
    if not _intake_path():
        return error
    return error_page("找不到该页面", "您要找的页面不存在。请从阳光政务网站的办事指南或部门页面进入。", 404, back=False)


@bp.app_errorhandler(MethodNotAllowed)
def wrong_method(error: MethodNotAllowed):
    if not _intake_path():
        return error
    body, status = error_page("无法处理该请求", "本页只能通过浏览器打开或通过网页表单提交。", 405)
    headers = {"Allow": ", ".join(sorted(error.valid_methods or ()))}
    return body, status, headers

