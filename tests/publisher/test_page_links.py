"""Reused pages are hard-linked by a thread of the build (incremental.py ``_Linker``)."""

from __future__ import annotations

import os

import pytest

from sunshine.publisher import incremental
from sunshine.publisher.build import BuildError, build_site
from sunshine.publisher.deploy import BUILDS, publish
from tests.publisher.conftest import tree

ITEM = "items/511623-ZJ-0001/index.html"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of 4 pages: the thread links while the build still decides (a city's batches are 256)."""
    monkeypatch.setattr(incremental._Linker, "BATCH", 4)


def test_every_reused_page_is_the_live_builds_file(first, snapshot_data, write_snapshot, web_root):
    second = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    pages = sorted(p.relative_to(first.live).as_posix() for p in first.live.rglob("*.html"))
    linked = [name for name in pages if os.stat(second.live / name).st_ino == os.stat(first.live / name).st_ino]
    assert second.build.reused == 49
    assert len(linked) == 49


def test_a_page_the_live_build_lost_is_rendered_again(first, snapshot_data, write_snapshot, web_root, tmp_path):
    (first.live / ITEM).unlink()
    second = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert (second.build.rendered, second.build.reused) == (1, 48)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert tree(second.live) == tree(full.out_dir)


def test_a_failed_link_fails_the_publish_and_leaves_the_live_site(
        first, snapshot_data, write_snapshot, web_root, monkeypatch):
    real_link = incremental._link

    def failing(source: str, target: str) -> None:
        if target.endswith(ITEM):
            raise OSError(28, "No space left on device")
        real_link(source, target)

    monkeypatch.setattr(incremental, "_link", failing)
    with pytest.raises(BuildError, match="No space left on device"):
        publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert (web_root / "current").resolve() == first.live
    assert sorted(p.name for p in (web_root / BUILDS).iterdir()) == [first.live.name]
    assert incremental._LINKERS == set()
