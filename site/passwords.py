"""Password hashes: argon2id for every new one; older werkzeug hashes still verify until replaced.

Databases created before argon2 hold werkzeug ``scrypt:``/``pbkdf2:`` hashes. They keep
working: ``needs_rehash`` says yes for them (and for argon2 hashes made with weaker
parameters than today's), and the login that proves the password stores a new hash.
This module never logs, returns or stores a password in clear.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

#: The hasher of new passwords: argon2-cffi's defaults, RFC 9106's "low memory" profile
#: (argon2id, t=3, m=64 MiB, p=4; ~0.2 s on one core). Tests swap in cheap parameters.
hasher = PasswordHasher()

ARGON2_PREFIX = "$argon2"

#: (hasher, hash) of a password nobody has, checked when the account is unknown.
_dummy: tuple[PasswordHasher, str] | None = None


def hash_password(password: str) -> str:
    """A salted argon2id hash of ``password`` (a new salt each time)."""
    return hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (argon2, or a legacy werkzeug hash)."""
    if not stored:
        return False
    if stored.startswith(ARGON2_PREFIX):
        try:
            return hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):  # a malformed or unknown legacy format never matches
        return False


def needs_rehash(stored: str) -> bool:
    """True for a legacy werkzeug hash or an argon2 hash with other parameters than today's."""
    if not stored.startswith(ARGON2_PREFIX):
        return True
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def verify_dummy(password: str) -> None:
    """Spend the time of one real verification, so an unknown account answers as slowly as a known one."""
    global _dummy
    if _dummy is None or _dummy[0] is not hasher:
        _dummy = (hasher, hasher.hash("no-account-has-this-password"))
    verify_password(_dummy[1], password)
