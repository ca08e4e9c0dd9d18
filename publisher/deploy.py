"""Deploy: atomic, crash-safe publishing of the public site (ARCHITECTURE rule 5).

Layout of a web root::

    <web_root>/current                   symlink to builds/<id>: the live site
    <web_root>/builds/<id>               complete builds (the live one and fallbacks)
    <web_root>/ledgers/<id>.json         what each page of builds/<id> was made from (incremental.py)
    <web_root>/cache/markdown.json       Markdown converted by earlier builds (markdown_store.py)
    <web_root>/cache/search-blocks.json  search blocks analysed by earlier builds (search_store.py)
    <web_root>/builds/.partial-<id>      a build being written (or left by a killed publish)
    <web_root>/builds/.removing-<id>     a build being deleted (or left by a killed prune)
    <web_root>/.current-<id>.tmp         the fresh symlink of a swap, for an instant
    <web_root>/.publish.lock             flock: one publish at a time

A build is written under a partial name and renamed to ``builds/<id>`` only
once it is complete and flushed to disk, so a name without a dot is always a
complete build; then ``current`` is swapped in one ``os.replace`` of a fresh
symlink, so readers see the old site or the new one, never a mix.

The rule for crashes (SIGKILL, power loss) at any moment: the live site stays
complete, and the next publish succeeds. Every publish starts, under the flock
(the kernel releases it when its holder dies), by removing what a killed
publish left: partial builds, half-removed builds and stray temporary
symlinks. Pruning keeps the newest complete builds, never counts partial ones
and never removes the live one. Old builds are removed by renaming them to a
partial name first, so a killed removal never leaves a half-deleted directory
that looks complete. A complete build has its ledger, except the live one for
the moment between its swap and the write of a ledger kept in memory
(``publish(ledger_later=True)``, ``write_ledger``): killed then, the live build
has none, and the next publish renders every page once (correct, slower).
Files of a complete build are never modified in place
(only whole builds are removed), so a later build may hard-link them. The oldest
fallback may be recycled as the next build (standby.py): it is renamed to the
partial name first, and its files are then only replaced by renames or removed.
A web root with fewer complete builds than it keeps has no fallback to spare: a
resident publisher then makes spares after its answer (``make_spares``), a linked
copy written under a partial name and renamed to ``.spare-<id>`` once complete.

Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import atexit
import ctypes
import dataclasses
import errno
import fcntl
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .build import BuildResult, build_site, index_search
from .incremental import Ledger
from .opendata import manifest_paths
from .standby import StandbyError, catch_up

BUILDS = "builds"
LEDGERS = "ledgers"
#: Markdown converted by earlier builds of this web root (markdown_store.py), never published.
MARKDOWN_STORE = "cache/markdown.json"
#: Search blocks analysed by earlier builds of this web root (search_store.py), never published.
SEARCH_STORE = "cache/search-blocks.json"
CURRENT = "current"
KEEP_BUILDS = 3
LOCK_FILE = ".publish.lock"
PARTIAL_PREFIX = ".partial-"
REMOVING_PREFIX = ".removing-"
#: A spare: a complete copy of a build (every file hard-linked, its manifest too) kept only to be recycled as
#: the next build (``make_spares``); never served, never counted among the complete builds.
SPARE_PREFIX = ".spare-"
SWAP_PREFIX = f".{CURRENT}-"
SWAP_SUFFIX = ".tmp"

#: Test hook (see ``_pause_at``): the stage to pause at, and the marker file to write there.
PAUSE_ENV = "SUNSHINE_PUBLISH_PAUSE"
PAUSE_MARKER_ENV = "SUNSHINE_PUBLISH_PAUSE_MARKER"
PAUSE_STAGES = ("built", "renamed", "swapped", "removing", "claimed", "caught-up", "indexed", "ledger", "spared", "warmed")
PAUSE_SECONDS = 60.0


class DeployError(RuntimeError):
    """The web root cannot be published to. The message is one line, Chinese first."""


@dataclass(frozen=True)
class PublishResult:
    build_id: str
    live: Path  # the build directory now served through <web_root>/current
    previous: Path | None  # the build that was live before, if any
    pruned: tuple[Path, ...]  # old complete builds and leftovers removed after the swap
    build: BuildResult
    cleaned: tuple[Path, ...] = ()  # leftovers of killed publishes removed before the build
    live_seconds: float = 0.0  # from the call to the swap: how long until the new site was served
    recycled: Path | None = None  # the old build this one was made from (standby.py), if any
    #: The live build's search index lags its pages (``search_later``): ``publish_search`` catches up.
    search_pending: bool = False
    #: The live build's ledger is still in this process's memory (``ledger_later``): ``write_ledger`` writes it.
    ledger_pending: bool = False


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


def complete_builds(web_root: Path) -> list[Path]:
    """The complete builds of ``web_root``, oldest first.

    A build is complete exactly when its name has no leading dot: builds are
    written under ``.partial-<id>`` and only renamed once complete.
    """
    builds_dir = Path(web_root) / BUILDS
    if not builds_dir.is_dir():
        return []
    return sorted(
        (
            p
            for p in builds_dir.iterdir()
            if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()
        ),
        key=lambda p: p.name,
    )


@contextmanager
def _publish_lock(web_root: Path) -> Iterator[None]:
    """One publish (or prune) at a time per web root.

    A concurrent prune must not eat a fresh build, and the leftovers of a killed
    publish may only be removed while nobody writes a build. The kernel drops an
    flock when its holder dies, even by SIGKILL, so a killed publish never
    blocks the next one.
    """
    with open(web_root / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    """Best effort: make a rename durable (some filesystems refuse fsync on a directory)."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_tree(root: Path, *also: Path) -> None:
    """Flush a finished build (and ``also``: e.g. its ledger) to disk before it is renamed complete.

    After a power loss a complete name must never point at empty or truncated files. One
    ``syncfs`` of the build's filesystem flushes every new file and directory entry at once: a
    city's build has ten thousand page directories, and an fsync of each (plus each file) cost
    seconds, most of the time of a one-item publish. ``os.sync`` did the same for every filesystem
    of the machine — the database's too, whose dirty pages a publish then waited for. Where
    ``syncfs`` is missing, ``os.sync``; where that is missing too, every file and directory is
    flushed one by one. A flush that fails (the kernel reports a lost write) fails the publish.
    """
    if _syncfs is not None:
        devices: set[int] = set()
        for path in (root, *also):
            fd = os.open(path if path.is_dir() else path.parent, os.O_RDONLY)
            try:
                device = os.fstat(fd).st_dev
                if device not in devices:
                    devices.add(device)
                    _syncfs(fd)
            finally:
                os.close(fd)
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for directory, _dirs, files in os.walk(root, topdown=False):
        for name in sorted(files):
            path = os.path.join(directory, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(directory))


