"""Previewing departments, notices and complaint channels: each on the public page that shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import Channel, Department, Notice, ServiceItem
from sunshine.site.preview import preview_html
from sunshine.site.workflow import withdraw

from .conftest import part, save_working_copy

NEW_HOURS = "周一至周六 上午8:30-12:00 下午13:30-18:00（法定节假日除外）"


@pytest.fixture
def edited_civil_affairs(ctx, record) -> Department:
    """民政局 with longer opening hours, saved but not published."""
    department = record(Department, "mz")
    department.hours = NEW_HOURS
    save_working_copy(department)
    return department


def test_department_preview_shows_the_unpublished_hours(edited_civil_affairs, published_site):
    assert f"<dt>办公时间</dt><dd>{NEW_HOURS}</dd>" in preview_html(edited_civil_affairs)
    assert NEW_HOURS not in published_site("/departments/mz/")


@pytest.mark.parametrize("pattern", ['<section aria-labelledby="people-title"', '<section aria-labelledby="items-title"',
                                     '<section aria-labelledby="figures-title"'])
def test_department_preview_keeps_the_published_markup_elsewhere(edited_civil_affairs, published_site, pattern):
    assert part(preview_html(edited_civil_affairs), pattern) == part(published_site("/departments/mz/"), pattern)


def test_never_published_department_previews_with_its_figures(ctx, record):
    html = preview_html(record(Department, "ybj"))

    assert "<h1>清川县医疗保障局</h1>" in html
    assert '<h2 id="figures-title">' in html
    assert '第 1 版 · 发布时间：<time datetime="2026-03-10T10:00:00+08:00">' in html


def test_draft_notice_previews_with_its_markdown_rendered(ctx, record):
    html = preview_html(record(Notice, "N2026-008"))

    assert "<h1>关于县医疗保障局窗口进驻中心的预告</h1>" in html
    assert "<p>经县政府研究同意，县医疗保障局将进驻县政务服务中心一楼西区11号窗口办公。</p>" in html


def test_notice_preview_is_sanitized_as_the_published_page(ctx, record):
    notice = record(Notice, "N2026-008")
    notice.body += '\n\n<script src="https://evil.example/x.js"></script>[查看附件](javascript:alert(1))'
    save_working_copy(notice)

    html = preview_html(notice)

    assert "evil.example" not in html
    assert "javascript:" not in html
    assert "查看附件" in html


def test_channel_previews_on_the_channels_page(ctx, record, published_site):
    channel = record(Channel, "hotline-ts")
    channel.contact = "0827-5220119"
    save_working_copy(channel)

    card = part(preview_html(channel), '<section class="card" aria-labelledby="channel-hotline-ts"')

    assert "0827-5220119" in card
    assert "0827-5220119" not in published_site("/channels/")


def test_withdrawn_department_previews_its_working_copy_not_the_withdrawal_notice(ctx, record):
    department = record(Department, "mz")
    withdraw(department, "窗口业务调整")
    department.hours = NEW_HOURS
    save_working_copy(department)

    html = preview_html(department)

    assert f"<h1>{department.name}</h1>" in html
    assert f"<dt>办公时间</dt><dd>{NEW_HOURS}</dd>" in html
    assert "窗口业务调整" not in html


def test_an_item_of_a_withdrawn_department_previews_with_the_department(ctx, record):
    department = record(Department, "mz")
    withdraw(department, "窗口业务调整")
    item = db.session.scalars(select(ServiceItem).where(ServiceItem.department_id == department.id)
                              .order_by(ServiceItem.code)).first()
    item.promised_days = 1
    save_working_copy(item)

    html = preview_html(item)

    assert f"<h1>{item.name}</h1>" in html
    assert "已撤回" not in html and department.name in html


def test_withdrawn_notice_and_channel_preview_as_live_records(ctx, record):
    notice, channel = record(Notice, "N2026-001"), record(Channel, "hotline-ts")
    withdraw(notice, "内容有误")
    withdraw(channel, "号码停用")
    save_working_copy(notice)
    save_working_copy(channel)

    assert f"<h1>{notice.title}</h1>" in preview_html(notice)
    html = preview_html(channel)
    assert '<section class="card" aria-labelledby="channel-hotline-ts"' in html
    assert "号码停用" not in html
