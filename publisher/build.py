"""Build: one complete, validated build of the public site into a directory —
check the snapshot, run Pelican in-process with every logged error fatal,
build the static search index over the output, and last write the site
manifest (``data/site-manifest.json`` and ``data/SHA256SUMS``: the SHA-256 and
size of every other file), so that ``verify`` can prove the site was built
from the published snapshot.

It builds into the directory it is given and nothing else; it never swaps the
live site (that is deploy.py) and never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import logging
import platform
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import TemplateError
from pelican import Pelican
from pelican.log import console

from .attachments import AttachmentError, publish_attachments
from .generator import (
    LEDGER_LATER_SETTING,
    LEDGER_SETTING,
    PARSED_SNAPSHOT_SETTING,
    PREVIOUS_BUILD_SETTING,
    PREVIOUS_LEDGER_SETTING,
    SEARCH_STORE_SETTING,
    SPARSE_SETTING,
    STATS_SETTING,
    VALIDATED_SHA256_SETTING,
    unregister,
)
from .incremental import Ledger, settle_links
from .interning import INTERNER
from .markdown_store import MarkdownStore
from .markup import markdown_store as converting_through
from .opendata import FileEntry, Hashed, KnownChanges, read_site_manifest, write_site_manifest
from .parallel import ShareFailed
from .search_store import SearchBlockStore
from .settings import default_content_dir, default_theme_dir, pelican_settings
from .snapshot import SnapshotError, parse_snapshot, read_snapshot_bytes
from .standby import SEARCH_FOLDERS, StandbyError, manifest_rows, merge, remove_stale

#: The sparse half of a standby build sits beside it: ``<out_dir name>.sparse`` (a partial name too).
SPARSE_SUFFIX = ".sparse"

# Pelican's signals, locale and console are process-global: one build at a time.
_BUILD_LOCK = threading.Lock()


class BuildError(RuntimeError):
    """The build failed. The message is one line, Chinese first."""


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    pages: int  # HTML files written
    seconds: float
    search_pages: int  # pages in the static search index (0 when not built)
    warnings: tuple[str, ...] = ()
    files: int = 0  # files listed in the site manifest (every file but the manifest's two)
    rendered: int = 0  # generator pages rendered in this build
    reused: int = 0  # generator pages hard-linked unchanged from the previous build
    search_analysed: int = 0  # pages whose search block was analysed anew (not the previous build's)
    search_pending: bool = False  # the search index is the previous build's, pages noted (search_later)
    #: The ledger, not written yet (``ledger_later``): the caller writes it (``Ledger.dump``) where it wants.
    ledger: Ledger | None = field(default=None, repr=False, compare=False)


class _LogCollector(logging.Handler):
    """Keeps Pelican's warnings and errors of one build (``--fatal errors`` without globals)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = one_line(record.getMessage())
        # Pelican often logs inside an except block without exc_info: name the cause anyway.
        exc = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if exc is not None:
            message += f"：{type(exc).__name__}: {one_line(exc)}"
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def _pelican_logs() -> Iterator[_LogCollector]:
    """Collect every warning and error Pelican logs during one build.

    Logging configured elsewhere in the process must not hide them: e.g. Alembic's
    ``fileConfig`` disables all loggers that exist when it runs. For the build,
    Pelican's loggers are re-enabled and made to propagate to the collector;
    their previous state is restored afterwards.
    """
    collector = _LogCollector()
    root = logging.getLogger("pelican")
    saved_level = root.level
    family = [root] + [
        logger
        for name, logger in sorted(logging.root.manager.loggerDict.items())
        if name.startswith("pelican.") and isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.disabled, logger.propagate) for logger in family]
    for logger in family:
        logger.disabled = False
        if logger is not root:
            logger.propagate = True
    root.setLevel(logging.WARNING)
    root.addHandler(collector)
    quiet = console.quiet
    console.quiet = True  # Pelican prints a "Done: …" line to stdout otherwise
    try:
        yield collector
    finally:
        console.quiet = quiet
        root.removeHandler(collector)
        root.setLevel(saved_level)
        for logger, disabled, propagate in saved:
            logger.disabled, logger.propagate = disabled, propagate


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector off what lives through the whole build.

    A city's snapshot, catalog and ledger are millions of objects; every full collection walked
    them all while pages were rendered (a tenth of a one-item publish went there). ``gc.freeze``
    moves what exists now out of the collector's sight; what the build creates is collected as
    usual, and the frozen objects are handed back afterwards.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the snapshot is decoded: millions of new objects, no cycle among
    them, and each collection they triggered walked everything a running publisher keeps from its last
    publish (decoding a city's snapshot took 1.1 s there, 0.15 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def template_place(exc: BaseException) -> str:
    """'item.html 第 12 行' from a Jinja error or from the traceback through a template."""
    name, line = getattr(exc, "name", None), getattr(exc, "lineno", None)
    if not name:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".html"):
                name, line = Path(frame.filename).name, frame.lineno
                break
    if not name:
        return "模板"
    return f"模板 {Path(name).name} 第 {line} 行" if line else f"模板 {Path(name).name}"


