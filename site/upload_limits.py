"""Larger request bodies for the few routes that take a file import, set before anything reads the body.

``MAX_CONTENT_LENGTH`` (2 MB) guards every route; a case or item import legitimately carries up to
``SUNSHINE_IMPORT_MAX_BYTES``. The limit must be raised before the app-wide CSRF check parses
the form, or a 3 MB import is refused with 413 however valid it is: so this hook is registered
ahead of ``CSRFProtect`` in ``create_app``.
"""

from __future__ import annotations

from flask import Flask, current_app, request

#: Endpoint -> the setting holding its largest request body.
LARGE_UPLOADS: dict[str, str] = {
    "admin.case_import_post": "SUNSHINE_IMPORT_MAX_BYTES",
    "admin.item_transfer_import": "SUNSHINE_IMPORT_MAX_BYTES",
}


def _raise_limit() -> None:
    setting = LARGE_UPLOADS.get(request.endpoint or "")
    if setting is not None and request.method == "POST":
        request.max_content_length = int(current_app.config[setting])


def register(app: Flask) -> None:
    """Call before ``csrf.init_app(app)``: before-request hooks run in the order they were added."""
    app.before_request(_raise_limit)
