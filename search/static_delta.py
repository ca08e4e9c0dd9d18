"""The static search index after an edit: the previous base bundle plus a small delta bundle.

Pagefind cannot edit a written bundle, and a full index of 10,000 pages takes ~35 s and GBs of
memory. So a publish that changed a few pages keeps the previous build's **base** bundle
(``pagefind/``, hard-linked file by file, never copied or modified) and indexes only the pages
changed since that base was built into a **delta** bundle (``pagefind-delta/``). The search page
merges the two in the browser (``pagefind.mergeIndex``) and hides the base's results for pages
the delta replaces or that no longer exist, so results are those of one fresh index.

Files this module writes next to Pagefind's:

- ``pagefind/sunshine-pages.json`` (written with each base): every indexed URL → its Pagefind
  page id (the fragment's name, a content hash), so a later build can name the base results to
  hide without the browser loading their fragments;
- ``pagefind-delta/sunshine-delta.json`` (written by every build, read by the search page):
  ``bundle`` (whether a delta bundle exists), ``pages`` (site paths changed or removed since the
  base, cumulative, for the next build), ``stale`` (base page ids to hide), ``delta`` (the
  delta bundle's page ids, so the page can tell which index a merged result came from) and
  ``chunks`` (the first word of every index chunk of both bundles, ``pagefind_meta.chunk_starts``:
  the page loads those starting with a word it looks up, which Pagefind alone would not).

Which pages changed is worked out from the files alone: a page that is the same inode as the
same path in the previous build is unchanged (the publisher hard-links unchanged pages); any
other is compared byte for byte. Everything is sorted, so the same inputs give the same bytes.
This module never imports Flask or the models and writes only inside ``site_dir``.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .pagefind_meta import PagefindMetaError, chunk_starts
from .static_index import (
    OUTPUT_SUBDIR,
    StaticIndexError,
    StaticIndexResult,
    build_static_index,
    indexed_pages,
    run_pagefind,
)

DELTA_SUBDIR = "pagefind-delta"
PAGES_MAP_NAME = "sunshine-pages.json"
DELTA_STATE_NAME = "sunshine-delta.json"
STATE_VERSION = 1
#: The state's list of pages changed since its bundles were indexed (a carried index; absent otherwise).
PENDING_KEY = "pending"
#: Pages marked for indexing carry this attribute (their hidden search block, search/static_terms.py).
BODY_MARKER = b"data-pagefind-body"
#: Pagefind writes this before the JSON of every (gzipped) fragment.
FRAGMENT_SIGNATURE = b"pagefind_dcd"

#: A delta of more pages than this (or than DEFAULT_MAX_DELTA_FRACTION of the base) builds a new
#: base instead: every merged page adds to what a first query downloads and to the delta's time.
#: Measured at 10,000 items (bench/bench_search_delta.py): see the module's report in the bench.
DEFAULT_MAX_DELTA_PAGES = 300
DEFAULT_MAX_DELTA_FRACTION = 0.05
#: …but up to this many pages a delta is always allowed, whatever the fraction (a small site).
DEFAULT_MIN_DELTA_PAGES = 20


@dataclass(frozen=True, slots=True)
class PageChanges:
    """HTML pages of a build compared with the previous build's (site-relative POSIX paths)."""

    changed: frozenset[str]  # new, or different bytes
    removed: frozenset[str]  # in the previous build only


def page_url(path: str) -> str:
    """The URL Pagefind gives a page file: ``items/A/index.html`` → ``/items/A/``."""
    url = "/" + path
    if url.endswith("/index.html"):
        return url[: -len("index.html")]
    return url


def _html_files(root: Path) -> dict[str, os.stat_result]:
    """Every *.html under root (Pagefind's bundles excepted), relative path → stat."""
    found: dict[str, os.stat_result] = {}
    skip = {OUTPUT_SUBDIR, DELTA_SUBDIR}
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d not in skip and not d.startswith(".")]
        rel = os.path.relpath(folder, root)
        for name in files:
            if name.endswith(".html"):
                path = name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")
                found[path] = os.stat(os.path.join(folder, name))
    return found


