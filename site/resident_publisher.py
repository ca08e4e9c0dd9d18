"""The publisher process this process keeps running (``python -m sunshine.publisher serve``).

A worker publishes again and again; a publisher that stays running keeps what the last publish
learned (the live build's ledger, compiled templates, converted Markdown) and starts nothing, so a
one-item publish costs what changed. It stays a separate process — the back office never imports
Pelican, and a build that crashes or is killed takes only that process down: the next publish
starts a new one. One request at a time (a lock); a publish that outlives its timeout is killed.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from typing import Any

import orjson

#: Environment prefix of the publisher's settings, passed with every request (the process stays).
ENV_PREFIX = "SUNSHINE_"


class PublisherGone(RuntimeError):
    """The publisher process ended or timed out without an answer. One line, Chinese first."""


class ResidentPublisher:
    """A ``serve`` process, started on first use and again after it ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def request(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one publish request; its answer, or PublisherGone (the process is then stopped)."""
        env = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
        with self._lock:
            proc = self._running()
            try:
                assert proc.stdin is not None
                proc.stdin.write(orjson.dumps({**request, "env": env}) + b"\n")
                proc.stdin.flush()
                return orjson.loads(self._answer(proc, timeout))
            except (OSError, ValueError, PublisherGone) as exc:
                self._stop()
                if isinstance(exc, PublisherGone):
                    raise
                raise PublisherGone(
                    f"发布程序意外退出，请重试 / the publisher process ended unexpectedly ({exc})"
                ) from None

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = {**os.environ, "PYTHONWARNINGS": "ignore"}
            self._proc = subprocess.Popen([sys.executable, "-m", "sunshine.publisher", "serve"],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        return self._proc

    @staticmethod
    def _answer(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
        """One answer line, read without Python's buffering so that the timeout holds."""
        assert proc.stdout is not None
        fd, data, deadline = proc.stdout.fileno(), b"", time.monotonic() + timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise PublisherGone(f"发布超时（超过 {timeout:g} 秒）/ publish timed out after {timeout:g} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise PublisherGone(
                    f"发布程序意外退出（{proc.poll()}），请重试 / the publisher process ended ({proc.poll()})"
                )
            data += chunk
        return data

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


#: This process's publisher (the worker's, or the one a test process shares).
PUBLISHER = ResidentPublisher()
