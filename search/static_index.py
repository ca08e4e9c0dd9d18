"""The static-site index step: run Pagefind's extended build over a built site directory.

Writes ``<site_dir>/pagefind/`` (the browser search bundle) with the Pagefind binary shipped in
the ``pagefind[extended]`` wheel, fully offline. Pagefind does not segment: every run forces
``INDEX_LANGUAGE``, and each searchable page carries a hidden block of terms already cut by the
one analysis (search/static_terms.py). Once any page has a ``data-pagefind-body`` element, pages
without one are skipped (the theme decides what is indexed). This module never
imports Flask or the models, and never touches files outside ``site_dir``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

OUTPUT_SUBDIR = "pagefind"
#: The language every Pagefind run indexes the site as: one Pagefind neither segments nor stems.
#: The pages' search blocks (search/static_terms.py) are already cut by the one analysis, and
#: Pagefind's query side then only lowercases and splits on spaces, so index and query agree.
INDEX_LANGUAGE = "zz"
#: The Pagefind binary's allocator (jemalloc, read as _RJEM_MALLOC_CONF) returns freed pages to the
#: system at once instead of after 10 s: Pagefind frees each page's word map while it builds the
#: whole index, so reusing that memory keeps the peak lower (bench/bench_pagefind_memory.py). It
#: changes no byte of the bundle; a binary without jemalloc ignores the variable.
ALLOCATOR_ENV = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


class StaticIndexError(RuntimeError):
    """The static search index could not be built."""


@dataclass(frozen=True, slots=True)
class StaticIndexResult:
    """What one Pagefind run produced."""

    pages: int
    seconds: float
    languages: tuple[str, ...]
    output_dir: Path
    #: "full": one new base bundle over every page; "delta": the previous base hard-linked and a
    #: small bundle of the pages changed since it was built (search/static_delta.py); "carried": the
    #: previous build's bundles kept as they were, the pages changed since noted as pending.
    mode: str = "full"
    #: Pages in the delta bundle (changed or new since the base was built, cumulatively).
    delta_pages: int = 0
    #: Base results the browser hides: pages changed or removed since the base was built.
    stale_pages: int = 0
    #: Why a full index was built where a delta was asked for ("" when not asked, or delta).
    reason: str = ""


def pagefind_executable() -> Path:
    """The extended Pagefind binary installed by the ``pagefind[extended]`` package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise StaticIndexError(
            "未安装 Pagefind 扩展版，无法为中文页面建立索引：请安装 pagefind[extended]"
            "（the pagefind_bin_extended package is missing）"
        ) from exc
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise StaticIndexError(f"找不到 Pagefind 扩展版可执行文件（{exc}）") from exc


def _tail(text: str, lines: int = 5) -> str:
    return " / ".join(line.strip() for line in text.strip().splitlines()[-lines:] if line.strip())


def _read_entry(output_dir: Path) -> dict[str, dict[str, object]]:
    """Languages listed in pagefind-entry.json, with their page counts."""
    try:
        entry = json.loads((output_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return dict(entry["languages"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StaticIndexError(
            f"Pagefind 未生成有效的 pagefind-entry.json（{output_dir}）：{exc}"
        ) from exc


def die_with_parent() -> None:
    """Pagefind must not outlive a killed publisher and keep writing into its partial build.

    PR_SET_PDEATHSIG (Linux): the kernel sends the indexer SIGKILL when the publisher dies, so the
    next publish's clean-up of partial builds never races a still-running orphan.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """The Pagefind CLI call that indexes site_dir into output (run_pagefind's, and the bench's)."""
    return [
        str(pagefind_executable()),
        "--site",
        str(site_dir),
        "--output-path",
        str(output),
        "--force-language",
        INDEX_LANGUAGE,
    ]


def pagefind_env() -> dict[str, str]:
    """The environment of a Pagefind process: this process's, with ALLOCATOR_ENV."""
    return {**os.environ, **ALLOCATOR_ENV}


def run_pagefind(site_dir: Path, output: Path, *, timeout: float) -> float:
    """Run the Pagefind CLI over site_dir, writing the bundle to output; returns the seconds.

    One place for every Pagefind process: offline extended binary, its allocator setting,
    PR_SET_PDEATHSIG, a timeout, and a one-line Chinese error naming Pagefind's own last lines.
    """
    command = pagefind_command(site_dir, output)
    started = time.perf_counter()
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                             preexec_fn=die_with_parent, env=pagefind_env())
    except subprocess.TimeoutExpired as exc:
        raise StaticIndexError(f"Pagefind 建立索引超时（超过 {timeout:g} 秒）：{site_dir}") from exc
    except OSError as exc:
        raise StaticIndexError(f"无法运行 Pagefind：{exc}") from exc
    seconds = time.perf_counter() - started
    log.debug("pagefind output:\n%s%s", run.stdout, run.stderr)
    if run.returncode != 0:
        raise StaticIndexError(
            f"Pagefind 建立站内搜索索引失败（exit {run.returncode}）："
            f"{_tail(run.stderr) or _tail(run.stdout)}"
        )
    return seconds


def indexed_pages(output_dir: Path) -> tuple[int, tuple[str, ...]]:
    """(pages, languages) of a written bundle, from its pagefind-entry.json."""
    languages = _read_entry(output_dir)
    pages = sum(int(info.get("page_count", 0)) for info in languages.values())
    return pages, tuple(sorted(languages))


def build_static_index(site_dir: Path, *, timeout: float = 900.0) -> StaticIndexResult:
    """Index the HTML under site_dir with Pagefind (extended) into site_dir/pagefind.

    A bundle left by an earlier run is removed first. Raises StaticIndexError if Pagefind
    fails, times out, or indexes no page.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise StaticIndexError(f"站点目录不存在，无法建立站内搜索索引：{site_dir}")
    output_dir = site_dir / OUTPUT_SUBDIR
    if output_dir.exists():
        shutil.rmtree(output_dir)
    seconds = run_pagefind(site_dir, output_dir, timeout=timeout)
    pages, languages = indexed_pages(output_dir)
    if pages == 0:
        raise StaticIndexError(
            f"Pagefind 没有索引到任何页面：请检查 {site_dir} 中的页面是否带有 data-pagefind-body"
        )
    return StaticIndexResult(pages=pages, seconds=seconds, languages=languages, output_dir=output_dir)
