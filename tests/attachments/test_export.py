"""The snapshot lists exactly the files published records link to."""

from __future__ import annotations

import io

from sqlalchemy import select

from sunshine.contract.files import file_url
from sunshine.site.attachments import accept_upload
from sunshine.site.db import db
from sunshine.site.export import build_snapshot
from sunshine.site.models import Department, Notice, ServiceItem
from sunshine.site.workflow import mark_edited, publish

from . import samples
from .conftest import PUBLISHED_AT, sha256

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachments(app) -> list[dict]:
    with app.app_context():
        return build_snapshot()["attachments"]


def test_files_linked_by_published_records_are_listed(app, published_files):
    expected = [
        {"sha256": sha256(published_files.form), "name": "建筑工程施工许可证申请表.docx", "media_type": DOCX,
         "size": len(published_files.form)},
        {"sha256": sha256(published_files.notice_file), "name": "一单收费告知书.pdf",
         "media_type": "application/pdf", "size": len(published_files.notice_file)},
    ]
    assert _attachments(app) == sorted(expected, key=lambda e: (e["sha256"], e["name"]))


def test_an_upload_nobody_links_to_is_not_listed(app, published_files):
    assert sha256(published_files.unlinked) not in {e["sha256"] for e in _attachments(app)}


def test_a_link_in_an_unpublished_working_copy_is_not_listed(app, published_files):
    other = samples.png()
    with app.app_context():
        dept = db.session.scalars(select(Department)).one()
        accept_upload("窗口位置示意图.png", io.BytesIO(other), department_id=dept.id, user=None)
        notice = db.session.scalars(select(Notice)).one()
        notice.body += f"\n\n![窗口位置]({file_url(sha256(other), '窗口位置示意图.png')})"
        mark_edited(notice)
        db.session.commit()
    assert sha256(other) not in {e["sha256"] for e in _attachments(app)}


def test_a_link_whose_name_is_not_the_files_kind_is_not_listed(app, published_files):
    """A PDF linked as .html would be served as a web page: it is not published under that name."""
    with app.app_context():
        notice = db.session.scalars(select(Notice)).one()
        notice.body = f"[告知书]({file_url(sha256(published_files.notice_file), '告知书.html')})"
        publish(notice, at=PUBLISHED_AT)
        db.session.commit()
    assert [e["name"] for e in _attachments(app)] == ["建筑工程施工许可证申请表.docx"]


def test_a_link_to_a_file_never_uploaded_is_left_out(app, published_files):
    with app.app_context():
        item = db.session.scalars(select(ServiceItem)).one()
        item.materials[0].template_url = file_url("0" * 64, "申请表.docx")
        publish(item, at=PUBLISHED_AT)
        db.session.commit()
    assert [e["name"] for e in _attachments(app)] == ["一单收费告知书.pdf"]


def test_the_same_file_linked_under_two_names_is_listed_under_both(app, published_files):
    with app.app_context():
        notice = db.session.scalars(select(Notice)).one()
        notice.body += f"\n\n另附[空白申请表]({file_url(sha256(published_files.form), '空白申请表.docx')})。"
        publish(notice, at=PUBLISHED_AT)
        db.session.commit()
    names = sorted(e["name"] for e in _attachments(app) if e["sha256"] == sha256(published_files.form))
    assert names == ["建筑工程施工许可证申请表.docx", "空白申请表.docx"]