def _libc_syncfs() -> Callable[[int], None] | None:
    """Linux's ``syncfs(fd)`` (flush the one filesystem holding ``fd``) through ctypes, or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None
    function.argtypes = (ctypes.c_int,)
    function.restype = ctypes.c_int

    def syncfs(fd: int) -> None:
        if function(fd) != 0:
            number = ctypes.get_errno()
            raise OSError(number, f"syncfs: {os.strerror(number)}")

    return syncfs


_syncfs = _libc_syncfs()


def _pause_at(stage: str) -> None:
    """Test hook: pause a publish at a named stage so a test can SIGKILL it exactly there.

    The crash-safety tests must kill a real publisher process between two steps
    that take microseconds (e.g. after the rename, before the swap); polling the
    filesystem cannot hit that window. Only when ``SUNSHINE_PUBLISH_PAUSE`` names
    this stage does it write the marker file named by
    ``SUNSHINE_PUBLISH_PAUSE_MARKER`` (if set) and sleep ``PAUSE_SECONDS``, then
    go on; unset, it does nothing.
    """
    if os.environ.get(PAUSE_ENV) != stage:
        return
    marker = os.environ.get(PAUSE_MARKER_ENV)
    if marker:
        Path(marker).write_text(f"{stage} {os.getpid()}\n", encoding="utf-8")
    time.sleep(PAUSE_SECONDS)


#: Removed builds this process is deleting in a background thread (``prune_builds(background=True)``):
#: a publish meanwhile leaves them to it instead of deleting them itself, under the lock.
_DELETING: set[str] = set()
_DELETING_LOCK = threading.Lock()


def _remove_build(path: Path, background: bool = False) -> None:
    """Delete a build directory so that being killed half-way leaves only a partial name.

    It is first renamed to ``.removing-<name>`` (atomic), then deleted — in a thread of this
    process when ``background`` (a city's build is ten thousand folders: seconds a next publish
    would otherwise wait for). A removal that cannot finish (e.g. a process killed with its
    publisher still writes into it, or a publisher that exits first) is left for the next
    publish to retry; it never fails a publish whose new build is already live.
    """
    target = path
    if not path.name.startswith(REMOVING_PREFIX):
        name = path.name.removeprefix(PARTIAL_PREFIX)
        target = path.with_name(f"{REMOVING_PREFIX}{name}")
        try:
            os.rename(path, target)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise
            return
        _pause_at("removing")
    if background:
        with _DELETING_LOCK:
            _DELETING.add(str(target))
        threading.Thread(target=_delete, args=(target,), name="sunshine-prune", daemon=True).start()
        return
    _delete(target)


def _delete(target: Path) -> None:
    try:
        for _ in range(2):
            shutil.rmtree(target, ignore_errors=True)
            if not os.path.lexists(target):
                return
    finally:
        with _DELETING_LOCK:
            _DELETING.discard(str(target))


def _remove_leftovers(web_root: Path) -> tuple[Path, ...]:
    """Remove what killed publishes left: partial and half-removed builds, swap symlinks.

    Call only under the publish lock. Unknown names are left alone.
    """
    removed: list[Path] = []
    builds_dir = web_root / BUILDS
    if builds_dir.is_dir():
        for path in sorted(builds_dir.iterdir(), key=lambda p: p.name):
            if path.name.startswith((PARTIAL_PREFIX, REMOVING_PREFIX)):
                with _DELETING_LOCK:
                    if str(path) in _DELETING:
                        continue  # this process's prune thread is deleting it
                if path.is_dir() and not path.is_symlink():
                    _remove_build(path)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path)
    for path in sorted(web_root.iterdir(), key=lambda p: p.name):
        if path.name.startswith(SWAP_PREFIX) and path.name.endswith(SWAP_SUFFIX):
            if path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return tuple(removed)


def _prune_old(web_root: Path, keep: int, background: bool = False) -> tuple[Path, ...]:
    """Remove complete builds beyond the newest ``keep``, never the live one (under the lock),
    and the ledgers of builds that are gone."""
    live = live_dir(web_root)
    builds = complete_builds(web_root)
    removed = []
    for old in builds[:-keep] if keep > 0 else builds:
        if live is not None and old.resolve() == live:
            continue
        _remove_build(old, background)
        removed.append(old)
    ledgers = web_root / LEDGERS
    if ledgers.is_dir():  # the ledgers of builds that are gone, partial ones included
        for ledger in sorted(ledgers.glob("*.json")):
            if not (web_root / BUILDS / ledger.stem).is_dir():
                ledger.unlink(missing_ok=True)
    return tuple(removed)


def _claim_standby(web_root: Path, live: Path, partial: Path) -> Path | None:
    """A spare (``make_spares``), else the oldest complete build but the live one — when the web root holds
    ``KEEP_BUILDS`` complete builds, so that it is the one the next prune would remove and the fallbacks
    kept are as many as without it — renamed to ``partial`` and brought up to date with ``live``
    (standby.py).

    Renamed first: from then on a killed publish leaves it as a partial build, removed whole by the
    next. Returns the claimed build's former path; None when there is none to claim or it cannot
    be brought up to date (it is removed then).
    """
    if not ledger_of(web_root, live).is_file():
        return None
    spares = _spares(web_root)
    if spares:
        claimed = spares[0]
    else:
        builds = [b for b in complete_builds(web_root) if b.resolve() != live]
        if len(builds) + 1 < KEEP_BUILDS:
            return None
        claimed = builds[0]
    os.rename(claimed, partial)
    ledger_of(web_root, claimed).unlink(missing_ok=True)
    _pause_at("claimed")
    try:
        catch_up(partial, live)
    except StandbyError:
        _remove_build(partial)
        return None
    _pause_at("caught-up")
    return claimed


def _spares(web_root: Path) -> list[Path]:
    """The spares of ``web_root`` (``make_spares``), oldest first."""
    builds_dir = Path(web_root) / BUILDS
    if not builds_dir.is_dir():
        return []
    return sorted((p for p in builds_dir.iterdir() if p.name.startswith(SPARE_PREFIX) and p.is_dir()
                   and not p.is_symlink()), key=lambda p: p.name)


def make_spares(web_root: Path, *, durable: bool = True) -> list[Path]:
    """Make spares of the live build while the web root's complete builds and spares are fewer than
    ``KEEP_BUILDS``: a new web root, or one after its first publishes, has no old build to recycle.

    The next publishes are then made out of the spares (``_claim_standby``) instead of linking every
    unchanged page anew: after a full publish at a city's size that linking, with the walk of both builds
    the search index then needs, was two of the first edit's three seconds, and the search follow-up of
    that edit linked the whole build again. A spare costs the same links, but made by a resident
    publisher after its answer (service.py), not in a clerk's wait. Each under the publish lock, written
    under a partial name (a kill leaves a leftover the next publish removes) and renamed when complete.
    Returns the spares made.
    """
    made: list[Path] = []
    while (spare := _make_spare(Path(web_root), durable)) is not None:
        made.append(spare)
    return made


def _make_spare(web_root: Path, durable: bool) -> Path | None:
    """One spare, if one is wanted (``make_spares``)."""
    if not (web_root / BUILDS).is_dir():
        return None
    with _publish_lock(web_root):
        _write_unwritten(web_root)
        live = live_dir(web_root)
        if live is None or len(complete_builds(web_root)) + len(_spares(web_root)) >= KEEP_BUILDS \
                or not ledger_of(web_root, live).is_file():
            return None
        spare_id, partial, _build_dir = _new_build(web_root)
        spare = web_root / BUILDS / f"{SPARE_PREFIX}{spare_id}"
        with _abandoned_on_failure(web_root, partial, spare):
            _link_build(live, partial, manifests=True)
            if durable:
                _fsync_tree(partial)
            _pause_at("spared")
            os.rename(partial, spare)
            _fsync_dir(spare.parent)
    return spare


def ledger_of(web_root: Path, build_dir: Path) -> Path:
    """Where the ledger of a build lives: ``<web_root>/ledgers/<build name>.json``."""
    return Path(web_root) / LEDGERS / f"{build_dir.name}.json"


def swap_current(web_root: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one atomic rename of a relative symlink."""
    current = web_root / CURRENT
    if current.exists() and not current.is_symlink():
        raise DeployError(
            f"{current} 不是符号链接，拒绝覆盖 / {current} is not a symlink, refusing to replace it"
        )
    temporary = web_root / f"{SWAP_PREFIX}{build_dir.name}{SWAP_SUFFIX}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(build_dir, web_root), temporary)
    os.replace(temporary, current)


