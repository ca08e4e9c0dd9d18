"""Withdrawing an item from the back office: when (the clock) and why are kept, and the
snapshot carries the public part so the item's page can say it was withdrawn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from sunshine.contract.urls import BACK_OFFICE_PREFIXES, INTAKE_PREFIX
from sunshine.site import MIGRATIONS_DIR, clock, create_app
from sunshine.site.db import db
from sunshine.site.export import build_snapshot
from sunshine.site.models import Channel, Department, Notice, ServiceItem
from sunshine.site.publishing import PublishOutcome
from sunshine.site.workflow import WorkflowError, publish, withdraw

from .conftest import make_item

PRESALE = "ZJJ-XK-002"  # 商品房预售许可, published in the demo, of 住建局 (withdrawn by reviewer-zjj)
REASON = "根据县政府机构改革方案，本事项调整至县自然资源局办理。"


@pytest.fixture
def no_build(monkeypatch):
    """The publish the withdrawal asks for is recorded, not built (the build has its own tests)."""
    built = []
    monkeypatch.setattr(
        "sunshine.site.jobs.publishing.publish_site",
        lambda app: built.append(app) or PublishOutcome(Path("snapshot.json"), Path("builds/b1"), 0.3, 40),
    )
    return built


def _item(app, code: str) -> ServiceItem:
    with app.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).one()
        db.session.expunge(item)
        return item


def _withdraw_url(app, code: str) -> str:
    return f"/admin/items/{_item(app, code).id}/withdraw"


def test_withdrawing_with_a_reason_keeps_the_reason_and_the_clock_time(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    with clock.frozen("2026-11-23T15:20:00+08:00"):
        response = client.post(_withdraw_url(demo, PRESALE), data={"reason": f"  {REASON} "},
                               follow_redirects=True)
    assert "已撤回，网站已更新" in response.get_data(as_text=True)
    item = _item(demo, PRESALE)
    assert item.state == "withdrawn"
    assert item.withdrawn_at == dt.datetime(2026, 11, 23, 7, 20, tzinfo=dt.UTC)
    assert item.withdrawn_reason == REASON
    assert no_build


def test_the_snapshot_carries_only_the_withdrawal_notice(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    with clock.frozen("2026-11-23T15:20:00+08:00"):
        client.post(_withdraw_url(demo, PRESALE), data={"reason": REASON})
    with demo.app_context():
        snapshot = build_snapshot(today=dt.date(2026, 11, 23))
    assert snapshot["withdrawn_items"] == [{
        "code": PRESALE,
        "name": "商品房预售许可",
        "department": "zjj",
        "withdrawn_at": "2026-11-23T15:20:00+08:00",
        "reason": REASON,
    }]
    assert PRESALE not in {item["code"] for item in snapshot["items"]}


def test_withdrawing_without_a_reason_is_allowed(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    client.post(_withdraw_url(demo, PRESALE), data={})
    item = _item(demo, PRESALE)
    assert (item.state, item.withdrawn_reason) == ("withdrawn", "")
    assert item.withdrawn_at is not None


def test_a_reason_with_control_characters_is_refused(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    response = client.post(_withdraw_url(demo, PRESALE), data={"reason": "机构改革\x00调整"},
                           follow_redirects=True)
    assert "撤回原因含有不可见的控制字符" in response.get_data(as_text=True)
    assert _item(demo, PRESALE).state == "published"
    assert no_build == []


def test_a_reason_longer_than_the_contract_allows_is_refused(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    response = client.post(_withdraw_url(demo, PRESALE), data={"reason": "因机构改革调整" * 29},  # 203
                           follow_redirects=True)
    assert "撤回原因不能超过 200 个字。" in response.get_data(as_text=True)
    assert _item(demo, PRESALE).state == "published"


def test_the_edit_page_offers_the_reason_field_and_then_shows_the_withdrawal(login_as, demo, no_build):
    client = login_as("reviewer-zjj")
    edit = _withdraw_url(demo, PRESALE).replace("/withdraw", "/edit")
    html = client.get(edit).get_data(as_text=True)
    assert '<label for="withdraw-reason">撤回原因</label>' in html
    assert '<input id="withdraw-reason" name="reason" type="text" maxlength="200"' in html
    with clock.frozen("2026-11-23T15:20:00+08:00"):
        client.post(_withdraw_url(demo, PRESALE), data={"reason": REASON})
    html = client.get(edit).get_data(as_text=True)
    assert f"撤回原因：{REASON}" in html
    assert 'id="withdraw-reason"' not in html


@pytest.mark.parametrize(("model", "code", "path", "hint"), [
    (Department, "zjj", "departments", "部门原网址和各事项原网址保留一页撤回说明"),
    (Notice, "N2026-001", "notices", "公告不再出现在通知公告列表、订阅源和站内搜索中"),
    (Channel, "hotline-ts", "channels", "投诉渠道页面在“已停用的渠道”中列出它的停用日期"),
])
def test_the_reason_field_is_offered_for_every_kind_of_record(login_as, demo, model, code, path, hint):
    client = login_as("admin")
    with demo.app_context():
        record_id = db.session.scalars(select(model.id).where(model.code == code)).one()
    html = client.get(f"/admin/{path}/{record_id}/edit").get_data(as_text=True)
    assert '<input id="withdraw-reason" name="reason" type="text" maxlength="200"' in html
    assert hint in html


def test_a_department_withdrawn_with_a_reason_shows_it_and_the_snapshot_carries_it(login_as, demo, no_build):
    client = login_as("admin")
    with demo.app_context():
        department_id = db.session.scalars(select(Department.id).where(Department.code == "zjj")).one()
    with clock.frozen("2026-11-23T15:20:00+08:00"):
        client.post(f"/admin/departments/{department_id}/withdraw", data={"reason": REASON})
    html = client.get(f"/admin/departments/{department_id}/edit").get_data(as_text=True)
    assert f"撤回原因：{REASON}" in html
    with demo.app_context():
        snapshot = build_snapshot(today=dt.date(2026, 11, 23))
    assert [(d["code"], d["withdrawn_at"], d["reason"]) for d in snapshot["withdrawn_departments"]] == [
        ("zjj", "2026-11-23T15:20:00+08:00", REASON)]
    assert PRESALE in {w["code"] for w in snapshot["withdrawn_items"]}


def test_publishing_again_clears_the_withdrawal(published):
    with published.app_context():
        item = db.session.scalars(select(ServiceItem)).one()
        withdraw(item, "暂停办理", at=dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
        db.session.commit()
        assert [w["code"] for w in build_snapshot()["withdrawn_items"]] == ["ZJJ-XK-001"]
        publish(item, at=dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC))
        db.session.commit()
        assert (item.withdrawn_at, item.withdrawn_reason) == (None, "")
        snapshot = build_snapshot()
    assert snapshot["withdrawn_items"] == []
    assert [i["code"] for i in snapshot["items"]] == ["ZJJ-XK-001"]


def test_only_a_published_record_can_be_withdrawn(published):
    with published.app_context():
        dept = db.session.scalars(select(Department)).one()
        draft = make_item(dept, code="ZJJ-XK-009", name="城镇污水排入排水管网许可")
        db.session.add(draft)
        with pytest.raises(WorkflowError, match="只有已发布的内容可以撤回"):
            withdraw(draft, "重复录入")


def test_an_item_withdrawn_before_it_came_into_force_gets_no_page(published):
    with published.app_context():
        item = db.session.scalars(select(ServiceItem)).one()
        item.published_data = {**item.published_data, "effective_date": "2026-12-01"}
        withdraw(item, at=dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC))
        db.session.commit()
        assert build_snapshot(today=dt.date(2026, 11, 26))["withdrawn_items"] == []


def test_a_withdrawn_item_of_a_department_no_longer_public_names_no_department(published):
    with published.app_context():
        item = db.session.scalars(select(ServiceItem)).one()
        withdraw(item, at=dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
        withdraw(db.session.scalars(select(Department)).one())
        db.session.commit()
        assert build_snapshot()["withdrawn_items"] == [{
            "code": "ZJJ-XK-001", "name": "建筑工程施工许可证核发", "department": None,
            "withdrawn_at": "2026-11-20T10:00:00+08:00", "reason": "",
        }]


def test_the_name_is_the_published_one_not_a_later_draft(published):
    with published.app_context():
        item = db.session.scalars(select(ServiceItem)).one()
        withdraw(item, at=dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
        item.name = "建筑工程施工许可证核发（修改中）"
        db.session.commit()
        assert build_snapshot()["withdrawn_items"][0]["name"] == "建筑工程施工许可证核发"


def test_the_snapshot_knows_the_sites_public_address(published):
    published.config["SUNSHINE_STATIC_URL"] = "https://gk.qingchuan.example/"
    with published.app_context():
        assert build_snapshot()["site"]["site_url"] == "https://gk.qingchuan.example"


def test_the_blueprints_serve_under_the_contracts_prefixes(app):
    prefixes = {bp.name: bp.url_prefix for bp in app.blueprints.values()}
    assert prefixes["public"] + "/" == INTAKE_PREFIX
    assert (prefixes["admin"] + "/", prefixes["api"].split("/v1")[0] + "/") == BACK_OFFICE_PREFIXES


def test_migration_0006_dates_records_withdrawn_before_it(tmp_path):
    """Records already withdrawn take their last change as the withdrawal time."""
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "test-secret"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0005")
        db.session.execute(text(
            "INSERT INTO department (code, name, short_name, \"window\", address, hours, consult_phone,"
            " complaint_phone, chief_name, chief_post, chief_phone, backup_name, backup_post, backup_phone,"
            " duties, state, revision, has_unpublished_changes, updated_at) VALUES ('zjj', '清川县住房和城乡建设局',"
            " '住建局', '8号窗口', '', '', '', '', '', '', '', '', '', '', '', :state, 1, 0, :at)"),
            {"state": "withdrawn", "at": "2025-03-04 05:06:07"})
        db.session.commit()
        upgrade(directory=MIGRATIONS_DIR)
        row = db.session.execute(text("SELECT withdrawn_at, withdrawn_reason FROM department")).one()
        db.engine.dispose()
    assert tuple(row) == ("2025-03-04 05:06:07", "")


def test_after_withdrawal_the_published_site_shows_the_notice_at_the_items_address(login_as, demo):
    """The whole path: the back office withdraws, the publisher builds, the page says so."""
    client = login_as("reviewer-zjj")
    with clock.frozen("2026-11-23T15:20:00+08:00"):
        response = client.post(_withdraw_url(demo, PRESALE), data={"reason": REASON}, follow_redirects=True)
    assert "已撤回，网站已更新" in response.get_data(as_text=True)
    live = Path(demo.config["SUNSHINE_WEB_ROOT"]) / "current"
    page = (live / "items" / PRESALE / "index.html").read_text(encoding="utf-8")
    assert "<h1>商品房预售许可 <span class=\"tag\">已撤回</span></h1>" in page
    assert "已于 <time datetime=\"2026-11-23T15:20:00+08:00\">2026年11月23日</time> 撤回" in page
    assert f"<strong>撤回原因：</strong>{REASON}" in page
    assert f"/items/{PRESALE}/" not in (live / "items" / "index.html").read_text(encoding="utf-8")
