"""Per-address rate limits of the public intake (Flask-Limiter): filing and lookups.

A view of the intake is marked with ``@filing_limit`` (a complaint or a rating is
filed) or ``@lookup_limit`` (a complaint or a case is looked up by number and secret
code); ``init_limits`` then gives each app its own ``Limiter`` and wraps the
marked views of that app. Only POSTs count (the GET of a form is free), except on the
search views (``@search_limit``), where every GET counts against ``SUNSHINE_LIMIT_SEARCH``. Every
filing post counts against ``SUNSHINE_LIMIT_FILING``; a lookup counts against
``SUNSHINE_LIMIT_LOOKUP`` only when it fails (a wrong number or code is a
guess), so a citizen reading a case's progress is never held back. The counts
are per client address (``request.remote_addr``; behind a proxy ``create_app``
applies ProxyFix with ``SUNSHINE_PROXY_HOPS``) and shared by every view of one
kind, kept in ``SUNSHINE_RATELIMIT_STORAGE`` (``memory://`` counts per worker
process; production with several workers needs ``redis://…``). A request over
the limit is answered 429 by ``errors.too_many_requests`` before its view
runs, with ``Retry-After`` and the ``X-RateLimit-*`` headers.

A Limiter per app (not one per process) keeps apps apart: Flask-Limiter keeps
its storage and its on/off switch on the Limiter object. This module never
stores anything of the request, and an unreachable storage never refuses a
filing: the error is logged and the request goes through unlimited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

View = TypeVar("View", bound=Callable)

#: Attribute on a view function naming its kind of limit.
MARK = "_sunshine_rate_limit"
FILING = "filing"
LOOKUP = "lookup"
SEARCH = "search"
#: Setting holding the limit of each kind ("5 per minute;30 per day").
SETTINGS = {FILING: "SUNSHINE_LIMIT_FILING", LOOKUP: "SUNSHINE_LIMIT_LOOKUP", SEARCH: "SUNSHINE_LIMIT_SEARCH"}
#: The requests that count, by kind: a search is a GET (its results page and the JSON API).
METHODS = {FILING: ["POST"], LOOKUP: ["POST"], SEARCH: ["GET"]}
#: Key under ``app.extensions`` of the app's Limiter.
EXTENSION = "sunshine_limiter"
#: Prefix of every key in the storage (a shared Redis may hold other programs' keys).
KEY_PREFIX = "sunshine-intake"


def _mark(kind: str) -> Callable[[View], View]:
    def mark(view: View) -> View:
        setattr(view, MARK, kind)
        return view

    return mark


#: Decorator of a view that files something (a complaint, a rating): every POST counts.
filing_limit = _mark(FILING)
#: Decorator of a view that looks something up by number and code: every failed POST counts.
lookup_limit = _mark(LOOKUP)
#: Decorator of a search view (/intake/search, /api/search): every GET counts, so a script cannot
#: run the index dry for everyone; a citizen typing queries stays far below the limit.
search_limit = _mark(SEARCH)


def _failed(response: Response) -> bool:
    """A lookup that found nothing (or was refused), but not the 429 of the limit itself."""
    return 400 <= response.status_code < 500 and response.status_code != 429


def init_limits(app: Flask) -> Limiter | None:
    """Give ``app`` its own Limiter and wrap its marked views; None when ``RATELIMIT_ENABLED`` is off.

    Call after every blueprint is registered (the views are found in ``app.view_functions``).
    """
    config = app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=config.get("SUNSHINE_RATELIMIT_STORAGE") or "memory://",
        headers_enabled=True,
        strategy="fixed-window",
        key_prefix=KEY_PREFIX,
        swallow_errors=True,  # Redis down: log it and take the complaint rather than answer 500
    )
    for endpoint, view in list(app.view_functions.items()):
        kind = getattr(view, MARK, None)
        if kind is None:
            continue
        app.view_functions[endpoint] = limiter.shared_limit(
            config[SETTINGS[kind]],
            scope=kind,
            methods=METHODS[kind],
            error_message="提交过于频繁",
            deduct_when=_failed if kind == LOOKUP else None,
        )(view)
    app.extensions[EXTENSION] = limiter
    return limiter


def seconds_to_wait() -> int:
    """Seconds until the limit breached by the current request resets (at least 1), as Retry-After says."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    breached = limiter.current_limit if limiter is not None else None
    if breached is None:
        return 60
    try:
        return max(1, int(breached.reset_at - time.time()))
    except Exception:  # noqa: BLE001 - the storage went away between the check and this page
        return 60


def wait_text(seconds: int) -> str:
    """How long to wait, in Chinese: "1 分钟" up to an hour, then whole hours ("3 小时")."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes <= 60:
        return f"{minutes} 分钟"
    return f"{math.ceil(minutes / 60)} 小时"
