"""The display-mode switch of every public page: 标准 / 大字 (长者模式), without JavaScript.

``GET /intake/display/elder?next=/items/`` sets the ``sunshine_display`` cookie for a year and
answers 303 to ``next``; ``/intake/display/standard`` removes it. The header of every page (static
and intake) links both. ``/display.css`` then serves the elder stylesheet to this browser
(site/display_mode.py explains the mechanism).

A GET that changes something is acceptable here, and deliberate: the only thing changed is a
display preference kept in the visitor's own browser — nothing is stored on the server, nothing is
revealed, and a forged link can at worst enlarge someone's type, which they switch back with one
click. A plain link is what makes the switch work with scripts off and from static pages, which
cannot carry a CSRF token. ``next`` is only ever a path of this site (``display_mode.return_path``:
``//host``, ``/\\host``, absolute URLs and encoded variants go to the home page instead), so the
switch cannot be used as an open redirect.

The cookie is ``SameSite=Lax`` (sent with the page and its stylesheet requests, not to other
sites' embeds), ``HttpOnly`` (no script needs it), ``Secure`` when the request came over HTTPS, and
``Path=/`` so that the static pages' ``/display.css`` receives it.
"""

from __future__ import annotations

from flask import Response, redirect, request

from sunshine.contract.urls import INTAKE

from ..display_mode import COOKIE, COOKIE_MAX_AGE, ELDER, MODES, return_path
from . import bp


def switch(mode: str) -> Response:
    """Remember ``mode`` in the visitor's browser and send them back where they were."""
    target = return_path(request.args.get("next"), request.headers.get("Referer"), request.host)
    response = redirect(target, code=303)
    if mode == ELDER:
        response.set_cookie(COOKIE, ELDER, max_age=COOKIE_MAX_AGE, path="/", samesite="Lax",
                            httponly=True, secure=request.is_secure)
    else:  # standard is the default: the preference is forgotten rather than stored
        response.delete_cookie(COOKIE, path="/", samesite="Lax", httponly=True, secure=request.is_secure)
    # A shared cache must never replay one visitor's Set-Cookie to another.
    response.headers["Cache-Control"] = "no-store"
    return response


for _mode in MODES:
    bp.add_url_rule(INTAKE[f"display_{_mode}"].removeprefix(bp.url_prefix or ""), f"display_{_mode}",
                    lambda mode=_mode: switch(mode), methods=["GET"])
