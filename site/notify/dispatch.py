"""Sending after the request: a small thread pool per process, or inline when configured."""

from __future__ import annotations

import atexit
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import current_app

from .senders import Message, sender_for

log = logging.getLogger("sunshine.notify")
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sunshine-notify")
    return _pool


def shutdown(wait: bool = True) -> None:
    """Finish what is queued (at exit, and in tests)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=wait)


atexit.register(shutdown)


def destination(record: Any) -> tuple[str, str] | None:
    """(channel, address) the citizen asked to be told at, or None."""
    channel = getattr(record, "notify_by", "") or ""
    if channel == "sms" and record.contact_phone:
        return "sms", record.contact_phone
    if channel == "email" and getattr(record, "contact_email", ""):
        return "email", record.contact_email
    return None


def _deliver(message: Message, config: dict[str, Any]) -> bool:
    try:
        sender_for(message.channel, config).send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of any sender is only logged
        log.warning("notification %s for %s by %s failed: %s", message.subject, message.reference,
                    message.channel, type(exc).__name__)
        return False
    return True


def notify(record: Any, subject: str, body: str) -> bool:
    """Queue (or, with SUNSHINE_NOTIFY_ASYNC off, send) a notification; False when none is due or
    an inline send failed. Call after the commit: nothing here may undo what was stored."""
    target = destination(record)
    if target is None:
        return False
    channel, address = target
    message = Message(channel=channel, to=address, subject=subject, body=body, reference=record.tracking_no)
    config = dict(current_app.config)
    if not config.get("SUNSHINE_NOTIFY_ASYNC", True):
        return _deliver(message, config)
    try:
        _executor().submit(_deliver, message, config)
    except RuntimeError:  # the pool is shutting down (process exit): send inline rather than drop
        return _deliver(message, config)
    return True