def _run_pelican(
    snapshot: Path,
    out_dir: Path,
    content: Path,
    theme: Path,
    validated_sha256: str,
    incremental: dict[str, Any],
) -> tuple[str, ...]:
    try:
        settings = pelican_settings(snapshot, out_dir, content=content, theme=theme)
        settings[VALIDATED_SHA256_SETTING] = validated_sha256
        settings.update(incremental)
    except ValueError as exc:  # Pelican: missing content directory or theme
        raise BuildError(
            f"站点配置错误：{one_line(exc)} / bad settings: {one_line(exc)}"
        ) from None
    with _BUILD_LOCK, _pelican_logs() as logs, _long_lived_objects_frozen():
        try:
            Pelican(settings).run()
        except SnapshotError:
            raise
        except ShareFailed as exc:  # a render process failed: it named the template and line
            raise BuildError(f"页面生成失败：{exc} / build failed: {exc}") from exc
        except TemplateError as exc:
            place = template_place(exc)
            raise BuildError(
                f"页面生成失败：{place}：{one_line(exc.message or exc)}"
                f" / template error: {one_line(exc.message or exc)}"
            ) from exc
        except Exception as exc:
            # Under Pelican's own --fatal mode the logged error is the informative part.
            detail = logs.errors[0] if logs.errors else f"{type(exc).__name__}: {one_line(exc)}"
            raise BuildError(f"页面生成失败：{detail} / build failed: {detail}") from exc
        finally:
            settle_links()  # a failed build's page links stop before its directory is removed
            unregister()
    if logs.errors:
        more = f"（另有 {len(logs.errors) - 1} 条错误）" if len(logs.errors) > 1 else ""
        raise BuildError(
            f"页面生成出错：{logs.errors[0]}{more} / build logged an error: {logs.errors[0]}"
        )
    return tuple(logs.warnings)


def _static_index(
    out_dir: Path, previous: Path | None, changes: Any = None, *, later: bool = False, holds_previous: bool = False
) -> tuple[int, tuple[str, ...]]:
    """The site's search index: a new full one, or the previous build's base plus a small index of
    the pages changed since (search/static_delta.py decides, by what changed). ``later``: the previous
    build's index kept as it is, the changed pages noted for ``index_search`` — when it has one.
    ``holds_previous``: out_dir's search folders are the previous build's (a standby caught up with it).

    Returns the pages indexed and the search folders written into: a base that a directory holding the
    previous build's files kept is not (its ten thousand files need no new manifest rows)."""
    try:
        from sunshine.search.static_delta import (
            DELTA_SUBDIR,
            carry_static_index,
            update_static_index,
        )
        from sunshine.search.static_index import StaticIndexError
    except ImportError as exc:
        raise BuildError(
            f"静态搜索索引模块不可用：{exc} / static search index unavailable: {exc}"
        ) from exc
    try:
        result = None
        if later and previous is not None:
            result = carry_static_index(out_dir, previous, changes=changes, holds_previous=holds_previous)
        if result is None:
            result = update_static_index(out_dir, previous, changes=changes, holds_previous=holds_previous)
    except StaticIndexError as exc:
        raise BuildError(
            f"搜索索引生成失败：{one_line(exc)} / search index failed: {one_line(exc)}"
        ) from exc
    base_kept = holds_previous and result.mode in ("delta", "carried")
    return result.pages, (DELTA_SUBDIR,) if base_kept else SEARCH_FOLDERS


