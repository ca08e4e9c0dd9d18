"""Warm: a publisher that has just started rebuilds the live site once, off any clerk's wait, and throws the
copy away.

A resident publisher (service.py) keeps what a publish needs in memory — the live build's ledger with its
dependency checks made, the decoded snapshot that the next is spliced against (splicing.py), the values and
digests of every page, the compiled theme. A new one has none of it: at 10,000 items its first one-item
publish took five seconds instead of under one, and the first after every restart of the worker was a
clerk's. So the worker asks a new publisher to warm (``"op": "warm"``): it builds the snapshot the live
build publishes (``data/snapshot.json``, the very bytes it was made from, as ``verify`` uses it) against
the live build and its ledger, exactly as a publish would, into a partial build that is then removed. The
same snapshot gives the same pages, so nearly every page is reused and nothing reaches the public site.

Under the publish lock, the copy named as a partial build: a killed warm-up leaves a leftover that the next
publish removes, and a publish waits for it rather than finding half a build. Never imports Flask,
SQLAlchemy or the site.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import build_site
from .deploy import (
    BUILDS,
    MARKDOWN_STORE,
    SEARCH_STORE,
    _new_build,
    _pause_at,
    _publish_lock,
    _remove_build,
    _remove_leftovers,
    _write_unwritten,
    ledger_of,
    live_dir,
)
from .opendata import data_path


@dataclass(frozen=True)
class Warmed:
    live: Path  # the live build the publisher is now warm for
    rendered: int  # pages that had to be rendered (none when the live build and its ledger agree)
    reused: int
    seconds: float


def warm(web_root: Path, **build_kwargs: Any) -> Warmed | None:
    """Rebuild the live build of ``web_root`` from its own snapshot into a throw-away partial build, so that
    this process holds what its next publish needs. ``build_kwargs`` are a publish's (content, theme,
    attachments): the same settings, or the memories would be another site's. Returns None when there is
    nothing to warm for (no live build, or no ledger or published snapshot in it)."""
    started = time.perf_counter()
    web_root = Path(web_root)
    if not (web_root / BUILDS).is_dir():
        return None
    with _publish_lock(web_root):
        _write_unwritten(web_root)
        _remove_leftovers(web_root)
        live = live_dir(web_root)
        if live is None:
            return None
        ledger, snapshot = ledger_of(web_root, live), live / data_path("snapshot.json")
        if not ledger.is_file() or not snapshot.is_file():
            return None
        _build_id, partial, _name = _new_build(web_root)
        try:
            # No search index: a page's bytes do not depend on it, and the live index needs no work.
            result = build_site(
                snapshot, partial, previous=live, previous_ledger=ledger, ledger=ledger_of(web_root, partial),
                ledger_later=True, markdown_store=web_root / MARKDOWN_STORE, search_store=web_root / SEARCH_STORE,
                **{**build_kwargs, "static_index": False})
            _pause_at("warmed")
        finally:
            ledger_of(web_root, partial).unlink(missing_ok=True)
            if partial.exists():
                _remove_build(partial, background=True)  # renamed under the lock, deleted by a thread
    return Warmed(live=live, rendered=result.rendered, reused=result.reused,
                  seconds=time.perf_counter() - started)
