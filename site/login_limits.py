"""How many login attempts an account and a client address still have, counted from the audit log.

Every failed login is a ``login_failed`` audit entry naming the account as typed and the
client address, so the count is exact and shared by every process on the database (no
per-worker memory, no extra store). An account is locked after
``SUNSHINE_LOGIN_ACCOUNT_FAILURES`` failures within the window since its last successful
login; an address after ``SUNSHINE_LOGIN_ADDRESS_FAILURES`` failures within the window
(a success does not reset it: one attacker with one valid account must not clear it). A
refused attempt is not a failure, so retrying during the lock does not extend it.

Counting alone is not atomic: attempts sent at the same moment would all pass ``check``
before any had recorded its failure, each getting a password guess. So the view checks again
after the password, inside ``serialize``: the attempts of one account and of one address then
decide (check and record their outcome) one at a time, each seeing the failures the ones before
it committed. The password hash (the slow part) stays outside, so attempts are not held up
behind each other's hashing; an attempt whose second check refuses shows the refusal, whatever
its password was.
Pure counting and locking: this module never writes the log nor decides what the view shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from . import clock
from .db import db
from .models import AuditEntry

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Refusal:
    """A login refused before the password is looked at: which limit, and when it lifts."""

    scope: str  # ACCOUNT or ADDRESS
    retry_at: dt.datetime

    def message(self, now: dt.datetime) -> str:
        """The message telling the user when to try again, in the user's language."""
        at = self.retry_at.astimezone(clock.CN_TZ)
        when = at.strftime("%H:%M") if at.date() == now.astimezone(clock.CN_TZ).date() \
            else _("%(month)s月%(day)s日 %(time)s", month=at.month, day=at.day, time=at.strftime("%H:%M"))
        minutes = max(1, math.ceil((self.retry_at - now).total_seconds() / 60))
        if self.scope == ACCOUNT:
            return _("该账号登录失败次数过多，已暂时锁定。请在 %(when)s（约 %(minutes)s 分钟后）再试；"
                     "忘记密码请联系系统管理员重置。", when=when, minutes=minutes)
        return _("本机登录失败次数过多，已暂时禁止登录。请在 %(when)s（约 %(minutes)s 分钟后）再试。",
                 when=when, minutes=minutes)


def _failures_since(condition, since: dt.datetime, limit: int) -> list[dt.datetime]:
    """Times of the newest ``limit`` failures matching ``condition`` after ``since``, newest first."""
    return list(db.session.scalars(
        select(AuditEntry.at)
        .where(AuditEntry.action == "login_failed", condition, AuditEntry.at > since)
        .order_by(AuditEntry.at.desc()).limit(limit)))


def _last_login(username: str, since: dt.datetime) -> dt.datetime | None:
    return db.session.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.action == "login", AuditEntry.username == username, AuditEntry.at > since))


def _retry_at(failures: list[dt.datetime], limit: int, window: dt.timedelta) -> dt.datetime | None:
    """Locked while ``limit`` failures lie in the window: until the limit-th newest leaves it."""
    if limit <= 0 or len(failures) < limit:
        return None
    return failures[limit - 1] + window


def check(username: str, address: str, *, now: dt.datetime | None = None) -> Refusal | None:
    """The refusal that applies to a login as ``username`` from ``address`` now, or None."""
    config = current_app.config
    now = now or clock.now()
    window = dt.timedelta(minutes=config["SUNSHINE_LOGIN_WINDOW_MINUTES"])
    start = now - window
    username = username[:64]  # as the audit log stores it
    account_limit = config["SUNSHINE_LOGIN_ACCOUNT_FAILURES"]
    if username and account_limit > 0:
        since = max(start, _last_login(username, start) or start)
        retry = _retry_at(_failures_since(AuditEntry.username == username, since, account_limit),
                          account_limit, window)
        if retry is not None and retry > now:
            return Refusal(ACCOUNT, retry)
    address_limit = config["SUNSHINE_LOGIN_ADDRESS_FAILURES"]
    if address and address_limit > 0:
        retry = _retry_at(_failures_since(AuditEntry.address == address[:64], start, address_limit),
                          address_limit, window)
        if retry is not None and retry > now:
            return Refusal(ADDRESS, retry)
    return None


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL advisory locks take a bigint), the same in every process."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def serialize(username: str, address: str) -> None:
    """Hold, until the current transaction ends, the right to decide logins as ``username`` and from ``address``.

    Another attempt for the same account or address calling this waits until this transaction
    commits or rolls back, then sees its recorded outcome: the limits hold under concurrent
    requests and across worker processes. On PostgreSQL two transaction-scoped advisory locks,
    taken in a fixed order so that two attempts sharing one of them cannot deadlock; on SQLite
    the database's write lock (SQLite serializes writers), taken by a write that changes no row.
    Call it before reading anything the decision depends on, with nothing flushed yet (a row lock
    taken before would be held while waiting).
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        keys = sorted({_lock_key(f"login:account:{username[:64]}"), _lock_key(f"login:address:{address[:64]}")})
        for key in keys:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        session.execute(text("UPDATE user_account SET id = id WHERE 1 = 0"))