def _pending(out_dir: Path) -> bool:
    from sunshine.search.static_delta import search_pending

    return search_pending(out_dir)


#: Distributions whose version shapes the output bytes (recorded in the site manifest).
TOOL_DISTRIBUTIONS = ("sunshine", "pelican", "Jinja2", "Markdown", "nh3")
SEARCH_DISTRIBUTION = "pagefind_bin_extended"


def tool_versions(static_index: bool) -> dict[str, str]:
    """Versions of what turns a snapshot into bytes, recorded so that a verifier whose rebuild
    differs can see whether their software differs (informational; never compared alone)."""
    names = TOOL_DISTRIBUTIONS + ((SEARCH_DISTRIBUTION,) if static_index else ())
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "未安装 / not installed"
    return versions


@functools.cache
def _manifest_tools(static_index: bool) -> Mapping[str, str]:
    """``tool_versions`` as this process read them first: the code it runs is the code it loaded,
    whatever is installed since, and reading the installed distributions' metadata each publish
    cost a hundredth of a second. Read-only (shared by every manifest of the process)."""
    return MappingProxyType(tool_versions(static_index))


def _site_manifest(
    out_dir: Path,
    digest: str,
    static_index: bool,
    previous: Path | None,
    changes: KnownChanges | None = None,
    written: Mapping[int, Hashed] | None = None,
) -> list[FileEntry]:
    """Write the site manifest; ``changes``: what a standby build changed in a directory that held
    the files of ``previous`` (``_settle_standby``), so that only those files are hashed; ``written``:
    the pages this build wrote, hashed as written (``page_files.PageFiles``), so that they are not read."""
    try:
        entries = write_site_manifest(
            out_dir,
            snapshot_sha256=digest,
            search_index=static_index,
            tools=_manifest_tools(static_index),
            previous=previous,
            changes=changes,
            written=written,
        )
    except (OSError, ValueError) as exc:
        raise BuildError(
            f"网站文件清单生成失败：{one_line(exc)} / site manifest failed: {one_line(exc)}"
        ) from exc
    return entries


def _settle_standby(
    sparse: Path, out_dir: Path, previous: Path, stats: dict[str, Any], static_index: bool
) -> tuple[Any, KnownChanges | None]:
    """Move what a standby build wrote into it and remove what the previous build had and this one
    has not (its pages are known by the ledger, its other files by what was written). Returns the
    pages that differ from the previous build's (search/static_delta.py ``PageChanges``): only those
    written can, so the search index need not compare ten thousand others; and what changed in
    ``out_dir`` since it held the previous build's files (``catch_up``), for the site manifest: the
    previous build's rows, the files moved in and removed, and the search folders, which the static
    index writes afterwards. Nothing else writes into ``out_dir`` before the manifest."""
    from sunshine.search.static_delta import PageChanges, differs

    try:
        moved = merge(sparse, out_dir)
        keep = set(stats.get("pages", ())) | set(moved)
        rows = manifest_rows(previous)
        removed = remove_stale(out_dir, rows, keep, search_index=static_index)
        shutil.rmtree(sparse)
        changed = frozenset(path for path in moved if path.endswith(".html") and differs(out_dir, previous, path))
    except (OSError, StandbyError) as exc:
        raise BuildError(f"备用版本更新失败：{one_line(exc)} / standby build failed: {one_line(exc)}") from exc
    pages = PageChanges(changed, frozenset(path for path in removed if path.endswith(".html")))
    # No rows (the previous manifest unreadable now, though catch_up read it): unsure, so a walk.
    return pages, KnownChanges(rows, moved, removed, rescan=SEARCH_FOLDERS) if rows else None



