"""Atomic publishing: a good build goes live in one swap; a bad one changes nothing."""

from __future__ import annotations

import os

import pytest

from sunshine.publisher.build import BuildError
from sunshine.publisher.deploy import live_dir, prune_builds, publish
from sunshine.publisher.snapshot import SnapshotError

NO_INDEX = {"static_index": False}


def test_first_publish_makes_current_point_at_the_build(snapshot_file, tmp_path):
    web = tmp_path / "web"
    result = publish(snapshot_file, web, **NO_INDEX)
    current = web / "current"
    assert current.is_symlink()
    assert not os.path.isabs(os.readlink(current))  # relative: the web root can move
    assert live_dir(web) == result.live.resolve()
    assert result.previous is None
    assert (current / "items/511623-ZJ-0001/index.html").is_file()


def test_publish_reports_the_renamed_build_directory(snapshot_file, tmp_path):
    result = publish(snapshot_file, tmp_path / "web", **NO_INDEX)
    assert result.build.out_dir == result.live
    assert result.live.name == result.build_id
    assert sorted(p.name for p in (tmp_path / "web/builds").iterdir()) == [result.build_id]


def test_the_live_build_does_not_mention_its_partial_name(snapshot_file, tmp_path):
    result = publish(snapshot_file, tmp_path / "web", **NO_INDEX)
    mentions = [
        path.relative_to(result.live).as_posix()
        for path in sorted(result.live.rglob("*"))
        if path.is_file() and b".partial-" in path.read_bytes()
    ]
    assert mentions == []  # renaming the finished build cannot break a link or a manifest


def test_second_publish_swaps_to_the_new_build(snapshot_data, write_snapshot, tmp_path):
    web = tmp_path / "web"
    first = publish(write_snapshot(snapshot_data), web, **NO_INDEX)
    snapshot_data["site"]["phone"] = "0838-6219999"
    second = publish(write_snapshot(snapshot_data), web, **NO_INDEX)
    assert second.previous == first.live.resolve()
    assert live_dir(web) == second.live.resolve()
    assert "0838-6219999" in (web / "current/index.html").read_text(encoding="utf-8")
    assert not list(web.glob(".current-*"))  # no temporary symlink left behind


def test_invalid_snapshot_leaves_the_live_site_untouched(
    snapshot_file, snapshot_data, write_snapshot, tmp_path
):
    web = tmp_path / "web"
    good = publish(snapshot_file, web, **NO_INDEX)
    snapshot_data["items"][0]["department"] = "gtj"
    with pytest.raises(SnapshotError):
        publish(write_snapshot(snapshot_data), web, **NO_INDEX)
    assert live_dir(web) == good.live.resolve()
    assert sorted(p.name for p in (web / "builds").iterdir()) == [good.build_id]


def test_template_error_leaves_the_live_site_untouched(snapshot_file, broken_theme, tmp_path):
    web = tmp_path / "web"
    good = publish(snapshot_file, web, **NO_INDEX)
    theme = broken_theme(
        "item.html", '{% extends "base.html" %}{% block content %}{{ item.nope }}{% endblock %}'
    )
    with pytest.raises(BuildError):
        publish(snapshot_file, web, theme=theme, **NO_INDEX)
    assert live_dir(web) == good.live.resolve()
    assert sorted(p.name for p in (web / "builds").iterdir()) == [good.build_id]


def test_failed_first_publish_leaves_nothing_live(snapshot_file, broken_theme, tmp_path):
    web = tmp_path / "web"
    theme = broken_theme("home.html", "{% if %}")
    with pytest.raises(BuildError):
        publish(snapshot_file, web, theme=theme, **NO_INDEX)
    assert live_dir(web) is None
    assert not (web / "current").exists()


def test_publish_keeps_the_newest_three_builds(snapshot_file, tmp_path):
    web = tmp_path / "web"
    results = [publish(snapshot_file, web, full=True, **NO_INDEX) for _ in range(4)]  # full: no standby
    kept = sorted(p.name for p in (web / "builds").iterdir())
    assert kept == sorted(r.build_id for r in results[1:])
    assert results[-1].pruned == (results[0].live,)


def test_prune_never_removes_the_live_build(tmp_path):
    web = tmp_path / "web"
    names = [f"20240708T0{n}0000000000Z-abc00{n}" for n in range(1, 6)]
    for name in names:
        (web / "builds" / name).mkdir(parents=True)
    os.symlink(os.path.join("builds", names[0]), web / "current")  # rolled back to the oldest
    removed = prune_builds(web, keep=3)
    assert sorted(p.name for p in removed) == [names[1]]
    assert sorted(p.name for p in (web / "builds").iterdir()) == [names[0], *names[2:]]


