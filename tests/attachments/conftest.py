"""Fixtures of the attachment tests: uploading through the back office, the store, and a published
department whose item and notice link to uploaded files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from sunshine.contract.files import file_url
from sunshine.site.attachments import accept_upload
from sunshine.site.db import db
from sunshine.site.models import Attachment, Notice
from sunshine.site.workflow import publish
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.site.conftest import make_department, make_item

from . import samples

PUBLISHED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def upload(client) -> Callable[..., Any]:
    """POST one file to the attachment page of ``department`` as the logged-in client."""

    def _upload(name: str, data: bytes, department: str = "zjj"):
        return client.post(f"/admin/attachments?department={department}",
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    return _upload


@pytest.fixture
def store_dir(app) -> Path:
    return Path(app.config["SUNSHINE_ATTACHMENTS_DIR"])


@pytest.fixture
def stored_rows(app) -> Callable[[], list[SimpleNamespace]]:
    """The attachment rows as (filename, sha256, size, media_type, department code)."""

    def _rows() -> list[SimpleNamespace]:
        with app.app_context():
            rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
            return [SimpleNamespace(id=a.id, filename=a.filename, sha256=a.sha256, size=a.size,
                                    media_type=a.media_type, department_id=a.department_id) for a in rows]

    return _rows


@pytest.fixture
def published_files(app) -> SimpleNamespace:
    """住建局 published, with its item's application form and its notice's attachment uploaded and linked,
    and one more upload that nothing links to."""
    form, notice_file, unlinked = samples.docx(), samples.pdf(), samples.xlsx()
    with app.app_context():
        dept = make_department()
        db.session.add(dept)
        publish(dept, at=PUBLISHED_AT)
        db.session.commit()
        for name, data in (("建筑工程施工许可证申请表.docx", form), ("一单收费告知书.pdf", notice_file),
                           ("内部统计表.xlsx", unlinked)):
            accept_upload(name, io.BytesIO(data), department_id=dept.id, user=None)
        item = make_item(dept)
        item.materials[0].template_url = file_url(sha256(form), "建筑工程施工许可证申请表.docx")
        db.session.add(item)
        publish(item, at=PUBLISHED_AT)
        notice = Notice(code="N2026-001", title="关于推行一单收费的公告", category="通知公告", department=dept,
                        date=dt.date(2026, 11, 1),
                        body=f"自即日起推行**一单收费**，详见[告知书]({file_url(sha256(notice_file), '一单收费告知书.pdf')})。")
        db.session.add(notice)
        publish(notice, at=PUBLISHED_AT)
        db.session.commit()
    return SimpleNamespace(form=form, notice_file=notice_file, unlinked=unlinked)


@pytest.fixture
def small_snapshot() -> dict[str, Any]:
    """A fresh copy of the publisher's small snapshot (no attachments)."""
    return json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))


@pytest.fixture
def write_json(tmp_path) -> Callable[[dict[str, Any]], Path]:
    counter = iter(range(1000))

    def _write(data: dict[str, Any]) -> Path:
        path = tmp_path / f"snapshot-{next(counter)}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return _write
