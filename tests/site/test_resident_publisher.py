"""The publisher process the back office keeps running: publishes go to the same process (which keeps
what the last publish learned), and a publisher that died, was killed mid-build or timed out is
replaced by the next publish, with a clear reason for the one that failed."""

from __future__ import annotations

import io
import os
import signal

import orjson
import pytest

from sunshine.publisher.service import serve
from sunshine.site import publishing
from sunshine.site.publishing import PublishError, publish_site
from sunshine.site.resident_publisher import PUBLISHER


def publisher_pid() -> int:
    assert PUBLISHER._proc is not None and PUBLISHER._proc.poll() is None
    return PUBLISHER._proc.pid


def test_publishes_go_to_one_running_publisher(published):
    first = publish_site(published)
    pid = publisher_pid()
    second = publish_site(published)
    assert publisher_pid() == pid
    assert second.live_dir != first.live_dir
    assert (second.live_dir / "items" / "ZJJ-XK-001" / "index.html").stat().st_ino == \
        (first.live_dir / "items" / "ZJJ-XK-001" / "index.html").stat().st_ino  # linked: nothing changed


def test_a_publisher_that_died_is_replaced_by_the_next_publish(published):
    publish_site(published)
    dead = publisher_pid()
    os.kill(dead, signal.SIGKILL)
    PUBLISHER._proc.wait()
    outcome = publish_site(published)
    assert publisher_pid() != dead
    assert (outcome.live_dir / "items" / "ZJJ-XK-001" / "index.html").is_file()


def test_a_publish_that_times_out_fails_with_the_reason_and_the_next_one_works(published, monkeypatch):
    before = publish_site(published).live_dir
    monkeypatch.setattr(publishing, "PUBLISH_TIMEOUT", 0.001)
    with pytest.raises(PublishError, match="发布超时"):
        publish_site(published)
    monkeypatch.undo()
    assert (before.parent.parent / "current").resolve() == before  # the killed build never went live
    after = publish_site(published)
    assert (after.live_dir / "index.html").is_file()


def test_a_failed_publish_answers_with_the_reason_and_the_publisher_stays(published, tmp_path):
    publish_site(published)
    pid = publisher_pid()
    published.config["SUNSHINE_THEME_DIR"] = str(tmp_path / "没有这个主题")
    with pytest.raises(PublishError, match="错误 / error: "):
        publish_site(published)
    assert publisher_pid() == pid


def test_the_service_answers_every_line_and_a_bad_request_in_words(tmp_path):
    requests = io.BytesIO(b'{"snapshot": "/no/such/snapshot.json", "web_root": "' + str(tmp_path).encode()
                          + b'"}\n\nnot json\n')
    answers = io.BytesIO()
    serve(requests, answers)
    first, second = (orjson.loads(line) for line in answers.getvalue().splitlines())
    assert first["ok"] is False and "/no/such/snapshot.json" in first["error"]
    assert second["ok"] is False and second["error"].startswith("错误 / error: ")


def test_the_service_prunes_old_builds_after_answering(tmp_path):
    from sunshine.publisher.deploy import KEEP_BUILDS, complete_builds
    from tests.publisher.conftest import SMALL_SNAPSHOT

    request = orjson.dumps({"snapshot": str(SMALL_SNAPSHOT), "web_root": str(tmp_path / "web"),
                            "static_index": False}) + b"\n"
    answers = io.BytesIO()
    serve(io.BytesIO(request * (KEEP_BUILDS + 2)), answers)
    lives = [orjson.loads(line)["live"] for line in answers.getvalue().splitlines()]
    assert len(lives) == KEEP_BUILDS + 2
    assert [p.as_posix() for p in complete_builds(tmp_path / "web")] == lives[-KEEP_BUILDS:]


def test_the_service_answers_before_the_ledger_is_written_and_writes_it_before_the_next_request(tmp_path):
    """Writing a city's ledger took 0.05–0.1 s of a one-item publish: it is written after the answer, but
    before the next request is read (which reads it)."""
    from pathlib import Path

    from sunshine.publisher.deploy import ledger_of, live_dir
    from tests.publisher.conftest import SMALL_SNAPSHOT

    web = tmp_path / "web"
    request = orjson.dumps({"snapshot": str(SMALL_SNAPSHOT), "web_root": str(web), "static_index": False}) + b"\n"
    seen = []

    class Answers(io.BytesIO):
        def write(self, data: bytes) -> int:
            seen.append(("answer", ledger_of(web, Path(orjson.loads(data)["live"])).exists()))
            return super().write(data)

    def requests():
        yield request
        seen.append(("next request", ledger_of(web, live_dir(web)).exists()))
        yield request

    serve(requests(), Answers())
    assert seen == [("answer", False), ("next request", True), ("answer", False)]
    assert ledger_of(web, live_dir(web)).is_file()


