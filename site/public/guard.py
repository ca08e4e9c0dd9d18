"""The door of the public intake: refuses a request no form of it should ever read.

Before any view of the intake runs, a request is refused (4xx, Chinese page
from ``errors``) when its address or url-encoded body is not valid UTF-8 (text
in a legacy encoding such as GBK would otherwise be stored as %-garbage), when
it posts anything but a form (JSON, plain text), when any name or value of its
address or form holds a NUL byte (PostgreSQL cannot store one and must never
see one), or when its CSRF token is missing or stale. Nothing refused here
reaches a view or the database.

The intake is exempt from CSRFProtect's own before-request hook so that the
encoding of the raw body can be read first (CSRFProtect parses the form, after
which the raw body is gone); the same ``csrf.protect()`` then runs here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import current_app, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .. import csrf
from . import bp

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
POSTS = ("POST", "PUT", "PATCH", "DELETE")


class BadEncoding(BadRequest):
    """The address or the body is not valid UTF-8."""


class NulInput(BadRequest):
    """A NUL byte in the address or the form; ``in_args`` tells which."""

    def __init__(self, in_args: bool) -> None:
        super().__init__()
        self.in_args = in_args


def is_utf8_query(raw: bytes) -> bool:
    """Whether ``raw`` (a query string or url-encoded body) decodes as UTF-8, %-escapes included."""
    try:
        parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


@bp.before_request
def refuse_bad_requests() -> None:
    if not is_utf8_query(request.query_string):
        raise BadEncoding()
    if _has_nul(request.args.items(multi=True)):
        raise NulInput(in_args=True)
    if request.method not in POSTS:
        return
    if request.mimetype not in FORM_TYPES and (request.mimetype or request.content_length):
        raise UnsupportedMediaType()
    if request.mimetype == FORM_TYPES[0] and not is_utf8_query(request.get_data(cache=True)):
        raise BadEncoding()
    if _has_nul(request.form.items(multi=True)):
        raise NulInput(in_args=False)
    if current_app.config["WTF_CSRF_ENABLED"] and current_app.config.get("WTF_CSRF_CHECK_DEFAULT", True):
        csrf.protect()


csrf.exempt(bp)
