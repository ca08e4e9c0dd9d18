"""Secret query codes (查询码) of complaints and cases: made, stored, checked.

The code is shown to the citizen once and stored only as a salted HMAC-SHA256
keyed with the app's secret key. A code is 8 characters from 32 (40 random
bits), so a slow password hash would buy little and cost ~150 ms of CPU per
filing or import row (SCALE-NOTES §6); the HMAC costs microseconds and a stolen
database alone does not reveal any code. Hashes made by the first release
(werkzeug password hashes) are still accepted. Lookups compare in constant time
and check an unknown number against a fixed hash, so a wrong number and a
wrong code cost the same.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from werkzeug.security import check_password_hash

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
CODE_LENGTH = 8
SCHEME = "hmac-sha256"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_for(purpose: str, key: str) -> str:
    """A query code derived from a secret-keyed hash of ``key``: the same key always gives the same code.

    Used for idempotent filing: a repeated post of one form rendering (its random key) must show
    the very receipt the first post showed, though the code itself is stored only as a hash.
    """
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(secret, f"{purpose}${key}".encode(), hashlib.sha256).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def _digest(salt: str, code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, f"{salt}${normalise(code)}".encode(), hashlib.sha256).hexdigest()


def hash_code(code: str) -> str:
    """The stored form of a query code (needs an app context for the key)."""
    salt = secrets.token_hex(8)
    return f"{SCHEME}${salt}${_digest(salt, code)}"


def check_code(stored: str, code: str) -> bool:
    """True when ``code`` matches the stored hash (either scheme)."""
    if stored.startswith(SCHEME + "$"):
        _scheme, salt, digest = stored.split("$", 2)
        return hmac.compare_digest(digest, _digest(salt, code))
    return check_password_hash(stored, normalise(code))


def check_unknown(code: str) -> bool:
    """Spend what a real check spends when the number is unknown; always False."""
    check_code(f"{SCHEME}$0000000000000000${'0' * 64}", code)
    return False
