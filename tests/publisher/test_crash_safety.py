"""Crash safety of publishing (issue 7, point 4): real publisher processes killed with SIGKILL.

Each test publishes the small snapshot once (the live site), starts
``python -m sunshine.publisher publish`` in a subprocess, kills it with SIGKILL
at one moment of the publish, and checks that the live site is still complete
and unchanged, and that the next publish (again a real process) succeeds,
leaves no partial directory and keeps the complete builds.

The moments inside the build (Pelican writing, Pagefind indexing) are found by
polling the filesystem and the process table; the moments between two steps
of deploy.py are reached with its ``SUNSHINE_PUBLISH_PAUSE`` hook.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from sunshine.publisher.deploy import PAUSE_ENV, PAUSE_MARKER_ENV, ledger_of, live_dir, publish

NO_INDEX = {"static_index": False}


@dataclass(frozen=True)
class Live:
    web: Path
    build_id: str
    index_html: bytes  # the live home page before anything was killed


@pytest.fixture
def live(snapshot_file: Path, tmp_path: Path) -> Live:
    """A web root with one complete, live build of the small snapshot."""
    web = tmp_path / "web"
    result = publish(snapshot_file, web, **NO_INDEX)
    return Live(web, result.build_id, (web / "current/index.html").read_bytes())


def _command(snapshot: Path, web: Path, *, index: bool, full: bool = False) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "sunshine.publisher",
        "publish",
        "--snapshot",
        str(snapshot),
        "--web-root",
        str(web),
    ]
    command += [] if index else ["--no-search-index"]
    return [*command, "--full"] if full else command


@contextmanager
def _publisher(
    snapshot: Path,
    web: Path,
    *,
    index: bool = False,
    pause: str | None = None,
    marker: Path | None = None,
    full: bool = False,
) -> Iterator[subprocess.Popen[bytes]]:
    """A publisher process; never outlives the test, whatever happens."""
    env = dict(os.environ)
    env.pop(PAUSE_ENV, None)
    if pause is not None:
        env[PAUSE_ENV] = pause
        env[PAUSE_MARKER_ENV] = str(marker)
    process = subprocess.Popen(
        _command(snapshot, web, index=index, full=full),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with _reaped(process):
        yield process


@contextmanager
def _reaped(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """``process`` never outlives the block, whatever happens in it."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    """Poll ``condition`` every 2 ms until it returns something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.002)
    raise AssertionError(f"timed out waiting for {what}")


def _sigkill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def _entries(web: Path) -> list[str]:
    return sorted(p.name for p in (web / "builds").iterdir())


def _partials(web: Path) -> list[Path]:
    return sorted(p for p in (web / "builds").iterdir() if p.name.startswith(".partial-"))


