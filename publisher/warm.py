"""Warm: a publisher that has just started rebuilds the live site once from its own snapshot, off any clerk's
wait — thrown away when it is the same site, made live when the program has changed since.

A resident publisher (service.py) keeps what a publish needs in memory — the live build's ledger with its
dependency checks made, the decoded snapshot that the next is spliced against (splicing.py), the values and
digests of every page, the compiled theme. A new one has none of it: at 10,000 items its first one-item
publish took 4–5 s instead of under one, and the first after every restart of the worker was a
clerk's. So the worker asks a new publisher to warm (``"op": "warm"``): it builds the snapshot the live
build publishes (``data/snapshot.json``, the very bytes it was made from, as ``verify`` uses it) against
the live build and its ledger, exactly as a publish would, into a partial build.

When every page was reused, the build is the live site again: it is removed and nothing public changes.
When pages had to be rendered, the live site is not what this program makes of its own data any more (the
code, theme or hand-written pages changed since: a new release deployed), and the build is exactly what
the first publish would have had to render in a clerk's wait; so it goes live like any publish (atomic, its
search index following, ``search_later``) and the worker records it as a job.

Under the publish lock, written under a partial name: a killed warm-up leaves a leftover that the next
publish removes. Never imports Flask, SQLAlchemy or the site.
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
    _abandoned_on_failure,
    _after_swap,
    _make_live,
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
    live: Path  # the live build now: the one warmed for, or the rebuild made live
    published: bool  # the rebuild went live (the live site was not what this program makes of its data)
    rendered: int  # pages rendered: none when the live build and its ledger agree with this program
    reused: int
    seconds: float
    search_pending: bool = False  # published with the search index to follow (``publish_search``)


def warm(web_root: Path, *, durable: bool = True, static_index: bool = True, **build_kwargs: Any) -> Warmed | None:
    """Rebuild the live build of ``web_root`` from its own snapshot, so that this process holds what its next
    publish needs; the rebuild is removed, or made live when it rendered pages (see the module). ``static_index``
    and ``build_kwargs`` (content, theme, attachments) are a publish's: the same settings, or the memories
    would be another site's. Returns None when there is nothing to warm for (no live build, or no ledger or
    published snapshot in it)."""
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
        _build_id, partial, build_dir = _new_build(web_root)
        with _abandoned_on_failure(web_root, partial, build_dir):
            result = build_site(
                snapshot, partial, previous=live, previous_ledger=ledger, ledger=ledger_of(web_root, partial),
                markdown_store=web_root / MARKDOWN_STORE, search_store=web_root / SEARCH_STORE,
                static_index=static_index, search_later=True, **build_kwargs)
            _pause_at("warmed")
            if result.rendered:
                _make_live(web_root, partial, build_dir, durable)
        if not result.rendered:
            ledger_of(web_root, partial).unlink(missing_ok=True)
            _remove_build(partial, background=True)  # renamed under the lock, deleted by a thread
            return Warmed(live=live, published=False, rendered=0, reused=result.reused,
                          seconds=time.perf_counter() - started)
        _after_swap(web_root, prune=False)  # the resident publisher prunes after its answer
    return Warmed(live=build_dir, published=True, rendered=result.rendered, reused=result.reused,
                  seconds=time.perf_counter() - started, search_pending=result.search_pending)
