"""Standby builds: the next build made out of an old complete build instead of ten thousand new links.

An incremental build into an empty directory hard-links every unchanged page from the live build: a
city's one-item publish made eleven thousand folders and links, kernel work that took seconds on a
busy machine and grew with the site, not with the edit. The build that pruning would delete next
already holds almost every one of those files. So a publish may **claim** it (deploy.py renames it
to a partial name first: from then on it is a leftover if the publish is killed, and nothing else
reads it), bring it **up to date** with the live build by the difference of the two site manifests
(``catch_up``), build only what changed into a fresh, empty sparse directory — every writer writes
new files there, as in any build — and **merge** those files into the claimed one with
``os.replace`` (``merge``), then remove what the new build no longer has (``remove_stale``).

Files of complete builds are shared by hard links, so nothing here writes into an existing file:
a file is only ever replaced by a rename or unlinked, which leaves the live build's inode as it was.
The result is the same files as a build into an empty directory (tested against a full build).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .opendata import FileEntry, _manifest_rows, manifest_paths

#: Folders that the static search index writes and keeps itself (search/static_delta.py).
SEARCH_FOLDERS = ("pagefind", "pagefind-delta")


class StandbyError(RuntimeError):
    """The claimed build cannot be brought up to date (no manifest, a file gone): build afresh."""


def replace_with_link(source: str, target: str) -> None:
    """Make ``target`` a hard link of ``source`` by renaming a fresh link over it (never writing into
    the file ``target`` was, which other builds share)."""
    folder = os.path.dirname(target)
    temporary = os.path.join(folder, f".standby-{os.path.basename(target)}.tmp")
    try:
        os.link(source, temporary)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(folder, exist_ok=True)
        os.link(source, temporary)
    except FileExistsError:  # a killed catch-up's leftover (its build is a partial then, removed whole)
        os.unlink(temporary)
        os.link(source, temporary)
    os.replace(temporary, target)


def remove_file(root: str, relative: str) -> None:
    """Unlink ``root/relative`` and the folders it leaves empty (an item's page folder), up to ``root``."""
    path = os.path.join(root, relative)
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    folder = os.path.dirname(path)
    while folder != root and len(folder) > len(root):
        try:
            os.rmdir(folder)
        except OSError:  # not empty
            return
        folder = os.path.dirname(folder)


def manifest_rows(build: Path) -> Mapping[str, FileEntry]:
    """The rows of ``build``'s manifest (path → entry, shared: never modified), every path checked to stay
    inside the build; empty when it has none or it cannot be read. The rows of a manifest this process
    wrote or read already are remembered by opendata.py (``MANIFEST_ROWS``). Raises StandbyError when a
    path leaves the build."""
    rows = _manifest_rows(build)
    if _CHECKED.get(id(rows)) is not rows:  # remembered rows are checked once (11,000 paths: 30 ms)
        _check_inside(rows)
        _CHECKED[id(rows)] = rows  # kept alive here, so an identity is never reused while it is a key
        while len(_CHECKED) > 4:
            del _CHECKED[next(iter(_CHECKED))]
    return rows


#: The last manifest rows found inside their build, by identity (``MANIFEST_ROWS`` hands out the same
#: read-only rows for the same manifest file).
_CHECKED: dict[int, Mapping[str, FileEntry]] = {}


def catch_up(standby: Path, live: Path) -> Mapping[str, FileEntry]:
    """Make the claimed ``standby`` hold the files of ``live``, by their manifests; returns the live
    build's manifest rows (path → entry).

    A file whose hash differs (or that the standby lacks) is linked from the live build; a file the
    live build lacks is removed. The standby's own manifest files are removed: the build writes new
    ones. Raises StandbyError when either manifest is missing or a live file cannot be linked.
    """
    before, now = manifest_rows(standby), manifest_rows(live)
    if not before or not now:
        raise StandbyError(f"备用版本或当前版本缺少网站文件清单 / no site manifest in {standby} or {live}")
    root, source = os.fspath(standby), os.fspath(live)
    try:
        for path, entry in now.items():
            old = before.get(path)
            if old is None or old.sha256 != entry.sha256 or old.bytes != entry.bytes:
                replace_with_link(os.path.join(source, path), os.path.join(root, path))
        for path in before.keys() - now.keys():
            remove_file(root, path)
        for path in manifest_paths():
            remove_file(root, path)
    except OSError as exc:
        raise StandbyError(f"备用版本无法更新：{exc} / cannot bring the standby build up to date: {exc}") from exc
    return now


def _inside(path: str) -> bool:
    """Whether a manifest's path names a file inside the build (relative, "/"-separated, no "..")."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and "\0" not in path \
        and all(part not in ("", ".", "..") for part in parts)


#: What ``_inside`` refuses, in one pattern over every path at once (one per line): an empty path or
#: part, a "." or ".." part, a leading "/", a backslash or NUL.
_OUTSIDE = re.compile(r"^$|^/|//|/$|(?:^|/)\.\.?(?:/|$)|[\\\0]", re.MULTILINE)


def _check_inside(rows: Mapping[str, FileEntry]) -> None:
    """Raise StandbyError unless every path stays inside the build (a manifest is data on disk: a path
    that leaves the build would have the catch-up, or the removal of stale files, write outside it)."""
    joined = "\n".join(rows)
    if joined.count("\n") != max(len(rows) - 1, 0) or _OUTSIDE.search(joined):  # (a path with a newline)
        for path in rows:
            if not _inside(path):
                raise StandbyError(
                    f"网站文件清单中有越出站点目录的路径：{path!r} / a manifest path leaves the site: {path!r}")


def merge(sparse: Path, standby: Path) -> list[str]:
    """Move every file of ``sparse`` into ``standby`` at the same path, replacing what is there (a
    rename: the replaced file, shared with other builds, is untouched). Returns the moved paths."""
    moved: list[str] = []
    root, target_root = os.fspath(sparse), os.fspath(standby)
    for folder, _dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        target = target_root if relative == "." else os.path.join(target_root, relative)
        if files:
            os.makedirs(target, exist_ok=True)
        for name in files:
            os.replace(os.path.join(folder, name), os.path.join(target, name))
            moved.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    return moved


def remove_stale(standby: Path, had: Iterable[str], keep: set[str], *, search_index: bool) -> list[str]:
    """Remove from ``standby`` the files of the live build (``had``) that the new build does not have
    (``keep``: its pages and the files it wrote). The search folders are the static index's to keep
    or replace — or removed whole when the new build has no index. Returns the removed paths."""
    root = os.fspath(standby)
    removed = []
    skipped = manifest_paths()
    for path in had:
        if path in keep or path in skipped:
            continue
        if path.split("/", 1)[0] in SEARCH_FOLDERS and search_index:
            continue
        remove_file(root, path)
        removed.append(path)
    return sorted(removed)
