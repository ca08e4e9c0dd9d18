"""Service items in the back office: who sees and edits what, drafts, publishing, the row tables."""

from __future__ import annotations

import re
from pathlib import Path

from sunshine.site.publishing import PublishError, PublishOutcome


def test_editor_sees_only_own_department_items(login_as):
    html = login_as("editor-zjj").get("/admin/items").get_data(as_text=True)
    assert "ZJJ-XK-001" in html
    assert "建筑工程施工许可证核发" in html
    assert "SCJG-XK-001" not in html
    assert "食品经营许可" not in html


def test_admin_sees_every_department_items(login_as):
    html = login_as("admin").get("/admin/items").get_data(as_text=True)
    assert "ZJJ-XK-001" in html and "SCJG-XK-001" in html and "MZ-JF-001" in html


def test_editor_cannot_open_another_department_item(login_as, item_url):
    client = login_as("editor-scjg")
    response = client.get(item_url("ZJJ-XK-001"))
    assert response.status_code == 403
    assert "您没有权限访问该内容" in response.get_data(as_text=True)


def test_editor_cannot_change_another_department_item(login_as, item_url, load_item):
    before = load_item("ZJJ-XK-001")
    client = login_as("editor-scjg")
    response = client.post(item_url("ZJJ-XK-001"), data={"name": "被篡改的事项名称", "action": "publish"})
    assert response.status_code == 403
    after = load_item("ZJJ-XK-001")
    assert after.name == before.name
    assert after.revision == before.revision
    assert after.updated_at == before.updated_at


def test_editor_cannot_withdraw_another_department_item(login_as, item_url, load_item):
    client = login_as("editor-scjg")
    response = client.post(item_url("ZJJ-XK-001").replace("/edit", "/withdraw"))
    assert response.status_code == 403
    assert load_item("ZJJ-XK-001").state == "published"


