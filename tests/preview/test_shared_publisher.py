"""One preview publisher per instance, shared by every web process: started by whoever needs it
first and never twice, replaced when it died, was killed by a timeout or left a stale socket, and
refused when the answer comes from another account or cannot be read."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sunshine.site import preview
from sunshine.site.db import db
from sunshine.site.models import Department, ServiceItem
from sunshine.site.preview import PreviewError, preview_html, previewer
from sunshine.site.preview_server import PreviewServer

from .conftest import NOW, save_working_copy

NEW_NAME = "普通护照签发（首次申领、换发、补发）"

#: A web process of its own: the real app over the test's database, waiting for the go file, then
#: previewing one record (having said it is ready); prints the page and the pid of the publisher that rendered it.
WEB_PROCESS = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from sqlalchemy import select
    from sunshine.site import clock, create_app
    from sunshine.site.db import db
    from sunshine.site.models import Department, ServiceItem
    from sunshine.site.preview import preview_html, previewer

    config, model, code, ready, go = json.loads(sys.argv[1])
    app = create_app(config)
    with app.app_context(), clock.frozen(config["NOW"]):
        model = {"ServiceItem": ServiceItem, "Department": Department}[model]
        record = db.session.scalars(select(model).where(model.code == code)).one()
        Path(ready).touch()
        while not Path(go).exists():
            time.sleep(0.005)
        html = preview_html(record)
        print(json.dumps({"html": html, "pid": previewer().last_pid}))
""")

@contextmanager
def fake_server(path: Path, answer: str, *, uid: int | None = None) -> Iterator[int]:
    """A process (not a publisher) listening at ``path`` that answers every connection with
    ``answer``, run as ``uid`` when given; its pid. Killed afterwards."""
    pid = os.fork()
    if pid == 0:  # the child: only sockets, then _exit
        try:
            if uid is not None:
                os.setgid(uid)
                os.setuid(uid)
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(f"{path}.new")
            os.chmod(f"{path}.new", 0o600)
            listener.listen(8)
            os.rename(f"{path}.new", path)  # there once it listens
            while True:
                connection, _ = listener.accept()
                connection.recv(1 << 20)
                connection.sendall(answer.encode())
                connection.close()
        finally:
            os._exit(1)
    try:
        _wait_for(path)
        yield pid
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # stopped and reaped by the test already


@pytest.fixture
def socket_path(ctx, tmp_path) -> Iterator[Path]:
    """A preview socket of this test's own (no server yet); its server is stopped afterwards."""
    path = tmp_path / "instance" / "preview.sock"
    ctx.config["SUNSHINE_PREVIEW_SOCKET"] = str(path)
    yield path
    PreviewServer(path, idle=0).stop()


@pytest.fixture
def edited_passport(ctx, record) -> ServiceItem:
    item = record(ServiceItem, "GA-XK-001")
    item.name = NEW_NAME
    save_working_copy(item)
    return item


