"""``/healthz``: is this process able to serve? For load balancers and monitors.

Registered in every deployment role. It answers 200 with ``{"status": "ok"}``
when the database answers a trivial query, and 503 otherwise; it never shows
configuration, versions or data, and is never cached.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .db import db

bp = Blueprint("health", __name__)


@bp.route("/healthz", methods=["GET"])
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable")
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok")
    response.headers["Cache-Control"] = "no-store"
    return response