def build_site(
    snapshot: Path,
    out_dir: Path,
    *,
    content: Path | None = None,
    theme: Path | None = None,
    static_index: bool = True,
    previous: Path | None = None,
    previous_ledger: Path | None = None,
    ledger: Path | None = None,
    attachments: Path | None = None,
    markdown_store: Path | None = None,
    search_store: Path | None = None,
    standby: bool = False,
    search_later: bool = False,
    ledger_later: bool = False,
) -> BuildResult:
    """Build the whole public site from ``snapshot`` into the empty directory ``out_dir``.

    With ``previous`` and ``previous_ledger`` (a complete earlier build and its ledger, see
    incremental.py) a page whose inputs did not change is hard-linked from it instead of
    rendered; the output is the same bytes either way. ``ledger`` is where to write this
    build's ledger, for the next build (outside ``out_dir``). ``attachments`` is where the files the
    snapshot lists are read from (attachments.py; needed only when it lists any). ``markdown_store`` is
    the file of Markdown converted by earlier builds (markdown_store.py; ``publish`` keeps one per web
    root), ``search_store`` the file of search blocks analysed by earlier builds (search_store.py; the
    same). Raises SnapshotError for an unusable snapshot and BuildError for any other
    failure (including any error Pelican logs); a failed build leaves ``out_dir`` empty (or
    absent, if it did not exist).

    ``standby``: ``out_dir`` is not empty but holds the files of ``previous`` already (an old build
    claimed and brought up to date, standby.py). Only what this build writes goes to a sparse
    directory beside it (reused pages are not linked), and is then moved into ``out_dir``; the files
    ``previous`` has and this build has not are removed. The result is the same files.

    ``search_later`` (with ``static_index`` and ``previous``): the previous build's search index is kept
    as it is and the pages this build changed are noted as pending (search/static_delta.py
    ``carry_static_index``), so that the pages can go live first; ``index_search`` then makes the index
    of a copy of this build. Without an index in ``previous`` to keep, the index is made now.

    ``ledger_later`` (with ``ledger``): the ledger is not written but returned (``BuildResult.ledger``),
    for deploy.py to write once the build is live, off the time until it is (deploy.py ``write_ledger``).
    """
    started = time.perf_counter()
    snapshot, out_dir = Path(snapshot), Path(out_dir)
    raw = read_snapshot_bytes(snapshot)
    with _collector_paused():
        # Fail fast, before Pelican touches anything. A publish interns: the process may publish
        # again, with most records unchanged (and those need no validation then).
        data = parse_snapshot(raw, snapshot, interner=INTERNER if ledger is not None else None)
    digest = hashlib.sha256(raw).hexdigest()
    # A city's snapshot is 30 MB: the generator reads the bytes it publishes itself (a publish's
    # splicer keeps them, to decode only what the next snapshot changes: splicing.py).
    del raw
    if standby and (previous is None or previous_ledger is None or ledger is None or not out_dir.is_dir()):
        raise BuildError("备用版本构建需要上一版本及其记录 / a standby build needs the previous build and ledger")
    if not standby and out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise BuildError(
            f"输出目录不是空目录：{out_dir}（请换一个新目录，或用 publish 发布）"
            f" / output directory is not empty: {out_dir}"
        )
    existed = out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = out_dir.with_name(out_dir.name + SPARSE_SUFFIX) if standby else out_dir
    content = Path(content) if content is not None else default_content_dir()
    theme = Path(theme) if theme is not None else default_theme_dir()
    try:
        stats: dict[str, Any] = {}
        blocks = SearchBlockStore(search_store) if search_store is not None else None
        incremental = {PREVIOUS_BUILD_SETTING: str(previous) if previous else None,
                       PREVIOUS_LEDGER_SETTING: str(previous_ledger) if previous_ledger else None,
                       LEDGER_SETTING: str(ledger) if ledger else None, STATS_SETTING: stats,
                       LEDGER_LATER_SETTING: ledger_later,
                       PARSED_SNAPSHOT_SETTING: data, SPARSE_SETTING: standby, SEARCH_STORE_SETTING: blocks}
        if standby:
            written.mkdir()  # fails if a leftover is there: deploy removes leftovers first
        try:  # first: a missing attachment refuses the build before any page is rendered
            publish_attachments(data["attachments"], attachments, written, previous)
        except AttachmentError as exc:
            raise BuildError(str(exc)) from None
        store = MarkdownStore(markdown_store) if markdown_store is not None else None
        with converting_through(store):
            warnings = _run_pelican(snapshot, written, content, theme, digest, incremental)
        if store is not None:
            store.save(rendered_everything=stats.get("reused", 0) == 0)
        if blocks is not None:
            blocks.save(rendered_everything=stats.get("reused", 0) == 0)
            del blocks  # its texts: tens of megabytes at a city's size
        incremental.clear()  # the decoded snapshot: hundreds of megabytes at a city's size
        del data
        changes, files = (
            _settle_standby(written, out_dir, previous, stats, static_index) if standby else (None, None)
        )
        with _long_lived_objects_frozen():  # a running publisher's ledgers: millions of objects
            search_pages, written_folders = (
                _static_index(out_dir, previous, changes, later=search_later, holds_previous=standby)
                if static_index else (0, SEARCH_FOLDERS)
            )
            if files is not None:  # the search folders the index wrote into are walked for the manifest
                files = dataclasses.replace(files, rescan=written_folders)
            # last: it lists every other file
            entries = _site_manifest(out_dir, digest, static_index, previous, files, stats.get("written"))
        pages = sum(1 for entry in entries if entry.path.endswith(".html"))
        search_pending = static_index and search_later and _pending(out_dir)
    except BaseException:
        # Leave no half-built site behind: the directory is as empty as it was given.
        if standby:
            shutil.rmtree(written, ignore_errors=True)
        shutil.rmtree(out_dir, ignore_errors=True)
        if existed:
            out_dir.mkdir(parents=True, exist_ok=True)
        raise
    return BuildResult(
        out_dir=out_dir,
        pages=pages,
        seconds=time.perf_counter() - started,
        search_pages=search_pages,
        warnings=warnings,
        files=len(entries),
        rendered=stats.get("rendered", 0),
        reused=stats.get("reused", 0),
        search_analysed=stats.get("search_analysed", 0),
        search_pending=search_pending,
        ledger=stats.get("ledger"),
    )


