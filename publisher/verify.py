"""Verify: prove that a published site is the one built from its published snapshot.

``python -m sunshine.publisher verify --site <dir>`` (``verify_site``) checks two
things and reports every difference:

1. **The site against its manifest** — every file listed in
   ``data/site-manifest.json`` exists with that SHA-256 and size, no other file
   exists (the two manifest files excepted), and ``data/SHA256SUMS`` says the
   same as the JSON.
2. **The manifest against a rebuild** — the snapshot published in the site's
   open data (``data/snapshot.json``, or another copy given with
   ``--snapshot``) is built again, with the same content and theme and, when
   the manifest says the site had one, with the search index, into a
   temporary directory; every file of the rebuild must have the hash the
   manifest lists, and the two lists must name the same files.

Builds are byte-identical for the same snapshot, content, theme and software
(checked: three builds of the demo snapshot with the Pagefind index gave the
same bytes in every file). Pagefind 1.5 is deterministic for this site because the theme sets
no ``data-pagefind-filter``: with filters, its filter file, ``.pf_meta`` file
and ``pagefind-entry.json`` differ on every run (measured here; Pagefind issue
#638 says filter and metadata indexes may still change between builds). When
files of the search bundle cannot be reproduced, the report says so and why;
when the software versions recorded in the manifest differ from the ones
installed here, the report names them, since that is the likely cause.

Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sunshine.contract.files import FILES_DIR
from sunshine.search.static_delta import DELTA_SUBDIR, reproducible_from_snapshot
from sunshine.search.static_index import OUTPUT_SUBDIR

from .build import build_site
from .opendata import (
    SITE_MANIFEST_NAME,
    SUMS_NAME,
    FileEntry,
    data_path,
    read_site_manifest,
    site_files,
    sums_text,
)

#: Paths of the Pagefind bundle start with this.
BUNDLE_PREFIX = OUTPUT_SUBDIR + "/"
#: Paths of the search bundles (the base and the delta of an incremental index).
SEARCH_PREFIXES = (BUNDLE_PREFIX, DELTA_SUBDIR + "/")

#: Problem kind → (Chinese, English) description of what is wrong with a path.
PROBLEMS: dict[str, tuple[str, str]] = {
    "changed": ("内容与清单不符", "differs from the manifest"),
    "missing": ("清单列出但网站中没有", "listed but missing"),
    "unlisted": ("网站中有但清单未列出", "not in the manifest"),
    "sums": (f"与 {SITE_MANIFEST_NAME} 不一致", f"disagrees with {SITE_MANIFEST_NAME}"),
    "snapshot": ("所用快照与清单记录的快照不同", "not the snapshot the manifest records"),
    "not_reproduced": ("从快照重新生成的文件与清单不同", "rebuild differs from the manifest"),
    "not_rebuilt": ("从快照重新生成时没有这个文件", "not produced by the rebuild"),
    "rebuilt_unlisted": ("重新生成多出这个文件，清单未列出", "produced by the rebuild, not listed"),
}
#: How many problems the one-line report names.
SHOWN = 5

SEARCH_REASON = (
    "：站内搜索索引由 Pagefind 生成，Pagefind 版本不同、或页面带有 data-pagefind-filter"
    "（Pagefind 1.5 的筛选和元数据文件每次生成都不同，见 Pagefind 问题 #638）时无法逐字节复现"
)
SEARCH_REASON_EN = (
    "; the search bundle is made by Pagefind, which does not reproduce byte for byte across"
    " versions or when pages carry data-pagefind-filter (Pagefind issue #638)"
)


class VerifyError(RuntimeError):
    """The site cannot be verified at all (no manifest, unreadable snapshot…). One line."""


@dataclass(frozen=True)
class Problem:
    """One path that does not check out, and how."""

    path: str
    kind: str  # a key of PROBLEMS

    @property
    def shown_path(self) -> str:
        """The path with any unprintable character escaped, so the report stays one line."""
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.path)

    def chinese(self) -> str:
        return f"{self.shown_path}（{PROBLEMS[self.kind][0]}）"

    def english(self) -> str:
        return f"{self.shown_path} ({PROBLEMS[self.kind][1]})"


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify_site`` found; ``ok`` when nothing differs."""

    site: Path
    snapshot: Path
    listed: int  # files the manifest lists
    rebuilt: int  # files the rebuild produced (manifest files excepted)
    snapshot_sha256: str
    problems: tuple[Problem, ...] = ()
    #: "name <version in the manifest> → <version here>" for each differing tool.
    tool_differences: tuple[str, ...] = ()
    search_index: bool = False
    #: Files of an incremental search index (a base indexed from an earlier build, plus the pages
    #: changed since), checked against the manifest but not rebuilt: no snapshot alone makes them.
    search_checked_only: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unreproduced_search_files(self) -> tuple[str, ...]:
        """Files of the Pagefind bundle that the rebuild did not reproduce."""
        return tuple(
            p.path
            for p in self.problems
            if p.path.startswith(BUNDLE_PREFIX)
            and p.kind in {"not_reproduced", "not_rebuilt", "rebuilt_unlisted"}
        )

    def line(self) -> str:
        """The one line the command prints: Chinese first, then English."""
        if self.ok and self.search_checked_only:
            rebuilt = self.listed - self.search_checked_only
            return (
                f"校验通过：清单列出的 {self.listed} 个文件与网站一致；其中 {rebuilt} 个与从快照重新生成的"
                f"结果逐字节相同（快照 SHA-256 {self.snapshot_sha256[:12]}…），另 {self.search_checked_only} 个"
                f"是增量站内搜索索引的文件（基础索引由较早的版本生成），只按清单核对"
                f" / verified: {self.listed} files match the manifest; {rebuilt} match a rebuild from the"
                f" snapshot, {self.search_checked_only} belong to an incremental search index (its base was"
                f" indexed from an earlier build) and are checked against the manifest only"
            )
        if self.ok:
            return (
                f"校验通过：清单列出的 {self.listed} 个文件与网站一致，"
                f"且与从快照重新生成的结果逐字节相同（快照 SHA-256 {self.snapshot_sha256[:12]}…）"
                f" / verified: {self.listed} files match the manifest and a rebuild"
                f" from the snapshot"
            )
        shown = self.problems[:SHOWN]
        more = len(self.problems) - len(shown)
        zh = "；".join(p.chinese() for p in shown) + (f"；另有 {more} 处" if more else "")
        en = "; ".join(p.english() for p in shown) + (f"; {more} more" if more else "")
        reason_zh = reason_en = ""
        if self.unreproduced_search_files:
            reason_zh, reason_en = SEARCH_REASON, SEARCH_REASON_EN
        if self.tool_differences:
            versions = "，".join(self.tool_differences)
            reason_zh += f"；本机软件版本与发布时不同：{versions}"
            reason_en += f"; software differs from the build's: {versions}"
        return (
            f"校验失败：{len(self.problems)} 处不一致：{zh}{reason_zh}"
            f" / verification failed: {len(self.problems)}"
            f" problem{'s' if len(self.problems) != 1 else ''}: {en}{reason_en}"
        )


