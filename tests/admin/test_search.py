"""Back-office search shows only what the user may see."""

from __future__ import annotations

import pytest


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
