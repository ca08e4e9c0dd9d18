"""Standby builds (standby.py): a publish makes its build out of the oldest fallback build instead of
linking every unchanged page anew — with the same files as a full build, and never touching the
live build or the other fallback."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from sunshine.publisher import deploy, standby
from sunshine.publisher.build import BuildError, build_site
from sunshine.publisher.deploy import (
    BUILDS,
    KEEP_BUILDS,
    complete_builds,
    ledger_of,
    live_dir,
    publish,
)
from sunshine.publisher.opendata import read_site_manifest
from tests.publisher.conftest import tree

NOTE = "材料齐全的，当场办结；需现场核查的，五个工作日内办结"


def _folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def _matches_its_manifest(build: Path) -> bool:
    rows = {row["path"]: row["sha256"] for row in read_site_manifest(build)["files"]}
    files = {path: hashlib.sha256(data).hexdigest() for path, data in tree(build).items()
             if not path.startswith("data/site-manifest") and path != "data/SHA256SUMS"}
    return rows == files


@pytest.fixture
def web(tmp_path: Path) -> Path:
    return tmp_path / "web"


@pytest.fixture
def three_builds(snapshot_data, write_snapshot, web) -> list[Path]:
    """KEEP_BUILDS publishes, each with another promised note on the first item."""
    builds = []
    for n in range(KEEP_BUILDS):
        snapshot_data["items"][0]["promised_note"] = f"{NOTE}（第 {n} 版）"
        builds.append(publish(write_snapshot(snapshot_data), web, static_index=False, durable=False).live)
    return builds


def _publish(data: dict, write_snapshot, web: Path, **kwargs):
    return publish(write_snapshot(data), web, static_index=False, durable=False, **kwargs)


def test_fewer_builds_than_kept_are_never_recycled(snapshot_data, write_snapshot, web):
    first = _publish(snapshot_data, write_snapshot, web)
    second = _publish(snapshot_data, write_snapshot, web)
    assert (first.recycled, second.recycled) == (None, None)


def test_a_publish_recycles_the_oldest_fallback(three_builds, snapshot_data, write_snapshot, web):
    result = _publish(snapshot_data, write_snapshot, web)
    assert result.recycled == three_builds[0]
    assert complete_builds(web) == [*three_builds[1:], result.live]
    assert not ledger_of(web, three_builds[0]).exists()
    assert sorted(p.name for p in (web / BUILDS).iterdir()) == [p.name for p in complete_builds(web)]


def test_a_recycled_build_has_the_files_of_a_full_build(three_builds, snapshot_data, write_snapshot, web, tmp_path):
    snapshot_data["items"][1]["promised_note"] = NOTE
    result = _publish(snapshot_data, write_snapshot, web)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert result.recycled is not None
    assert tree(result.live) == tree(full.out_dir)
    assert _folders(result.live) == _folders(full.out_dir)


def test_a_removed_item_leaves_no_page_nor_folder_in_a_recycled_build(
        three_builds, snapshot_data, write_snapshot, web, tmp_path):
    gone = snapshot_data["items"].pop()
    result = _publish(snapshot_data, write_snapshot, web)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert not (result.live / "items" / gone["code"]).exists()
    assert tree(result.live) == tree(full.out_dir)
    assert _folders(result.live) == _folders(full.out_dir)


def test_several_recycled_publishes_in_a_row_match_full_builds(
        three_builds, snapshot_data, write_snapshot, web, tmp_path):
    added = dict(snapshot_data["items"][-1], code="511623-ZJ-0099", name="城镇污水排入排水管网许可（新设）")
    steps = [
        lambda d: d["items"].append(dict(added)),
        lambda d: d["notices"].pop(),
        lambda d: d["items"][0].update(promised_note="即来即办"),
        lambda d: d["items"].pop(),
    ]
    for number, step in enumerate(steps):
        step(snapshot_data)
        result = _publish(snapshot_data, write_snapshot, web)
        full = build_site(write_snapshot(snapshot_data), tmp_path / f"full-{number}", static_index=False)
        assert result.recycled is not None
        assert tree(result.live) == tree(full.out_dir), number


def test_the_live_build_and_the_other_fallback_are_left_as_they_were(three_builds, snapshot_data, write_snapshot, web):
    before = {build: tree(build) for build in three_builds[1:]}
    inodes = {p: p.stat().st_ino for build in three_builds[1:] for p in build.rglob("*") if p.is_file()}
    snapshot_data["items"][0]["promised_note"] = NOTE
    snapshot_data["notices"].pop()
    _publish(snapshot_data, write_snapshot, web)
    assert {build: tree(build) for build in three_builds[1:]} == before
    assert {p: p.stat().st_ino for p in inodes} == inodes
    assert all(_matches_its_manifest(build) for build in three_builds[1:])


def test_a_recycled_build_matches_its_manifest(three_builds, snapshot_data, write_snapshot, web):
    snapshot_data["items"][0]["promised_note"] = NOTE
    result = _publish(snapshot_data, write_snapshot, web)
    assert _matches_its_manifest(result.live)


def test_a_failed_recycled_build_leaves_the_live_site_and_no_leftover(
        three_builds, snapshot_data, write_snapshot, web, broken_theme):
    theme = broken_theme("item.html", "{% if %}")
    with pytest.raises(BuildError):
        _publish(snapshot_data, write_snapshot, web, theme=theme)
    assert live_dir(web) == three_builds[-1].resolve()
    assert [p.name for p in (web / BUILDS).iterdir() if p.name.startswith(".")] == []
    assert complete_builds(web) == three_builds[1:]  # the claimed one is gone: it was the next to prune
    assert all(_matches_its_manifest(build) for build in three_builds[1:])
    again = _publish(snapshot_data, write_snapshot, web)
    assert again.recycled is None  # two complete builds left: nothing to recycle
    assert live_dir(web) == again.live.resolve()


def test_a_fallback_without_its_manifest_is_removed_and_the_publish_links_instead(
        three_builds, snapshot_data, write_snapshot, web, tmp_path):
    (three_builds[0] / "data" / "site-manifest.json").unlink()
    result = _publish(snapshot_data, write_snapshot, web)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full", static_index=False)
    assert result.recycled is None
    assert not three_builds[0].exists()
    assert tree(result.live) == tree(full.out_dir)


def test_a_full_publish_never_recycles(three_builds, snapshot_data, write_snapshot, web):
    result = _publish(snapshot_data, write_snapshot, web, full=True)
    assert result.recycled is None


def test_a_recycled_build_with_the_search_index_matches_a_full_build(snapshot_data, write_snapshot, web, tmp_path):
    for n in range(KEEP_BUILDS + 1):
        snapshot_data["items"][0]["promised_note"] = f"{NOTE}（第 {n} 版）"
        result = publish(write_snapshot(snapshot_data), web, durable=False)
    full = build_site(write_snapshot(snapshot_data), tmp_path / "full")
    assert result.recycled is not None
    live = tree(result.live)
    fresh = tree(full.out_dir)
    pages = {path for path in fresh if path.endswith(".html")}
    assert {path: live[path] for path in pages} == {path: fresh[path] for path in pages}
    assert _matches_its_manifest(result.live)


# -- the file operations ---------------------------------------------------------------------------


def test_replacing_a_shared_file_leaves_the_other_link_as_it_was(tmp_path):
    shared = tmp_path / "live" / "index.html"
    shared.parent.mkdir()
    shared.write_text("<p>上一版本</p>", encoding="utf-8")
    standby_copy = tmp_path / "standby" / "index.html"
    standby_copy.parent.mkdir()
    os.link(shared, standby_copy)
    new = tmp_path / "new.html"
    new.write_text("<p>新版本</p>", encoding="utf-8")
    standby.replace_with_link(str(new), str(standby_copy))
    assert shared.read_text(encoding="utf-8") == "<p>上一版本</p>"
    assert standby_copy.read_text(encoding="utf-8") == "<p>新版本</p>"
    assert list(standby_copy.parent.iterdir()) == [standby_copy]


def test_removing_a_page_removes_the_folders_it_leaves_empty(tmp_path):
    page = tmp_path / "items" / "511623-ZJ-0001" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("x", encoding="utf-8")
    (tmp_path / "items" / "index.html").write_text("y", encoding="utf-8")
    standby.remove_file(str(tmp_path), "items/511623-ZJ-0001/index.html")
    assert not page.parent.exists()
    assert (tmp_path / "items" / "index.html").is_file()


def test_merging_moves_every_file_over_the_standbys(tmp_path):
    sparse, target = tmp_path / "sparse", tmp_path / "standby"
    (sparse / "items" / "A").mkdir(parents=True)
    (sparse / "items" / "A" / "index.html").write_text("新", encoding="utf-8")
    (sparse / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    (target / "items" / "A").mkdir(parents=True)
    (target / "items" / "A" / "index.html").write_text("旧", encoding="utf-8")
    moved = standby.merge(sparse, target)
    assert sorted(moved) == ["items/A/index.html", "robots.txt"]
    assert (target / "items" / "A" / "index.html").read_text(encoding="utf-8") == "新"
    assert not any(p.is_file() for p in sparse.rglob("*"))


def test_catching_up_without_a_manifest_is_refused(tmp_path):
    (tmp_path / "standby").mkdir()
    (tmp_path / "live").mkdir()
    with pytest.raises(standby.StandbyError, match="缺少网站文件清单"):
        standby.catch_up(tmp_path / "standby", tmp_path / "live")


def test_a_recycled_build_has_the_search_index_of_a_linked_one(snapshot_data, write_snapshot, tmp_path, monkeypatch):
    """The same publishes into two web roots, one never recycling: the same files, search bundles and
    the delta's list of changed pages included (a standby build names them without comparing trees)."""
    snapshots = []
    for n in range(KEEP_BUILDS + 2):
        snapshot_data["items"][n % 3]["promised_note"] = f"{NOTE}（第 {n} 版）"
        snapshots.append(write_snapshot(snapshot_data))
    recycling = [publish(s, tmp_path / "a", durable=False) for s in snapshots]
    monkeypatch.setattr(deploy, "_claim_standby", lambda *args: None)
    linking = [publish(s, tmp_path / "b", durable=False) for s in snapshots]
    assert [r.recycled is not None for r in recycling] == [False, False, False, True, True]
    assert [r.recycled for r in linking] == [None] * 5
    assert tree(recycling[-1].live) == tree(linking[-1].live)
    state = json.loads((recycling[-1].live / "pagefind-delta" / "sunshine-delta.json").read_bytes())
    assert state["pages"] == sorted({f"items/{code}/index.html" for code in
                                     [snapshot_data["items"][n]["code"] for n in range(3)]} | set(state["pages"]))


