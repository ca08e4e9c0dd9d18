"""Publishing as a recorded background job: queued, run by the worker, coalesced, failed with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sunshine.publisher.deploy import complete_builds
from sunshine.site import clock
from sunshine.site.accounts import create_user
from sunshine.site.db import db
from sunshine.site.jobs import job_queue, live_build, recent_jobs, request_publish, run_queued
from sunshine.site.jobs.publishing import INTERRUPTED, REBUILT_BY_NEW_PROGRAM, claim
from sunshine.site.models import PublishJob
from sunshine.site.publishing import PublishError
from tests.conftest import login


def run_next_task(app) -> None:
    """What the worker does with the next queue entry: huey dequeues and executes it."""
    huey = job_queue(app).huey
    task = huey.dequeue()
    assert task is not None, "nothing was queued"
    huey.execute(task)


def live_page(app) -> Path:
    return Path(app.config["SUNSHINE_WEB_ROOT"]) / "current" / "items" / "ZJJ-XK-001" / "index.html"


def jobs(app) -> list[PublishJob]:
    with app.app_context():
        return list(db.session.scalars(db.select(PublishJob).order_by(PublishJob.id)))


def test_a_request_is_queued_and_builds_nothing_yet(queued):
    with queued.test_request_context():
        job = request_publish("已发布第1版：建筑工程施工许可证核发")
        assert (job.state, job.reason) == ("queued", "已发布第1版：建筑工程施工许可证核发")
        assert job_queue(queued).huey.pending_count() == 1
    assert not live_page(queued).exists()


def test_the_worker_builds_the_queued_request(queued):
    with queued.test_request_context():
        request_publish("重新生成网站")
    run_next_task(queued)
    [job] = jobs(queued)
    assert job.state == "done"
    assert job.build_id == (Path(queued.config["SUNSHINE_WEB_ROOT"]) / "current").resolve().name
    assert job.items == 1
    assert "建筑工程施工许可证核发" in live_page(queued).read_text("utf-8")


def test_requests_queued_together_share_one_build(queued):
    with queued.test_request_context():
        for reason in ("已发布第2版：建筑工程施工许可证核发", "已撤回：关于推行一单收费的公告", "重新生成网站"):
            request_publish(reason)
    run_next_task(queued)
    done = jobs(queued)
    assert [j.state for j in done] == ["done", "done", "done"]
    assert len({j.build_id for j in done}) == 1
    assert len({j.run_token for j in done}) == 1
    run_next_task(queued)  # the other two queue entries find nothing left to build
    run_next_task(queued)
    assert len(complete_builds(Path(queued.config["SUNSHINE_WEB_ROOT"]))) == 1


def test_a_request_made_while_a_build_runs_waits_for_the_next_pass(queued):
    with queued.test_request_context():
        request_publish("已发布第2版：建筑工程施工许可证核发")
        assert claim(clock.now()) is not None  # a build is running
        request_publish("已发布第3版：建筑工程施工许可证核发")
        assert run_queued(queued) == 0  # another run is building: this one leaves the request queued
    assert [j.state for j in jobs(queued)] == ["running", "queued"]


def test_a_failed_build_is_recorded_with_its_reason_and_the_live_site_stays(queued, monkeypatch):
    with queued.test_request_context():
        request_publish("重新生成网站")
    run_next_task(queued)
    before = live_page(queued).read_bytes()

    def broken(app):
        raise PublishError("页面生成失败：模板 item.html 第 12 行：'x' is undefined")

    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site", broken)
    with queued.test_request_context():
        request_publish("已发布第2版：建筑工程施工许可证核发")
    run_next_task(queued)
    failed = jobs(queued)[-1]
    assert (failed.state, failed.error) == ("failed", "页面生成失败：模板 item.html 第 12 行：'x' is undefined")
    assert live_page(queued).read_bytes() == before


def test_a_build_left_running_by_a_dead_worker_fails_after_the_timeout(queued):
    queued.config["SUNSHINE_PUBLISH_TIMEOUT"] = 600
    with clock.frozen("2026-11-23T10:00:00+08:00"), queued.test_request_context():
        request_publish("已发布第2版：建筑工程施工许可证核发")
        claim(clock.now())  # its worker is then SIGKILLed
    with clock.frozen("2026-11-23T10:11:00+08:00"), queued.test_request_context():
        request_publish("重新生成网站")
        assert run_queued(queued) == 1
    first, second = jobs(queued)
    assert (first.state, first.error) == ("failed", INTERRUPTED)
    assert second.state == "done"


def test_a_build_running_within_the_timeout_is_left_alone(queued):
    queued.config["SUNSHINE_PUBLISH_TIMEOUT"] = 600
    with clock.frozen("2026-11-23T10:00:00+08:00"), queued.test_request_context():
        request_publish("已发布第2版：建筑工程施工许可证核发")
        claim(clock.now())
    with clock.frozen("2026-11-23T10:09:00+08:00"), queued.test_request_context():
        assert run_queued(queued) == 0
    assert jobs(queued)[0].state == "running"


def test_a_lost_queue_entry_is_built_by_the_next_run(queued):
    with queued.test_request_context():
        request_publish("已发布第2版：建筑工程施工许可证核发")
        job_queue(queued).huey.flush()  # the queue lost it (e.g. the queue file was replaced)
        assert run_queued(queued) == 1  # the worker's start-up pass and its periodic check do this
    assert jobs(queued)[0].state == "done"


def test_live_build_names_the_build_and_when_it_went_live(queued):
    with clock.frozen(dt.datetime(2026, 11, 23, 10, 30)), queued.test_request_context():
        request_publish("重新生成网站")
        run_queued(queued)
        live = live_build(queued)
        assert live.build_id == jobs(queued)[0].build_id
        assert live.finished_at == dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


def test_live_build_says_the_search_index_follows_and_keeps_the_jobs_time(queued, tmp_path):
    """Pages published with SUNSHINE_SEARCH_LATER go live before their search index; the build that
    brings the index up to date is named by no job, and is shown with the time of the job it serves."""
    import json

    from sunshine.publisher.deploy import publish, publish_search

    queued.config["SUNSHINE_STATIC_SEARCH"] = True
    with clock.frozen(dt.datetime(2026, 11, 23, 10, 30)), queued.test_request_context():
        request_publish("重新生成网站")
        run_queued(queued)
    web_root = Path(queued.config["SUNSHINE_WEB_ROOT"])
    data = json.loads(Path(queued.config["SUNSHINE_SNAPSHOT_PATH"]).read_bytes())
    data["items"][0]["conditions"] += "\n\n可通过“智慧联办”专窗一次办好。"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    publish(edited, web_root, search_later=True, durable=False)
    with queued.app_context():
        pending = live_build(queued)
    assert pending.search_pending is True
    assert pending.finished_at == dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)
    publish_search(web_root, durable=False)
    with queued.app_context():
        followed = live_build(queued)
    assert followed.build_id != pending.build_id
    assert followed.search_pending is False
    assert followed.finished_at == dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


def test_recent_jobs_lists_newest_first(queued):
    with queued.test_request_context():
        for n in range(1, 11):
            request_publish(f"已发布第{n}版：建筑工程施工许可证核发")
        assert [j.reason.split("：")[0] for j in recent_jobs(3)] == ["已发布第10版", "已发布第9版", "已发布第8版"]


def test_publishing_an_item_in_the_back_office_returns_before_the_build(queued):
    with queued.app_context():
        create_user("admin", "admin-password-123", role="admin", display_name="中心管理员")
    client = queued.test_client()
    login(client, "admin", "admin-password-123")
    html = client.post("/admin/site/rebuild", follow_redirects=True).get_data(as_text=True)
    [job] = jobs(queued)
    assert f"已重新生成网站，网站更新已排队（第{job.id}号发布任务），稍后自动上线，进度见工作台" in html
    assert "排队中" in html
    assert not live_page(queued).exists()


def test_sunshine_worker_builds_what_was_queued_and_what_comes_next(queued, tmp_path):
    """The real worker process: its start-up pass, then huey's consumer on the queue file."""
    import signal
    import time

    cfg = queued.config
    with queued.test_request_context():
        request_publish("已发布第1版：建筑工程施工许可证核发")  # queued before any worker runs
    worker = _worker(cfg, tmp_path)

    def wait_done(count: int) -> list[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = [j.state for j in jobs(queued)]
            if states.count("done") + states.count("failed") >= count:
                return states
            time.sleep(0.2)
        raise AssertionError(f"the worker did not finish: {states}")

    try:
        assert wait_done(1) == ["done"]
        with queued.test_request_context():
            request_publish("已撤回：关于推行一单收费的公告")
        assert wait_done(2) == ["done", "done"]
    finally:
        worker.send_signal(signal.SIGINT)
        output = worker.communicate(timeout=30)[0]
    assert "启动时完成 1 次排队的发布" in output
    first, second = jobs(queued)
    assert first.build_id != second.build_id
    assert (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve().name == second.build_id


def test_the_demo_worker_thread_builds_in_the_background_and_stops(queued):
    import signal
    import time

    from sunshine.site.jobs import start_thread_worker

    handler = signal.getsignal(signal.SIGINT)
    worker = start_thread_worker(queued)
    try:
        assert signal.getsignal(signal.SIGINT) is handler  # Ctrl-C still stops the web server
        with queued.test_request_context():
            request_publish("已发布第1版：建筑工程施工许可证核发")
        deadline = time.monotonic() + 60
        while jobs(queued)[0].state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop(graceful=True)
    assert jobs(queued)[0].state == "done"


def _worker(cfg, tmp_path: Path, **env: str):
    """``sunshine worker`` as a real process on the test's database, queue and web root (its output unbuffered)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SUNSHINE_DATABASE_URL": cfg["SQLALCHEMY_DATABASE_URI"], "PYTHONUNBUFFERED": "1",
           "SUNSHINE_INSTANCE_PATH": str(tmp_path / "worker-instance"), "SUNSHINE_SECRET_KEY": "test-secret",
           "SUNSHINE_WEB_ROOT": cfg["SUNSHINE_WEB_ROOT"], "SUNSHINE_SNAPSHOT_PATH": cfg["SUNSHINE_SNAPSHOT_PATH"],
           "SUNSHINE_QUEUE_URL": cfg["SUNSHINE_QUEUE_URL"], "SUNSHINE_STATIC_SEARCH": "0",
           "SUNSHINE_SEARCH_INDEX": cfg["SUNSHINE_SEARCH_INDEX"], **env}
    return subprocess.Popen([sys.executable, "-m", "sunshine.site.cli", "worker"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _started_then_stopped(cfg, tmp_path: Path, **env: str) -> str:
    """A worker started with nothing queued, stopped once it says it runs; its output."""
    import signal
    import threading

    worker = _worker(cfg, tmp_path, **env)
    watchdog = threading.Timer(120, worker.kill)
    watchdog.start()
    lines = []
    try:
        for line in worker.stdout:
            lines.append(line)
            if line.startswith("按 Ctrl-C 停止"):
                break
    finally:
        watchdog.cancel()
        worker.send_signal(signal.SIGINT)
        lines += worker.communicate(timeout=30)[0].splitlines(keepends=True)
    return "".join(lines)


@pytest.fixture
def published(queued):
    """The site published once by a job."""
    with queued.test_request_context():
        request_publish("已发布第1版：建筑工程施工许可证核发")
    run_next_task(queued)
    return queued


def test_sunshine_worker_with_nothing_queued_warms_its_publisher_for_the_live_site(published, tmp_path):
    """A worker that starts with nothing to build rebuilds the live site once from its own snapshot and throws
    it away (publisher/warm.py), so that the first clerk's publish is as quick as the next: the live build
    stays, and no job is recorded."""
    cfg = published.config
    live = (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve()
    output = _started_then_stopped(cfg, tmp_path)
    assert "启动时完成 0 次排队的发布" in output
    assert f"已预热：上线版本 {live.name}，复用 " in output
    assert (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve() == live
    assert [job.state for job in jobs(published)] == ["done"]


def test_a_worker_started_with_a_new_theme_makes_the_rebuild_live_and_records_it(published, tmp_path):
    import shutil

    cfg = published.config
    theme = tmp_path / "new-theme"
    shutil.copytree(cfg["SUNSHINE_THEME_DIR"], theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</main>", "<p>本站已升级</p></main>", 1),
                    encoding="utf-8")
    output = _started_then_stopped(cfg, tmp_path, SUNSHINE_THEME_DIR=str(theme))
    assert "程序或模板已更新：已按现行程序重新生成 " in output
    first, rebuilt = jobs(published)
    assert (rebuilt.state, rebuilt.reason) == ("done", REBUILT_BY_NEW_PROGRAM)
    assert rebuilt.build_id == (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve().name != first.build_id
    assert "<p>本站已升级</p>" in live_page(published).read_text("utf-8")


def test_a_failed_warm_up_is_reported_and_the_worker_runs_on(published, tmp_path):
    """A theme that does not build (a release with a broken template): the warm-up says why, the live site
    stays as it was, nothing is recorded, and the worker goes on to serve the queue."""
    import shutil

    cfg = published.config
    live = (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve()
    theme = tmp_path / "broken-theme"
    shutil.copytree(cfg["SUNSHINE_THEME_DIR"], theme)
    (theme / "templates" / "item.html").write_text("{% if %}", encoding="utf-8")
    output = _started_then_stopped(cfg, tmp_path, SUNSHINE_THEME_DIR=str(theme))
    assert "预热失败 / warming failed: 错误 / error: " in output
    assert "按 Ctrl-C 停止。" in output
    assert (Path(cfg["SUNSHINE_WEB_ROOT"]) / "current").resolve() == live
    assert [job.state for job in jobs(published)] == ["done"]
