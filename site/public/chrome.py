"""The public site's header and footer on every intake page (one set of markup, the theme's).

``themes/sunshine/templates/_chrome.html`` holds the header (name, main navigation) and footer
(address, hours, phones, links) as macros; the publisher's base.html calls them with its
``url_for``, the intake with the same facts from the database (``site_facts``) and addresses on
the static site (``SUNSHINE_STATIC_URL`` + the route). The theme's templates are reached as
``theme/…`` through a loader added when the blueprint is registered, so nothing of the theme is
copied into the app.

What the macros give depends only on the facts, the static site's address and the page's section,
so it is rendered once per combination and kept with the facts (the receipt is the intake's hot
path: rendering the navigation anew on every filing cost about a third of the receipt).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, get_template_attribute, request
from flask.sansio.blueprints import BlueprintSetupState
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup

from sunshine.contract.urls import NAV, ROUTES, url_for

from ..deadline_words import cn_date
from . import bp
from .site_facts import Site, facts

#: Prefix of the theme's templates in the app's loader ("theme/_chrome.html").
THEME_PREFIX = "theme"
CHROME = f"{THEME_PREFIX}/_chrome.html"
#: Endpoint of the intake → the section of the main navigation it belongs to (aria-current).
SECTIONS = {
    "public.complaint": "channels", "public.lookup_view": "channels", "public.complaint_reopen": "channels",
    "public.complaint_confirm": "channels", "public.question": "questions", "public.question_lookup": "questions",
}
_lock = threading.Lock()


def _prefix() -> str:
    return (current_app.config.get("SUNSHINE_STATIC_URL") or "").rstrip("/")


def static_url(kind: str, code: str | None = None) -> str:
    """Address of a page of the published site, as seen from the intake."""
    return _prefix() + url_for(kind, code)


@functools.lru_cache(maxsize=16)
def _links(prefix: str) -> dict[str, str]:
    """Every page kind without a code → its address under ``prefix``."""
    return {kind: prefix + pattern for kind, pattern in ROUTES.items() if "{code}" not in pattern}


@dataclass(frozen=True)
class Chrome:
    site: Site
    #: Route kind → address on the static site (a function, as the macros expect).
    url: Callable[[str], str]
    header: Markup
    footer: Markup
    #: Where else to turn (the receipts' 投诉渠道 list).
    escalation: Markup


def intake_chrome() -> Chrome:
    """The rendered header, footer and escalation list of this request's page (cached with the facts)."""
    current = facts()
    prefix, section = _prefix(), SECTIONS.get(request.endpoint or "", "")
    cache = current_app.extensions.setdefault("sunshine_chrome", {})
    entry = cache.get((prefix, section))
    if entry is not None and entry[0] is current:
        return entry[1]
    url = _links(prefix).__getitem__
    chrome = Chrome(
        site=current.site, url=url,
        header=get_template_attribute(CHROME, "site_header")(current.site, NAV, url, section=section),
        footer=get_template_attribute(CHROME, "site_footer")(current.site, url),
        escalation=get_template_attribute("public/_receipt.html", "escalation")(current),
    )
    with _lock:
        cache[(prefix, section)] = (current, chrome)
    return chrome


@bp.record_once
def _add_theme_templates(state: BlueprintSetupState) -> None:
    app = state.app
    theme = Path(app.config["SUNSHINE_THEME_DIR"]) / "templates"
    own = app.jinja_loader
    themed = PrefixLoader({THEME_PREFIX: FileSystemLoader(str(theme))})
    app.jinja_loader = ChoiceLoader([own, themed] if own is not None else [themed])
    app.add_template_global(intake_chrome, "intake_chrome")
    app.add_template_global(static_url, "static_url")
    app.add_template_filter(cn_date, "cn_date")
