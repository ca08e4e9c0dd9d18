"""Public intake: citizens' complaint form and complaint lookup (plain HTML, no JS needed).

It can run alone on the internet (``SUNSHINE_ROLES=public``); it reads
departments and items only as they are published, and shows a complainant's
record only to whoever holds both its number and its secret code.
"""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/intake")

from . import (  # noqa: E402,F401  (register the routes, the request guard and the error pages)
    cases,
    errors,
    guard,
    ratings,
    views,
)