def index_search(out_dir: Path, previous: Path) -> BuildResult:
    """Make the search index that ``previous`` lacks, in ``out_dir``, which holds exactly ``previous``'s
    files but its two manifest files (a claimed build caught up with it, or a linked copy: deploy.py
    ``publish_search``).

    ``previous`` is a complete build whose index lags its pages (``build_site(search_later=True)``): the
    pages it noted as pending are indexed (a delta on its base, or a new base when too many changed) and
    the manifest is written; nothing else is written or rendered, so every other file stays the one
    ``previous`` has. Raises BuildError; the caller removes ``out_dir`` then.
    """
    from sunshine.search.static_delta import PageChanges

    started = time.perf_counter()
    out_dir, previous = Path(out_dir), Path(previous)
    try:
        rows = manifest_rows(previous)
        digest = read_site_manifest(previous)["snapshot_sha256"]
    except (StandbyError, ValueError) as exc:
        raise BuildError(f"当前版本的网站文件清单不可用：{one_line(exc)} / unusable live manifest: {one_line(exc)}") \
            from exc
    with _long_lived_objects_frozen():
        search_pages, written_folders = _static_index(
            out_dir, previous, PageChanges(frozenset(), frozenset()), holds_previous=True)
        # The previous build's rows, the search folders the index wrote walked again: nothing else was written.
        entries = _site_manifest(out_dir, digest, True, previous, KnownChanges(rows, (), (), rescan=written_folders))
    return BuildResult(
        out_dir=out_dir,
        pages=sum(1 for entry in entries if entry.path.endswith(".html")),
        seconds=time.perf_counter() - started,
        search_pages=search_pages,
        files=len(entries),
    )
