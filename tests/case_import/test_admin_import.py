"""The back-office import page: who may use it, what it shows, CSRF on the upload."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from sunshine.site.db import db
from sunshine.site.models import ServiceCase
from tests.conftest import csrf_token

from .conftest import ACCEPTED, ON_THE_SPOT, csv_bytes, xlsx_bytes

URL = "/admin/cases/import"


def upload(client, data: bytes, filename: str = "cases.csv", **extra):
    return client.post(URL, data={"file": (io.BytesIO(data), filename), **extra},
                       content_type="multipart/form-data")


def test_editor_imports_own_department_cases_and_sees_the_codes_once(login_as, load_case):
    client = login_as("editor-zjj")
    response = upload(client, csv_bytes([ACCEPTED]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "新建 <strong>1</strong> 件" in html
    assert "ZJJ-2026-000101" in html and "新办件的查询码（只显示这一次）" in html
    assert load_case("ZJJ-2026-000101").source == "import"


def test_editor_cannot_import_another_departments_item(login_as, case_count):
    client = login_as("editor-zjj")
    response = upload(client, csv_bytes([ACCEPTED, ON_THE_SPOT]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "第3行「事项编码」：事项 SCJG-XK-002 属于市场监管局，您只能导入本部门事项的办件。" in html
    assert "没有保存任何办件" in html
    assert case_count() == 0


def test_admin_imports_xlsx_for_any_department(login_as, case_count):
    client = login_as("admin")
    response = upload(client, xlsx_bytes([ACCEPTED, ON_THE_SPOT]), "办件清单.xlsx")
    assert response.status_code == 200
    assert case_count() == 2


def test_problem_page_never_echoes_applicant_data(login_as):
    client = login_as("admin")
    response = upload(client, csv_bytes([{**ON_THE_SPOT, "事项编码": "SCJG-XK-999"}]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "王秀英" not in html and "13905712468" not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_supervisor_may_not_import(login_as, method):
    client = login_as("supervisor")
    response = client.get(URL) if method == "get" else upload(client, csv_bytes([ACCEPTED]))
    assert response.status_code == 403


def test_missing_or_wrong_file_type_is_a_400_in_chinese(login_as):
    client = login_as("editor-zjj")
    assert "请选择要导入的 CSV 或 Excel（.xlsx）文件。" in client.post(URL, data={}).get_data(as_text=True)
    response = upload(client, b"%PDF-1.7", "cases.pdf")
    assert response.status_code == 400
    assert "只能导入 CSV（.csv）或 Excel（.xlsx）文件。" in response.get_data(as_text=True)


def test_template_download_has_the_header_and_one_example(login_as):
    response = login_as("editor-zjj").get(URL + "/template.csv")
    lines = response.get_data().decode("utf-8-sig").splitlines()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert lines[0].startswith("办件编号,事项编码,收件日期,状态,状态日期,说明,延期工作日,当场办结,申请人,联系电话,证件号码,收费明细,查询码")
    assert len(lines) == 2 and lines[1].startswith("ZJJ-2026-000123,ZJJ-XK-001,2026-09-28,受理")


def test_codes_download_is_made_from_the_posted_result(login_as):
    client = login_as("editor-zjj")
    response = client.post(URL + "/codes.csv", data={"case_no": ["ZJJ-2026-000101", "ZJJ-2026-000104"],
                                                      "code": ["K7M2Q9XP", "T3WZ8RNA"]})
    assert response.status_code == 200
    assert response.get_data().decode("utf-8-sig").splitlines() == [
        "办件编号,查询码", "ZJJ-2026-000101,K7M2Q9XP", "ZJJ-2026-000104,T3WZ8RNA"]
    assert response.headers["Cache-Control"] == "no-store"


def test_codes_download_refuses_mismatched_fields(login_as):
    client = login_as("editor-zjj")
    response = client.post(URL + "/codes.csv", data={"case_no": ["ZJJ-2026-000101"], "code": []})
    assert response.status_code == 400


@pytest.fixture
def csrf_editor(csrf_demo):
    csrf_app = csrf_demo
    client = csrf_app.test_client()
    token = csrf_token(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data={"username": "editor-zjj", "password": "editor-demo-2026",
                                                 "csrf_token": token})
    assert response.status_code == 302
    return client


def _stored(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ServiceCase.case_no)))


def test_upload_without_csrf_token_is_refused_and_nothing_stored(csrf_app, csrf_editor):
    response = upload(csrf_editor, csv_bytes([ACCEPTED]))
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert _stored(csrf_app) == []


def test_upload_with_the_page_token_imports(csrf_app, csrf_editor):
    token = csrf_token(csrf_editor.get(URL).get_data(as_text=True))
    response = upload(csrf_editor, csv_bytes([ACCEPTED]), csrf_token=token)
    assert response.status_code == 200
    assert _stored(csrf_app) == ["ZJJ-2026-000101"]


def test_an_import_over_the_general_2_mb_limit_passes_the_csrf_check(csrf_app, csrf_editor):
    """The import limit is raised before the CSRF check reads the form (it refused 3 MB with 413)."""
    token = csrf_token(csrf_editor.get(URL).get_data(as_text=True))
    rows = [{**ACCEPTED, "事项编码": "ZJJ-XK-999", "申请人": "王" * 40} for _ in range(1)]
    padding = b"\n" * (3 * 1024 * 1024)  # blank lines: a 3 MB file whose one row refers to an unknown item
    response = upload(csrf_editor, csv_bytes(rows) + padding, csrf_token=token)
    assert response.status_code == 400  # read and checked, not refused for its size
    assert "ZJJ-XK-999" in response.get_data(as_text=True)
    assert _stored(csrf_app) == []


def test_an_import_over_the_import_limit_is_refused_in_chinese(csrf_app, csrf_editor):
    csrf_app.config["SUNSHINE_IMPORT_MAX_BYTES"] = 1024 * 1024
    token = csrf_token(csrf_editor.get(URL).get_data(as_text=True))
    response = upload(csrf_editor, b"a" * (1024 * 1024 + 10), csrf_token=token)
    assert response.status_code == 413
