"""API tokens: made and revoked by the CLI, checked before every API request.

A token is 256 random bits shown once; only its SHA-256 is stored (``ApiToken``).
This module never prints, logs or stores a token in clear.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import g, jsonify, request
from sqlalchemy import select

from .. import clock
from ..db import db
from ..models import ApiToken
from . import bp

#: ``last_used_at`` is refreshed at most this often (seconds), so reads do not write every time.
TOUCH_EVERY = 60


class TokenError(ValueError):
    """A refused token command (message in Chinese)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(name: str) -> str:
    """A new token for client ``name`` (or a fresh one for a revoked name); returns it in clear, once."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("令牌名称须为1至100个字符。")
    token = secrets.token_urlsafe(32)
    found = db.session.scalars(select(ApiToken).where(ApiToken.name == name)).first()
    if found is not None and found.active:
        raise TokenError(f"令牌“{name}”已存在且有效；如需更换，请先吊销（revoke-token）。")
    if found is None:
        found = ApiToken(name=name, created_at=clock.now())
        db.session.add(found)
    found.token_hash = hash_token(token)
    found.active = True
    found.created_at = clock.now()
    found.last_used_at = None
    db.session.commit()
    return token


def revoke_token(name: str) -> None:
    found = db.session.scalars(select(ApiToken).where(ApiToken.name == (name or "").strip())).first()
    if found is None:
        raise TokenError(f"没有名为“{name}”的令牌。")
    if not found.active:
        raise TokenError(f"令牌“{name}”已被吊销。")
    found.active = False
    db.session.commit()


def token_from_header(header: str | None) -> ApiToken | None:
    """The active token named by an ``Authorization: Bearer …`` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200:
        return None
    return db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(value), ApiToken.active.is_(True))).first()


def unauthorized(message: str):
    response = jsonify({"error": message, "problems": []})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="sunshine-api"'
    return response


@bp.before_request
def require_token():
    header = request.headers.get("Authorization")
    if not header:
        return unauthorized("缺少访问令牌：请在 Authorization 头中提供 “Bearer <令牌>”。")
    token = token_from_header(header)
    if token is None:
        return unauthorized("访问令牌无效或已被吊销。")
    moment = clock.now()
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() >= TOUCH_EVERY:
        token.last_used_at = moment
        db.session.commit()
    g.api_client = token.name
    return None
