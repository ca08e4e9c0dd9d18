"""Accepting an upload: name, size, kind by content, then one stored file and one row per content.

Every refusal is an ``AttachmentRefused`` whose message tells the uploader what was wrong and
what to do. The bytes are stored before the row is committed: if the commit fails, the stored
file is an orphan that the next upload of the same bytes adopts (the store never changes a
file), never a row without its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sunshine.contract.files import FILE_KINDS, extension

from .. import audit, clock
from ..db import db
from ..models import Attachment
from .formats import ALLOWED_WORDS, ContentRefused, check_content
from .names import public_name
from .store import AttachmentStore, Received, TooLarge


class AttachmentRefused(ValueError):
    """The upload is refused; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class Uploaded:
    attachment: Attachment
    #: False when the same bytes had been uploaded before: the existing attachment is returned.
    created: bool


def attachment_store() -> AttachmentStore:
    """The store of the current app (``SUNSHINE_ATTACHMENTS_DIR``)."""
    return AttachmentStore(current_app.config["SUNSHINE_ATTACHMENTS_DIR"])


def size_words(size: int) -> str:
    """``2.5 MB``, ``830 KB``, ``12 字节``: sizes as staff read them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def _by_hash(sha256: str) -> Attachment | None:
    return db.session.scalars(select(Attachment).where(Attachment.sha256 == sha256)).first()


def _checked_kind(name: str) -> str:
    ext = extension(name)
    if ext in FILE_KINDS:
        return ext
    what = f"不支持 .{ext} 文件" if ext else f"文件“{name}”没有扩展名，无法判断类型"
    raise AttachmentRefused(
        f"{what}。可以上传：{ALLOWED_WORDS}。压缩包请解压后逐个上传；WPS 文件请另存为 .docx 或 .xlsx 后上传。")


def _receive(store: AttachmentStore, stream: BinaryIO, name: str) -> Received:
    limit = current_app.config["SUNSHINE_ATTACHMENT_MAX_BYTES"]
    try:
        received = store.receive(stream, limit)
    except TooLarge:
        raise AttachmentRefused(too_large_message(name, limit)) from None
    if received.size == 0:
        store.discard(received)
        raise AttachmentRefused(f"文件“{name}”是空的（0 字节），请检查后选择正确的文件重新上传。")
    return received


def too_large_message(name: str, limit: int) -> str:
    """The refusal of a file over ``limit`` bytes (also used when the request itself is too large)."""
    which = f"文件“{name}”" if name else "文件"
    return (f"{which}超过了 {size_words(limit)} 的上限，不能上传。"
            "扫描件请降低分辨率或改为黑白后重新生成 PDF，内容多的请拆分成几个文件上传。")


def accept_upload(filename: str, stream: BinaryIO, *, department_id: int | None, user: Any) -> Uploaded:
    """Store an upload for ``department_id`` (None: the centre) and record it, or refuse it.

    The same bytes uploaded again (by anyone) return the existing attachment, unchanged.
    """
    name = public_name(filename)
    ext = _checked_kind(name)
    store = attachment_store()
    received = _receive(store, stream, name)
    try:
        kind = check_content(received.path, name, ext)
        existing = _by_hash(received.sha256)
        store.keep(received)  # also restores the file of an existing row if the store lost it
    except ContentRefused as refused:
        store.discard(received)
        raise AttachmentRefused(str(refused)) from None
    except BaseException:
        store.discard(received)
        raise
    if existing is not None:
        return Uploaded(existing, created=False)
    attachment = Attachment(sha256=received.sha256, size=received.size, media_type=kind.media_type,
                            filename=name, department_id=department_id,
                            uploaded_by_id=getattr(user, "id", None), uploaded_at=clock.now())
    db.session.add(attachment)
    audit.record("create", target=attachment, department_id=department_id,
                 summary=f"上传附件“{name}”（{kind.label}，{size_words(received.size)}）",
                 detail={"sha256": received.sha256, "size": received.size, "media_type": kind.media_type})
    try:
        db.session.commit()
    except IntegrityError:  # the same bytes committed by a concurrent upload a moment ago
        db.session.rollback()
        existing = _by_hash(received.sha256)
        if existing is None:
            raise
        return Uploaded(existing, created=False)
    return Uploaded(attachment, created=True)