def _complete_and_partial(web):
    """Three complete builds and two partial ones left by killed publishes (newest ids)."""
    complete = [f"20240708T0{n}0000000000Z-abc00{n}" for n in range(1, 4)]
    partial = [f".partial-20240708T0{n}0000000000Z-abc00{n}" for n in range(4, 6)]
    for name in complete + partial:
        (web / "builds" / name / "items").mkdir(parents=True)
        (web / "builds" / name / "index.html").write_text("<h1>阳光政务</h1>", encoding="utf-8")
    os.symlink(os.path.join("builds", complete[2]), web / "current")
    return complete, partial


def test_prune_removes_partial_builds_and_keeps_the_three_complete(tmp_path):
    web = tmp_path / "web"
    complete, partial = _complete_and_partial(web)
    removed = prune_builds(web, keep=3)
    assert [p.name for p in removed] == partial
    assert sorted(p.name for p in (web / "builds").iterdir()) == complete


def test_prune_counts_only_complete_builds(tmp_path):
    web = tmp_path / "web"
    complete, partial = _complete_and_partial(web)
    removed = prune_builds(web, keep=2)
    assert [p.name for p in removed] == [*partial, complete[0]]
    assert sorted(p.name for p in (web / "builds").iterdir()) == complete[1:]


def test_prune_leaves_unknown_hidden_names_alone(tmp_path):
    web = tmp_path / "web"
    complete, _partial = _complete_and_partial(web)
    (web / "builds/.nginx-cache").mkdir()
    prune_builds(web, keep=3)
    assert sorted(p.name for p in (web / "builds").iterdir()) == [".nginx-cache", *complete]


def test_prune_of_a_web_root_without_builds_removes_nothing(tmp_path):
    assert prune_builds(tmp_path) == ()


def test_publish_first_removes_what_a_killed_publish_left(snapshot_file, tmp_path):
    web = tmp_path / "web"
    good = publish(snapshot_file, web, **NO_INDEX)
    partial = web / "builds" / ".partial-20240708T010000000000Z-abc001"
    (partial / "items").mkdir(parents=True)
    removing = web / "builds" / ".removing-20240708T000000000000Z-abc000"
    (removing / "data").mkdir(parents=True)
    swap = web / ".current-20240708T010000000000Z-abc001.tmp"
    os.symlink(os.path.join("builds", partial.name), swap)
    result = publish(snapshot_file, web, **NO_INDEX)
    assert result.cleaned == (partial, removing, swap)
    assert sorted(p.name for p in (web / "builds").iterdir()) == [good.build_id, result.build_id]
    assert not os.path.lexists(swap)


def test_live_dir_is_none_for_an_empty_web_root(tmp_path):
    assert live_dir(tmp_path) is None


def _sync_not_expected() -> None:
    raise AssertionError("os.sync flushes every filesystem of the machine")


def test_a_durable_publish_flushes_the_web_roots_filesystem_once_before_the_rename(
        snapshot_file, tmp_path, monkeypatch):
    from sunshine.publisher import deploy

    flushed: list[tuple[int, bool]] = []
    real = deploy._syncfs
    assert real is not None  # Linux

    def syncfs(fd: int) -> None:
        complete = [path.name for path in (tmp_path / "web/builds").iterdir() if not path.name.startswith(".")]
        flushed.append((os.fstat(fd).st_dev, bool(complete)))
        real(fd)

    monkeypatch.setattr(deploy, "_syncfs", syncfs)
    monkeypatch.setattr(os, "sync", _sync_not_expected)
    publish(snapshot_file, tmp_path / "web", **NO_INDEX)
    assert flushed == [(os.stat(tmp_path).st_dev, False)]  # the build and its ledger: one filesystem


def test_a_flush_that_fails_fails_the_publish_and_keeps_the_live_site(
        snapshot_data, write_snapshot, tmp_path, monkeypatch):
    from sunshine.publisher import deploy

    web = tmp_path / "web"
    first = publish(write_snapshot(snapshot_data), web, durable=False, **NO_INDEX)

    def lost_write(fd: int) -> None:
        raise OSError(5, "syncfs: Input/output error")

    monkeypatch.setattr(deploy, "_syncfs", lost_write)
    snapshot_data["items"][0]["promised_note"] = "材料齐全当场受理，三个工作日内发证"
    with pytest.raises(OSError, match="Input/output error"):
        publish(write_snapshot(snapshot_data), web, **NO_INDEX)
    assert live_dir(web) == first.live
    assert sorted(path.name for path in (web / "builds").iterdir()) == [first.build_id]
    assert sorted(path.name for path in (web / "ledgers").iterdir()) == [f"{first.build_id}.json"]


def test_without_syncfs_the_whole_machine_is_flushed(snapshot_file, tmp_path, monkeypatch):
    from sunshine.publisher import deploy

    synced: list[bool] = []
    monkeypatch.setattr(deploy, "_syncfs", None)
    monkeypatch.setattr(os, "sync", lambda: synced.append(True))
    publish(snapshot_file, tmp_path / "web", **NO_INDEX)
    assert synced == [True]