def _children(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (from /proc: Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _has_exited(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] in "ZX"  # a zombie has finished writing


def _assert_live_unchanged(live: Live) -> None:
    """``current`` points at a complete build whose home page is the one published before."""
    target = live_dir(live.web)
    assert target is not None
    assert not target.name.startswith(".")
    assert (live.web / "current/index.html").read_bytes() == live.index_html


def _publish_again(snapshot: Path, web: Path) -> None:
    """The next publish, as a real process; a lock still held would time out here."""
    run = subprocess.run(
        _command(snapshot, web, index=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def _killed_at(live: Live, snapshot: Path, tmp_path: Path, stage: str, *, full: bool = False) -> None:
    """Run a publish until the deploy.py pause hook reaches ``stage``, then SIGKILL it (``full``: a
    full publish, which never recycles an old build, so that one is left to prune)."""
    marker = tmp_path / f"paused-{stage}"
    with _publisher(snapshot, live.web, pause=stage, marker=marker, full=full) as process:
        _wait_for(marker.exists, f"the publisher to pause at {stage}")
        _sigkill(process)


def test_kill_while_pelican_writes_keeps_the_live_site(live, snapshot_file):
    with _publisher(snapshot_file, live.web) as process:

        def pages_written() -> bool:
            return any(any(p.rglob("*.html")) for p in _partials(live.web))

        _wait_for(pages_written, "Pelican to write pages")
        _sigkill(process)
    partials = _partials(live.web)
    assert _entries(live.web) == sorted([live.build_id, partials[0].name])
    assert not (partials[0] / "data/SHA256SUMS").exists()  # killed before the build finished
    _assert_live_unchanged(live)


def test_next_publish_after_a_kill_in_pelican_removes_the_partial(live, snapshot_file):
    with _publisher(snapshot_file, live.web) as process:
        _wait_for(lambda: _partials(live.web), "the partial build directory")
        _sigkill(process)
    _publish_again(snapshot_file, live.web)
    entries = _entries(live.web)
    assert len(entries) == 2
    assert entries[0] == live.build_id
    assert live_dir(live.web).name == entries[1]
    assert (live.web / "current/index.html").read_bytes() == live.index_html


def test_kill_while_pagefind_indexes_then_publish_again(live, snapshot_file):
    with _publisher(snapshot_file, live.web, index=True) as process:

        def pagefind_child() -> int | None:
            return next((c for c in _children(process.pid) if "pagefind" in _cmdline(c)), None)

        indexer = _wait_for(pagefind_child, "Pagefind to start")
        _sigkill(process)
    assert len(_partials(live.web)) == 1
    _assert_live_unchanged(live)
    # Pagefind outlives its killed parent and may still write into the partial build.
    _wait_for(lambda: _has_exited(indexer), "the orphaned Pagefind to finish")
    _publish_again(snapshot_file, live.web)
    entries = _entries(live.web)
    assert [name.startswith(".") for name in entries] == [False, False]
    assert entries[0] == live.build_id


def test_kill_after_the_build_before_the_rename(live, snapshot_file, tmp_path):
    _killed_at(live, snapshot_file, tmp_path, "built")
    partials = _partials(live.web)
    assert len(partials) == 1
    assert (partials[0] / "data/SHA256SUMS").is_file()  # finished, but never named complete
    _assert_live_unchanged(live)
    _publish_again(snapshot_file, live.web)
    assert _partials(live.web) == []
    assert len(_entries(live.web)) == 2


def test_kill_after_the_rename_before_the_swap(live, snapshot_file, tmp_path):
    _killed_at(live, snapshot_file, tmp_path, "renamed")
    entries = _entries(live.web)
    assert len(entries) == 2
    assert live_dir(live.web).name == live.build_id  # the renamed build never went live
    _assert_live_unchanged(live)
    _publish_again(snapshot_file, live.web)
    after = _entries(live.web)
    assert after[:2] == entries  # the unswapped complete build is kept as a fallback
    assert len(after) == 3
    assert live_dir(live.web).name == after[2]


def test_kill_after_the_swap_before_the_prune(live, snapshot_file, tmp_path):
    for _ in range(2):
        publish(snapshot_file, live.web, **NO_INDEX)
    before = _entries(live.web)
    _killed_at(live, snapshot_file, tmp_path, "swapped", full=True)
    entries = _entries(live.web)
    assert len(entries) == 4
    assert entries[:3] == before
    assert live_dir(live.web).name == entries[3]  # the swap happened; nothing pruned yet
    _assert_live_unchanged(live)  # same snapshot, same bytes
    assert not list(live.web.glob(".current-*"))
    _publish_again(snapshot_file, live.web)
    after = _entries(live.web)
    assert len(after) == 3
    assert after[:2] == entries[2:]
    assert live_dir(live.web).name == after[2]


def test_kill_while_pruning_an_old_build(live, snapshot_file, tmp_path):
    for _ in range(2):
        publish(snapshot_file, live.web, **NO_INDEX)
    before = _entries(live.web)
    _killed_at(live, snapshot_file, tmp_path, "removing", full=True)
    entries = _entries(live.web)
    assert entries[0] == f".removing-{live.build_id}"  # the oldest, set aside before deletion
    assert entries[1:3] == before[1:]
    assert len(entries) == 4
    assert (live.web / "current/index.html").read_bytes() == live.index_html
    _publish_again(snapshot_file, live.web)
    after = _entries(live.web)
    assert [name.startswith(".") for name in after] == [False, False, False]
    assert after[:2] == entries[2:]


@pytest.mark.parametrize("stage", ["claimed", "caught-up"])
def test_kill_while_a_fallback_is_recycled(live, snapshot_file, tmp_path, stage):
    """The oldest fallback, claimed for the next build (standby.py), is a partial build from then on:
    the live site and the other fallback stay, and the next publish removes it."""
    for _ in range(2):
        publish(snapshot_file, live.web, **NO_INDEX)
    before = _entries(live.web)
    _killed_at(live, snapshot_file, tmp_path, stage)
    entries = _entries(live.web)
    assert entries[0].startswith(".partial-")  # the claimed build, renamed first
    assert entries[1:] == before[1:]
    assert live_dir(live.web).name == before[2]
    assert (live.web / "current/index.html").read_bytes() == live.index_html
    _publish_again(snapshot_file, live.web)
    after = _entries(live.web)
    assert [name.startswith(".") for name in after] == [False, False, False]
    assert after[:2] == before[1:]
    assert live_dir(live.web).name == after[2]


@pytest.fixture
def pending_live(snapshot_data, write_snapshot, tmp_path: Path) -> Live:
    """Three complete builds with a search index, the live one's index pending: its pages were published
    with ``search_later`` (the edited item's text is new), so ``publish-search`` has work to do."""
    web = tmp_path / "web"
    for _ in range(2):
        publish(write_snapshot(snapshot_data), web, durable=False)
    snapshot_data["items"][0]["conditions"] += "\n\n可通过智慧联办专窗一次办好。"
    result = publish(write_snapshot(snapshot_data), web, search_later=True, durable=False)
    assert result.search_pending
    return Live(web, result.build_id, (web / "current/index.html").read_bytes())


@pytest.mark.parametrize("stage", ["claimed", "caught-up", "indexed", "renamed"])
def test_kill_while_the_search_index_catches_up(pending_live, tmp_path, stage):
    """A killed ``publish-search`` leaves the live pages and their pending index as they were; the next
    one removes its leftover and makes the index current."""
    from sunshine.search.static_delta import search_pending

    marker = tmp_path / f"paused-{stage}"
    env = {**os.environ, PAUSE_ENV: stage, PAUSE_MARKER_ENV: str(marker)}
    command = [sys.executable, "-m", "sunshine.publisher", "publish-search", "--web-root", str(pending_live.web)]
    with _reaped(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)) as process:
        _wait_for(marker.exists, f"publish-search to pause at {stage}")
        _sigkill(process)
    assert live_dir(pending_live.web).name == pending_live.build_id
    _assert_live_unchanged(pending_live)
    assert search_pending(live_dir(pending_live.web))
    env.pop(PAUSE_ENV)
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert _partials(pending_live.web) == []
    assert not search_pending(live_dir(pending_live.web))
    assert live_dir(pending_live.web).name != pending_live.build_id


def _served_then_killed(request: dict, stage: str, marker: Path) -> dict:
    """A resident publisher (``serve``) given one request, SIGKILLed once its pause hook reaches ``stage``
    after the answer; returns the answer."""
    request = {**request, "env": {PAUSE_ENV: stage, PAUSE_MARKER_ENV: str(marker)}}  # the service takes these
    with _reaped(subprocess.Popen([sys.executable, "-m", "sunshine.publisher", "serve"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)) as process:
        process.stdin.write(orjson.dumps(request) + b"\n")
        process.stdin.flush()
        answer = orjson.loads(process.stdout.readline())
        _wait_for(marker.exists, f"the publisher to pause at {stage}")
        _sigkill(process)
    return answer


def test_kill_after_the_answer_before_the_ledger_is_written(live, snapshot_file, tmp_path):
    """The resident publisher writes the new build's ledger after its answer: killed in between, the live
    site is the new build, complete but without a ledger, and the next publish succeeds (rendering every
    page once) and has its own."""
    request = {"snapshot": str(snapshot_file), "web_root": str(live.web), "static_index": False}
    answer = _served_then_killed(request, "ledger", tmp_path / "paused-ledger")
    assert answer["ok"] is True
    assert live_dir(live.web) == Path(answer["live"])
    assert not ledger_of(live.web, Path(answer["live"])).exists()
    _assert_live_unchanged(live)  # same snapshot, same bytes
    _publish_again(snapshot_file, live.web)
    assert _partials(live.web) == []
    assert live_dir(live.web) != Path(answer["live"])
    assert ledger_of(live.web, live_dir(live.web)).is_file()


def test_kill_before_the_ledger_of_a_search_later_publish_leaves_the_search_to_catch_up(
        snapshot_data, write_snapshot, tmp_path):
    """Killed after answering a ``search_later`` publish, before its ledger and its index: the pages are
    live with their index pending, and ``publish-search`` then the next publish succeed without the ledger."""
    from sunshine.search.static_delta import search_pending

    web = tmp_path / "web"
    publish(write_snapshot(snapshot_data), web, durable=False)
    snapshot_data["items"][0]["conditions"] += "\n\n可通过智慧联办专窗一次办好。"
    snapshot = write_snapshot(snapshot_data)
    request = {"snapshot": str(snapshot), "web_root": str(web), "search_later": True}
    answer = _served_then_killed(request, "ledger", tmp_path / "paused-ledger")
    assert answer["ok"] is True and answer["search_pending"] is True
    assert live_dir(web) == Path(answer["live"])
    assert not ledger_of(web, Path(answer["live"])).exists()
    command = [sys.executable, "-m", "sunshine.publisher", "publish-search", "--web-root", str(web)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert not search_pending(live_dir(web))
    _publish_again(snapshot, web)
    assert _partials(web) == []
    assert ledger_of(web, live_dir(web)).is_file()


def test_kill_while_a_spare_is_made_after_the_answer(live, snapshot_file, tmp_path):
    """The resident publisher makes a spare after its answer (``make_spare``), under a partial name until
    it is complete: killed before the rename, the live site is the answered build, and the next publish
    removes the leftover and links instead."""
    request = {"snapshot": str(snapshot_file), "web_root": str(live.web), "static_index": False}
    answer = _served_then_killed(request, "spared", tmp_path / "paused-spared")
    assert answer["ok"] is True
    assert live_dir(live.web) == Path(answer["live"])
    assert len(_partials(live.web)) == 1  # the spare, all its files linked, not yet renamed
    _assert_live_unchanged(live)
    _publish_again(snapshot_file, live.web)
    assert _partials(live.web) == []
    assert [name.startswith(".") for name in _entries(live.web)] == [False, False, False]


def test_kill_while_a_new_publisher_warms(live, snapshot_file, tmp_path):
    """A warm-up (warm.py) builds the live site again into a partial build: killed before it is removed, the
    live site is as it was and the next publish removes the leftover."""
    marker = tmp_path / "paused-warmed"
    request = {"op": "warm", "web_root": str(live.web), "env": {PAUSE_ENV: "warmed", PAUSE_MARKER_ENV: str(marker)}}
    with _reaped(subprocess.Popen([sys.executable, "-m", "sunshine.publisher", "serve"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)) as process:
        process.stdin.write(orjson.dumps(request) + b"\n")
        process.stdin.flush()
        _wait_for(marker.exists, "the warm-up to pause")
        _sigkill(process)
    assert live_dir(live.web).name == live.build_id
    assert len(_partials(live.web)) == 1
    _assert_live_unchanged(live)
    _publish_again(snapshot_file, live.web)
    assert _partials(live.web) == []