def prune_builds(web_root: Path, keep: int = KEEP_BUILDS, *, background: bool = False) -> tuple[Path, ...]:
    """Remove leftovers of killed publishes and all but the newest ``keep`` complete builds.

    Partial builds are never counted among the ``keep``, and the live build is
    never removed. Takes the publish lock, so it is safe beside a running
    publish. Returns the removed paths: leftovers first, then old builds. With ``background``, the
    old builds are renamed under the lock and deleted by a thread of this process afterwards.
    """
    web_root = Path(web_root)
    if not (web_root / BUILDS).is_dir():
        return ()
    with _publish_lock(web_root):
        _write_unwritten(web_root)
        return _remove_leftovers(web_root) + _prune_old(web_root, keep, background)


def _make_live(web_root: Path, partial: Path, build_dir: Path, durable: bool, ledger: bool = True) -> None:
    """Name the finished ``partial`` build complete and serve it: flushed, its ledger renamed first (a
    complete build has its ledger; ``ledger`` False: it is in memory, written after the swap by
    ``write_ledger``), the build renamed, ``current`` swapped."""
    if durable:
        _fsync_tree(partial, *((ledger_of(web_root, partial),) if ledger else ()))
    if ledger:
        os.rename(ledger_of(web_root, partial), ledger_of(web_root, build_dir))
    os.rename(partial, build_dir)
    _fsync_dir(build_dir.parent)
    _pause_at("renamed")
    swap_current(web_root, build_dir)


