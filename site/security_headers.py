"""Security headers on every response of the app (back office, intake, API, demo static site).

A strict Content-Security-Policy: scripts and styles only from our own origin
(no inline script anywhere; 'wasm-unsafe-eval' because the static search runs
Pagefind's WebAssembly), no framing, no plugins; plus nosniff and a referrer
policy that never sends a lookup's address to another site. Back-office pages
(the login page included) are also ``Cache-Control: no-store``: a shared
computer's cache or the back button must not show them after logout. A few lines
of ``after_request`` rather than a library: these headers are all we need, and
they are tested. Headers a view set itself are left alone.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


#: Blueprints whose every response is private to the person logged in.
PRIVATE_BLUEPRINTS = frozenset({"admin"})


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.blueprint in PRIVATE_BLUEPRINTS:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
