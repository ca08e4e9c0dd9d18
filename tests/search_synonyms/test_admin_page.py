"""The back-office page 检索同义词 (/admin/search/synonyms): list, add, delete, and who may do what."""

from __future__ import annotations

import html
import re

import pytest

from sunshine.site.search_docs import reindex_all

PAGE = "/admin/search/synonyms"
DELETE = "/admin/search/synonyms/delete"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _flashes(response) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', response.get_data(as_text=True))]


# ---------------------------------------------------------------- who gets in


def test_anonymous_visitors_are_sent_to_the_login_page(client, demo):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_anonymous_delete_is_sent_to_the_login_page(client, demo, add_stored, stored_groups):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    response = client.post(DELETE, data={"id": group_id})
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert len(stored_groups()) == 1


def test_the_supervisor_is_refused(login_as):
    assert login_as("supervisor").get(PAGE).status_code == 403


def test_the_navigation_links_the_page_for_an_office_clerk(login_as):
    page = login_as("editor-zjj").get("/admin/").get_data(as_text=True)
    assert '<a href="/admin/search/synonyms">检索同义词</a>' in page


def test_the_navigation_has_no_link_for_the_supervisor(login_as):
    page = login_as("supervisor").get("/admin/").get_data(as_text=True)
    assert "/admin/search/synonyms" not in page


# ---------------------------------------------------------------- the list


def test_the_repository_groups_are_listed_read_only_as_built_in(login_as):
    page = _text(login_as("editor-zjj").get(PAGE))
    assert "<tr><td lang=\"zh-CN\">最低生活保障 低保</td><td>系统内置</td></tr>" in page


def test_office_groups_show_their_office_and_author_and_a_delete_link_only_where_allowed(login_as, add_stored):
    own = add_stored("商品房预售许可 预售证 卖期房", "zjj", "editor-zjj")
    other = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    page = _text(login_as("editor-zjj").get(PAGE))
    own_row = re.search(rf'<tr id="group-{own}">(.*?)</tr>', page, re.S).group(1)
    other_row = re.search(rf'<tr id="group-{other}">(.*?)</tr>', page, re.S).group(1)
    assert "商品房预售许可 预售证 卖期房" in own_row and "清川县住房和城乡建设局" in own_row
    assert "住建局窗口编辑（吴强）" in own_row
    assert f"/admin/search/synonyms?delete={own}" in own_row
    assert "清川县民政局" in other_row and "delete=" not in other_row


def test_an_office_clerk_adds_for_their_own_department_without_choosing(login_as):
    page = _text(login_as("editor-zjj").get(PAGE))
    assert '<select id="department"' not in page
    assert '<span class="label">所属部门</span> 清川县住房和城乡建设局' in page


def test_the_administrator_chooses_the_centre_or_a_department(login_as):
    page = _text(login_as("admin").get(PAGE))
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert options[0] == "中心（不属于某个部门）"
    assert "清川县民政局" in options and len(options) == 14  # the centre and the 13 demo departments


# ---------------------------------------------------------------- adding


def test_an_office_clerk_adds_a_group_for_their_department(login_as, department_id, stored_groups):
    client = login_as("editor-zjj")
    response = client.post(PAGE, data={"words": "商品房预售许可 预售证 卖期房",
                                       "department": str(department_id("zjj"))})
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert stored_groups() == [("商品房预售许可 预售证 卖期房", "zjj", "editor-zjj")]
    assert _flashes(client.get(PAGE))[0] == "已添加检索同义词：商品房预售许可 预售证 卖期房"


def test_adding_asks_for_a_publish_of_the_public_site(login_as, department_id, publish_reasons):
    login_as("editor-zjj").post(PAGE, data={"words": "商品房预售许可 预售证 卖期房",
                                            "department": str(department_id("zjj"))})
    assert publish_reasons() == [("检索同义词已更新", "queued")]


def test_adding_is_audited(login_as, department_id, audit_entries):
    login_as("editor-zjj").post(PAGE, data={"words": "商品房预售许可 预售证 卖期房",
                                            "department": str(department_id("zjj"))})
    [entry] = audit_entries()
    assert (entry.action, entry.username, entry.department, entry.summary) == (
        "create", "editor-zjj", "zjj", "添加检索同义词：商品房预售许可 预售证 卖期房")


def test_the_administrator_adds_a_centre_group(login_as, stored_groups):
    login_as("admin").post(PAGE, data={"words": "政务服务中心 办事大厅 市民中心", "department": ""})
    assert stored_groups() == [("政务服务中心 办事大厅 市民中心", None, "admin")]


