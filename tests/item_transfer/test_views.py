"""The back-office page: who may import or export which department, what the page says, the upload limit."""

from __future__ import annotations

import io

import pytest

from .conftest import NEW_ITEM, new_item_tables, xlsx_bytes

URL = "/admin/items/transfer"


def upload(client, data: bytes, filename: str = "住建局事项.xlsx", **extra):
    return client.post(URL, data={"file": (io.BytesIO(data), filename), **extra}, content_type="multipart/form-data")


def test_editor_imports_into_their_department_and_sees_the_summary(login_as, stored, audit_entries, user_id):
    response = upload(login_as("editor-zjj"), xlsx_bytes(new_item_tables()))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "新建草稿 <strong>1</strong> 项，更新 <strong>0</strong> 项，未变 <strong>0</strong> 项" in html
    assert "公开网站暂不变化" in html
    item = stored("ZJJ-XK-010")
    assert (item.department, item.state) == ("zjj", "draft")
    assert item.revisions[0][3] == user_id("editor-zjj")
    entry = audit_entries("import")[-1]
    assert (entry.username, entry.summary) == ("editor-zjj", "导入“住建局事项.xlsx”：新建草稿 1 项，更新 0 项，未变 0 项")


def test_the_problem_page_lists_every_problem_and_saves_nothing(login_as, counts):
    before = counts()
    response = upload(login_as("reviewer-zjj"), xlsx_bytes({"事项": [{**NEW_ITEM, "事项类型": ""}]}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "文件“住建局事项.xlsx”未导入：发现 1 个问题，没有保存任何内容。" in html
    assert "「事项」表第2行「事项类型」：请选择事项类型。" in html
    assert counts() == before


@pytest.mark.parametrize("username", ["editor-zjj", "reviewer-zjj"])
def test_office_staff_cannot_import_into_another_department(login_as, counts, username):
    before = counts()
    response = upload(login_as(username), xlsx_bytes(new_item_tables()), department="scjg")
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_office_staff_cannot_export_another_department(login_as, audit_entries, kind):
    response = login_as("editor-zjj").get(f"{URL}/export.{kind}?department=scjg")
    assert response.status_code == 403
    assert audit_entries("export") == []


def test_export_is_audited_and_never_cached(login_as, audit_entries):
    response = login_as("editor-zjj").get(f"{URL}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E4%BD%8F%E5%BB%BA%E5%B1%80" in response.headers["Content-Disposition"]  # 住建局…
    entry = audit_entries("export")[-1]
    assert (entry.username, entry.summary, entry.detail) == (
        "editor-zjj", "导出住建局的服务事项 4 项（Excel）", {"department": "zjj", "format": "xlsx", "items": 4})


def test_supervisor_may_export_any_department_but_never_import(login_as, counts):
    client = login_as("supervisor")
    assert client.get(f"{URL}/export.zip?department=scjg").status_code == 200
    page = client.get(f"{URL}?department=scjg").get_data(as_text=True)
    assert "导出为 Excel（.xlsx）" in page and "检查并导入" not in page
    before = counts()
    assert upload(client, xlsx_bytes(new_item_tables()), department="zjj").status_code == 403
    assert counts() == before


def test_administrator_chooses_the_department(login_as, stored):
    client = login_as("admin")
    page = client.get(URL).get_data(as_text=True)
    assert "请先选择部门，再导出或导入该部门的事项。" in page and "检查并导入" not in page
    response = upload(client, xlsx_bytes(new_item_tables()))
    assert response.status_code == 400 and "请先选择要导入到哪个部门。" in response.get_data(as_text=True)
    scjg_item = {**NEW_ITEM, "事项编码": "SCJG-XK-010", "事项名称": "食品小作坊登记"}
    assert upload(client, xlsx_bytes({"事项": [scjg_item]}), department="scjg").status_code == 200
    assert stored("SCJG-XK-010").department == "scjg"


def test_an_unknown_department_is_404(login_as):
    assert login_as("admin").get(f"{URL}/export.xlsx?department=nope").status_code == 404


def test_the_page_explains_the_steps_and_that_nothing_is_published(login_as):
    html = login_as("editor-zjj").get(URL).get_data(as_text=True)
    assert "下载导入模板，或导出本部门现有的事项" in html
    assert "导入的事项都是草稿，不会直接发布" in html
    assert "CSV 一个文件只能放一张表，所以导出为压缩包" in html
    assert "可选：即办件、承诺件、联办件、上报件；空白按“承诺件”" in html


def test_the_items_list_links_to_the_page(login_as):
    assert 'href="/admin/items/transfer"' in login_as("editor-zjj").get("/admin/items").get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_in_chinese(app, login_as, counts):
    app.config["SUNSHINE_IMPORT_MAX_BYTES"] = 1024
    before = counts()
    response = upload(login_as("editor-zjj"), xlsx_bytes(new_item_tables()))
    assert response.status_code == 413
    assert "上传的文件超过" in response.get_data(as_text=True)
    assert counts() == before


def test_a_wrong_file_type_is_refused_in_chinese(login_as):
    response = upload(login_as("editor-zjj"), b"%PDF-1.7", "事项.pdf")
    assert response.status_code == 400
    assert "只能导入 Excel（.xlsx）、CSV 压缩包（.zip）或 CSV（.csv）文件。" in response.get_data(as_text=True)


def test_the_template_downloads_for_any_role_that_may_import_or_export(login_as):
    response = login_as("supervisor").get(f"{URL}/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
