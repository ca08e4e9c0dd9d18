"""The review workflow of disclosure records: draft → submitted → published, reject with a reason,
scheduled publishing and expiry, and the reviewer's queue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.models import AuditEntry, Revision, ServiceItem
from sunshine.site.schedules import run_schedules

NOW = "2026-12-01T10:00:00"


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def edit(login_as, item_url, form_of):
    """Post the item's edit form as ``username`` with ``changes``; returns the response."""

    def _edit(username: str, code: str, action: str = "draft", **changes: str):
        client = login_as(username)
        url = item_url(code)
        data = {**form_of(url), **changes, "action": action}
        return client.post(url, data=data)

    return _edit


@pytest.fixture
def audit_actions(app):
    def _actions(code: str) -> list[str]:
        with app.app_context():
            item_id = db.session.scalars(select(ServiceItem.id).where(ServiceItem.code == code)).one()
            return [e.action for e in db.session.scalars(select(AuditEntry).where(
                AuditEntry.target_type == "service_item", AuditEntry.target_id == item_id).order_by(AuditEntry.id))]

    return _actions


def test_an_editor_cannot_publish_directly(edit, load_item):
    response = edit("editor-zjj", "ZJJ-XK-001", "publish", promised_note="当场办结")
    assert response.status_code == 403
    saved = load_item("ZJJ-XK-001")
    assert saved.revision == 1 and saved.promised_note != "当场办结"


def test_an_editors_page_offers_submit_not_publish(login_as, item_url):
    html = login_as("editor-zjj").get(item_url("ZJJ-XK-001")).get_data(as_text=True)
    assert "保存并提交审核" in html
    assert "保存并发布" not in html


def test_submitting_keeps_the_published_version_live(edit, load_item, audit_actions):
    response = edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    assert response.status_code == 302
    saved = load_item("ZJJ-XK-001")
    assert saved.review_state == "submitted"
    assert saved.submitted_at == dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    assert saved.promised_note == "资料齐全当场办结"
    assert saved.published_data["promised_note"] != "资料齐全当场办结"
    assert saved.revision == 1
    assert audit_actions("ZJJ-XK-001") == ["save", "submit"]


def test_submitting_an_incomplete_item_lists_every_missing_field_and_saves_nothing(login_as, form_of, load_item):
    client = login_as("editor-zjj")
    data = form_of("/admin/items/new")
    data.update({"code": "ZJJ-XK-020", "name": "城市建筑垃圾处置核准", "item_type": "行政许可",
                 "statutory_days": "20", "promised_days": "10", "consult_phone": "", "action": "submit"})
    response = client.post("/admin/items/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    for field, label in (("legal_basis", "设定依据"), ("conditions", "受理条件"), ("materials", "申请材料"),
                         ("steps", "办理流程"), ("consult_phone", "咨询电话")):
        assert f'href="#{field}"' in summary, field
        assert label in summary
    assert 'id="consult_phone-error"' in html  # marked inline too
    assert 'value="城市建筑垃圾处置核准"' in html
    assert load_item("ZJJ-XK-020") is None


def test_the_reviewer_approves_and_the_new_version_goes_live(app, edit, login_as, item_url, load_item,
                                                            audit_actions):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结", change_note="承诺时限说明更新",
         change_major="1")
    client = login_as("reviewer-zjj")
    response = client.post(item_url("ZJJ-XK-001").replace("/edit", "/approve"), follow_redirects=True)
    assert "审核通过，已发布第2版" in response.get_data(as_text=True)
    saved = load_item("ZJJ-XK-001")
    assert (saved.state, saved.review_state, saved.revision) == ("published", "", 2)
    assert saved.published_data["promised_note"] == "资料齐全当场办结"
    assert audit_actions("ZJJ-XK-001") == ["save", "submit", "approve"]
    with app.app_context():
        latest = db.session.scalars(select(Revision).where(Revision.record_id == saved.id,
                                                           Revision.record_type == "service_item")
                                    .order_by(Revision.number.desc())).first()
        assert (latest.published_as, latest.note, latest.major) == (2, "承诺时限说明更新", True)


