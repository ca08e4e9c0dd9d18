"""The preview's publisher, one per instance, shared by every web process on the machine.

A publisher process per web worker held the catalog, templates and converted Markdown once per
worker (hundreds of MB each for a city) and started cold in each. This client reaches one
``python -m sunshine.publisher serve --socket <instance>/preview.sock`` (publisher/socket_service.py)
and, when nobody listens there, starts it: under an exclusive lock on ``<socket>.lock`` it checks
again, removes a stale socket file and starts the server in a session of its own (a worker that
exits or is killed does not take it down; it ends after ``SUNSHINE_PREVIEW_IDLE`` seconds without a
preview), so two are never started at once. Only a server run by this process's own account is
spoken to (the socket's peer credentials). A preview that outlives its timeout, or an answer that
cannot be read, kills that server; the next preview starts a new one. Never imports Pelican.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from .resident_publisher import ENV_PREFIX, PublisherGone

#: Longest socket path the kernel accepts (``sockaddr_un.sun_path`` less its final NUL).
MAX_SOCKET_PATH = 107
#: Seconds ``stop`` waits for a killed server to be gone.
STOP_SECONDS = 5.0


class PreviewServer:
    """The shared preview publisher at one socket path: ask it, start it, stop it."""

    def __init__(self, path: Path, idle: float) -> None:
        self.path = path
        self.idle = idle
        #: The process that gave this object its last answer (what the tests compare).
        self.last_pid: int | None = None

    def request(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """One request's answer, or PublisherGone (Chinese first) when there is none to trust."""
        deadline = time.monotonic() + timeout
        env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
        connection, pid = self._connect(deadline, timeout)
        with connection:
            try:
                _settimeout(connection, deadline)
                connection.sendall(orjson.dumps({**request, "env": env}) + b"\n")
                line = _read_line(connection, deadline)
            except TimeoutError:
                _kill(pid)
                raise PublisherGone(_timed_out(timeout)) from None
            except OSError as exc:
                raise PublisherGone(f"预览程序意外中断，请重试 / the preview server broke off ({exc})") from None
        try:
            answer = orjson.loads(line)
            if not isinstance(answer, dict):
                raise ValueError(type(answer).__name__)
        except ValueError:
            _kill(pid)
            raise PublisherGone("预览程序的回答无法读取，已停止该程序，请重试 / "
                                "the preview server's answer was unreadable; it was stopped") from None
        self.last_pid = pid
        return answer

    def pid(self) -> int | None:
        """The running server's process id, or None when nobody listens."""
        try:
            connection, pid = self._connect_now()
        except (OSError, PublisherGone):
            return None
        connection.close()
        return pid

    def stop(self) -> None:
        """Kill the running server (if any, and ours), wait until it is gone, remove its socket."""
        pid = self.pid()
        if pid is not None:
            _kill(pid)
            end = time.monotonic() + STOP_SECONDS
            while _alive(pid) and time.monotonic() < end:
                time.sleep(0.02)
        self.path.unlink(missing_ok=True)

    def _connect(self, deadline: float, timeout: float) -> tuple[socket.socket, int]:
        """A connection to the server, started first when nobody listens."""
        if len(os.fsencode(self.path)) > MAX_SOCKET_PATH:
            raise PublisherGone(f"预览套接字路径过长（超过 {MAX_SOCKET_PATH} 字节），请设置较短的 "
                                f"SUNSHINE_PREVIEW_SOCKET / the preview socket path is too long: {self.path}")
        try:
            return self._connect_now()
        except (FileNotFoundError, ConnectionRefusedError):
            pass
        with self._starting(deadline, timeout):
            try:
                return self._connect_now()
            except (FileNotFoundError, ConnectionRefusedError):
                self.path.unlink(missing_ok=True)  # stale: its server is gone
            return self._start(deadline, timeout)

    def _connect_now(self) -> tuple[socket.socket, int]:
        """Connect and check who answers: the server's pid, run by this account."""
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(os.fsencode(self.path))
            pid, uid, _ = struct.unpack("3i", connection.getsockopt(
                socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        except PermissionError:
            connection.close()
            raise PublisherGone(f"无权连接预览程序（{self.path} 属于其他系统账号），请联系系统管理员 / "
                                "the preview socket belongs to another account") from None
        except BaseException:
            connection.close()
            raise
        if uid != os.geteuid():
            connection.close()
            raise PublisherGone(f"预览程序由其他系统账号（uid {uid}）运行，已拒绝其回答，请联系系统管理员 / "
                                f"the preview server runs as another account (uid {uid}); refused")
        return connection, pid

    @contextmanager
    def _starting(self, deadline: float, timeout: float) -> Iterator[None]:
        """The starters' lock (one starter per instance, across processes), waited for until the deadline."""
        lock_file = self.path.with_name(self.path.name + ".lock")
        with open(os.open(lock_file, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise PublisherGone(_timed_out(timeout)) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _start(self, deadline: float, timeout: float) -> tuple[socket.socket, int]:
        """Start the server (the lock held) and connect once it listens."""
        command = [sys.executable, "-m", "sunshine.publisher", "serve", "--socket", str(self.path),
                   "--idle", f"{self.idle:g}"]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONWARNINGS": "ignore"}, start_new_session=True)
        # Reaped here when it ends while this process lives; otherwise by init.
        threading.Thread(target=process.wait, name="preview-server-reaper", daemon=True).start()
        while True:
            try:
                return self._connect_now()
            except (FileNotFoundError, ConnectionRefusedError):
                if process.poll() is not None:
                    raise PublisherGone(f"预览程序无法启动（退出码 {process.returncode}），请联系系统管理员 / "
                                        f"the preview server did not start ({process.returncode})") from None
                if time.monotonic() >= deadline:
                    process.kill()
                    raise PublisherGone(_timed_out(timeout)) from None
                time.sleep(0.02)


def _timed_out(timeout: float) -> str:
    return (f"预览超时（超过 {timeout:g} 秒），预览程序已停止，请重试 / "
            f"the preview timed out after {timeout:g} s; its server was stopped")


def _settimeout(connection: socket.socket, deadline: float) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    connection.settimeout(left)


def _read_line(connection: socket.socket, deadline: float) -> bytes:
    """The answer line (without Python's buffering, so that the deadline holds)."""
    chunks: list[bytes] = []
    while not chunks or not chunks[-1].endswith(b"\n"):
        _settimeout(connection, deadline)
        chunk = connection.recv(1 << 16)
        if not chunk:
            raise ConnectionResetError("连接已关闭 / connection closed before the answer")
        chunks.append(chunk)
    return b"".join(chunks)


def _kill(pid: int) -> None:
    """Kill a server of this account (its peer credentials were checked); gone already is fine."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        # The entry vanishes between open and read when the process is reaped meanwhile (ESRCH).
        return False