def servers_at(path: Path) -> list[int]:
    """Pids of the publisher processes serving ``path`` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, NotADirectoryError, PermissionError, IndexError):
            continue
        if b"sunshine.publisher" in args and os.fsencode(path) in args and state != b"Z":
            pids.append(int(entry.name))
    return pids


def gone(pid: int) -> bool:
    """Whether ``pid`` ended (waited for up to 5 s; a zombie counts as ended)."""
    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == b"Z":
            return True
        time.sleep(0.02)
    return False


def test_three_web_processes_previewing_at_once_share_one_publisher(ctx, socket_path, tmp_path, record):
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test-secret",
              "SQLALCHEMY_DATABASE_URI": ctx.config["SQLALCHEMY_DATABASE_URI"],
              "SUNSHINE_PREVIEW_SOCKET": str(socket_path), "NOW": NOW}
    go = tmp_path / "go"
    asked = [("ServiceItem", "GA-XK-001"), ("Department", "ga"), ("ServiceItem", "ZJJ-XK-001")]
    ready = [tmp_path / f"ready-{n}" for n in range(len(asked))]
    processes = [subprocess.Popen([sys.executable, "-c", WEB_PROCESS,
                                   json.dumps([config, model, code, str(ready[n]), str(go)])],
                                  stdout=subprocess.PIPE) for n, (model, code) in enumerate(asked)]
    for path in ready:  # each has its app and record, and no publisher yet
        _wait_for(path, seconds=60)
    assert servers_at(socket_path) == []
    go.touch()
    answers = [json.loads(process.communicate(timeout=120)[0]) for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0]
    server = servers_at(socket_path)
    assert len(server) == 1
    assert [answer["pid"] for answer in answers] == server * 3
    expected = [preview_html(record(ServiceItem, "GA-XK-001")), preview_html(record(Department, "ga")),
                preview_html(record(ServiceItem, "ZJJ-XK-001"))]
    assert [answer["html"] for answer in answers] == expected
    assert "<h1>普通护照签发</h1>" in answers[0]["html"] and "<h1>清川县公安局</h1>" in answers[1]["html"]


def test_the_socket_is_the_owners_only(edited_passport, socket_path):
    preview_html(edited_passport)

    mode = socket_path.stat().st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600


def test_a_killed_publisher_is_replaced_by_the_next_preview(edited_passport, socket_path):
    first = preview_html(edited_passport)
    killed = previewer().last_pid
    os.kill(killed, signal.SIGKILL)
    assert gone(killed)

    assert preview_html(edited_passport) == first
    assert previewer().last_pid != killed
    assert servers_at(socket_path) == [previewer().last_pid]


def test_a_stale_socket_file_is_replaced(edited_passport, socket_path):
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(socket_path))
    stale.close()  # the file stays; nobody listens

    assert f"<h1>{NEW_NAME}</h1>" in preview_html(edited_passport)
    assert servers_at(socket_path) == [previewer().last_pid]


def test_a_preview_that_times_out_stops_its_publisher_and_the_next_one_works(edited_passport, socket_path,
                                                                             monkeypatch):
    preview_html(edited_passport)
    slow = previewer().last_pid
    monkeypatch.setattr(preview, "PREVIEW_TIMEOUT", 0.001)
    with pytest.raises(PreviewError) as refused:
        preview_html(edited_passport)
    assert str(refused.value) == "预览生成失败：预览超时（超过 0.001 秒），预览程序已停止，请重试"
    assert gone(slow)

    monkeypatch.undo()
    assert f"<h1>{NEW_NAME}</h1>" in preview_html(edited_passport)
    assert previewer().last_pid != slow


def test_an_unreadable_answer_is_refused_and_its_server_stopped(edited_passport, socket_path, record):
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    with fake_server(socket_path, "<html>不是回答\n") as fake:
        with pytest.raises(PreviewError) as refused:
            preview_html(edited_passport)
        assert str(refused.value) == "预览生成失败：预览程序的回答无法读取，已停止该程序，请重试"
        assert os.waitpid(fake, 0)[1] == signal.SIGKILL  # stopped by the previewer

    db.session.expire_all()
    assert record(ServiceItem, "GA-XK-001").name == NEW_NAME  # the saved working copy is untouched
    assert f"<h1>{NEW_NAME}</h1>" in preview_html(edited_passport)  # a real publisher replaces it


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a listener as another account")
def test_a_server_of_another_account_is_refused_before_it_is_asked(edited_passport, ctx, record):
    Path("/tmp/preview").mkdir(exist_ok=True)
    shared = Path(tempfile.mkdtemp(prefix="other-account-", dir="/tmp/preview"))
    shared.chmod(0o777)
    path = shared / "preview.sock"
    ctx.config["SUNSHINE_PREVIEW_SOCKET"] = str(path)
    answer = json.dumps({"ok": True, "html": "<h1>冒充的页面</h1>"}) + "\n"
    try:
        with fake_server(path, answer, uid=65534) as other:
            with pytest.raises(PreviewError) as refused:
                preview_html(edited_passport)
            assert str(refused.value) == ("预览生成失败：预览程序由其他系统账号（uid 65534）运行，已拒绝其回答，"
                                          "请联系系统管理员")
            assert os.waitpid(other, os.WNOHANG) == (0, 0)  # still running: not ours to stop
    finally:
        path.unlink(missing_ok=True)
        shared.rmdir()

    db.session.expire_all()
    item = record(ServiceItem, "GA-XK-001")
    assert item.name == NEW_NAME and item.has_unpublished_changes


def _wait_for(path: Path, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"no {path}"
        time.sleep(0.02)


def test_an_idle_publisher_ends_and_the_next_preview_starts_another(edited_passport, ctx, socket_path):
    ctx.config["SUNSHINE_PREVIEW_IDLE"] = 0.5
    preview_html(edited_passport)
    idle = previewer().last_pid

    assert gone(idle)
    assert not socket_path.exists()
    assert f"<h1>{NEW_NAME}</h1>" in preview_html(edited_passport)
    assert previewer().last_pid != idle
