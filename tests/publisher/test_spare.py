"""Spares (deploy.py ``make_spares``): a web root with fewer complete builds than it keeps has no fallback to
recycle, so a resident publisher makes linked copies of the live build after its answer, and the next
publishes are made out of them (standby.py) — with the files of a full build, the live build untouched."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from sunshine.publisher import service
from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import (
    BUILDS,
    KEEP_BUILDS,
    SPARE_PREFIX,
    complete_builds,
    live_dir,
    make_spares,
    publish,
    publish_search,
)
from tests.publisher.conftest import tree

NOTE = "材料齐全的，当场办结；需现场核查的，五个工作日内办结"


@pytest.fixture
def web(tmp_path: Path) -> Path:
    return tmp_path / "web"


def _publish(data: dict, write_snapshot, web: Path, **kwargs):
    return publish(write_snapshot(data), web, static_index=False, durable=False, **kwargs)


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _one_spare(web: Path) -> Path:
    """The first spare made (a web root with one build gets two: it keeps three builds)."""
    return make_spares(web, durable=False)[0]


def _spares(web: Path) -> list[str]:
    return sorted(p.name for p in (web / BUILDS).iterdir() if p.name.startswith(SPARE_PREFIX))


def test_a_spare_links_every_file_of_the_live_build_its_manifest_included(snapshot_data, write_snapshot, web):
    live = _publish(snapshot_data, write_snapshot, web).live
    spare = _one_spare(web)
    assert spare.name.startswith(SPARE_PREFIX)
    assert _inodes(spare) == _inodes(live)
    assert "data/site-manifest.json" in _inodes(spare)


def test_a_spare_is_neither_a_complete_build_nor_live(snapshot_data, write_snapshot, web):
    live = _publish(snapshot_data, write_snapshot, web).live
    make_spares(web, durable=False)
    assert complete_builds(web) == [live]
    assert live_dir(web) == live.resolve()


def test_the_next_publish_is_made_out_of_the_spare(snapshot_data, write_snapshot, web):
    _publish(snapshot_data, write_snapshot, web)
    spare = _one_spare(web)
    snapshot_data["items"][0]["promised_note"] = NOTE
    result = _publish(snapshot_data, write_snapshot, web)
    assert result.recycled == spare
    assert len(_spares(web)) == KEEP_BUILDS - 2  # the other, for the publish after


def test_a_build_made_out_of_a_spare_has_the_files_of_a_full_build(snapshot_data, write_snapshot, web, tmp_path):
    _publish(snapshot_data, write_snapshot, web)
    make_spares(web, durable=False)
    snapshot_data["items"][0]["promised_note"] = NOTE
    snapshot_data["notices"].pop()
    result = _publish(snapshot_data, write_snapshot, web)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert tree(result.live) == tree(full.out_dir)


def test_recycling_a_spare_leaves_the_build_it_copied_as_it_was(snapshot_data, write_snapshot, web):
    first = _publish(snapshot_data, write_snapshot, web).live
    before, inodes = tree(first), _inodes(first)
    make_spares(web, durable=False)
    snapshot_data["items"][0]["promised_note"] = NOTE
    second = _publish(snapshot_data, write_snapshot, web)
    assert (tree(first), _inodes(first)) == (before, inodes)
    assert complete_builds(web) == [first, second.live]


def test_a_spare_copied_builds_ago_is_brought_up_to_date(snapshot_data, write_snapshot, web, tmp_path):
    """A spare outlives publishes that linked (made by a process that did not recycle it): the claim brings
    it up to date with the live build by their manifests, whatever it was copied from."""
    _publish(snapshot_data, write_snapshot, web)
    spare = _one_spare(web)
    snapshot_data["items"][1]["name"] = "城镇污水排入排水管网许可（新设）"
    (web / BUILDS / spare.name).rename(web / "kept-aside")
    _publish(snapshot_data, write_snapshot, web)  # links: no spare in the web root
    (web / "kept-aside").rename(web / BUILDS / spare.name)
    snapshot_data["items"][0]["promised_note"] = NOTE
    result = _publish(snapshot_data, write_snapshot, web)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert result.recycled == spare
    assert tree(result.live) == tree(full.out_dir)


def test_no_spare_when_the_web_root_holds_the_builds_it_keeps(snapshot_data, write_snapshot, web):
    for n in range(KEEP_BUILDS):
        snapshot_data["items"][0]["promised_note"] = f"{NOTE}（第 {n} 版）"
        _publish(snapshot_data, write_snapshot, web)
    assert make_spares(web, durable=False) == []
    assert _spares(web) == []


def test_spares_and_complete_builds_make_the_builds_a_web_root_keeps(snapshot_data, write_snapshot, web):
    _publish(snapshot_data, write_snapshot, web)
    made = make_spares(web, durable=False)
    assert len(made) == KEEP_BUILDS - 1
    assert make_spares(web, durable=False) == []
    assert _spares(web) == sorted(spare.name for spare in made)


def test_no_spare_of_a_web_root_with_nothing_live(web):
    assert make_spares(web, durable=False) == []
    assert not web.exists()


def test_a_full_publish_leaves_the_spare_for_the_next_one(snapshot_data, write_snapshot, web):
    _publish(snapshot_data, write_snapshot, web)
    spare = _one_spare(web)
    assert _publish(snapshot_data, write_snapshot, web, full=True).recycled is None
    snapshot_data["items"][0]["promised_note"] = NOTE
    assert _publish(snapshot_data, write_snapshot, web).recycled == spare


def test_a_spare_with_the_search_index_gives_the_pages_and_index_of_a_linked_build(
        snapshot_data, write_snapshot, tmp_path):
    """The same publishes (the search index made after the pages) into two web roots, one with a spare:
    the same files once the index is current."""
    first = write_snapshot(snapshot_data)
    snapshot_data["items"][0]["conditions"] += "\n\n可通过智慧联办专窗一次办好。"
    edited = write_snapshot(snapshot_data)
    results = {}
    for name, spare in (("spared", True), ("linked", False)):
        web = tmp_path / name
        publish(first, web, durable=False)
        if spare:
            make_spares(web, durable=False)
        results[name] = publish(edited, web, durable=False, search_later=True)
        assert results[name].search_pending
        publish_search(web, durable=False)
    assert results["spared"].recycled is not None and results["linked"].recycled is None
    assert tree(live_dir(tmp_path / "spared")) == tree(live_dir(tmp_path / "linked"))


def test_the_first_edit_and_its_search_follow_up_are_both_made_out_of_spares(snapshot_data, write_snapshot, web):
    publish(write_snapshot(snapshot_data), web, durable=False)
    make_spares(web, durable=False)
    snapshot_data["items"][0]["conditions"] += "\n\n可通过智慧联办专窗一次办好。"
    edited = publish(write_snapshot(snapshot_data), web, durable=False, search_later=True)
    followed = publish_search(web, durable=False)
    assert edited.recycled is not None and followed.recycled is not None
    assert _spares(web) == []
    assert len(complete_builds(web)) == KEEP_BUILDS


def test_the_service_makes_spares_after_its_answer_until_the_web_root_holds_its_builds(
        tmp_path, snapshot_file, monkeypatch):
    """After the first publish of a new web root, spares for the next publishes; once the web root holds
    the builds it keeps, the oldest is recycled as before and no spare is made."""
    web = tmp_path / "web"
    made = []

    def spy(web_root: Path, **kwargs):
        made.append(make_spares(web_root, **kwargs))
        return made[-1]

    monkeypatch.setattr(service, "make_spares", spy)
    request = orjson.dumps({"snapshot": str(snapshot_file), "web_root": str(web), "static_index": False})
    answers = io.BytesIO()
    service.serve(io.BytesIO((request + b"\n") * (KEEP_BUILDS + 1)), answers)
    assert all(orjson.loads(line)["ok"] for line in answers.getvalue().splitlines())
    assert [len(spares) for spares in made] == [KEEP_BUILDS - 1, 0, 0, 0]
    assert not any(spare.exists() for spare in made[0])  # each recycled by a later publish
    assert len(complete_builds(web)) == KEEP_BUILDS
    assert _spares(web) == []
