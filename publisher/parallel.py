"""Parallel: run shares of one build's work in forked processes, to use every core.

Rendering ten thousand pages is CPU-bound Python, so threads would not help. A forked child
starts with the parent's catalog, templates and Pelican writer already in memory (copy on write;
the build freezes the garbage collector's view of them first, so the children do not copy them by
touching them), renders its share of the pages into the same build directory and sends back one
payload (what each page read, for the ledger). Which process renders a page never changes its
bytes. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from sunshine.search.static_index import die_with_parent

T = TypeVar("T")

#: Processes that render a full build (``SUNSHINE_PUBLISH_PROCESSES``; default: one per core).
PROCESSES_ENV = "SUNSHINE_PUBLISH_PROCESSES"
#: Below this many pages to render, forking costs more than it saves.
MIN_PAGES = 200


class ShareFailed(RuntimeError):
    """A share failed in its child process. The message is one line, Chinese first."""


def processes() -> int:
    """How many processes render (at least 1; ``SUNSHINE_PUBLISH_PROCESSES`` or the cores, at most 8)."""
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ShareFailed(
                f"{PROCESSES_ENV} 必须是正整数，而不是 {configured!r}"
                f" / {PROCESSES_ENV} must be a positive integer, not {configured!r}"
            ) from None
    return max(1, min(os.cpu_count() or 1, 8))


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """``items`` dealt round-robin into ``parts`` shares (neighbouring pages cost alike)."""
    return [list(items[i::parts]) for i in range(parts)]


def run_shares(shares: list[list[T]], work: Callable[[list[T]], bytes],
               describe: Callable[[BaseException], str]) -> list[bytes]:
    """``work(share)`` for every share: ``shares[0]`` in this process, each other in a forked child.

    Returns the payloads in the order of ``shares``. A child's exception is described by
    ``describe`` (in the child, where its traceback is) and raised here as ShareFailed, after every
    child has finished; a child that dies without a payload (killed) fails the same way.
    """
    children: list[tuple[int, int]] = []
    if len(shares) > 1:
        # What exists now is shared with the children: out of the collector's sight, so that a
        # collection in a child does not write to (and so copy) every page of it. The build
        # (build.py) unfreezes everything at its end.
        gc.freeze()
    try:
        for share in shares[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: work, report, and leave without running the parent's exit code
                os.close(read_end)
                die_with_parent()  # a killed publisher's children must not write on into its build
                _child(write_end, share, work, describe)
            os.close(write_end)
            children.append((pid, read_end))
        own = work(shares[0])
    except BaseException:
        for pid, read_end in children:
            _stop(pid, read_end)
        raise
    payloads, failures = [own], []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        if data[:1] == b"+" and os.waitstatus_to_exitcode(status) == 0:
            payloads.append(data[1:])
        elif data[:1] == b"-":
            failures.append(data[1:].decode("utf-8", "replace"))
        else:
            failures.append(f"渲染进程异常退出（{os.waitstatus_to_exitcode(status)}） / a render process died "
                            f"({os.waitstatus_to_exitcode(status)})")
    if failures:
        raise ShareFailed(failures[0])
    return payloads


def _child(write_end: int, share: list, work: Callable[[list], bytes],
           describe: Callable[[BaseException], str]) -> None:
    code = 0
    try:
        try:
            data = b"+" + work(share)
        except BaseException as exc:  # noqa: BLE001 — everything goes back to the parent
            data = b"-" + describe(exc).encode("utf-8")
            code = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)


def _stop(pid: int, read_end: int) -> None:
    """The parent failed: end a child and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.close(read_end)
    os.waitpid(pid, 0)
