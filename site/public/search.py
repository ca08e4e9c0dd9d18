"""Public search over published records: the JSON API and the plain results page.

``GET /api/search`` (contract.urls.SEARCH_API, described in docs/openapi/search.yaml) answers JSON with
no login; ``GET /intake/search`` shows the same answer as a page that needs no JavaScript, with
the honest empty state (没有找到, suggestions, the hotline and the online question form).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, render_template, request

from sunshine.contract.urls import INTAKE, ITEM_TYPE_SLUGS, SEARCH_API

from ..public_search import PUBLIC_KINDS, BadSearch, parse_params, public_search
from . import bp
from .guard import is_utf8_query
from .limits import search_limit

#: The API lives outside the intake's /intake/ prefix: its own blueprint, registered with the intake.
api_bp = Blueprint("public_search_api", __name__)

#: Search answers depend only on the published index: shared caches may keep them a little while.
CACHE = {"Cache-Control": "public, max-age=60"}
KIND_CHOICES = {"item": "事项", "department": "部门", "notice": "公告", "channel": "投诉渠道", "question": "问答"}


def _error(parameter: str, message: str, status: int = 400):
    response = jsonify({"error": message, "parameter": parameter})
    response.status_code = status
    return response


def _raw_args_ok() -> str | None:
    """A reason to refuse the address outright (bad encoding, NUL), else None."""
    if not is_utf8_query(request.query_string):
        return "搜索地址不是有效的 UTF-8 编码"
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        return "搜索内容含有不允许的字符"
    return None


@api_bp.get(SEARCH_API)
@search_limit
def search_api():
    refused = _raw_args_ok()
    if refused:
        return _error("q", refused)
    try:
        params = parse_params(request.args)
    except BadSearch as bad:
        return _error(bad.parameter, bad.message)
    try:
        answer = public_search(params)
    except Exception:  # a broken index: say so, the static site's search still works
        current_app.logger.exception("public search failed for %r", params.query)
        return _error("q", "搜索暂时不可用，请稍后再试", 503)
    response = jsonify(answer.as_json())
    response.headers.update(CACHE)
    return response


def _page_link(args: dict[str, str], page: int) -> str:
    return f"{INTAKE['search']}?{urlencode({**args, 'page': page})}"


@bp.get("/search")
@search_limit
def search_page():
    """The results page: a form, the hits, paging, and what to do when nothing is found."""
    query = " ".join((request.args.get("q") or "").split())
    context = {"query": query, "answer": None, "error": None, "failed": False, "kind_choices": KIND_CHOICES,
               "type_choices": list(ITEM_TYPE_SLUGS), "kind": request.args.get("kind", ""),
               "item_type": request.args.get("type", ""), "department": request.args.get("department", ""),
               "previous_url": None, "next_url": None}
    status = 200
    if query:
        try:
            params = parse_params(request.args)
        except BadSearch as bad:
            context["error"], status = bad.message, 400
        else:
            try:
                answer = public_search(params)
            except Exception:
                current_app.logger.exception("public search page failed for %r", query)
                context["failed"], status = True, 503
            else:
                context["answer"] = answer
                kept = {k: v for k, v in request.args.items() if k in ("q", "type", "kind", "department", "per_page") and v}
                if params.page > 1:
                    context["previous_url"] = _page_link(kept, params.page - 1)
                if params.page * params.per_page < answer.total:
                    context["next_url"] = _page_link(kept, params.page + 1)
    return render_template("public/search.html", **context), status


__all__ = ["PUBLIC_KINDS", "api_bp", "search_api", "search_page"]