def _same_bytes(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            block_a, block_b = fa.read(1 << 16), fb.read(1 << 16)
            if block_a != block_b:
                return False
            if not block_a:
                return True


def page_changes(site_dir: Path, previous_site: Path) -> PageChanges:
    """Which HTML pages of site_dir differ from previous_site's, and which are gone.

    Same inode (hard-linked by the incremental publisher) means unchanged without reading;
    other files are compared byte for byte, which only the few re-rendered pages cost.
    """
    now, before = _html_files(site_dir), _html_files(previous_site)
    changed = set()
    for path, st in now.items():
        old = before.get(path)
        if old is None:
            changed.add(path)
        elif (st.st_ino, st.st_dev) == (old.st_ino, old.st_dev):
            continue
        elif st.st_size != old.st_size or not _same_bytes(site_dir / path, previous_site / path):
            changed.add(path)
    return PageChanges(frozenset(changed), frozenset(set(before) - set(now)))


def differs(site_dir: Path, previous_site: Path, path: str) -> bool:
    """Whether the page at ``path`` is new in site_dir or has other bytes than previous_site's (for a
    caller that knows which pages it wrote: ``page_changes`` without the two walks)."""
    try:
        now, old = os.stat(site_dir / path), os.stat(previous_site / path)
    except FileNotFoundError:
        return True
    if (now.st_ino, now.st_dev) == (old.st_ino, old.st_dev):
        return False
    return now.st_size != old.st_size or not _same_bytes(site_dir / path, previous_site / path)


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def read_page_ids(bundle: Path) -> dict[str, str]:
    """URL → Pagefind page id, read from a written bundle's fragments (done once per base)."""
    ids: dict[str, str] = {}
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise StaticIndexError(f"Pagefind 片段文件格式不符：{fragment.name}")
        url = json.loads(raw[len(FRAGMENT_SIGNATURE):])["url"]
        ids[url] = fragment.name[: -len(".pf_fragment")]
    return ids


def _chunk_starts(*bundles: Path) -> list[str]:
    """The first words of the bundles' index chunks (pagefind_meta.chunk_starts), sorted, once each."""
    try:
        return sorted({word for bundle in bundles for word in chunk_starts(bundle)})
    except PagefindMetaError as exc:
        raise StaticIndexError(str(exc)) from exc


def _write_state(site_dir: Path, *, bundle: bool, pages: list[str], stale: list[str],
                 delta: list[str], chunks: list[str], pending: list[str] | None = None) -> None:
    folder = site_dir / DELTA_SUBDIR
    folder.mkdir(exist_ok=True)
    state = {"version": STATE_VERSION, "bundle": bundle, "pages": pages, "stale": stale, "delta": delta,
             "chunks": chunks}
    if pending:  # only a carried index has it (carry_static_index): every other state is as before
        state[PENDING_KEY] = pending
    target = folder / DELTA_STATE_NAME
    target.unlink(missing_ok=True)  # it may be a link to an earlier build's file: never written in place
    target.write_bytes(_dump(state))


def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("version") == STATE_VERSION else None


def full_static_index(site_dir: Path, *, timeout: float = 900.0, reason: str = "") -> StaticIndexResult:
    """A new base: Pagefind over every page, its URL → id map, and a state without a delta."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / DELTA_SUBDIR, ignore_errors=True)
    result = build_static_index(site_dir, timeout=timeout)
    started = time.perf_counter()
    ids = read_page_ids(result.output_dir)
    version = json.loads((result.output_dir / "pagefind-entry.json").read_bytes())["version"]
    (result.output_dir / PAGES_MAP_NAME).write_bytes(
        _dump({"version": STATE_VERSION, "pagefind": version, "pages": ids})
    )
    _write_state(site_dir, bundle=False, pages=[], stale=[], delta=[], chunks=_chunk_starts(result.output_dir))
    return StaticIndexResult(
        pages=result.pages,
        seconds=result.seconds + time.perf_counter() - started,
        languages=result.languages,
        output_dir=result.output_dir,
        mode="full",
        reason=reason,
    )


def _same_base(bundle: Path, base: Path) -> bool:
    """Whether ``bundle`` is ``base`` linked file by file: its URL map and entry file are the base's
    very files, and it has the same files. Both are written once per base, so another base has others."""
    try:
        if not all(os.path.samefile(bundle / name, base / name) for name in (PAGES_MAP_NAME, "pagefind-entry.json")):
            return False
    except OSError:
        return False
    return _relative_files(bundle) == _relative_files(base)


def _relative_files(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            stat = os.stat(os.path.join(folder, name))
            found[os.path.relpath(os.path.join(folder, name), root)] = (stat.st_dev, stat.st_ino)
    return found


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of source into target (same relative paths); never copies."""
    for folder, _dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            os.link(Path(folder) / name, target / rel / name)


#: What a merged index reads (pagefind.mergeIndex): the base's script and wasm do the work.
MERGE_FILES = ("pagefind-entry.json",)
MERGE_SUFFIXES = (".pf_meta",)
MERGE_FOLDERS = ("fragment", "index", "filter")


def _keep_merge_files(bundle: Path) -> None:
    """Drop the delta bundle's copies of the scripts, styles and wasm (~0.5 MB a build)."""
    for entry in bundle.iterdir():
        if entry.is_dir():
            if entry.name not in MERGE_FOLDERS:
                shutil.rmtree(entry)
        elif entry.name not in MERGE_FILES and not entry.name.endswith(MERGE_SUFFIXES) \
                and entry.name != DELTA_STATE_NAME:
            entry.unlink()


def _installed_pagefind_version() -> str | None:
    try:
        from importlib import metadata

        return metadata.version("pagefind_bin_extended")
    except Exception:  # noqa: BLE001 - unknown version: compare nothing
        return None


def update_static_index(
    site_dir: Path,
    previous_site: Path | None,
    *,
    max_delta_pages: int = DEFAULT_MAX_DELTA_PAGES,
    max_delta_fraction: float = DEFAULT_MAX_DELTA_FRACTION,
    min_delta_pages: int = DEFAULT_MIN_DELTA_PAGES,
    timeout: float = 900.0,
    changes: PageChanges | None = None,
    holds_previous: bool = False,
) -> StaticIndexResult:
    """Make site_dir searchable: the previous build's base plus a delta when few pages changed,
    else a full index (a new base).

    ``changes``: the pages that differ from ``previous_site``'s when the caller knows them (a
    standby build: the files it wrote and removed), else they are found by comparing both trees.
    A site_dir that holds the previous build's base already (a standby build caught up with it,
    publisher/standby.py) keeps it as it is instead of linking it anew: ``holds_previous`` says that
    every file of site_dir is the previous build's (by its manifest), else the base's files are compared
    by inode (a walk of ten thousand files at a city's size).

    ``previous_site`` is the complete build site_dir was made from (its unchanged pages are
    hard-linked there), or None. A full index is built when there is no previous build, when it
    has no usable base (none, no URL map, another Pagefind version), or when the pages changed
    since the base exceed ``max_delta_pages``, or both ``min_delta_pages`` and
    ``max_delta_fraction`` of the base's pages.
    Raises StaticIndexError as build_static_index does.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise StaticIndexError(f"站点目录不存在，无法建立站内搜索索引：{site_dir}")
    if previous_site is None:
        return full_static_index(site_dir, timeout=timeout)
    previous_site = Path(previous_site)
    base = previous_site / OUTPUT_SUBDIR
    base_map = _read_json(base / PAGES_MAP_NAME)
    if base_map is None or not (base / "pagefind-entry.json").is_file():
        return full_static_index(site_dir, timeout=timeout, reason="上一版本没有可复用的搜索索引")
    if base_map.get("pagefind") != _installed_pagefind_version():
        return full_static_index(site_dir, timeout=timeout, reason="Pagefind 版本不同")
    started = time.perf_counter()
    base_pages, languages = indexed_pages(base)
    previous_state = _read_json(previous_site / DELTA_SUBDIR / DELTA_STATE_NAME) or {}
    if changes is None:
        changes = page_changes(site_dir, previous_site)
    since_base = sorted(set(previous_state.get("pages", [])) | changes.changed | changes.removed)
    limit = min(max_delta_pages, max(min_delta_pages, max_delta_fraction * base_pages))
    if len(since_base) > limit:
        return full_static_index(
            site_dir, timeout=timeout,
            reason=f"自上次完整索引以来有 {len(since_base)} 个页面变化，超过 {limit:g} 个",
        )
    ids: dict[str, str] = base_map["pages"]
    stale = sorted({ids[page_url(p)] for p in since_base if page_url(p) in ids})
    indexable = [
        p for p in since_base
        if (site_dir / p).is_file() and BODY_MARKER in (site_dir / p).read_bytes()
    ]
    shutil.rmtree(site_dir / DELTA_SUBDIR, ignore_errors=True)
    if not (holds_previous and (site_dir / OUTPUT_SUBDIR).is_dir()) and not _same_base(site_dir / OUTPUT_SUBDIR, base):
        shutil.rmtree(site_dir / OUTPUT_SUBDIR, ignore_errors=True)
        _link_tree(base, site_dir / OUTPUT_SUBDIR)
    delta_ids: list[str] = []
    bundles = [site_dir / OUTPUT_SUBDIR]
    if indexable:
        # The delta pages at their own paths (so Pagefind gives them the same URLs), hard-linked
        # into a scratch folder inside the build: a killed publish removes it with the build.
        scratch = Path(tempfile.mkdtemp(prefix=".search-delta-", dir=site_dir))
        try:
            for path in indexable:
                (scratch / path).parent.mkdir(parents=True, exist_ok=True)
                os.link(site_dir / path, scratch / path)
            run_pagefind(scratch, site_dir / DELTA_SUBDIR, timeout=timeout)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _keep_merge_files(site_dir / DELTA_SUBDIR)
        delta_ids = sorted(read_page_ids(site_dir / DELTA_SUBDIR).values())
        bundles.append(site_dir / DELTA_SUBDIR)
    delta_pages = len(delta_ids)
    _write_state(site_dir, bundle=bool(delta_pages), pages=since_base, stale=stale, delta=delta_ids,
                 chunks=_chunk_starts(*bundles))
    return StaticIndexResult(
        pages=base_pages - len(stale) + delta_pages,
        seconds=time.perf_counter() - started,
        languages=languages,
        output_dir=site_dir / OUTPUT_SUBDIR,
        mode="delta",
        delta_pages=delta_pages,
        stale_pages=len(stale),
    )


def carry_static_index(
    site_dir: Path, previous_site: Path, *, changes: PageChanges | None = None, holds_previous: bool = False
) -> StaticIndexResult | None:
    """Keep ``previous_site``'s search bundles as they are, for a build that goes live before its own
    index is made (a publish's pages live in about a second; indexing them takes seconds more).

    The bundles are the previous build's files (linked, or the standby's already: the same inodes); only
    the state is written anew, with the pages changed by this build added to ``pages`` (so that the
    next ``update_static_index`` indexes them) and to ``pending`` (what ``search_pending`` reports and
    the follow-up publish clears). Until then a search finds a changed page by its previous text, and
    a removed page's result leads to its address. Returns None when the previous build has no index
    this one could keep (none, no URL map, another Pagefind version): the caller indexes now.
    ``holds_previous``: site_dir's search folders are the previous build's already (a standby build caught
    up with it: the same files by its manifest), kept without a walk; else they are linked anew.
    """
    site_dir, previous_site = Path(site_dir), Path(previous_site)
    base = previous_site / OUTPUT_SUBDIR
    base_map = _read_json(base / PAGES_MAP_NAME)
    state = _read_json(previous_site / DELTA_SUBDIR / DELTA_STATE_NAME)
    if base_map is None or state is None or not (base / "pagefind-entry.json").is_file() \
            or base_map.get("pagefind") != _installed_pagefind_version():
        return None
    started = time.perf_counter()
    if changes is None:
        changes = page_changes(site_dir, previous_site)
    moved = changes.changed | changes.removed
    for folder in (OUTPUT_SUBDIR, DELTA_SUBDIR):
        if not (holds_previous and (site_dir / folder).is_dir()):
            shutil.rmtree(site_dir / folder, ignore_errors=True)
            _link_tree(previous_site / folder, site_dir / folder)
    _write_state(
        site_dir, bundle=bool(state["bundle"]), pages=sorted(set(state["pages"]) | moved),
        stale=state["stale"], delta=state["delta"], chunks=state["chunks"],
        pending=sorted(set(state.get(PENDING_KEY, ())) | moved),
    )
    base_pages, languages = indexed_pages(base)
    return StaticIndexResult(
        pages=base_pages - len(state["stale"]) + len(state["delta"]),
        seconds=time.perf_counter() - started,
        languages=languages,
        output_dir=site_dir / OUTPUT_SUBDIR,
        mode="carried",
    )


def search_pending(site_dir: Path) -> bool:
    """Whether site_dir's search index lags behind its pages (carried by ``carry_static_index``)."""
    state = _read_json(Path(site_dir) / DELTA_SUBDIR / DELTA_STATE_NAME)
    return bool(state and state.get(PENDING_KEY))


def reproducible_from_snapshot(site_dir: Path) -> bool:
    """Whether site_dir's search bundles are what a fresh build of its snapshot would write.

    A full index is (Pagefind 1.5 is deterministic for this theme). A delta is not: its base
    was indexed from an older build's pages, and its state lists the pages changed since. For
    verify: when False, every file under ``pagefind/`` and ``pagefind-delta/`` can only be
    reported, not compared.
    """
    state = _read_json(Path(site_dir) / DELTA_SUBDIR / DELTA_STATE_NAME)
    return state is not None and not state.get("pages")
