"""Attachments are published with the site: the linked files, checked by hash, in the manifest."""

from __future__ import annotations

import json

import pytest

from sunshine.contract.files import save_as
from sunshine.publisher.build import BuildError
from sunshine.publisher.verify import verify_site
from sunshine.site.publishing import PublishError, publish_site

from .conftest import sha256

FORM_NAME = "建筑工程施工许可证申请表.docx"


def _form_path(published_files) -> str:
    return save_as(sha256(published_files.form), FORM_NAME)


def test_linked_files_are_in_the_site_with_their_bytes(app, published_files):
    live = publish_site(app).live_dir
    assert (live / _form_path(published_files)).read_bytes() == published_files.form
    assert (live / save_as(sha256(published_files.notice_file), "一单收费告知书.pdf")).read_bytes() == (
        published_files.notice_file)


def test_published_files_are_readable_by_the_web_server(app, published_files):
    live = publish_site(app).live_dir
    assert (live / _form_path(published_files)).stat().st_mode & 0o777 == 0o644


def test_the_manifest_lists_each_published_file(app, published_files):
    live = publish_site(app).live_dir
    manifest = json.loads((live / "data" / "site-manifest.json").read_text("utf-8"))
    listed = {f["path"]: (f["sha256"], f["bytes"]) for f in manifest["files"]}
    assert listed[_form_path(published_files)] == (sha256(published_files.form), len(published_files.form))
    sums = (live / "data" / "SHA256SUMS").read_text("utf-8").splitlines()
    assert f"{sha256(published_files.form)}  {_form_path(published_files)}" in sums


def test_an_upload_nobody_links_to_is_not_published(app, published_files):
    live = publish_site(app).live_dir
    published = sorted(p.relative_to(live).as_posix() for p in (live / "files").rglob("*") if p.is_file())
    assert published == sorted([_form_path(published_files),
                                save_as(sha256(published_files.notice_file), "一单收费告知书.pdf")])


def test_the_item_page_links_the_published_form(app, published_files):
    live = publish_site(app).live_dir
    page = (live / "items" / "ZJJ-XK-001" / "index.html").read_text("utf-8")
    assert f'href="/{_form_path(published_files)}"' in page


def test_a_file_missing_from_the_store_refuses_the_build(app, published_files, store_dir, tmp_path):
    (store_dir / sha256(published_files.form)).unlink()
    with pytest.raises(PublishError) as refused:
        publish_site(app)
    assert str(refused.value).startswith(
        f"错误 / error: 附件“{FORM_NAME}”（SHA-256 {sha256(published_files.form)[:12]}…）在附件库 {store_dir}"
        " 中找不到，网站未生成。请在后台附件页面重新上传该文件，或从引用它的记录中删去这个链接后重新发布")
    assert not (tmp_path / "public" / "current").exists()


def test_a_changed_store_file_refuses_the_build(app, published_files, store_dir):
    stored = store_dir / sha256(published_files.form)
    stored.write_bytes(b"pk" + published_files.form[2:])
    with pytest.raises(PublishError, match=f"附件“{FORM_NAME}”（SHA-256 [0-9a-f]{{12}}…）在附件库中的内容与快照记录的"
                                           " SHA-256 或大小不符"):
        publish_site(app)


def test_the_next_build_keeps_the_files_of_the_live_one(app, published_files):
    first = publish_site(app).live_dir
    second = publish_site(app).live_dir
    assert second != first
    assert (second / _form_path(published_files)).stat().st_ino == (first / _form_path(published_files)).stat().st_ino


def test_the_published_site_verifies(app, published_files):
    live = publish_site(app).live_dir
    result = verify_site(live)
    assert result.ok, result.line()


def test_a_tampered_published_file_fails_verification(app, published_files):
    live = publish_site(app).live_dir
    target = live / _form_path(published_files)
    target.unlink()  # a hard link shared with nothing else now: replace it, do not write through it
    target.write_bytes(published_files.form + b"\x00")
    with pytest.raises(BuildError, match="内容与快照记录的 SHA-256 或大小不符"):
        verify_site(live)
