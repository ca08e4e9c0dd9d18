"""Attachments: copy the files the snapshot lists into the build, each checked against its SHA-256.

The snapshot's ``attachments`` name every file the published records link to by hash, name,
type and size; the bytes come from a **source**: the back office's attachment store
(``<store>/<sha256>``, ``--attachments`` / ``SUNSHINE_ATTACHMENTS_DIR``) or a published site
(``<site>/files/<sha256>/<name>``, which is how ``verify`` rebuilds a site from its own files).
Each file is written to ``files/<sha256>/<name>`` only after its bytes hashed to the listed
SHA-256 and size; a missing or different file refuses the build with a message saying which
one and what to do. An incremental build hard-links the file from the previous complete build
instead (a complete build is never changed; the manifest takes its hash from there). The
manifest, written last, lists these files like any other. Never imports Flask or the site.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sunshine.contract.files import name_fits, save_as

CHUNK = 256 * 1024
#: Published files are read by the web server (the store's are private to the service).
PUBLIC_FILE = 0o644


class AttachmentError(RuntimeError):
    """An attachment cannot be published. One line, Chinese first."""


def _describe(entry: dict[str, Any]) -> str:
    return f"附件“{entry['name']}”（SHA-256 {entry['sha256'][:12]}…）"


def source_file(source: Path, sha256: str, name: str) -> Path:
    """Where ``source`` keeps the file: a store's ``<sha256>`` file, or a site's ``files/<sha256>/<name>``."""
    stored = source / sha256
    return stored / name if stored.is_dir() else stored


def _check_entries(entries: Sequence[dict[str, Any]]) -> None:
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        key = (entry["sha256"], entry["name"])
        if key in seen:
            raise AttachmentError(f"快照数据不一致：attachments[{index}] 重复列出{_describe(entry)}"
                                  f" / attachments[{index}] is listed twice")
        seen.add(key)
        if not name_fits(entry["name"], entry["media_type"]):
            raise AttachmentError(
                f"快照数据不一致：attachments[{index}] {_describe(entry)}的扩展名与类型 {entry['media_type']} 不符"
                f" / attachments[{index}]: the name's extension does not match {entry['media_type']}")


def _copy_checked(entry: dict[str, Any], source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file, refusing bytes that are not the entry's."""
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".attachment-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
            raise AttachmentError(
                f"{_describe(entry)}在附件库中的内容与快照记录的 SHA-256 或大小不符（文件可能已损坏或被改动）："
                f"{source}。请在后台重新上传该文件后再发布 / attachment {entry['name']} does not match"
                f" its SHA-256 or size: {source}")
        os.chmod(tmp, PUBLIC_FILE)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish_attachments(
    entries: Sequence[dict[str, Any]], source: Path | None, out_dir: Path, previous: Path | None = None
) -> int:
    """Write every listed attachment into ``out_dir``; returns how many. AttachmentError if one is
    missing or differs (``out_dir`` is then the build's to clean up)."""
    if not entries:
        return 0
    _check_entries(entries)
    if source is None or not Path(source).is_dir():
        where = f"附件库目录不存在：{source}" if source is not None else "没有指定附件库目录"
        raise AttachmentError(
            f"快照列出 {len(entries)} 个附件，但{where}。请用 --attachments 或 SUNSHINE_ATTACHMENTS_DIR"
            f" 指定后台的附件库 / the snapshot lists {len(entries)} attachments but the attachment"
            f" store is {'missing: ' + str(source) if source is not None else 'not given'}")
    for entry in entries:
        relative = save_as(entry["sha256"], entry["name"])
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        earlier = previous / relative if previous is not None else None
        if earlier is not None and earlier.is_file():
            os.link(earlier, target)
            continue
        found = source_file(Path(source), entry["sha256"], entry["name"])
        if not found.is_file():
            raise AttachmentError(
                f"{_describe(entry)}在附件库 {source} 中找不到，网站未生成。请在后台附件页面重新上传该文件，"
                f"或从引用它的记录中删去这个链接后重新发布 / attachment {entry['name']} ({entry['sha256']})"
                f" is missing from {source}")
        _copy_checked(entry, found, target)
    return len(entries)