def test_a_rejection_needs_a_reason(edit, login_as, item_url, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    response = login_as("reviewer-zjj").post(item_url("ZJJ-XK-001").replace("/edit", "/reject"),
                                             data={"reason": "  "}, follow_redirects=True)
    assert "请填写退回原因" in response.get_data(as_text=True)
    assert load_item("ZJJ-XK-001").review_state == "submitted"


def test_the_editor_sees_the_rejection_reason(edit, login_as, item_url, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    login_as("reviewer-zjj").post(item_url("ZJJ-XK-001").replace("/edit", "/reject"),
                                  data={"reason": "承诺时限说明与窗口实际不符，请核实。"})
    saved = load_item("ZJJ-XK-001")
    assert (saved.review_state, saved.review_note) == ("rejected", "承诺时限说明与窗口实际不符，请核实。")
    html = login_as("editor-zjj").get(item_url("ZJJ-XK-001")).get_data(as_text=True)
    assert "退回原因：</strong>承诺时限说明与窗口实际不符，请核实。" in html


def test_an_editor_cannot_approve(edit, login_as, item_url, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    response = login_as("editor-zjj").post(item_url("ZJJ-XK-001").replace("/edit", "/approve"))
    assert response.status_code == 403
    assert load_item("ZJJ-XK-001").revision == 1


def test_a_reviewer_of_another_department_cannot_approve(app, edit, client, item_url, load_item):
    from sunshine.site.accounts import create_user
    from tests.conftest import login

    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    with app.app_context():
        create_user("reviewer-scjg", "scjg-review-2026", role="reviewer", department_code="scjg")
    login(client, "reviewer-scjg", "scjg-review-2026")
    assert client.post(item_url("ZJJ-XK-001").replace("/edit", "/approve")).status_code == 403
    assert load_item("ZJJ-XK-001").review_state == "submitted"


def test_editing_a_submitted_item_takes_it_out_of_review(edit, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    response = edit("editor-zjj", "ZJJ-XK-001", "draft", promised_note="资料齐全半日办结")
    assert response.status_code == 302
    assert load_item("ZJJ-XK-001").review_state == ""


def test_approval_with_a_later_date_schedules_the_publish(app, edit, login_as, item_url, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="2027年起当场办结")
    login_as("reviewer-zjj").post(item_url("ZJJ-XK-001").replace("/edit", "/approve"),
                                  data={"publish_on": "2027-01-01"})
    saved = load_item("ZJJ-XK-001")
    assert (saved.review_state, saved.publish_on, saved.revision) == ("scheduled", dt.date(2027, 1, 1), 1)
    with app.app_context():
        assert run_schedules(dt.date(2026, 12, 31)).published == []
        report = run_schedules(dt.date(2027, 1, 1))
    assert report.published == ["ZJJ-XK-001"]
    saved = load_item("ZJJ-XK-001")
    assert (saved.state, saved.review_state, saved.revision) == ("published", "", 2)
    assert saved.published_data["promised_note"] == "2027年起当场办结"


def test_an_approval_date_in_the_past_is_refused(edit, login_as, item_url, load_item):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    response = login_as("reviewer-zjj").post(item_url("ZJJ-XK-001").replace("/edit", "/approve"),
                                             data={"publish_on": "2026-11-30"}, follow_redirects=True)
    assert "生效日期不能早于今天" in response.get_data(as_text=True)
    assert load_item("ZJJ-XK-001").review_state == "submitted"


def test_an_expiry_date_withdraws_the_item_on_that_day(app, edit, load_item):
    response = edit("reviewer-zjj", "ZJJ-XK-001", "publish", expire_on="2026-12-31")
    assert response.status_code == 302
    assert load_item("ZJJ-XK-001").expire_on == dt.date(2026, 12, 31)
    with app.app_context():
        assert run_schedules(dt.date(2026, 12, 30)).expired == []
        assert run_schedules(dt.date(2026, 12, 31)).expired == ["ZJJ-XK-001"]
    saved = load_item("ZJJ-XK-001")
    assert (saved.state, saved.expire_on) == ("withdrawn", None)


def test_an_expiry_date_that_is_not_a_date_is_refused_keeping_the_input(edit, load_item):
    response = edit("reviewer-zjj", "ZJJ-XK-001", "draft", expire_on="明年元旦", promised_note="当日办结")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "失效日期格式不对，请按 2026-03-01 的格式填写。" in html
    assert 'value="当日办结"' in html
    assert load_item("ZJJ-XK-001").promised_note != "当日办结"


def test_the_queue_lists_the_oldest_submission_first(app, edit, login_as):
    with clock.frozen("2026-11-30T09:00:00"):
        edit("editor-zjj", "ZJJ-XK-002", "submit", promised_note="先提交的")
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="后提交的")
    html = login_as("reviewer-zjj").get("/admin/review").get_data(as_text=True)
    with app.app_context():
        names = {code: db.session.scalars(select(ServiceItem.name).where(ServiceItem.code == code)).one()
                 for code in ("ZJJ-XK-001", "ZJJ-XK-002")}
    assert html.index(names["ZJJ-XK-002"]) < html.index(names["ZJJ-XK-001"])
    assert "已等待 1 天1 小时" in html


def test_the_queue_refuses_editors(login_as):
    assert login_as("editor-zjj").get("/admin/review").status_code == 403


def test_the_supervisor_sees_the_queue_without_review_buttons(edit, login_as):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    html = login_as("supervisor").get("/admin/review").get_data(as_text=True)
    assert "已等待" in html
    assert "审核通过</button>" not in html


def test_the_reviewer_previews_a_submitted_draft_before_it_is_public(edit, login_as, item_url):
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="资料齐全当场办结")
    response = login_as("reviewer-zjj").get(item_url("ZJJ-XK-001").replace("/edit", "/preview"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "预览：以下为尚未发布的内容，公开网站上暂不显示" in html
    assert "资料齐全当场办结" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_another_department_cannot_preview(login_as, item_url):
    assert login_as("editor-scjg").get(item_url("ZJJ-XK-001").replace("/edit", "/preview")).status_code == 403


def test_the_queue_is_paged_oldest_first(app, edit, login_as, monkeypatch):
    monkeypatch.setattr("sunshine.site.admin.records.PER_PAGE", 1)
    with clock.frozen("2026-11-30T09:00:00"):
        edit("editor-zjj", "ZJJ-XK-002", "submit", promised_note="先提交的")
    edit("editor-zjj", "ZJJ-XK-001", "submit", promised_note="后提交的")
    with app.app_context():
        names = dict(db.session.execute(select(ServiceItem.code, ServiceItem.name)
                                        .where(ServiceItem.code.in_(["ZJJ-XK-001", "ZJJ-XK-002"]))).all())
    client = login_as("reviewer-zjj")
    first, second = (client.get(f"/admin/review?page={n}").get_data(as_text=True) for n in (1, 2))
    assert names["ZJJ-XK-002"] in first and names["ZJJ-XK-001"] not in first
    assert names["ZJJ-XK-001"] in second and '<ol class="review-queue" start="2">' in second
    assert "第 1 / 2 页，共 2 条" in first
