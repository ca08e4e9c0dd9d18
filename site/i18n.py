"""The back office's languages: Chinese first, English available (Flask-Babel message catalogs).

Messages are written in Chinese in the code and templates (``_("服务事项")``): Chinese is the source
language and needs no catalog; ``translations/en/LC_MESSAGES/messages.po`` gives the English. The
language is the user's choice (the header's 中文 / English switch sets a cookie), never guessed from
the browser: a county office's machines often say en-US while everyone reads Chinese.

Catalog upkeep: ``make messages`` extracts every message (``babel.cfg``), merges the parts helpers
translated (``translations/parts/*.po``) and compiles ``messages.mo``; the suite checks that every
message has an English translation and that the committed ``.mo`` matches the ``.po``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, redirect, request, url_for
from flask_babel import Babel

#: Languages offered, the first the default. Codes as Babel spells them.
LANGUAGES: dict[str, str] = {"zh": "中文", "en": "English"}
DEFAULT = "zh"
COOKIE = "sunshine_lang"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()


def select_locale() -> str:
    """The language the user chose (cookie), else Chinese."""
    chosen = request.cookies.get(COOKIE, "") if request else ""
    return chosen if chosen in LANGUAGES else DEFAULT


def html_lang() -> str:
    """The ``lang`` attribute of a page in the current language."""
    return "en" if select_locale() == "en" else "zh-CN"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(html_lang=html_lang, languages=LANGUAGES, current_language=select_locale)


def language_response(code: str, back: str | None) -> Response:
    """Remember ``code`` for a year and go back where the user was (a local path only)."""
    from .admin.auth import safe_next

    response = redirect(safe_next(back) or url_for("admin.dashboard"))
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response
