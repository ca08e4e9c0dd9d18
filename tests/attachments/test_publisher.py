"""The publisher on its own: ``--attachments`` for build and publish, refusals without a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunshine.contract.files import file_url, save_as
from sunshine.publisher.build import BuildError, build_site
from sunshine.publisher.cli import main

from . import samples
from .conftest import sha256

NAME = "夏季作息时间表.pdf"


@pytest.fixture
def timetable() -> bytes:
    return samples.pdf()


@pytest.fixture
def store(tmp_path, timetable) -> Path:
    store = tmp_path / "attachments"
    store.mkdir()
    (store / sha256(timetable)).write_bytes(timetable)
    return store


@pytest.fixture
def snapshot(small_snapshot, write_json, timetable) -> Path:
    """The small snapshot, its first notice linking a timetable PDF listed in ``attachments``."""
    notice = small_snapshot["notices"][0]
    notice["body"] += f"\n\n[下载作息时间表]({file_url(sha256(timetable), NAME)})"
    small_snapshot["attachments"] = [{"sha256": sha256(timetable), "name": NAME,
                                      "media_type": "application/pdf", "size": len(timetable)}]
    return write_json(small_snapshot)


def test_build_command_copies_the_listed_files(snapshot, store, tmp_path, timetable, capsys):
    out = tmp_path / "site"
    status = main(["build", "--snapshot", str(snapshot), "--out", str(out), "--no-search-index",
                   "--attachments", str(store)])
    assert status == 0, capsys.readouterr().err
    assert (out / save_as(sha256(timetable), NAME)).read_bytes() == timetable
    assert f'href="/files/{sha256(timetable)}/{NAME}"' in (out / "notices" / "N2024-001" / "index.html").read_text("utf-8")


def test_without_a_store_a_snapshot_with_attachments_is_refused(snapshot, tmp_path, capsys):
    out = tmp_path / "site"
    status = main(["build", "--snapshot", str(snapshot), "--out", str(out), "--no-search-index"])
    assert status == 1
    assert capsys.readouterr().err == (
        "错误 / error: 快照列出 1 个附件，但没有指定附件库目录。请用 --attachments 或 SUNSHINE_ATTACHMENTS_DIR"
        " 指定后台的附件库 / the snapshot lists 1 attachments but the attachment store is not given\n")
    assert not out.exists()


def test_a_missing_file_leaves_no_half_built_site(snapshot, tmp_path, store, timetable):
    (store / sha256(timetable)).unlink()
    out = tmp_path / "site"
    with pytest.raises(BuildError, match=f"附件“{NAME}”（SHA-256 {sha256(timetable)[:12]}…）在附件库 {store} 中找不到"):
        build_site(snapshot, out, static_index=False, attachments=store)
    assert not out.exists()


def test_a_name_that_is_not_the_files_kind_is_refused(small_snapshot, write_json, store, tmp_path, timetable):
    small_snapshot["attachments"] = [{"sha256": sha256(timetable), "name": "作息时间表.docx",
                                      "media_type": "application/pdf", "size": len(timetable)}]
    with pytest.raises(BuildError, match=r"attachments\[0\] 附件“作息时间表.docx”.*的扩展名与类型 application/pdf 不符"):
        build_site(write_json(small_snapshot), tmp_path / "site", static_index=False, attachments=store)


def test_a_build_without_attachments_needs_no_store(small_snapshot, write_json, tmp_path):
    out = tmp_path / "site"
    build_site(write_json(small_snapshot), out, static_index=False)
    assert not (out / "files").exists()
