"""Previewing an item's working copy: its page as the next publish will write it, before it is public."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.publisher.preview import BANNER_TEXT, mark_preview
from sunshine.site.models import Department, Material, ServiceItem, Step
from sunshine.site.preview import PreviewError, preview_html
from sunshine.site.workflow import publish

from .conftest import part, save_working_copy

PASSPORT = "/items/GA-XK-001/"
NEW_NAME = "普通护照签发（首次申领、换发、补发）"
NEW_MATERIAL = "近期免冠彩色证件照片（白底，48mm×33mm）"


@pytest.fixture
def edited_passport(ctx, record) -> ServiceItem:
    """普通护照签发 with a new name and one more material, saved but not published."""
    item = record(ServiceItem, "GA-XK-001")
    item.name = NEW_NAME
    item.materials.append(Material(position=len(item.materials), name=NEW_MATERIAL, form="原件", copies=2,
                                   required=True, notes="可在中心一楼自助照相点拍摄"))
    save_working_copy(item)
    return item


def test_preview_shows_the_unpublished_name_and_material(edited_passport):
    html = preview_html(edited_passport)

    assert f"<h1>{NEW_NAME}</h1>" in html
    assert NEW_MATERIAL in html
    assert "可在中心一楼自助照相点拍摄" in html


def test_published_page_keeps_the_published_version(edited_passport, published_site):
    public = published_site(PASSPORT)

    assert "<h1>普通护照签发</h1>" in public
    assert NEW_NAME not in public
    assert NEW_MATERIAL not in public


@pytest.mark.parametrize("pattern", ['<header class="site-header"', '<section id="where"', '<section id="people"',
                                     '<section id="steps"', '<section id="basis"', '<footer class="site-footer"'])
def test_unchanged_parts_are_the_published_markup(edited_passport, published_site, pattern):
    assert part(preview_html(edited_passport), pattern) == part(published_site(PASSPORT), pattern)


def test_preview_says_it_is_not_published_and_is_not_indexed(edited_passport):
    html = preview_html(edited_passport)

    banner = f'<div class="callout callout-strong" role="status"><p><strong>{BANNER_TEXT}</strong></p></div>'
    assert html.count(banner) == 1
    assert html.index(banner) < html.index('<header class="site-header"')
    assert '<meta name="robots" content="noindex">' in part(html, "<head")


def test_preview_is_the_next_revision_published_now(edited_passport):
    html = preview_html(edited_passport)

    assert '第 2 版 · 发布时间：<time datetime="2026-03-10T10:00:00+08:00">' in html


def test_unchanged_published_item_previews_as_its_published_page(ctx, record, published_site):
    item = record(ServiceItem, "GA-XK-001")

    assert preview_html(item) == mark_preview(published_site(PASSPORT))


def test_pending_major_change_note_leads_the_change_history(ctx, record):
    item = record(ServiceItem, "GA-XK-001")
    item.promised_days = 5
    save_working_copy(item, note="承诺办结时限由7个工作日缩短为5个工作日", major=True)

    history = part(preview_html(item), '<section class="change-history"')

    assert ('<li><time datetime="2026-03-10">2026年3月10日</time>（第 2 版）：'
            "承诺办结时限由7个工作日缩短为5个工作日</li>") in history


def test_minor_change_note_is_not_listed(ctx, record):
    item = record(ServiceItem, "GA-XK-001")
    item.hours = "工作日 8:30-12:00，14:00-17:30"
    save_working_copy(item, note="改正错别字", major=False)

    html = preview_html(item)

    assert "工作日 8:30-12:00，14:00-17:30" in html
    assert "改正错别字" not in html


def test_never_published_item_previews(ctx, record):
    item = ServiceItem(code="GA-XK-009", name="港澳通行证签发", department=record(Department, "ga"),
                       item_type="行政许可", legal_basis="《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》第三条",
                       conditions="具有本县户籍的中国公民。", statutory_days=7, promised_days=5,
                       case_type="promised", location="县政务服务中心一楼公安窗口", hours="工作日 9:00-17:00",
                       consult_phone="0817-5550110", complaint_phone="0817-5550000")
    item.materials = [Material(position=0, name="居民身份证", form="原件", copies=1, required=True)]
    item.steps = [Step(position=0, name="受理", office="出入境窗口", days=1)]
    save_working_copy(item)

    html = preview_html(item)

    assert "<h1>港澳通行证签发</h1>" in html
    assert "居民身份证" in html
    assert '第 1 版 · 发布时间：<time datetime="2026-03-10T10:00:00+08:00">' in html


def test_item_effective_later_still_previews(ctx, record, published_site):
    item = record(ServiceItem, "GA-XK-001")
    item.effective_date = dt.date(2026, 4, 1)
    item.name = "普通护照签发（新规）"
    save_working_copy(item)
    publish(item)  # approved, in force on 1 April: not public yet

    assert "<h1>普通护照签发（新规）</h1>" in preview_html(item)
    assert "<h1>普通护照签发（新规）</h1>" not in published_site("/items/")


def test_item_of_a_department_not_yet_public_previews_with_its_working_copy(ctx, record):
    item = ServiceItem(code="YBJ-JF-001", name="城乡居民医疗费用零星报销", department=record(Department, "ybj"),
                       item_type="行政给付", statutory_days=20, promised_days=10, case_type="promised")
    save_working_copy(item)

    html = preview_html(item)

    assert "<h1>城乡居民医疗费用零星报销</h1>" in html
    assert "清川县医疗保障局" in part(html, '<section id="where"')


def test_promise_longer_than_the_statutory_limit_is_refused_with_the_reason(ctx, record):
    item = record(ServiceItem, "GA-XK-001")
    item.promised_days = item.statutory_days + 3
    save_working_copy(item)

    with pytest.raises(PreviewError, match=r"^无法预览：.*承诺时限（\d+）超过法定时限（\d+）。请修改后再预览。$"):
        preview_html(item)


def test_malformed_code_is_refused_with_the_field_named(ctx, record):
    item = ServiceItem(code="护照 新办", name="护照新办", department=record(Department, "ga"),
                       item_type="行政许可", statutory_days=7, promised_days=5, case_type="promised")
    save_working_copy(item)

    with pytest.raises(PreviewError, match=r"^无法预览：快照格式错误：items\[\d+\]\.code：格式不符合"):
        preview_html(item)


def test_withdrawn_item_previews_its_working_copy_not_the_withdrawal_notice(ctx, record):
    from sunshine.site.workflow import withdraw

    item = record(ServiceItem, "GA-XK-001")
    withdraw(item, "办理依据调整，暂停办理")
    item.name = "普通护照签发（恢复办理）"
    save_working_copy(item)

    html = preview_html(item)

    assert "<h1>普通护照签发（恢复办理）</h1>" in html
    assert "暂停办理" not in html
