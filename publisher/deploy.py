"""Deploy: atomic publishing of the public site (ARCHITECTURE rule 5).

Each build goes to a new directory ``<web_root>/builds/<id>``; the live site is
the symlink ``<web_root>/current``, swapped in one ``os.replace`` of a fresh
symlink, so readers see the old site or the new one, never a mix. A failed
build is removed and ``current`` is left as it was. Old builds are pruned,
never the live one. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .build import BuildResult, build_site

BUILDS = "builds"
CURRENT = "current"
KEEP_BUILDS = 3
LOCK_FILE = ".publish.lock"


class DeployError(RuntimeError):
    """The web root cannot be published to. The message is one line, Chinese first."""


@dataclass(frozen=True)
class PublishResult:
    build_id: str
    live: Path  # the build directory now served through <web_root>/current
    previous: Path | None  # the build that was live before, if any
    pruned: tuple[Path, ...]
    build: BuildResult


def new_build_id() -> str:
    """Sortable unique id: UTC time to the microsecond plus a short random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def live_dir(web_root: Path) -> Path | None:
    """The build directory the ``current`` symlink points to, or None if nothing is live."""
    current = Path(web_root) / CURRENT
    if not current.is_symlink():
        return None
    target = current.resolve()
    return target if target.is_dir() else None


@contextmanager
def _publish_lock(web_root: Path) -> Iterator[None]:
    """One publish at a time per web root (a concurrent prune must not eat a fresh build)."""
    with open(web_root / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    """Best effort: make the rename durable; the swap already happened either way."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap_current(web_root: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one atomic rename of a relative symlink."""
    current = web_root / CURRENT
    if current.exists() and not current.is_symlink():
        raise DeployError(
            f"{current} 不是符号链接，拒绝覆盖 / {current} is not a symlink, refusing to replace it"
        )
    temporary = web_root / f".{CURRENT}-{build_dir.name}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(build_dir, web_root), temporary)
    os.replace(temporary, current)


def prune_builds(web_root: Path, keep: int = KEEP_BUILDS) -> tuple[Path, ...]:
    """Remove all but the newest ``keep`` builds; the live build is never removed."""
    builds_dir = web_root / BUILDS
    live = live_dir(web_root)
    builds = sorted((p for p in builds_dir.iterdir() if p.is_dir()), key=lambda p: p.name)
    removed = []
    for old in builds[:-keep] if keep > 0 else builds:
        if live is not None and old.resolve() == live:
            continue
        shutil.rmtree(old)
        removed.append(old)
    return tuple(removed)


def publish(snapshot: Path, web_root: Path, **build_kwargs: Any) -> PublishResult:
    """Build ``snapshot`` into a new directory under ``web_root`` and make it live.

    ``build_kwargs`` go to ``build_site`` (content, theme, static_index). On any
    failure the partial build is removed, ``current`` is untouched and the
    error is raised again.
    """
    web_root = Path(web_root)
    builds_dir = web_root / BUILDS
    builds_dir.mkdir(parents=True, exist_ok=True)
    with _publish_lock(web_root):
        previous = live_dir(web_root)
        build_id = new_build_id()
        build_dir = builds_dir / build_id
        try:
            result = build_site(snapshot, build_dir, **build_kwargs)
            swap_current(web_root, build_dir)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
        _fsync_dir(web_root)
        pruned = prune_builds(web_root)
    return PublishResult(
        build_id=build_id,
        live=build_dir,
        previous=previous,
        pruned=pruned,
        build=result,
    )