def test_a_publish_answers_with_its_pages_live_and_the_search_index_follows(published):
    """With the static index and ``SUNSHINE_SEARCH_LATER``, the worker's publish returns once the edited
    page is live; the publisher indexes it right after, before it reads the next request."""
    import datetime as dt
    from pathlib import Path

    from sunshine.search.static_delta import search_pending
    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem
    from sunshine.site.publishing import follow_search
    from sunshine.site.workflow import publish

    published.config.update(SUNSHINE_STATIC_SEARCH=True, SUNSHINE_SEARCH_LATER=True)
    publish_site(published)
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.promised_note = "材料齐全的，经“智慧联办”专窗当场受理"
        publish(item, at=dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC))
        db.session.commit()
        code = item.code
    edited = publish_site(published)
    assert "智慧联办" in (edited.live_dir / "items" / code / "index.html").read_text(encoding="utf-8")
    assert search_pending(edited.live_dir) is True
    again = publish_site(published)  # read by the publisher only once the index of the edit is live
    state = orjson.loads((again.live_dir / "pagefind-delta" / "sunshine-delta.json").read_bytes())
    # It started from the follow-up's build: the edited page is indexed, only the data version's pages
    # (the export's time) may be its own.
    assert set(state.get("pending", ())) <= {"data/index.html", "index.html"}
    assert follow_search(published) is False  # the publisher made the index current before reading this
    assert search_pending(Path(published.config["SUNSHINE_WEB_ROOT"]) / "current") is False


def _pending_live_build(app, tmp_path):
    """The app's web root with a live build whose search index is pending (its pages were published with
    ``search_later`` and nothing followed: the worker stopped in between)."""
    import json
    from pathlib import Path

    from sunshine.publisher.deploy import publish
    from tests.publisher.conftest import SMALL_SNAPSHOT

    web_root = Path(app.config["SUNSHINE_WEB_ROOT"])
    publish(SMALL_SNAPSHOT, web_root, durable=False)
    data = json.loads(SMALL_SNAPSHOT.read_bytes())
    data["items"][0]["conditions"] += "\n\n可通过“智慧联办”专窗一次办好。"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return publish(edited, web_root, search_later=True, durable=False).live


def test_the_workers_check_makes_a_pending_search_index_current(app, tmp_path):
    from sunshine.publisher.deploy import live_dir
    from sunshine.search.static_delta import search_pending
    from sunshine.site.publishing import follow_search

    app.config["SUNSHINE_STATIC_SEARCH"] = True
    pending = _pending_live_build(app, tmp_path)
    assert follow_search(app) is True
    live = live_dir(pending.parent.parent)
    assert live != pending and search_pending(live) is False
    assert follow_search(app) is False  # nothing left to do: no request, no build


def test_the_workers_check_leaves_a_site_without_static_search_alone(app, tmp_path):
    from sunshine.site.publishing import follow_search

    pending = _pending_live_build(app, tmp_path)  # SUNSHINE_STATIC_SEARCH is off in the suite
    assert follow_search(app) is False
    assert (pending.parent.parent / "current").resolve() == pending


def test_a_publish_collects_the_workers_garbage_then_freezes_what_it_keeps(published):
    """After the pages are live, one full collection (a cycle frozen earlier included), then what is alive
    moved out of the collector's sight, so that no full collection walks the kept export in a clerk's wait."""
    import gc
    import weakref

    class Node:
        pass

    node = Node()
    node.itself = node
    dead = weakref.ref(node)
    del node
    published.config["SUNSHINE_COLLECT_BETWEEN_PUBLISHES"] = True  # the default (the suite turns it off)
    gc.freeze()  # the cycle is out of the collector's sight, as after an earlier publish
    try:
        publish_site(published)
        assert dead() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
