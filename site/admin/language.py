"""The 中文 / English switch of the back office (reachable before login, so the login page has it too)."""

from __future__ import annotations

from flask import request

from ..i18n import language_response
from . import bp


@bp.post("/language")
def language():
    return language_response(request.form.get("lang", ""), request.form.get("next"))
