"""Every text field of the back office: NFC, and no control or bidi characters (issue 8, point 8).

The rule is the public forms' (``text_input.clean_text``), bound once in the forms' ``Meta``:
these tests post real forms the way a browser would, with a character slipped in, and check
that the field is named in the message, shown back without the character, and nothing saved.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField

from sunshine.site.admin.forms.auth import LoginForm
from sunshine.site.admin.forms.common import AdminForm, RowForm
from sunshine.site.db import db
from sunshine.site.models import Channel, Department
from sunshine.site.text_input import BIDI_MESSAGE, CONTROL_MESSAGE, ENCODING_MESSAGE
from tests.admin.htmlforms import form_fields


def _record_url(app, model, code: str) -> str:
    """The edit page of a department or channel, by code."""
    with app.app_context():
        record_id = db.session.scalars(select(model.id).where(model.code == code)).one()
    return f"/admin/{model.__name__.lower()}s/{record_id}/edit"


def _refused(response, label: str, message: str) -> str:
    """The page shown back: 400, with ``label：message`` in the error summary."""
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"{label}：{message}" in html
    return html


# --- the item form: its own fields and the three row tables --------------------------------------

ITEM_CASES = [
    # field, typed, label in the summary, message, shown back
    ("name", "建筑工程施工许可证核发\x00（变更）", "事项名称", CONTROL_MESSAGE, "建筑工程施工许可证核发（变更）"),
    ("location", "清川县政务服务中心\n二楼东区16号窗口", "办理地点", CONTROL_MESSAGE, "清川县政务服务中心二楼东区16号窗口"),
    ("promised_note", "缴清规费后\ufffd3个工作日内发证", "承诺时限说明", ENCODING_MESSAGE, "缴清规费后3个工作日内发证"),
    ("conditions", "- 已经办理用地批准手续\u202e；\n- 已取得规划许可证。", "受理条件", BIDI_MESSAGE,
     "- 已经办理用地批准手续；\n- 已取得规划许可证。"),
    ("materials-1-name", "建设工程规划许可证\u0007", "申请材料第2行 材料名称", CONTROL_MESSAGE, "建设工程规划许可证"),
    ("materials-6-name", "\x00", "申请材料第7行 材料名称", CONTROL_MESSAGE, ""),
    ("steps-2-description", "审查用地、规划\u202e、招标", "办理流程第3行 说明", BIDI_MESSAGE, "审查用地、规划、招标"),
    ("fees-0-standard", "按地上建筑面积每平方米\x0b60元计收", "收费项目第1行 收费标准", CONTROL_MESSAGE,
     "按地上建筑面积每平方米60元计收"),
]


@pytest.mark.parametrize(("field", "typed", "label", "message", "shown"), ITEM_CASES,
                         ids=[case[0] for case in ITEM_CASES])
def test_an_item_field_with_a_bad_character_is_refused_and_shown_back_clean(
        login_as, form_of, item_url, load_item, field, typed, label, message, shown):
    url = item_url("ZJJ-XK-001")
    before = load_item("ZJJ-XK-001")
    client = login_as("editor-zjj")
    response = client.post(url, data={**form_of(url), field: typed, "action": "draft"})
    html = _refused(response, label, message)
    assert f'id="{field}-error">{message}' in html  # inline, at the field
    assert form_fields(html, action=url)[field] == shown
    after = load_item("ZJJ-XK-001")
    assert (after.updated_at, after.revision, after.name, after.materials, after.steps, after.fees) == (
        before.updated_at, before.revision, before.name, before.materials, before.steps, before.fees)


def test_an_item_keeps_full_width_characters_as_typed(login_as, form_of, item_url, load_item):
    url = item_url("ZJJ-XK-001")
    client = login_as("editor-zjj")
    location = "清川县政务服务中心２楼１６－１７号窗口（东区）"
    assert client.post(url, data={**form_of(url), "location": location, "action": "draft"}).status_code == 302
    assert load_item("ZJJ-XK-001").location == location  # NFC, not NFKC: full-width stays full-width


# --- the other record forms ----------------------------------------------------------------------

def test_a_notice_title_with_a_control_character_is_not_saved(login_as, form_of, load_notice):
    client = login_as("editor-mz")
    data = {**form_of("/admin/notices/new"), "code": "MZ-2027-01", "title": "关于春节期间\x07高龄津贴认证的通知",
            "body": "请80周岁以上老年人于1月31日前到民政局窗口认证。", "date": "2027-01-04", "action": "draft"}
    html = _refused(client.post("/admin/notices/new", data=data), "标题", CONTROL_MESSAGE)
    assert form_fields(html, action="/admin/notices/new")["title"] == "关于春节期间高龄津贴认证的通知"
    assert load_notice("MZ-2027-01") is None


def test_a_notice_is_stored_nfc_with_its_line_breaks_and_tabs(login_as, form_of, load_notice):
    client = login_as("admin")
    data = {**form_of("/admin/notices/new"), "code": "MZ-2027-02", "department": "mz",
            "title": "关于“Cafe\u0301 清川”咖啡馆食品经营许可证注销的公告",
            "body": "一、注销事由\r\n经营者申请注销。\r\n二、材料\t可使用韩文（\u1112\u1161\u11ab\u1100\u1173\u11af）材料",
            "date": "2027-01-04", "action": "draft"}
    assert client.post("/admin/notices/new", data=data).status_code == 302
    stored = load_notice("MZ-2027-02")
    assert stored.title == "关于“Café 清川”咖啡馆食品经营许可证注销的公告"
    assert stored.body == "一、注销事由\n经营者申请注销。\n二、材料\t可使用韩文（한글）材料"


def test_a_department_field_with_a_nul_is_not_saved(app, login_as, form_of):
    url = _record_url(app, Department, "zjj")
    client = login_as("editor-zjj")
    html = _refused(client.post(url, data={**form_of(url), "backup_name": "赵建华\x00", "action": "draft"}),
                    "AB角（后备）姓名", CONTROL_MESSAGE)
    assert form_fields(html, action=url)["backup_name"] == "赵建华"
    with app.app_context():
        assert db.session.scalars(select(Department.backup_name).where(Department.code == "zjj")).one() != "赵建华"


def test_a_department_name_is_stored_nfc(app, login_as, form_of):
    url = _record_url(app, Department, "zjj")
    client = login_as("editor-zjj")
    assert client.post(url, data={**form_of(url), "chief_name": "李晓燕（Ame\u0301lie）",
                                  "action": "draft"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Department.chief_name).where(Department.code == "zjj")).one() == (
            "李晓燕（Amélie）")


def test_a_channel_field_with_a_bidi_override_is_not_saved(app, login_as, form_of):
    url = _record_url(app, Channel, "hotline-ts")
    client = login_as("admin")
    before = form_of(url)["hours"]
    _refused(client.post(url, data={**form_of(url), "hours": "全天24小时\u202e受理", "action": "draft"}),
             "受理时间", BIDI_MESSAGE)
    assert form_of(url)["hours"] == before


def test_a_complaint_answer_with_a_bell_character_is_refused(login_as, new_complaint, move_complaint,
                                                             load_complaint):
    complaint_id = new_complaint("scjg")
    move_complaint(complaint_id, "accept")
    response = login_as("editor-scjg").post(f"/admin/complaints/{complaint_id}/reply",
                                            data={"reply-reply": "已核实，窗口\x07将一次性告知所需材料。"})
    _refused(response, "答复意见（投诉人查询时可见，办结后经同意可匿名公开）", CONTROL_MESSAGE)
    assert (load_complaint(complaint_id).status, load_complaint(complaint_id).reply) == ("accepted", "")


def test_a_question_answer_with_a_bidi_isolate_is_refused(login_as, new_question, load_question):
    question_id = new_question("scjg")
    response = login_as("editor-scjg").post(f"/admin/questions/{question_id}/answer",
                                            data={"answer-answer": "变更经营场所请携带\u2067营业执照\u2069原件。"})
    _refused(response, "答复内容（提问人查询时可见；经同意可匿名公开）", BIDI_MESSAGE)
    assert load_question(question_id).status == "received"


# --- the rule itself, on a form written for this test -------------------------------------------

class _ProbeRow(RowForm):
    TEXT_FIELDS = ("name",)
    name = StringField("材料名称")


class _ProbeForm(AdminForm):
    """A form no view knows: it gets the rule because it is an AdminForm."""

    title = StringField("标题")
    body = TextAreaField("正文")
    secret = PasswordField("口令")
    rows = FieldList(FormField(_ProbeRow), label="材料", min_entries=1)


def _probe(app, **data) -> _ProbeForm:
    with app.test_request_context(method="POST", data=data):
        form = _ProbeForm()
        form.validate()
        return form


def test_a_new_form_gets_the_rule_for_its_single_line_fields(app):
    form = _probe(app, title="公告\t标题")
    assert (form.title.errors, form.title.data) == ([CONTROL_MESSAGE], "公告标题")


def test_a_new_form_keeps_tabs_and_line_breaks_in_multi_line_fields(app):
    form = _probe(app, title="公告", body="第一条\r\n第二条\t附表\r")
    assert (form.body.errors, form.body.data) == ([], "第一条\n第二条\t附表")


def test_a_new_form_gets_the_rule_in_its_row_tables(app):
    form = _probe(app, title="公告", **{"rows-0-name": "申请表\u202d"})
    assert (form.rows[0].form.name.errors, form.rows[0].form.name.data) == ([BIDI_MESSAGE], "申请表")


def test_passwords_are_never_rewritten(app):
    form = _probe(app, title="公告", secret=" pa\u0301ss\tword ")
    assert (form.secret.errors, form.secret.data) == ([], " pa\u0301ss\tword ")


def test_the_login_form_keeps_the_password_and_cleans_the_user_name(app):
    with app.test_request_context(method="POST", data={"username": " edito\u0301r-zjj ", "password": "Mi\u0301ma\x00"}):
        form = LoginForm()
        form.validate()
        assert (form.username.data, form.password.data) == ("editór-zjj", "Mi\u0301ma\x00")


def test_every_date_field_is_typed_in_one_format(login_as):
    """Browsers show <input type=date> in their own locale's format; ours are text with the one pattern."""
    html = login_as("editor-zjj").get("/admin/notices/new").get_data(as_text=True)
    date_input = html.split('name="date"')[0].rsplit("<input", 1)[1] + html.split('name="date"')[1].split(">")[0]
    assert 'type="text"' in date_input
    assert 'placeholder="2026-03-01"' in date_input and r'pattern="\d{4}-\d{2}-\d{2}"' in date_input
    assert 'type="date"' not in html
