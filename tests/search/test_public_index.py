"""The public search index: built from the published snapshot only, updated incrementally."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sunshine.search.index import SearchIndex, SyncReport
from sunshine.search.public_index import read_site_facts, snapshot_docs, update_public_index
from sunshine.site.config import PROJECT_ROOT

SMALL = PROJECT_ROOT / "tests" / "publisher" / "fixtures" / "snapshot-small.json"


@pytest.fixture
def snapshot() -> dict:
    return json.loads(SMALL.read_text(encoding="utf-8"))


@pytest.fixture
def index(tmp_path: Path, snapshot: dict) -> SearchIndex:
    search_index = SearchIndex(tmp_path / "public")
    update_public_index(search_index, snapshot, full=True)
    return search_index


def test_snapshot_records_become_documents_with_their_public_pages(snapshot):
    docs = {doc.id: doc for doc in snapshot_docs(snapshot)}
    assert docs["item:511623-ZJ-0001"].public_url == "/items/511623-ZJ-0001/"
    assert docs["department:zjj"].public_url == "/departments/zjj/"
    assert docs["notice:N2024-001"].public_url == "/notices/N2024-001/"
    assert docs["channel:hotline"].public_url == "/channels/#channel-hotline"
    assert docs["question:ZX-3HQK-7MNA"].public_url == "/questions/ZX-3HQK-7MNA/"
    assert len(docs) == 3 + 5 + 3 + 2 + 4  # departments, items, notices, channels, questions


def test_withdrawn_items_are_not_documents(snapshot):
    ids = {doc.id for doc in snapshot_docs(snapshot)}
    assert "item:511623-SC-0007" not in ids  # 企业名称预先核准, in withdrawn_items


def test_item_summary_gives_time_limit_and_fees(snapshot):
    docs = {doc.id: doc for doc in snapshot_docs(snapshot)}
    item = docs["item:511623-ZJ-0001"]
    assert (item.time_limit, item.department_name) == ("3个工作日", "清川县住房和城乡建设局")
    assert item.fee == "收费：城市基础设施配套费、新型墙体材料专项基金、建设企业养老保障金等8项"
    assert docs["item:511623-SC-0001"].time_limit == "即办件"


def test_department_body_carries_its_phone_numbers(index):
    (hit, *_) = index.search("0838-6212008", kinds={"department"})
    assert hit.public_url == "/departments/zjj/"


def test_keyword_alias_finds_the_item(index):
    assert index.search("开工证")[0].public_url == "/items/511623-ZJ-0001/"


def test_site_facts_are_stored_with_the_index(index):
    assert read_site_facts(index.path) == {"hotline": "0838-6210000", "intake_url": "", "site_url": "",
                                           "name": "清川县政务服务中心"}


def test_unchanged_snapshot_writes_nothing(index, snapshot):
    generation = index.create_or_open().latest_generation()
    assert update_public_index(index, snapshot) == SyncReport(added=0, updated=0, deleted=0, unchanged=17)
    assert index.create_or_open().latest_generation() == generation


def test_changed_record_is_rewritten_and_gone_record_deleted(index, snapshot):
    changed = copy.deepcopy(snapshot)
    changed["items"][0]["name"] = "建筑工程施工许可证核发（含开工报告）"
    del changed["notices"][0]
    assert update_public_index(index, changed) == SyncReport(added=0, updated=1, deleted=1, unchanged=15)
    assert index.search("开工报告")[0].title == "建筑工程施工许可证核发（含开工报告）"
    assert "/notices/N2024-001/" not in {hit.public_url for hit in index.search("夏季工作时间")}
    assert index.doc_count() == 16


def test_new_record_is_added(index, snapshot):
    changed = copy.deepcopy(snapshot)
    notice = dict(changed["notices"][0], code="N2024-009", title="关于端午节放假安排的通知", body="端午节放假三天。")
    changed["notices"].append(notice)
    assert update_public_index(index, changed).added == 1
    assert [hit.public_url for hit in index.search("端午节")] == ["/notices/N2024-009/"]


# -- from the database: drafts never reach the public index ------------------------------------


def _public_index_of(app) -> SearchIndex:
    from sunshine.site.export import build_snapshot
    from sunshine.site.public_search import public_index

    index = public_index()
    update_public_index(index, build_snapshot(intake_url=""))
    return index


def test_draft_edit_of_a_published_item_stays_out_of_the_public_index(demo):
    from sunshine.site import workflow
    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem
    from sunshine.site.search_docs import index_record, search_index

    with demo.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "SCJG-XK-001")).one()
        item.name = "食品经营许可（草稿改名）"
        workflow.mark_edited(item)
        db.session.commit()
        index_record(item)
        public = _public_index_of(demo)
        assert [hit.title for hit in public.search("食品经营许可")][0] == "食品经营许可"
        assert public.search("草稿改名") == []
        # The back office searches the working copy.
        assert [hit.title for hit in search_index().search("草稿改名")] == ["食品经营许可（草稿改名）"]


def test_withdrawn_item_leaves_the_public_index_on_the_next_publish(demo):
    from sunshine.site import workflow
    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem

    with demo.app_context():
        public = _public_index_of(demo)
        assert public.search("特种设备使用登记")[0].public_url == "/items/SCJG-XK-004/"
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "SCJG-XK-004")).one()
        workflow.withdraw(item, "职能调整")
        db.session.commit()
        public = _public_index_of(demo)
        assert "/items/SCJG-XK-004/" not in {hit.public_url for hit in public.search("特种设备使用登记")}


def test_reindex_command_rebuilds_both_indexes(demo, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sunshine.site.cli import main
    from sunshine.site.export import build_snapshot, write_snapshot

    snapshot_path = tmp_path / "published" / "snapshot.json"
    with demo.app_context():
        snapshot = build_snapshot(intake_url="")
        write_snapshot(snapshot_path, snapshot)
    expected = len(list(snapshot_docs(snapshot)))
    for name, value in {"SUNSHINE_INSTANCE_PATH": tmp_path / "cli-instance",
                        "SUNSHINE_DATABASE_URL": demo.config["SQLALCHEMY_DATABASE_URI"],
                        "SUNSHINE_SNAPSHOT_PATH": snapshot_path,
                        "SUNSHINE_SEARCH_INDEX": tmp_path / "cli-search",
                        "SUNSHINE_PUBLIC_SEARCH_INDEX": tmp_path / "cli-public"}.items():
        monkeypatch.setenv(name, str(value))
    result = CliRunner().invoke(main, ["reindex"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    back_office, public = result.output.splitlines()
    assert back_office.startswith("后台搜索索引已重建：")
    assert public == f"公开搜索索引已重建：{expected} 条"
    assert SearchIndex(tmp_path / "cli-public").search("食品经营许可")[0].public_url == "/items/SCJG-XK-001/"


def test_publishing_the_site_updates_the_public_index(demo):
    from sunshine.site.public_search import public_index
    from sunshine.site.publishing import publish_site

    with demo.app_context():
        assert public_index().doc_count() == 0
    outcome = publish_site(demo)
    published = json.loads(outcome.snapshot.read_text(encoding="utf-8"))
    with demo.app_context():
        index = public_index()
        assert index.doc_count() == len(list(snapshot_docs(published)))
        assert index.search("食品经营许可")[0].public_url == "/items/SCJG-XK-001/"
        assert read_site_facts(index.path)["hotline"] == "0827-5220001"