#: The ledger of a live build that this process has not written yet (``publish(ledger_later=True)``), by
#: web root: (the build, its ledger, whether to flush it). Written by ``write_ledger``, and first thing
#: under the lock by any publish, search publish or prune of the web root, before anything reads it.
_UNWRITTEN: dict[str, tuple[Path, Ledger, bool]] = {}


def write_ledger(web_root: Path) -> bool:
    """Write the ledger that ``publish(ledger_later=True)`` left in memory for ``web_root``'s live build.

    A resident publisher calls it right after its answer: writing a city's ledger (160,000
    dependencies) took 0.05–0.1 s of a one-item publish, for no reader until the next publish or the
    search index's follow-up, which find it written (and in memory: ``Ledger.load``). Returns whether
    there was one. A failure to write it is reported and leaves the build without a ledger: the next
    publish renders every page once.
    """
    web_root = Path(web_root)
    if os.path.abspath(web_root) not in _UNWRITTEN:
        return False
    _pause_at("ledger")
    with _publish_lock(web_root):
        return _write_unwritten(web_root)


def prepare_next_publish(web_root: Path) -> int:
    """Make the live ledger's dependency checks now (``Ledger.prepare``), while no clerk waits: after a full
    publish rendered in forked processes, a city's first one-item publish spent a third of a second grouping
    them. Reads the ledger as the next publish will (``Ledger.load``, in memory when this process wrote it).
    Returns how many pages' checks were made (none in steady state)."""
    web_root = Path(web_root)
    live = live_dir(web_root)
    ledger = Ledger.load(ledger_of(web_root, live)) if live is not None else None
    return ledger.prepare() if ledger is not None else 0