def _listed(manifest: dict[str, Any]) -> dict[str, FileEntry]:
    return {
        str(f["path"]): FileEntry(str(f["path"]), str(f["sha256"]), int(f["bytes"]))
        for f in manifest["files"]
    }


def check_against_manifest(site: Path, manifest: dict[str, Any]) -> list[Problem]:
    """Problems of the files in ``site`` measured against the manifest it publishes."""
    listed = _listed(manifest)
    on_disk = {entry.path: entry for entry in site_files(site)}
    problems = [
        Problem(path, "missing" if path not in on_disk else "changed")
        for path, entry in listed.items()
        if on_disk.get(path) != entry
    ]
    problems += [Problem(path, "unlisted") for path in on_disk if path not in listed]
    sums = site / data_path(SUMS_NAME)
    expected = sums_text(sorted(listed.values(), key=lambda e: e.path)).encode("utf-8")
    if not sums.is_file() or sums.read_bytes() != expected:
        problems.append(Problem(data_path(SUMS_NAME), "sums" if sums.is_file() else "missing"))
    return problems


def compare_with_rebuild(
    manifest: dict[str, Any], rebuilt: list[FileEntry], skipped: tuple[str, ...] = ()
) -> list[Problem]:
    """Problems of the manifest measured against the files of a rebuild (paths starting with one of
    ``skipped`` left out on both sides)."""
    def compared(path: str) -> bool:
        return not (skipped and path.startswith(skipped))

    listed = {path: entry for path, entry in _listed(manifest).items() if compared(path)}
    made = {entry.path: entry for entry in rebuilt if compared(entry.path)}
    problems = [
        Problem(path, "not_rebuilt" if path not in made else "not_reproduced")
        for path, entry in listed.items()
        if made.get(path) != entry
    ]
    problems += [Problem(path, "rebuilt_unlisted") for path in made if path not in listed]
    return problems


