"""Back-office search shows only what the user may see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select


@pytest.fixture
def indexed(demo):
    from sunshine.site.search_docs import reindex_all

    with demo.app_context():
        reindex_all()
    return demo


def test_editor_finds_only_own_department_records(indexed, login_as):
    html = login_as("editor-zjj").get("/admin/search?q=许可").get_data(as_text=True)
    assert "建筑工程施工许可证核发" in html
    assert "食品经营许可" not in html
    assert "<mark>" in html


def test_admin_finds_records_of_every_department(indexed, login_as):
    html = login_as("admin").get("/admin/search?q=许可").get_data(as_text=True)
    assert "建筑工程施工许可证核发" in html
    assert "食品经营许可" in html


def test_search_without_hits_gives_advice(indexed, login_as):
    html = login_as("admin").get("/admin/search?q=潜水艇驾驶执照").get_data(as_text=True)
    assert "没有找到" in html
    assert "换个说法" in html


def test_search_hit_shows_kind_and_state(indexed, login_as):
    html = login_as("editor-scjg").get("/admin/search?q=食品经营许可").get_data(as_text=True)
    assert "服务事项" in html and "已发布" in html


def test_clerk_never_sees_another_offices_complaint(indexed, login_as):
    html = login_as("editor-zjj").get("/admin/search?q=身份证窗口工作人员态度生硬").get_data(as_text=True)
    assert "TS-XT9N-E3AX" not in html
    assert "老人听力不好" not in html  # nor a snippet of its text


def test_admin_sees_that_complaint(indexed, login_as):
    html = login_as("admin").get("/admin/search?q=身份证窗口工作人员态度生硬").get_data(as_text=True)
    assert "TS-XT9N-E3AX 身份证窗口工作人员态度生硬" in html


def test_type_complaint_lists_only_the_clerks_own_complaints(indexed, login_as):
    html = login_as("editor-zjj").get("/admin/search?q=类型:投诉 收费").get_data(as_text=True)
    assert re.findall(r"TS-[0-9A-Z]{4}-[0-9A-Z]{4}", html) == ["TS-3GYJ-8NEM"]


def test_clerk_never_sees_another_offices_draft(indexed, login_as):
    from sunshine.site import workflow
    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem
    from sunshine.site.search_docs import index_record

    with indexed.app_context():
        item = db.session.scalars(select(ServiceItem).where(ServiceItem.code == "SCJG-XK-001")).one()
        item.name = "食品经营许可（内部修订稿）"
        workflow.mark_edited(item)
        db.session.commit()
        index_record(item)
    title = "食品经营许可（内部修订稿）"
    assert title in login_as("editor-scjg").get("/admin/search?q=内部修订稿").get_data(as_text=True)
    assert title not in login_as("editor-zjj").get("/admin/search?q=内部修订稿").get_data(as_text=True)


def test_typo_offers_a_did_you_mean_link(indexed, login_as):
    html = login_as("admin").get("/admin/search?q=营业只照").get_data(as_text=True)
    assert '您是不是要找：<a href="/admin/search?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7">营业执照</a>' in html


def test_hit_links_its_public_page(indexed, login_as):
    html = login_as("editor-scjg").get("/admin/search?q=食品经营许可").get_data(as_text=True)
    assert '<a href="/items/SCJG-XK-001/">公开页面</a>' in html
