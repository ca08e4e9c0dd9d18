"""Publish the public site: export the snapshot, then ask the publisher.

The publisher runs in its own process (``python -m sunshine.publisher serve``, kept running by
``resident_publisher.py``): the back office never imports Pelican, a crashed build cannot take
the web process down with it, and the live site is swapped atomically by the publisher.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from sunshine.contract.schema import ContractError

from .export import build_snapshot, write_snapshot
from .public_search import update_after_publish
from .resident_publisher import PUBLISHER, PublisherGone

#: Seconds one publish may take before its publisher process is killed (the live site stays).
PUBLISH_TIMEOUT = 900.0


class PublishError(Exception):
    """The site could not be rebuilt; the live site is unchanged."""


@dataclass
class PublishOutcome:
    snapshot: Path
    live_dir: Path
    seconds: float
    items: int


def publish_site(app: Flask, *, full: bool = False) -> PublishOutcome:
    """Export and rebuild the public site; raises PublishError with a one-line reason.

    The publisher reuses the live build's unchanged pages unless ``full`` (see publisher/incremental.py).
    """
    started = time.perf_counter()
    cfg = app.config
    with app.app_context():
        try:
            # The worker exports again for every publish: it keeps the decoded records (export.py).
            snapshot = build_snapshot(intake_url=cfg["SUNSHINE_INTAKE_URL"], remember=True)
        except ContractError as exc:
            raise PublishError(str(exc)) from None
    snapshot_path = write_snapshot(Path(cfg["SUNSHINE_SNAPSHOT_PATH"]), snapshot, remember=True)
    web_root = Path(cfg["SUNSHINE_WEB_ROOT"])
    request = {"snapshot": str(snapshot_path), "web_root": str(web_root), "content": cfg["SUNSHINE_CONTENT_DIR"],
               "theme": cfg["SUNSHINE_THEME_DIR"], "static_index": bool(cfg["SUNSHINE_STATIC_SEARCH"]), "full": full,
               "attachments": cfg["SUNSHINE_ATTACHMENTS_DIR"],
               # The pages go live first; the publisher makes their search index after answering.
               "search_later": bool(cfg["SUNSHINE_SEARCH_LATER"])}
    try:
        answer = PUBLISHER.request(request, timeout=PUBLISH_TIMEOUT)
    except PublisherGone as exc:
        raise PublishError(str(exc)) from None
    if not answer.get("ok"):
        raise PublishError(str(answer.get("error") or "发布失败 / publish failed"))
    # The site is live: the public search API follows it (only changed records are rewritten).
    update_after_publish(app, snapshot)
    items = len(snapshot["items"])
    del snapshot
    if cfg["SUNSHINE_COLLECT_BETWEEN_PUBLISHES"]:
        collect_between_publishes()
    return PublishOutcome(
        snapshot=snapshot_path,
        # The build this publish made: by the time ``current`` is read, the follow-up may have replaced it.
        live_dir=Path(answer["live"]).resolve() if answer.get("live") else (web_root / "current").resolve(),
        seconds=time.perf_counter() - started,
        items=items,
    )


@dataclass
class WarmOutcome:
    line: str  # the publisher's words, for the worker's output
    #: The live build the warm-up made when the program had changed since the live one (None: nothing public changed).
    published: Path | None = None
    seconds: float = 0.0


def warm_worker(app: Flask) -> WarmOutcome | None:
    """Make a worker that has just started as quick for the first clerk's publish as for the next ones: its
    export keeps the records it read (``build_snapshot(remember=True)``, nothing written), and its publisher
    rebuilds the live site once from its own snapshot (publisher/warm.py), which leaves the live build's
    ledger, the decoded snapshot and every page's values in its memory — at 10,000 items the first one-item
    publish after a restart took 4–5 s instead of under one. The rebuild is thrown away, or made live
    when the program changed since the live build (``published``). Returns None when nothing is live. A
    failure is no publish failure: reported in the line, and the first publish is only slower."""
    cfg = app.config
    web_root = Path(cfg["SUNSHINE_WEB_ROOT"])
    if not (web_root / "current").is_symlink():
        return None
    started = time.perf_counter()
    with app.app_context():
        try:
            build_snapshot(intake_url=cfg["SUNSHINE_INTAKE_URL"], remember=True)
        except ContractError:
            pass  # the first publish reports it
    request = {"op": "warm", "web_root": str(web_root), "content": cfg["SUNSHINE_CONTENT_DIR"],
               "theme": cfg["SUNSHINE_THEME_DIR"], "attachments": cfg["SUNSHINE_ATTACHMENTS_DIR"],
               "static_index": bool(cfg["SUNSHINE_STATIC_SEARCH"])}
    try:
        answer = PUBLISHER.request(request, timeout=PUBLISH_TIMEOUT)
    except PublisherGone as exc:
        return WarmOutcome(f"预热失败 / warming failed: {exc}")
    if cfg["SUNSHINE_COLLECT_BETWEEN_PUBLISHES"]:
        collect_between_publishes()
    seconds = time.perf_counter() - started
    if not answer.get("ok"):
        return WarmOutcome(f"预热失败 / warming failed: {answer.get('error')}", seconds=seconds)
    published = Path(answer["live"]) if answer.get("published") else None
    return WarmOutcome(f"{answer.get('line')}（共 {seconds:.1f} 秒）", published=published, seconds=seconds)


def collect_between_publishes() -> None:
    """A full garbage collection now, the pages being live, then what is alive frozen (``gc.freeze``).

    The worker keeps a city's exported records from one publish to the next (export.py ``remember``):
    hundreds of thousands of objects that every full collection walked, and one that the next export
    happened to start took 0.15–0.3 s of a clerk's wait at 10,000 items. Frozen, they are out of the
    collector's sight, which then walks only what later publishes make. What was frozen and is let go
    later is freed by its reference count; a cycle among such objects waits for the next call, which
    unfreezes everything before it collects."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def follow_search(app: Flask) -> bool:
    """Make the live search index current when its pages went live without it and nothing followed (the
    worker stopped between the two, or the index failed): the worker's periodic check calls this. Returns
    whether the publisher had anything to do. Raises PublishError."""
    from sunshine.search.static_delta import search_pending

    web_root = Path(app.config["SUNSHINE_WEB_ROOT"])
    current = web_root / "current"
    if not app.config["SUNSHINE_STATIC_SEARCH"] or not current.is_symlink() or not search_pending(current.resolve()):
        return False
    try:
        answer = PUBLISHER.request({"op": "search", "web_root": str(web_root)}, timeout=PUBLISH_TIMEOUT)
    except PublisherGone as exc:
        raise PublishError(str(exc)) from None
    if not answer.get("ok"):
        raise PublishError(str(answer.get("error") or "搜索索引更新失败 / search index update failed"))
    return answer.get("live") is not None
