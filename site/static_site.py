"""Serve the published static site from the live build (demo and small installs).

Production can point any static web server at ``web_root/current`` instead;
this blueprint only reads files the publisher wrote, it renders nothing. The one
address that depends on the visitor, ``/display.css`` (the display mode, see
``display_mode``), is answered here from the cookie as nginx does with
deploy/nginx-display.conf.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, request, send_from_directory
from werkzeug.security import safe_join

from sunshine.contract.urls import ROUTES

from .display_mode import COOKIE, stylesheet_for

bp = Blueprint("static_site", __name__)


def _live_dir() -> Path | None:
    current = Path(current_app.config["SUNSHINE_WEB_ROOT"]) / "current"
    return current.resolve() if current.exists() else None


@bp.route(ROUTES["display_css"])
def display_css() -> Response:
    """The elder stylesheet for a browser that chose 大字, the empty standard one otherwise.

    ``no-cache`` (revalidate every time; the ETag differs per file) and ``Vary: Cookie``, so that
    neither the browser nor a shared cache answers one mode with the other's file.
    """
    root = _live_dir()
    chosen = stylesheet_for(request.cookies.get(COOKIE)).lstrip("/")
    if root is not None and (root / chosen).is_file():
        response = send_from_directory(root, chosen, mimetype="text/css")
    else:  # nothing published yet, or a build of an older theme: no extra style
        response = Response("/* standard display */\n", mimetype="text/css")
    response.cache_control.no_cache = True
    response.cache_control.max_age = None
    response.cache_control.public = False
    response.vary.add("Cookie")
    return response


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
def serve(path: str):
    root = _live_dir()
    if root is None:
        return (
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>网站尚未发布</title>"
            "<p>公开网站尚未生成。请在后台点击“重新生成网站”，或运行 <code>sunshine publish</code>。</p></html>",
            503,
        )
    target = safe_join(str(root), path)
    if target is None:
        abort(404)
    if Path(target).is_dir():
        if path and not path.endswith("/"):
            return redirect("/" + path + "/", code=301)
        path = (path + "index.html") if path else "index.html"
    if not (root / path).is_file():
        if (root / "404.html").is_file():
            return send_from_directory(root, "404.html"), 404
        abort(404)
    return send_from_directory(root, path, max_age=60)
