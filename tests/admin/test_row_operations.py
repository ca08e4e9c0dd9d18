"""Rows of materials, steps and fees are added, removed and reordered without saving and without JavaScript."""

from __future__ import annotations

import re


def _names(html: str, table: str) -> list[str]:
    return re.findall(rf'name="{table}-\d+-name"[^>]*value="([^"]*)"', html)


def test_moving_a_row_up_changes_the_order_and_saves_nothing(login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    before = load_item("ZJJ-XK-001").materials
    response = client.post(url, data={**form_of(url), "row_op": "materials:1:up", "promised_note": "正在修改"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _names(html, "materials")[:2] == [before[1], before[0]]
    assert 'value="正在修改"' in html  # the rest of the form is as typed
    assert load_item("ZJJ-XK-001").materials == before


def test_removing_a_row_then_saving_stores_the_rest(login_as, item_url, form_of, load_item):
    from tests.admin.htmlforms import form_fields

    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    before = load_item("ZJJ-XK-001").materials
    shown = client.post(url, data={**form_of(url), "row_op": "materials:0:remove"}).get_data(as_text=True)
    assert [name for name in _names(shown, "materials") if name] == before[1:]
    assert client.post(url, data={**form_fields(shown, action=url), "action": "draft"}).status_code == 302
    assert load_item("ZJJ-XK-001").materials == before[1:]


def test_adding_a_row_offers_one_more_blank_row(login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    blank_before = sum(1 for key, value in data.items() if re.fullmatch(r"steps-\d+-name", key) and not value)
    html = client.post(url, data={**data, "row_op": "steps:add"}).get_data(as_text=True)
    assert _names(html, "steps").count("") == blank_before + 1


def test_an_unknown_row_operation_is_refused(login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    assert client.post(url, data={**form_of(url), "row_op": "materials:99:up"}).status_code == 400


def test_a_row_operation_needs_edit_permission(login_as, item_url, form_of):
    url = item_url("ZJJ-XK-001")
    login_as("editor-zjj")
    data = form_of(url)
    assert login_as("editor-scjg").post(url, data={**data, "row_op": "materials:0:remove"}).status_code == 403


def test_enter_in_a_text_box_saves_a_draft_not_a_row_button(login_as, item_url):
    html = login_as("editor-zjj").get(item_url("ZJJ-XK-001")).get_data(as_text=True)
    form = html[html.index("<form method=\"post\" action=\"/admin/items/"):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="action" value="draft"' in first_button
