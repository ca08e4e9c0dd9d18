"""Old builds deleted by a thread of the resident publisher while the next publish runs (deploy.py)."""

from __future__ import annotations

import time

from sunshine.publisher import deploy
from sunshine.publisher.deploy import (
    BUILDS,
    KEEP_BUILDS,
    REMOVING_PREFIX,
    complete_builds,
    prune_builds,
    publish,
)


def _publish_times(snapshot_file, web_root, count: int) -> list:
    """``count`` full publishes (a full one never recycles an old build: standby.py), none pruned."""
    return [publish(snapshot_file, web_root, static_index=False, durable=False, prune=False, full=True).live
            for _ in range(count)]


def _deleted_by_now(seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with deploy._DELETING_LOCK:
            if not deploy._DELETING:
                return True
        time.sleep(0.02)
    return False


def test_a_background_prune_renames_at_once_and_deletes_afterwards(tmp_path, snapshot_file):
    web_root = tmp_path / "web"
    lives = _publish_times(snapshot_file, web_root, KEEP_BUILDS + 2)
    removed = prune_builds(web_root, background=True)
    assert removed == tuple(lives[:2])
    assert complete_builds(web_root) == lives[2:]
    assert _deleted_by_now()
    assert sorted(p.name for p in (web_root / BUILDS).iterdir()) == [p.name for p in lives[2:]]


def test_a_publish_leaves_a_build_this_process_is_deleting_to_its_thread(tmp_path, snapshot_file):
    web_root = tmp_path / "web"
    _publish_times(snapshot_file, web_root, 1)
    being_deleted = web_root / BUILDS / f"{REMOVING_PREFIX}20261207T040000000000Z-abcdef"
    (being_deleted / "items").mkdir(parents=True)
    with deploy._DELETING_LOCK:
        deploy._DELETING.add(str(being_deleted))
    try:
        result = publish(snapshot_file, web_root, static_index=False, durable=False)
        assert being_deleted.is_dir()
        assert being_deleted not in result.cleaned
    finally:
        with deploy._DELETING_LOCK:
            deploy._DELETING.discard(str(being_deleted))
    result = publish(snapshot_file, web_root, static_index=False, durable=False)  # a killed thread's leftover
    assert being_deleted in result.cleaned
    assert not being_deleted.exists()