def _tool_differences(published: dict[str, Any], rebuilt: dict[str, Any]) -> tuple[str, ...]:
    before = published.get("tools") or {}
    now = rebuilt.get("tools") or {}
    return tuple(
        f"{name} {before.get(name, '—')} → {now.get(name, '—')}"
        for name in sorted(set(before) | set(now))
        if before.get(name) != now.get(name)
    )


def verify_site(
    site: Path,
    *,
    snapshot: Path | None = None,
    content: Path | None = None,
    theme: Path | None = None,
    attachments: Path | None = None,
) -> VerifyResult:
    """Check ``site`` against its manifest and the manifest against a rebuild of the snapshot.

    ``snapshot`` defaults to the copy the site publishes (``data/snapshot.json``);
    ``content`` and ``theme`` default to the project's own, as for a build; ``attachments`` to
    the site's own published files (the rebuild checks each against the snapshot's SHA-256).
    Raises VerifyError when there is nothing to verify against, and the build's
    errors (SnapshotError, BuildError) when the snapshot cannot be built.
    """
    site = Path(site).resolve()
    if not site.is_dir():
        raise VerifyError(f"网站目录不存在：{site} / site directory not found: {site}")
    try:
        manifest = read_site_manifest(site)
    except ValueError as exc:
        raise VerifyError(str(exc)) from None
    snapshot = Path(snapshot) if snapshot is not None else site / data_path("snapshot.json")
    if not snapshot.is_file():
        raise VerifyError(f"找不到快照文件：{snapshot} / snapshot not found: {snapshot}")
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    search_index = bool(manifest.get("search_index"))

    problems = check_against_manifest(site, manifest)
    if digest != manifest.get("snapshot_sha256"):
        problems.append(Problem(str(snapshot), "snapshot"))
    # An incremental search index cannot be made again from the snapshot: the rest of the site is.
    incremental_search = search_index and not reproducible_from_snapshot(site)
    skipped = SEARCH_PREFIXES if incremental_search else ()
    with tempfile.TemporaryDirectory(prefix="sunshine-verify-") as work:
        out = Path(work) / "site"
        build_site(snapshot, out, content=content, theme=theme,
                   static_index=search_index and not incremental_search,
                   attachments=attachments if attachments is not None else site / FILES_DIR)
        rebuilt = site_files(out)
        rebuilt_manifest = read_site_manifest(out)
    problems += compare_with_rebuild(manifest, rebuilt, skipped)
    differences = _tool_differences(manifest, rebuilt_manifest) if problems else ()
    return VerifyResult(
        site=site,
        snapshot=snapshot,
        listed=len(manifest["files"]),
        rebuilt=len(rebuilt),
        snapshot_sha256=digest,
        problems=tuple(problems),
        tool_differences=differences,
        search_index=search_index,
        search_checked_only=sum(1 for f in manifest["files"] if str(f["path"]).startswith(skipped))
        if skipped else 0,
    )