def test_an_office_clerk_cannot_add_for_another_department(login_as, department_id, stored_groups):
    response = login_as("editor-zjj").post(PAGE, data={"words": "婚姻登记 领结婚证 扯证",
                                                       "department": str(department_id("mz"))})
    assert response.status_code == 400
    assert stored_groups() == []


def test_a_refused_line_keeps_what_was_typed_and_says_why(login_as, department_id, stored_groups):
    response = login_as("editor-zjj").post(PAGE, data={"words": "商品房预售许可 预售证/期房",
                                                       "department": str(department_id("zjj"))})
    page = _text(response)
    assert response.status_code == 400
    assert 'value="商品房预售许可 预售证/期房"' in page
    assert '<p class="error" id="words-error">“预售证/期房”中有“/”：词里只能用汉字、字母和数字，词与词之间用空格隔开。</p>' in page
    assert stored_groups() == []


def test_a_duplicate_of_a_built_in_group_is_refused_on_the_page(login_as, department_id, stored_groups):
    response = login_as("editor-mz").post(PAGE, data={"words": "低保 最低生活保障",
                                                      "department": str(department_id("mz"))})
    assert response.status_code == 400
    assert "这组同义词已经有了（系统内置），不用重复添加。" in _text(response)
    assert stored_groups() == []


# ---------------------------------------------------------------- deleting


def test_the_delete_link_asks_for_confirmation_first(login_as, add_stored, stored_groups):
    group_id = add_stored("商品房预售许可 预售证 卖期房", "zjj", "editor-zjj")
    page = _text(login_as("editor-zjj").get(f"{PAGE}?delete={group_id}"))
    assert "确定删除这组同义词吗？" in page
    assert f'<input type="hidden" name="id" value="{group_id}">' in page
    assert len(stored_groups()) == 1  # showing the question deletes nothing


def test_an_office_clerk_deletes_their_departments_group(login_as, add_stored, stored_groups, publish_reasons):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    client = login_as("editor-mz")
    response = client.post(DELETE, data={"id": group_id})
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert stored_groups() == []
    assert _flashes(client.get(PAGE))[0] == "已删除检索同义词：特困人员救助供养 特困供养 五保户"
    assert publish_reasons() == [("检索同义词已更新", "queued")]


def test_a_clerk_of_zjj_cannot_delete_the_group_of_mz(login_as, add_stored, stored_groups):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    assert login_as("editor-zjj").post(DELETE, data={"id": group_id}).status_code == 403
    assert stored_groups() == [("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")]


def test_a_clerk_of_zjj_is_not_even_asked_to_confirm_deleting_the_group_of_mz(login_as, add_stored):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    assert login_as("editor-zjj").get(f"{PAGE}?delete={group_id}").status_code == 403


def test_an_office_clerk_cannot_delete_a_centre_group(login_as, add_stored, stored_groups):
    group_id = add_stored("政务服务中心 办事大厅 市民中心", None, "admin")
    assert login_as("reviewer-zjj").post(DELETE, data={"id": group_id}).status_code == 403
    assert len(stored_groups()) == 1


def test_the_administrator_deletes_an_offices_group(login_as, add_stored, stored_groups, audit_entries):
    group_id = add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    login_as("admin").post(DELETE, data={"id": group_id})
    assert stored_groups() == []
    [entry] = audit_entries()
    assert (entry.action, entry.username, entry.department, entry.target_id) == ("delete", "admin", "mz", group_id)


@pytest.mark.parametrize("posted", [{}, {"id": "abc"}, {"id": "99999999999999"}, {"id": "4711"}])
def test_deleting_a_group_that_does_not_exist_answers_404(login_as, posted):
    assert login_as("admin").post(DELETE, data=posted).status_code == 404


# ---------------------------------------------------------------- the back-office search reads them at once


def test_a_word_an_office_added_finds_the_item_in_the_back_office_search(app, login_as):
    client = login_as("editor-scjg")
    with app.app_context():
        reindex_all()
    assert "个体工商户设立登记</a>" in _text(client.get("/admin/search?q=个体工商户"))  # the index works
    assert "个体工商户设立登记</a>" not in _text(client.get("/admin/search?q=小卖部"))
    client.post(PAGE, data={"words": "个体工商户设立登记 小卖部 个体执照"})
    after = _text(client.get("/admin/search?q=小卖部"))
    assert "个体工商户设立登记</a>" in after
