"""Revisions of disclosure records: every save kept, no lost updates, diffs, restore, and change notes
that reach the public page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import AuditEntry, Revision, ServiceItem
from tests.conftest import login

from .htmlforms import form_fields

PASSWORDS = {"editor-zjj": "editor-demo-2026", "reviewer-zjj": "reviewer-demo-2026"}


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen("2026-12-01T10:00:00"):
        yield


@pytest.fixture
def browser(app, demo):
    """A second, independent logged-in browser (its own cookies)."""

    def _open(username: str):
        client = app.test_client()
        import yaml

        from tests.conftest import DEMO_DIR

        users = {u["username"]: u for u in yaml.safe_load((DEMO_DIR / "users.yaml").read_text("utf-8"))}
        assert login(client, username, users[username]["password"]).status_code == 200
        return client

    return _open


@pytest.fixture
def revisions(app):
    def _revisions(code: str) -> list[Revision]:
        with app.app_context():
            item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == code)).one()
            rows = db.session.scalars(select(Revision).where(Revision.record_type == "service_item",
                                                             Revision.record_id == item_id)
                                      .order_by(Revision.number)).all()
            db.session.expunge_all()
            return rows

    return _revisions


def _form(client, url: str) -> dict[str, str]:
    return form_fields(client.get(url).get_data(as_text=True), action=url)


def test_every_save_is_a_revision_with_author_and_note(login_as, item_url, form_of, revisions, user_id):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "promised_note": "资料齐全当场办结", "change_note": "改承诺说明",
                           "action": "draft"})
    client.post(url, data={**form_of(url), "hours": "周一至周五 9:00-17:00", "action": "draft"})
    rows = revisions("ZJJ-XK-001")
    assert [r.number for r in rows] == [1, 2, 3]  # 1: the seeded, published version
    assert [r.note for r in rows] == ["", "改承诺说明", ""]
    assert (rows[0].author_id, rows[0].published_as) == (None, 1)
    assert rows[1].author_id == user_id("editor-zjj")
    assert rows[1].data["promised_note"] == "资料齐全当场办结"
    assert rows[2].data["hours"] == "周一至周五 9:00-17:00"


def test_a_save_based_on_an_old_revision_is_refused_and_keeps_what_was_typed(browser, item_url, load_item):
    url = item_url("ZJJ-XK-001")
    first, second = browser("editor-zjj"), browser("reviewer-zjj")
    mine, theirs = _form(first, url), _form(second, url)
    assert second.post(url, data={**theirs, "hours": "周一至周六 9:00-17:00", "action": "draft"}).status_code == 302
    response = first.post(url, data={**mine, "promised_note": "我写的承诺说明", "action": "draft"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "别人已保存过新的版本（您基于第1稿修改，现在是第2稿）" in html
    assert 'value="我写的承诺说明"' in html  # nothing typed is lost
    conflict = html.split('id="conflict-title"')[1].split("</section>")[0]
    assert "办理时间" in conflict and "<ins>六</ins>" in conflict
    saved = load_item("ZJJ-XK-001")
    assert saved.hours == "周一至周六 9:00-17:00" and saved.promised_note != "我写的承诺说明"


def test_after_seeing_the_conflict_a_second_save_goes_through(browser, item_url, load_item):
    url = item_url("ZJJ-XK-001")
    first, second = browser("editor-zjj"), browser("reviewer-zjj")
    mine = _form(first, url)
    second.post(url, data={**_form(second, url), "hours": "周一至周六 9:00-17:00", "action": "draft"})
    refused = first.post(url, data={**mine, "promised_note": "我写的承诺说明", "action": "draft"})
    again = form_fields(refused.get_data(as_text=True), action=url)
    assert again["edit_version"] == "2"
    assert first.post(url, data={**again, "action": "draft"}).status_code == 302
    assert load_item("ZJJ-XK-001").promised_note == "我写的承诺说明"


def test_the_diff_marks_what_changed_between_two_revisions(login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "promised_note": "资料齐全当场办结", "action": "draft"})
    client.post(url, data={**form_of(url), "promised_note": "资料齐全半日办结", "action": "draft"})
    html = client.get(url.replace("/edit", "/diff?a=2&b=3")).get_data(as_text=True)
    assert "承诺时限说明" in html
    assert "<del>当场</del>" in html and "<ins>半日</ins>" in html


def test_a_diff_of_unknown_revisions_is_not_found(login_as, item_url):
    assert login_as("editor-zjj").get(item_url("ZJJ-XK-001").replace("/edit", "/diff?a=1&b=9")).status_code == 404


def test_another_departments_history_is_refused(login_as, item_url):
    assert login_as("editor-scjg").get(item_url("ZJJ-XK-001").replace("/edit", "/history")).status_code == 403


def test_restoring_an_old_revision_makes_a_new_draft(login_as, item_url, form_of, load_item, revisions):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "promised_note": "资料齐全当场办结", "action": "draft"})
    client.post(url, data={**form_of(url), "promised_note": "资料齐全半日办结", "action": "draft"})
    response = client.post(url.replace("/edit", "/revisions/2/restore"), data={"edit_version": "3"},
                           follow_redirects=True)
    assert "已将第2稿的内容恢复为新的草稿（第4稿）" in response.get_data(as_text=True)
    saved = load_item("ZJJ-XK-001")
    assert saved.promised_note == "资料齐全当场办结"
    assert saved.revision == 1  # the public version is unchanged until it is approved
    assert [r.note for r in revisions("ZJJ-XK-001")][-1] == "恢复第2稿的内容"


def test_a_restore_based_on_an_old_revision_is_refused(login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "promised_note": "资料齐全当场办结", "action": "draft"})
    response = client.post(url.replace("/edit", "/revisions/1/restore"), data={"edit_version": "1"},
                           follow_redirects=True)
    assert "别人已保存过新的版本" in response.get_data(as_text=True)
    assert load_item("ZJJ-XK-001").promised_note == "资料齐全当场办结"


def test_restoring_brings_back_the_rows_too(app, login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    before = load_item("ZJJ-XK-001").materials
    client.post(url, data={**form_of(url), "action": "draft"})
    data = form_of(url)
    data["materials-0-delete"] = "y"
    client.post(url, data={**data, "action": "draft"})
    assert load_item("ZJJ-XK-001").materials == before[1:]
    client.post(url.replace("/edit", "/revisions/1/restore"), data={"edit_version": "3"})
    assert load_item("ZJJ-XK-001").materials == before


def test_a_major_change_note_reaches_the_public_page(app, login_as, item_url, form_of):
    client = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "promised_days": "2", "change_note": "承诺办结时限由3个工作日缩短为2个工作日",
                           "change_major": "1", "action": "publish"})
    client.post(url, data={**form_of(url), "hours": "周一至周五 9:00-17:00", "change_note": "调整措辞",
                           "action": "publish"})
    snapshot = json.loads(Path(app.config["SUNSHINE_SNAPSHOT_PATH"]).read_text("utf-8"))
    item = next(i for i in snapshot["items"] if i["code"] == "ZJJ-XK-001")
    assert item["changes"] == [{"revision": 2, "date": "2026-12-01", "note": "承诺办结时限由3个工作日缩短为2个工作日"}]
    page = (Path(app.config["SUNSHINE_WEB_ROOT"]) / "current" / "items" / "ZJJ-XK-001" / "index.html").read_text("utf-8")
    assert "变更记录" in page and "承诺办结时限由3个工作日缩短为2个工作日" in page
    assert "调整措辞" not in page  # a minor note stays in the back office


def test_an_administrator_corrects_a_published_change_note_with_a_reason(app, login_as, item_url, form_of,
                                                                         revisions):
    reviewer = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    reviewer.post(url, data={**form_of(url), "promised_days": "2", "change_note": "承诺时限缩断为2天",
                             "change_major": "1", "action": "publish"})
    admin = login_as("admin")
    refused = admin.post(url.replace("/edit", "/revisions/2/note"), data={"note": "承诺时限缩短为2个工作日", "reason": ""},
                         follow_redirects=True)
    assert "请填写更正原因" in refused.get_data(as_text=True)
    admin.post(url.replace("/edit", "/revisions/2/note"),
               data={"note": "承诺时限缩短为2个工作日", "reason": "原说明有错别字"})
    row = revisions("ZJJ-XK-001")[-1]
    assert (row.note, row.note_correction_reason) == ("承诺时限缩短为2个工作日", "原说明有错别字")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "note_corrected")).one()
        assert entry.detail["before"] == "承诺时限缩断为2天" and entry.detail["reason"] == "原说明有错别字"


def test_a_reviewer_cannot_correct_a_change_note(login_as, item_url, form_of, revisions):
    client = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "change_note": "首次说明", "change_major": "1", "action": "publish"})
    response = client.post(url.replace("/edit", "/revisions/2/note"), data={"note": "改过的", "reason": "想改"})
    assert response.status_code == 403
    assert revisions("ZJJ-XK-001")[-1].note == "首次说明"


def test_a_refused_save_merges_the_other_persons_change_into_the_form(browser, item_url, load_item):
    url = item_url("ZJJ-XK-001")
    first, second = browser("editor-zjj"), browser("reviewer-zjj")
    mine = _form(first, url)
    second.post(url, data={**_form(second, url), "hours": "周一至周六 9:00-17:00", "action": "draft"})
    refused = first.post(url, data={**mine, "promised_note": "我写的承诺说明", "action": "draft"})
    html = refused.get_data(as_text=True)
    assert "对方修改的办理时间已合并到下面的表单中" in html
    again = form_fields(html, action=url)
    assert (again["hours"], again["promised_note"]) == ("周一至周六 9:00-17:00", "我写的承诺说明")
    assert first.post(url, data={**again, "action": "draft"}).status_code == 302
    saved = load_item("ZJJ-XK-001")
    assert (saved.hours, saved.promised_note) == ("周一至周六 9:00-17:00", "我写的承诺说明")


def test_a_field_both_changed_keeps_mine_and_says_so(browser, item_url):
    url = item_url("ZJJ-XK-001")
    first, second = browser("editor-zjj"), browser("reviewer-zjj")
    mine = _form(first, url)
    second.post(url, data={**_form(second, url), "hours": "周一至周六 9:00-17:00", "action": "draft"})
    html = first.post(url, data={**mine, "hours": "工作日 8:30-17:30", "action": "draft"}).get_data(as_text=True)
    assert "您和对方都修改了办理时间" in html
    assert form_fields(html, action=url)["hours"] == "工作日 8:30-17:30"


def test_a_merged_form_keeps_the_other_persons_new_material_row(browser, item_url, load_item):
    url = item_url("ZJJ-XK-001")
    first, second = browser("editor-zjj"), browser("reviewer-zjj")
    mine = _form(first, url)
    theirs = _form(second, url)
    blank = next(key for key, value in theirs.items() if key.endswith("-name") and key.startswith("materials-")
                 and not value)
    second.post(url, data={**theirs, blank: "授权委托书", "action": "draft"})
    html = first.post(url, data={**mine, "promised_note": "我写的承诺说明", "action": "draft"}).get_data(as_text=True)
    again = form_fields(html, action=url)
    first.post(url, data={**again, "action": "draft"})
    assert "授权委托书" in load_item("ZJJ-XK-001").materials
