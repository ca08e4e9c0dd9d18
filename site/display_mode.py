"""Display mode of the public pages (标准 / 大字 长者模式): the cookie, the stylesheet it selects,
and where the switch may send the visitor back to.

The static pages are identical for every visitor (they are hashed in the site manifest), so the
choice cannot be written into their HTML. Every public page links ``/display.css`` after its other
stylesheets; whoever serves the site answers that one address by the visitor's cookie with one of
two files of the theme: ``elder.css`` (larger type, stronger contrast, larger targets) or the empty
``display-standard.css``. The demo's Flask ``static_site`` blueprint does it with ``stylesheet_for``;
nginx does the same with a ``map`` on ``$cookie_sunshine_display`` (deploy/nginx-display.conf).
No script is involved at any step.

Pure functions; imports no Flask, so the intake's route and the static blueprint share them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sunshine.contract.links import safe_link
from sunshine.contract.urls import ROUTES

#: The cookie that remembers the choice (read by nginx as ``$cookie_sunshine_display``).
COOKIE = "sunshine_display"
STANDARD = "standard"
ELDER = "elder"
MODES: tuple[str, ...] = (STANDARD, ELDER)
#: One year: an older visitor should not have to choose again on every visit.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
#: Display mode → the theme file served as /display.css (ROUTES kind).
STYLESHEET_KIND: dict[str, str] = {STANDARD: "display_standard_css", ELDER: "display_elder_css"}
#: Where the switch sends a visitor when it cannot tell where they came from.
FALLBACK = ROUTES["home"]
_SWITCH_PATHS = tuple(ROUTES[f"display_{mode}"] for mode in MODES)


def mode_of(cookie: str | None) -> str:
    """The display mode a cookie value asks for; anything unknown is the standard mode."""
    return cookie if cookie in MODES else STANDARD


def stylesheet_for(cookie: str | None) -> str:
    """Root-relative address of the theme file to answer /display.css with, for this cookie."""
    return ROUTES[STYLESHEET_KIND[mode_of(cookie)]]


def _same_site_path(value: str | None) -> str | None:
    """``value`` if it is a path of this site (one leading "/", nothing a browser could read as
    another host: ``//host``, ``/\\host``, encoded forms), and not the switch itself."""
    link = safe_link(value)
    if link is None or not link.startswith("/"):
        return None  # refused, or an absolute http(s) URL: never leave the site
    if urlsplit(link).path in _SWITCH_PATHS:
        return None  # the switch sending back to the switch would only loop
    return link


def _referer_path(referer: str | None, host: str) -> str | None:
    """The path (and query) of a Referer from this same host, else None."""
    if not referer:
        return None
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def return_path(next_value: str | None, referer: str | None, host: str) -> str:
    """Where the switch redirects: ``next`` when it is a same-site path; else the page the
    visitor came from when the browser said so (Referer of this host: the intake's own pages,
    the 404 page and the hand-written pages do not know their address when rendered); else home."""
    if next_value is not None:
        return _same_site_path(next_value) or FALLBACK
    return _same_site_path(_referer_path(referer, host)) or FALLBACK
