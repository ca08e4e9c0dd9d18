"""The 事项质量 page (incomplete and stale items) and the live Markdown preview."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from sunshine.site import clock
from sunshine.site.admin.quality import stale_before
from sunshine.site.db import db
from sunshine.site.models import ServiceItem


def test_stale_means_the_same_day_months_ago():
    assert stale_before(dt.date(2026, 12, 1), 12) == dt.date(2025, 12, 1)
    assert stale_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


def test_an_incomplete_and_a_stale_item_are_listed_for_their_department(app, login_as):
    with app.app_context():
        db.session.execute(update(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001").values(conditions=""))
        db.session.execute(update(ServiceItem).where(ServiceItem.code == "ZJJ-XK-002").values(
            published_at=dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC)))
        db.session.commit()
        names = dict(db.session.execute(select(ServiceItem.code, ServiceItem.name)
                                        .where(ServiceItem.code.in_(["ZJJ-XK-001", "ZJJ-XK-002"]))).all())
    with clock.frozen("2026-12-01T10:00:00"):
        html = login_as("editor-zjj").get("/admin/quality?department=zjj").get_data(as_text=True)
    incomplete = html.split("不完整（1）")[1].split("</ul>")[0]
    assert names["ZJJ-XK-001"] in incomplete and "提交审核或发布前必须填写受理条件。" in incomplete
    stale = html.split("久未更新（1）")[1].split("</ul>")[0]
    assert names["ZJJ-XK-002"] in stale and "2025-06-01" in stale


def test_office_staff_see_only_their_department_on_the_quality_page(login_as):
    html = login_as("editor-zjj").get("/admin/quality").get_data(as_text=True)
    assert "住房和城乡建设局" in html or "住建" in html
    assert "市场监督管理局" not in html


def test_the_markdown_preview_renders_and_sanitizes_like_the_public_site(login_as):
    response = login_as("editor-zjj").post("/admin/markdown-preview", data={
        "text": "- 身份证原件\n- **营业执照**\n\n<script>alert(1)</script>[链接](javascript:alert(1))"})
    html = response.get_json()["html"]
    assert "<li>身份证原件</li>" in html and "<strong>营业执照</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_the_markdown_preview_needs_a_login(client):
    assert client.post("/admin/markdown-preview", data={"text": "x"}).status_code == 302


def test_the_markdown_preview_needs_the_csrf_token(csrf_app, demo_rows):
    from tests.conftest import restore_rows

    with csrf_app.app_context():
        restore_rows(demo_rows)
    client = csrf_app.test_client()
    html = client.get("/admin/login").get_data(as_text=True)
    from tests.conftest import csrf_token

    client.post("/admin/login", data={"username": "editor-zjj", "password": "editor-demo-2026",
                                      "csrf_token": csrf_token(html)})
    assert client.post("/admin/markdown-preview", data={"text": "x"}).status_code == 400
