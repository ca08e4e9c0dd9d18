"""The record pages, the revision history, account management and the dashboard in English, and unchanged in Chinese.

Each page is read twice: once after the header's switch chose English (the texts come from
``translations/parts/hb1.po``), once in the default Chinese, where the marked templates must give
exactly what they gave before they were marked.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import ServiceItem, User

from ..admin.htmlforms import form_fields

NOW = "2026-12-01T10:00:00"


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def page(login_as):
    """The HTML of ``url`` as ``username`` sees it in ``lang`` (``zh`` is the default: no switch)."""

    def _page(username: str, url: str, lang: str = "zh") -> str:
        client = login_as(username)
        if lang != "zh":
            client.post("/admin/language", data={"lang": lang})
        response = client.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return _page


@pytest.fixture
def permit_url(app, demo) -> str:
    """The edit page of 建筑工程施工许可证核发 (住建局), published as version 1 in the demo data."""
    with app.app_context():
        item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == "ZJJ-XK-001")).one()
    return f"/admin/items/{item_id}/edit"


@pytest.fixture
def second_draft(login_as, permit_url) -> str:
    """The editor saved a second draft with a major change note; returns the history page's address."""
    client = login_as("editor-zjj")
    data = form_fields(client.get(permit_url).get_data(as_text=True), permit_url)
    data.update({"promised_note": "资料齐全当场办结", "change_note": "承诺时限说明改为当场办结",
                 "change_major": "1", "action": "draft"})
    assert client.post(permit_url, data=data).status_code == 302
    return permit_url.replace("/edit", "/history")


def test_the_item_form_reads_in_english(page, permit_url):
    html = page("editor-zjj", permit_url, "en")
    assert "<legend>Basic information</legend>" in html
    assert '<span class="label">Item code</span> <code>ZJJ-XK-001</code> (cannot be changed after saving)</p>' in html
    assert '<span class="required">(required)</span>' in html
    assert '<button type="submit" name="action" value="submit" class="button">Save and submit for review</button>' in html
    assert ("<p class=\"hint\">“Save draft” leaves the public website unchanged; “Save and submit for review” checks "
            "that the content is complete and passes it to the reviewer.</p>") in html
    assert "<dt>Version</dt><dd>Version 1</dd>" in html


def test_the_item_form_in_chinese_is_unchanged(page, permit_url):
    html = page("editor-zjj", permit_url)
    assert "<legend>基本信息</legend>" in html
    assert '<span class="label">事项编码</span> <code>ZJJ-XK-001</code>（保存后不能修改）</p>' in html
    assert '<span class="required">（必填）</span>' in html
    assert '<button type="submit" name="action" value="submit" class="button">保存并提交审核</button>' in html
    assert "<p class=\"hint\">“保存草稿”不改变公开网站；“保存并提交审核”检查内容是否完整并交给审核员。</p>" in html
    assert "<dt>版本</dt><dd>第1版</dd>" in html


def test_the_row_buttons_keep_their_placeholders_in_english(page, permit_url):
    html = page("editor-zjj", permit_url, "en")
    legend = html.split('<fieldset class="rows" id="materials">', 1)[1].split("<legend>", 1)[1].split("</legend>")[0]
    assert f'aria-label="Move row 1 of {legend} down">Move down</button>' in html
    assert f'aria-label="Remove row 2 of {legend} (not saved yet)">Remove row</button>' in html


def test_the_revision_history_reads_in_english(page, second_draft):
    html = page("editor-zjj", second_draft, "en")
    assert ("<p>Every save keeps a draft. The public website shows version 1; the latest working copy is draft 2. "
            "Choose two drafts to compare;") in html
    assert "<caption>2 drafts, newest first</caption>" in html
    assert '<th scope="row">Draft 2</th>' in html
    assert "<strong>[Major] </strong>承诺时限说明改为当场办结" in html


def test_the_revision_history_in_chinese_is_unchanged(page, second_draft):
    html = page("editor-zjj", second_draft)
    assert "<p>每次保存都会留下一稿。公开网站上现在是第1版，最新修改稿是第2稿。选择两稿进行对比；" in html
    assert "<caption>共 2 稿，最新的在前</caption>" in html
    assert '<th scope="row">第2稿</th>' in html
    assert "<strong>［重要］</strong>承诺时限说明改为当场办结" in html


def test_account_management_tells_the_state_from_the_button_in_english(app, page, login_as):
    with app.app_context():
        mz = db.session.scalars(select(User.id).where(User.username == "editor-mz")).one()
    assert login_as("admin").post(f"/admin/users/{mz}/active", data={"active": "0"}).status_code == 302
    html = page("admin", "/admin/users", "en")
    assert html.count("<td>Active</td>") + html.count("<td>Disabled</td>") == 7
    assert html.count("<td>Disabled</td>") == 1
    assert '<button type="submit" class="link-button">Enable<span class="visually-hidden"> editor-mz</span></button>' in html
    assert 'Disable<span class="visually-hidden"> editor-zjj</span></button>' in html
    assert "<th scope=\"col\">Last login</th>" in html


def test_account_management_in_chinese_is_unchanged(page):
    html = page("admin", "/admin/users")
    assert html.count("<td>启用</td>") == 7
    assert '停用<span class="visually-hidden"> editor-zjj</span></button>' in html
    assert "<th scope=\"col\">最近登录</th>" in html


def test_the_dashboards_question_counts_read_as_one_english_sentence(page):
    html = page("admin", "/admin/", "en")
    assert ('<p id="question-counts">Awaiting a reply: <strong>1</strong>, of which '
            '<span class="badge badge-red">Overdue</span> 1, <span class="badge badge-yellow">Due soon</span> 0.') in html
    assert "<h2 id=\"questions-title\">Online questions awaiting a reply, all departments</h2>" in html


def test_the_dashboards_question_counts_in_chinese_are_unchanged(page):
    html = page("admin", "/admin/")
    assert ('<p id="question-counts">待答复 <strong>1</strong> 条，其中 '
            '<span class="badge badge-red">已超期</span> 1 条， <span class="badge badge-yellow">即将到期</span> 0 条。') in html
    assert "<h2 id=\"questions-title\">全部待答复的网上咨询</h2>" in html