def _write_unwritten(web_root: Path) -> bool:
    """``write_ledger`` under the publish lock: a build gone meanwhile (pruned) gets none."""
    pending = _UNWRITTEN.pop(os.path.abspath(web_root), None)
    if pending is None:
        return False
    build_dir, ledger, durable = pending
    if not build_dir.is_dir():
        return True
    path = ledger_of(web_root, build_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ledger.dump(path, durable=durable)
        if durable:
            _fsync_dir(path.parent)
    except OSError as exc:
        print(f"警告 / warning: 发布记录写入失败，下次发布将全部重新生成 / writing the ledger failed: {exc}",
              file=sys.stderr)
    return True


@atexit.register
def _write_all_unwritten() -> None:
    """A process ending with a ledger still in memory writes it rather than losing it (which would cost
    the next publish a full render)."""
    for web_root in list(_UNWRITTEN):
        with suppress(Exception):
            write_ledger(Path(web_root))


def _after_swap(web_root: Path, prune: bool) -> tuple[Path, ...]:
    """The swap flushed, then what killed publishes left and (``prune``) the oldest builds removed."""
    _fsync_dir(web_root)
    _pause_at("swapped")
    return _remove_leftovers(web_root) + (_prune_old(web_root, KEEP_BUILDS) if prune else ())


def _new_build(web_root: Path) -> tuple[str, Path, Path]:
    """A new build's id, the partial name it is written under and the name it gets when complete."""
    build_id = new_build_id()
    return build_id, web_root / BUILDS / f"{PARTIAL_PREFIX}{build_id}", web_root / BUILDS / build_id


@contextmanager
def _abandoned_on_failure(web_root: Path, partial: Path, build_dir: Path) -> Iterator[None]:
    """On any failure, remove what the publish made (its build under either name, its ledger) and raise
    again: never the live build."""
    try:
        yield
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(build_dir, ignore_errors=True)
        for ledger in (ledger_of(web_root, partial), ledger_of(web_root, build_dir)):
            ledger.unlink(missing_ok=True)
        raise


def publish(
    snapshot: Path, web_root: Path, *, durable: bool = True, full: bool = False, prune: bool = True,
    search_later: bool = False, ledger_later: bool = False, **build_kwargs: Any,
) -> PublishResult:
    """Build ``snapshot`` into a new directory under ``web_root`` and make it live.

    Incremental unless ``full``: pages whose inputs did not change are hard-linked from the live
    build (same bytes as a full build). ``build_kwargs`` go to ``build_site`` (content, theme,
    static_index). On any
    failure the new build is removed, ``current`` is untouched and the error is
    raised again; if the process is killed instead, the next publish cleans up.
    ``durable`` flushes the build to disk before it is named complete (off only
    where a power loss does not matter, e.g. a throw-away web root). ``prune=False`` leaves old
    builds for a later ``prune_builds`` (the resident publisher answers first: deleting a city's
    build, ten thousand folders, took seconds after the new site was already live).
    ``search_later``: the pages go live with the live build's search index, the changed pages noted as
    pending (``build_site``), and ``publish_search`` makes the index current afterwards — a city's page
    is live in about a second instead of after the seconds its index takes. Ignored by a full publish.
    ``ledger_later``: the new build's ledger is kept in this process's memory and written by
    ``write_ledger`` (the resident publisher: after its answer) or else by this process's next publish,
    search publish or prune of ``web_root``, before they read it; killed before, the live build has no
    ledger (the next publish renders every page once).
    """
    started = time.perf_counter()
    web_root = Path(web_root)
    builds_dir = web_root / BUILDS
    builds_dir.mkdir(parents=True, exist_ok=True)
    with _publish_lock(web_root):
        _write_unwritten(web_root)
        cleaned = _remove_leftovers(web_root)
        previous = live_dir(web_root)
        build_id, partial, build_dir = _new_build(web_root)
        recycled = None
        with _abandoned_on_failure(web_root, partial, build_dir):
            if not full and previous is not None:
                recycled = _claim_standby(web_root, previous, partial)
            result = build_site(
                snapshot, partial, previous=None if full or previous is None else previous,
                previous_ledger=None if full or previous is None else ledger_of(web_root, previous),
                ledger=ledger_of(web_root, partial), markdown_store=web_root / MARKDOWN_STORE,
                search_store=web_root / SEARCH_STORE,
                standby=recycled is not None, search_later=search_later and not full,
                ledger_later=ledger_later, **build_kwargs)
            _pause_at("built")
            _make_live(web_root, partial, build_dir, durable, ledger=result.ledger is None)
            live_seconds = time.perf_counter() - started
        if result.ledger is not None:
            _UNWRITTEN[os.path.abspath(web_root)] = (build_dir, result.ledger, durable)
        pruned = _after_swap(web_root, prune)
    return PublishResult(
        build_id=build_id,
        live=build_dir,
        previous=previous,
        pruned=pruned,
        build=dataclasses.replace(result, out_dir=build_dir, ledger=None),
        cleaned=cleaned,
        live_seconds=live_seconds,
        recycled=recycled,
        search_pending=result.search_pending,
        ledger_pending=result.ledger is not None,
    )


def publish_search(web_root: Path, *, durable: bool = True, prune: bool = True) -> PublishResult | None:
    """Make the live build's pending search index current (after ``publish(search_later=True)``).

    A new build of the same files — the oldest fallback claimed and caught up with the live build, or
    else every file hard-linked from it — gets the index of the pages noted as pending (``build.index_search``)
    and its manifest, and is swapped in like any publish: atomic, and a kill at any moment leaves the live
    site as it was. Its ledger is the live build's (the same pages), none when the live build has none (a
    publish killed before it wrote it: the next publish renders every page once). Returns None when
    nothing is live or the live index is current (a later publish made it so already).
    """
    from sunshine.search.static_delta import search_pending

    started = time.perf_counter()
    web_root = Path(web_root)
    with _publish_lock(web_root):
        _write_unwritten(web_root)
        cleaned = _remove_leftovers(web_root)
        live = live_dir(web_root)
        if live is None or not search_pending(live):
            return None
        build_id, partial, build_dir = _new_build(web_root)
        with _abandoned_on_failure(web_root, partial, build_dir):
            recycled = _claim_standby(web_root, live, partial)
            if recycled is None:
                _link_build(live, partial)
            try:
                os.link(ledger_of(web_root, live), ledger_of(web_root, partial))
                has_ledger = True
            except FileNotFoundError:
                has_ledger = False
            result = index_search(partial, live)
            _pause_at("indexed")
            _make_live(web_root, partial, build_dir, durable, ledger=has_ledger)
            live_seconds = time.perf_counter() - started
        pruned = _after_swap(web_root, prune)
    return PublishResult(
        build_id=build_id, live=build_dir, previous=live, pruned=pruned, build=result, cleaned=cleaned,
        live_seconds=live_seconds, recycled=recycled,
    )


def _link_build(source: Path, target: Path, *, manifests: bool = False) -> None:
    """Hard-link every file of the complete build ``source`` into the new ``target`` (never a copy), but
    its manifest files, which the build writes anew (``manifests``: those too, for a spare, which is
    brought up to date by them)."""
    skipped = set() if manifests else {os.path.join(os.fspath(source), *path.split("/")) for path in manifest_paths()}
    root = os.fspath(source)
    for folder, _dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        destination = os.fspath(target) if relative == "." else os.path.join(os.fspath(target), relative)
        os.makedirs(destination, exist_ok=True)
        for name in files:
            path = os.path.join(folder, name)
            if path not in skipped:
                os.link(path, os.path.join(destination, name))