@pytest.mark.parametrize("path", ["../outside.html", "/etc/passwd", "items/../../x", "items//a.html", "a\\b.html"])
def test_a_manifest_path_that_leaves_the_build_is_refused(path):
    assert not standby._inside(path)


def test_a_manifest_path_inside_the_build_is_accepted():
    assert standby._inside("items/511623-ZJ-0001/index.html")


def test_a_fallback_whose_manifest_leaves_the_build_is_not_recycled(three_builds, snapshot_data, write_snapshot, web):
    manifest = three_builds[0] / "data" / "site-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"].append({"path": "../../ledgers/x.json", "sha256": "0" * 64, "bytes": 1})
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _publish(snapshot_data, write_snapshot, web)
    assert result.recycled is None
    assert not three_builds[0].exists()
    assert sorted(p.name for p in (web / "ledgers").iterdir()) == sorted(f"{b.name}.json" for b in complete_builds(web))


@pytest.mark.parametrize("path", ["../outside.html", "/etc/passwd", "items/../../x", "items//a.html", "a\\b.html",
                                  "items/", ".", "items/./a.html", "", "a\0b.html"])
def test_the_check_of_a_whole_manifest_refuses_what_the_check_of_one_path_refuses(path):
    rows = {"index.html": None, path: None, "items/511623-ZJ-0001/index.html": None}
    with pytest.raises(standby.StandbyError, match="越出站点目录"):
        standby._check_inside(rows)