def test_supervisor_reads_an_item_without_save_buttons(login_as, item_url):
    response = login_as("supervisor").get(item_url("ZJJ-XK-001"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "没有修改权限" in html
    assert "保存并发布" not in html


def test_supervisor_cannot_save_an_item(login_as, item_url, load_item):
    client = login_as("supervisor")
    response = client.post(item_url("ZJJ-XK-001"), data={"name": "监督员改的名称", "action": "draft"})
    assert response.status_code == 403
    assert load_item("ZJJ-XK-001").name == "建筑工程施工许可证核发"


def test_supervisor_cannot_create_an_item(login_as):
    assert login_as("supervisor").get("/admin/items/new").status_code == 403


def test_save_draft_changes_the_row_but_not_the_public_version(login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    data["promised_note"] = "规费缴清后2个工作日内发证"
    data["action"] = "draft"
    response = client.post(url, data=data, follow_redirects=True)
    assert "已保存草稿，公开网站暂不变化" in response.get_data(as_text=True)
    saved = load_item("ZJJ-XK-001")
    assert saved.promised_note == "规费缴清后2个工作日内发证"
    assert saved.published_data["promised_note"] != "规费缴清后2个工作日内发证"
    assert saved.revision == 1
    assert saved.has_unpublished_changes
    assert saved.state == "published"


def test_save_draft_keeps_every_field_of_an_untouched_form(login_as, item_url, form_of, load_item):
    before = load_item("ZJJ-XK-001")
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    client.post(url, data={**form_of(url), "action": "draft"})
    after = load_item("ZJJ-XK-001")
    for name in ("name", "legal_basis", "conditions", "statutory_days", "promised_days", "case_type",
                 "online", "in_hall", "keywords", "effective_date", "materials", "steps", "fees"):
        old, new = getattr(before, name), getattr(after, name)
        if isinstance(old, str):  # surrounding whitespace is trimmed on save
            old, new = old.strip(), new.strip()
        assert new == old, name


def test_publish_makes_a_new_revision_and_rebuilds_the_site(app, login_as, item_url, form_of, load_item):
    client = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    data["conditions"] += "\n- 建设单位已签订农民工工资支付保证承诺书。"
    data["action"] = "publish"
    response = client.post(url, data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已发布第2版，网站已更新（用时" in html, html[:3000]
    saved = load_item("ZJJ-XK-001")
    assert saved.revision == 2
    assert not saved.has_unpublished_changes
    assert "农民工工资支付保证承诺书" in saved.published_data["conditions"]
    from pathlib import Path

    page = Path(app.config["SUNSHINE_WEB_ROOT"]) / "current" / "items" / "ZJJ-XK-001" / "index.html"
    assert "农民工工资支付保证承诺书" in page.read_text(encoding="utf-8")


def test_failed_site_build_keeps_the_item_published(login_as, item_url, form_of, load_item, monkeypatch):
    def broken_build(app):
        raise PublishError("主题模板缺失")

    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site", broken_build)
    client = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    data = {**form_of(url), "promised_note": "规费缴清后当日发证", "action": "publish"}
    html = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "内容已发布，但网站生成失败：主题模板缺失，请稍后点击重新生成网站" in html
    saved = load_item("ZJJ-XK-001")
    assert saved.revision == 2
    assert saved.published_data["promised_note"] == "规费缴清后当日发证"


def test_publishing_an_incomplete_item_is_refused_with_the_missing_fields(login_as, form_of, load_item):
    client = login_as("reviewer-zjj")
    data = form_of("/admin/items/new")
    data.update({"code": "ZJJ-XK-009", "name": "城镇污水排入排水管网许可", "item_type": "行政许可",
                 "statutory_days": "20", "promised_days": "10", "action": "publish"})
    response = client.post("/admin/items/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = html.split('id="error-summary"')[1].split("</h2>")[0]
    assert "不能发布" in summary
    for missing in ("设定依据", "受理条件", "申请材料", "办理流程"):
        assert missing in summary
    assert "办理地点" not in summary  # prefilled from the department's window
    assert 'value="城镇污水排入排水管网许可"' in html
    assert load_item("ZJJ-XK-009") is None


def test_publishing_with_promised_days_over_statutory_is_refused(login_as, item_url, form_of, load_item):
    client = login_as("reviewer-zjj")
    url = item_url("ZJJ-XK-001")
    data = {**form_of(url), "promised_days": "9", "action": "publish"}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "承诺办结时限不得超过法定办结时限" in response.get_data(as_text=True)
    saved = load_item("ZJJ-XK-001")
    assert saved.revision == 1
    assert saved.promised_days == 3


def test_invalid_form_keeps_what_was_typed(login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    data.update({"name": "", "promised_note": "材料齐全当场受理，次日发证", "statutory_days": "七天",
                 "action": "draft"})
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写事项名称" in html
    assert "请填写0到3650之间的整数" in html
    assert "材料齐全当场受理，次日发证" in html
    assert 'value="七天"' in html
    assert load_item("ZJJ-XK-001").promised_note != "材料齐全当场受理，次日发证"


def test_blank_rows_are_ignored_and_ticked_rows_deleted(login_as, item_url, form_of, load_item):
    before = load_item("ZJJ-XK-001")
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    blank = [k for k in data if re.fullmatch(r"materials-\d+-name", k) and not data[k]]
    assert len(blank) == 2  # two blank rows offered under the filled ones
    data["materials-0-delete"] = "y"
    data[blank[0]] = "法定代表人身份证明"
    data["action"] = "draft"
    assert client.post(url, data=data).status_code == 302
    after = load_item("ZJJ-XK-001")
    assert after.materials == before.materials[1:] + ["法定代表人身份证明"]
    assert after.steps == before.steps
    assert after.fees == before.fees


def test_a_row_with_notes_but_no_name_is_an_error(login_as, item_url, form_of):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = form_of(url)
    blank = next(k for k in data if re.fullmatch(r"steps-\d+-name", k) and not data[k])
    data[blank.replace("-name", "-office")] = "县人防办"
    data["action"] = "draft"
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "请填写环节名称" in response.get_data(as_text=True)


def test_editor_creates_items_only_in_own_department(login_as, form_of, load_item):
    client = login_as("editor-zjj")
    data = form_of("/admin/items/new")
    assert "department" not in data
    data.update({"code": "ZJJ-XK-010", "name": "临时占用城市道路许可", "item_type": "行政许可",
                 "statutory_days": "20", "promised_days": "5", "department": "scjg", "action": "draft"})
    assert client.post("/admin/items/new", data=data).status_code == 302
    assert load_item("ZJJ-XK-010").department_code == "zjj"


def test_admin_chooses_the_department_of_a_new_item(login_as, form_of, load_item):
    client = login_as("admin")
    data = form_of("/admin/items/new")
    data.update({"code": "MZ-JF-009", "name": "困难残疾人生活补贴", "item_type": "行政给付",
                 "statutory_days": "20", "promised_days": "10", "department": "mz", "action": "draft"})
    assert client.post("/admin/items/new", data=data).status_code == 302
    assert load_item("MZ-JF-009").department_code == "mz"


def test_item_code_must_be_unique(login_as, form_of):
    client = login_as("editor-zjj")
    data = form_of("/admin/items/new")
    data.update({"code": "ZJJ-XK-001", "name": "重复编码的事项", "item_type": "行政许可",
                 "statutory_days": "5", "promised_days": "3", "action": "draft"})
    response = client.post("/admin/items/new", data=data)
    assert response.status_code == 400
    assert "编码 ZJJ-XK-001 已被使用" in response.get_data(as_text=True)


def test_item_code_allows_only_letters_digits_dash_underscore(login_as, form_of, load_item):
    client = login_as("editor-zjj")
    data = form_of("/admin/items/new")
    data.update({"code": "施工 许可", "name": "编码不合规的事项", "item_type": "行政许可",
                 "statutory_days": "5", "promised_days": "3", "action": "draft"})
    response = client.post("/admin/items/new", data=data)
    assert response.status_code == 400
    assert "编码只能用英文字母、数字" in response.get_data(as_text=True)


def test_code_cannot_be_changed_after_creation(login_as, item_url, form_of, load_item):
    client = login_as("editor-zjj")
    url = item_url("ZJJ-XK-001")
    data = {**form_of(url), "code": "ZJJ-NEW-001", "action": "draft"}
    assert client.post(url, data=data).status_code == 302
    assert load_item("ZJJ-XK-001") is not None
    assert load_item("ZJJ-NEW-001") is None


def test_withdraw_takes_the_item_off_the_public_site(login_as, item_url, load_item, monkeypatch):
    rebuilt = []
    monkeypatch.setattr("sunshine.site.jobs.publishing.publish_site", lambda app: rebuilt.append(app) or
                        PublishOutcome(Path("snapshot.json"), Path("builds/b1"), 0.4, 12))
    client = login_as("reviewer-zjj")
    response = client.post(item_url("ZJJ-XK-002").replace("/edit", "/withdraw"), follow_redirects=True)
    assert "已撤回，网站已更新" in response.get_data(as_text=True)
    assert load_item("ZJJ-XK-002").state == "withdrawn"
    assert rebuilt


def test_refused_publish_of_a_new_item_keeps_the_new_form(login_as, form_of, load_item):
    client = login_as("admin")
    data = form_of("/admin/items/new")
    data.update({"code": "YBJ-QR-009", "name": "医药机构医保定点申请受理", "item_type": "行政确认",
                 "department": "ybj", "legal_basis": "《医疗保障基金使用监督管理条例》第十四条",
                 "conditions": "依法设立并正式运营满3个月的医药机构", "statutory_days": "20",
                 "promised_days": "15", "location": "清川县政务服务中心一楼", "hours": "工作日 9:00-17:00",
                 "consult_phone": "0827-5220188", "complaint_phone": "0827-5220110",
                 "materials-0-name": "定点医药机构申请表", "steps-0-name": "受理", "action": "publish"})
    response = client.post("/admin/items/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "所属部门尚未发布" in html
    assert 'action="/admin/items/new"' in html
    assert "已发布版本" not in html
    assert load_item("YBJ-QR-009") is None
