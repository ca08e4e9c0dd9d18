"""Serve the published static site from the live build (demo and small installs).

Production can point any static web server at ``web_root/current`` instead;
this blueprint only reads files the publisher wrote, it renders nothing.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, send_from_directory
from werkzeug.security import safe_join

bp = Blueprint("static_site", __name__)


def _live_dir() -> Path | None:
    current = Path(current_app.config["SUNSHINE_WEB_ROOT"]) / "current"
    return current.resolve() if current.exists() else None


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