@pytest.mark.parametrize("path", ["items/511623-ZJ-0001/index.html", "换行\n名称.html", "..a/b..", ".well-known/x"])
def test_the_check_of_a_whole_manifest_accepts_what_the_check_of_one_path_accepts(path):
    assert standby._inside(path)
    standby._check_inside({"index.html": None, path: None})


def test_a_running_publisher_catches_up_without_reading_a_manifest(three_builds, snapshot_data, write_snapshot, web,
                                                                   spy):
    """The live build's manifest and the claimed one's were written by this process: their rows are known."""
    from sunshine.publisher import opendata

    read = spy(opendata, "_parsed_site_manifest")
    snapshot_data["items"][1]["promised_note"] = NOTE
    result = _publish(snapshot_data, write_snapshot, web)
    assert result.recycled == three_builds[0]
    assert read == []
    assert _matches_its_manifest(result.live)


def test_the_remembered_rows_are_those_of_the_manifest_on_disk(three_builds):
    from sunshine.publisher.opendata import MANIFEST_ROWS, _manifest_rows

    remembered = [dict(standby.manifest_rows(build)) for build in three_builds]
    MANIFEST_ROWS.forget()
    assert remembered == [dict(_manifest_rows(build)) for build in three_builds]


def test_a_manifest_rewritten_since_is_read_again(three_builds):
    """Not a complete build's way (never modified in place), but a stale memory would hide it."""
    manifest = three_builds[1] / "data" / "site-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"][0]["sha256"] = "0" * 64
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = standby.manifest_rows(three_builds[1])
    assert rows[data["files"][0]["path"]].sha256 == "0" * 64


def test_a_catch_up_refuses_a_live_manifest_that_leaves_the_build(three_builds):
    manifest = three_builds[2] / "data" / "site-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"].append({"path": "../../ledgers/x.json", "sha256": "0" * 64, "bytes": 1})
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(standby.StandbyError, match="越出站点目录"):
        standby.catch_up(three_builds[0], three_builds[2])
