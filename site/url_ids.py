"""Whole numbers read from the address (path ids, ``?page=``): only what the database can hold.

Record ids are PostgreSQL ``integer`` columns. An id past 2**31 - 1 in an address
(``/admin/items/99999999999999999999/edit``) made the lookup itself fail
(NumericValueOutOfRange on PostgreSQL, OverflowError on SQLite): a 500 for what is
simply a record that cannot exist. ``register`` answers such an address 404 for every
route of the app at once; ``whole_number`` and ``query_int`` read a bounded number from
a form or the query string for the views that take one.

Why not a bounded ``int`` converter: a converter that refuses a value makes its rule
not match, and the address then falls through to the next rule that does (the static
site's catch-all, which answers 503 before anything is published). Refusing after the
match instead keeps the blueprint's own 404 answer: the back office's Chinese page, the
API's JSON. Never touches the database.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request

#: The range of a PostgreSQL ``integer`` (and of every id column of the models).
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
#: A whole number as typed in an address: ASCII digits only, at most 12 of them (more cannot fit).
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


def in_range(value: int) -> bool:
    """True when ``value`` fits a database ``integer`` column."""
    return INT_MIN <= value <= INT_MAX


def refuse_out_of_range_ids(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """404 when a whole number the route matched (``<int:id>``) cannot be a stored id."""
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and not in_range(value):
            abort(404)


def whole_number(text: str | None, *, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """``text`` as a whole number between ``low`` and ``high``, or None when it is not one
    (blank, not ASCII digits, out of that range): an id posted in a form or typed in an address
    must never reach SQL as a number the database cannot hold."""
    raw = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def query_int(name: str, default: int, *, low: int = 1, high: int = INT_MAX) -> int:
    """``request.args[name]`` as a whole number between ``low`` and ``high`` (``?page=``), else ``default``."""
    number = whole_number(request.args.get(name), low=low, high=high)
    return default if number is None else number


def register(app: Flask) -> None:
    """Refuse out-of-range ids on every route of ``app`` (path arguments only: see ``query_int``)."""
    app.url_value_preprocessor(refuse_out_of_range_ids)
