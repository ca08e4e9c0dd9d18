"""Public intake: complaints, online questions, case lookups and ratings (plain HTML, no JS needed).

It can run alone on the internet (``SUNSHINE_ROLES=public``); it reads
departments and items only as they are published, and shows a complainant's
record only to whoever holds both its number and its secret code.
"""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/intake")

from . import (  # noqa: E402,F401  (register the routes, the request guard, the error pages, the layout)
    cases,
    chrome,
    complaint_followup,
    display,
    errors,
    guard,
    questions,
    ratings,
    search,
    views,
)
