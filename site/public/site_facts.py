"""The centre's public facts for every intake page: name, address, hours, phones, escalation channels.

The header and footer of every page (``theme/_chrome.html``) name the centre and its phones, and a
receipt lists where else a citizen can turn (published 投诉渠道). Both come from the database but
change rarely, so they are kept per app for ``SUNSHINE_CHOICES_SECONDS`` like the form's choices
(``choices.options``): a filing renders its receipt without a query for them. Only published
channels appear, as published.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from sunshine.contract.codes import CHANNEL_KINDS

from ..db import db
from ..models import PUBLISHED, Channel, SiteProfile

#: Channel kinds a receipt offers for escalation (网上投诉 is this very form).
ESCALATION_KINDS = ("hotline", "mailbox", "in_person")


@dataclass(frozen=True)
class Site:
    """The same keys as the snapshot's ``site`` (``export.site_fields``), which the publisher renders."""

    name: str
    address: str
    hours: str
    phone: str
    complaint_phone: str


@dataclass(frozen=True)
class EscalationChannel:
    kind: str
    name: str
    contact: str
    hours: str
    office: str
    response_days: int

    @property
    def kind_label(self) -> str:
        return CHANNEL_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Facts:
    site: Site
    channels: tuple[EscalationChannel, ...]


_lock = threading.Lock()


def _load() -> Facts:
    profile = db.session.scalars(select(SiteProfile)).first() or SiteProfile()
    site = Site(name=profile.name or "政务服务中心", address=profile.address or "", hours=profile.hours or "",
                phone=profile.phone or "", complaint_phone=profile.complaint_phone or "")
    # Filtered by the published kind (the working copy's may be a draft): channels are few.
    rows = db.session.scalars(select(Channel.published_data).where(Channel.state == PUBLISHED)
                              .order_by(Channel.code)).all()
    channels = []
    for data in rows:
        data = data or {}
        if data.get("kind") not in ESCALATION_KINDS:
            continue
        channels.append(EscalationChannel(
            kind=data["kind"], name=data.get("name", ""), contact=data.get("contact", ""),
            hours=data.get("hours", ""), office=data.get("office", ""),
            response_days=int(data.get("response_days") or 0)))
    order = {kind: i for i, kind in enumerate(ESCALATION_KINDS)}
    channels.sort(key=lambda c: order[c.kind])
    return Facts(site=site, channels=tuple(channels))


def facts() -> Facts:
    """The facts, reloaded at most every ``SUNSHINE_CHOICES_SECONDS`` (0: on every call, as in tests)."""
    cache = current_app.extensions.setdefault("sunshine_site_facts", {})
    ttl = float(current_app.config.get("SUNSHINE_CHOICES_SECONDS", 60))
    now = time.monotonic()
    entry = cache.get("facts")
    if entry is not None and now - entry[0] < ttl:
        return entry[1]
    loaded = _load()
    with _lock:
        cache["facts"] = (now, loaded)
    return loaded
