"""The preview's publisher, shared by every web process of an instance (``serve --socket PATH``).

Each web worker keeping a publisher of its own cost one publisher's memory (catalog, templates,
converted Markdown: hundreds of MB for a city) per worker. This one listens on a Unix socket
instead of stdin: a connection carries one request line and gets one answer line (service.py's
protocol, plus ``"pid"``), one connection at a time. The socket is made 0600 before anyone can
reach it (bound under a private name, then renamed into place). After ``idle`` seconds without a
connection the process ends, under the starters' lock (``<socket>.lock``) so that no client
connects to a process that is leaving. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import fcntl
import os
import select
import socket
import sys
from contextlib import redirect_stdout
from pathlib import Path

import orjson

from .service import after_answer, handle

#: Seconds a connected client has to send its request, and to take its answer.
TRANSFER_SECONDS = 60.0


def lock_path(path: Path) -> Path:
    """The lock file beside the socket, held by whoever starts or retires the server."""
    return path.with_name(path.name + ".lock")


def serve_socket(path: Path, idle: float) -> None:
    """Answer connections on the socket ``path`` until ``idle`` seconds pass without one."""
    listener = _listen(path)
    inode = path.stat().st_ino
    try:
        while True:
            if not select.select([listener], [], [], idle)[0]:
                _retire(listener, path, inode)
                return
            _answer(listener)
    finally:
        listener.close()


def _listen(path: Path) -> socket.socket:
    """A listening socket at ``path``, 0600 from the moment it is reachable there."""
    private = path.with_name(f".{path.name}.{os.getpid()}")
    private.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)
    try:
        listener.bind(str(private))
    finally:
        os.umask(umask)
    os.chmod(private, 0o600)
    listener.listen(64)
    os.replace(private, path)
    return listener


def _answer(listener: socket.socket) -> None:
    """One connection: read its request line, answer it (a client gone meanwhile is not an error)."""
    connection, _ = listener.accept()
    with connection:
        connection.settimeout(TRANSFER_SECONDS)
        try:
            with connection.makefile("rb") as requests:
                line = requests.readline()
            if not line.strip():
                return
            with redirect_stdout(sys.stderr):  # the socket carries answers only
                answer = handle(line)
            connection.sendall(orjson.dumps({**answer, "pid": os.getpid()}) + b"\n")
        except OSError:
            return
    after_answer(answer)


def _retire(listener: socket.socket, path: Path, inode: int) -> None:
    """Before ending after an idle spell: under the lock, remove the socket (if it is still
    ours) and answer whoever connected meanwhile. The next preview starts a new server."""
    with open(os.open(lock_path(path), os.O_WRONLY | os.O_CREAT, 0o600), "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.stat().st_ino == inode:
                path.unlink()
        except FileNotFoundError:
            pass
        while select.select([listener], [], [], 0)[0]:
            _answer(listener)
