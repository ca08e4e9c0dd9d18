"""办件管理 in the back office: scoped list, one case, status changes, and 登记办件 with its query code."""

from __future__ import annotations

import datetime as dt
import re

from sunshine.site import clock

D = dt.date.fromisoformat

REGISTRATION = {
    "item": "ZJJ-XK-002",
    "case_no": "zjj-2026-000301",
    "received_on": "2026-09-28",
    "status": "accepted",
    "note": "",
    "applicant_name": "清川县鑫达房地产开发有限公司",
    "applicant_phone": "0827-5231234",
    "applicant_id_no": "51162319790605302x",
    "fees-0-name": "城市基础设施配套费",
    "fees-0-amount": "36000",
    "fees-1-name": "防空地下室易地建设费",
    "fees-1-amount": "12,500.50",
    "fees-2-name": "",
    "fees-2-amount": "",
}


def _at(day: str):
    return clock.frozen(f"{day}T10:00:00")


# --- who sees what ---------------------------------------------------------------------------

def test_office_staff_list_only_their_own_departments_cases(login_as, make_case):
    make_case()
    make_case("SCJG-2026-000031", "SCJG-XK-001")
    client = login_as("editor-zjj")
    with _at("2026-09-30"):
        html = client.get("/admin/cases").get_data(as_text=True)
    assert "ZJJ-2026-000128" in html
    assert "SCJG-2026-000031" not in html


def test_staff_of_another_department_may_not_open_a_case(login_as, make_case):
    case_id = make_case("SCJG-2026-000031", "SCJG-XK-001")
    assert login_as("editor-zjj").get(f"/admin/cases/{case_id}").status_code == 403


def test_staff_of_another_department_may_not_change_a_case(login_as, make_case, load_case):
    case_id = make_case("SCJG-2026-000031", "SCJG-XK-001")
    client = login_as("editor-zjj")
    with _at("2026-09-30"):
        response = client.post(f"/admin/cases/{case_id}/status", data={"status": "processing", "on": "2026-09-30"})
    assert response.status_code == 403
    assert load_case(case_id).status == "accepted"


def test_supervisor_lists_every_department(login_as, make_case):
    make_case()
    make_case("SCJG-2026-000031", "SCJG-XK-001")
    with _at("2026-09-30"):
        html = login_as("supervisor").get("/admin/cases").get_data(as_text=True)
    assert "ZJJ-2026-000128" in html and "SCJG-2026-000031" in html


def test_supervisor_reads_a_case_without_the_status_form(login_as, make_case):
    case_id = make_case()
    with _at("2026-09-30"):
        response = login_as("supervisor").get(f"/admin/cases/{case_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'action="/admin/cases/{case_id}/status"' not in html


def test_supervisor_may_not_change_a_case(login_as, make_case, load_case):
    case_id = make_case()
    with _at("2026-09-30"):
        response = login_as("supervisor").post(f"/admin/cases/{case_id}/status",
                                               data={"status": "processing", "on": "2026-09-30"})
    assert response.status_code == 403
    assert load_case(case_id).status == "accepted"


def test_an_unknown_case_is_404(login_as, demo):
    assert login_as("admin").get("/admin/cases/987654").status_code == 404


def test_detail_shows_the_deadline_with_how_it_was_counted(login_as, make_case):
    case_id = make_case()
    with _at("2026-09-30"):
        html = login_as("reviewer-zjj").get(f"/admin/cases/{case_id}").get_data(as_text=True)
    assert "2026-10-10<br>" in html
    assert ('<span class="hint" id="deadline-explanation">自2026年9月28日受理起计5个工作日；'
            "其间国庆节（10月1日至7日）不计，10月10日（星期六）为调休上班日，计入</span>") in html
    assert '<dd id="case-progress">剩余3个工作日' in html


# --- filters ---------------------------------------------------------------------------------

def test_red_filter_lists_only_overdue_cases(login_as, make_case):
    make_case()  # due 2026-10-10
    make_case("ZJJ-2026-000140", received_on="2026-10-12")  # due 2026-10-19
    with _at("2026-10-14"):
        html = login_as("editor-zjj").get("/admin/cases?warning=red").get_data(as_text=True)
    assert "ZJJ-2026-000128" in html and "ZJJ-2026-000140" not in html
    assert "已超期3个工作日" in html


def test_completed_filter_hides_running_cases(login_as, make_case, move_case):
    done = make_case()
    move_case(done, "completed", "2026-10-09")
    make_case("ZJJ-2026-000140", received_on="2026-10-12")
    with _at("2026-10-14"):
        html = login_as("editor-zjj").get("/admin/cases?status=completed").get_data(as_text=True)
    assert "ZJJ-2026-000128" in html and "ZJJ-2026-000140" not in html


# --- status changes --------------------------------------------------------------------------

def test_editor_records_a_step_of_their_departments_case(login_as, make_case, load_case):
    case_id = make_case()
    client = login_as("editor-zjj")
    with _at("2026-09-30"):
        response = client.post(f"/admin/cases/{case_id}/status",
                               data={"status": "processing", "on": "2026-09-30", "note": "已转审批股审查"})
    assert response.status_code == 302
    stored = load_case(case_id)
    assert stored.status == "processing"
    assert stored.events[-1] == ("2026-09-30", "processing", "已转审批股审查")


def test_extension_through_the_form_moves_the_deadline(login_as, make_case, load_case):
    case_id = make_case()
    with _at("2026-10-09"):
        login_as("reviewer-zjj").post(f"/admin/cases/{case_id}/status", data={
            "status": "extended", "on": "2026-10-09", "extension_days": "3",
            "note": "需组织现场踏勘，经局长批准延长3个工作日"})
    stored = load_case(case_id)
    assert (stored.status, stored.deadline) == ("extended", D("2026-10-14"))


def test_extension_without_a_reason_is_a_400_keeping_the_days(login_as, make_case, load_case):
    case_id = make_case()
    with _at("2026-10-09"):
        response = login_as("editor-zjj").post(f"/admin/cases/{case_id}/status", data={
            "status": "extended", "on": "2026-10-09", "extension_days": "3", "note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "延期须写明理由（延期办结告知制）。" in html
    assert 'value="3"' in re.search(r'<input[^>]*name="extension_days"[^>]*>', html).group(0)
    assert load_case(case_id).deadline == D("2026-10-10")


def test_a_future_date_is_refused_by_the_form(login_as, make_case, load_case):
    case_id = make_case()
    with _at("2026-09-30"):
        response = login_as("editor-zjj").post(f"/admin/cases/{case_id}/status",
                                               data={"status": "completed", "on": "2026-10-08"})
    assert response.status_code == 400
    assert "日期不能晚于今天（2026-09-30）。" in response.get_data(as_text=True)
    assert load_case(case_id).status == "accepted"


def test_a_status_not_allowed_now_is_refused(login_as, make_case, move_case, load_case):
    case_id = make_case()
    move_case(case_id, "completed", "2026-10-09")
    with _at("2026-10-12"):
        response = login_as("admin").post(f"/admin/cases/{case_id}/status",
                                          data={"status": "processing", "on": "2026-10-12"})
    assert response.status_code == 400
    assert load_case(case_id).status == "completed"


# --- 登记办件 -----------------------------------------------------------------------------------

def test_the_item_list_offers_only_the_departments_published_items(login_as, demo):
    with _at("2026-09-28"):
        html = login_as("editor-zjj").get("/admin/cases/new").get_data(as_text=True)
    assert 'value="ZJJ-XK-002"' in html
    assert 'value="SCJG-XK-001"' not in html


def test_registering_shows_the_query_code_once(login_as, demo):
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new", data=REGISTRATION)
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", re.search(r'id="query-code">([^<]+)<', html).group(1))


def test_a_registered_case_is_stored_with_fees_in_fen(login_as, load_case):
    with _at("2026-09-28"):
        login_as("editor-zjj").post("/admin/cases/new", data=REGISTRATION)
    stored = load_case(case_no="ZJJ-2026-000301")
    assert (stored.item_code, stored.department_code, stored.source) == ("ZJJ-XK-002", "zjj", "admin")
    assert (stored.status, stored.deadline) == ("accepted", D("2026-10-10"))
    assert stored.fees == [("城市基础设施配套费", 3600000), ("防空地下室易地建设费", 1250050)]
    assert (stored.applicant_phone, stored.applicant_id_no) == ("0827-5231234", "51162319790605302X")


def test_a_company_registers_with_its_unified_credit_code(login_as, load_case):
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new",
                                               data={**REGISTRATION, "applicant_id_no": "91511623MA62XK8Q72"})
    assert response.status_code == 201
    assert load_case(case_no="ZJJ-2026-000301").applicant_id_no == "91511623MA62XK8Q72"


def test_a_case_refused_at_the_window_is_registered_with_its_reason(login_as, load_case):
    with _at("2026-09-29"):
        response = login_as("editor-zjj").post("/admin/cases/new", data={
            **REGISTRATION, "status": "rejected", "note": "申请事项依法不需要取得行政许可"})
    assert response.status_code == 201
    stored = load_case(case_no="ZJJ-2026-000301")
    assert (stored.status, stored.completed_on, stored.rejection_reason) == (
        "rejected", D("2026-09-28"), "申请事项依法不需要取得行政许可")


def test_the_code_shown_opens_the_public_lookup(client, login_as):
    with _at("2026-09-28"):
        html = login_as("editor-zjj").post("/admin/cases/new", data=REGISTRATION).get_data(as_text=True)
        code = re.search(r'id="query-code">([^<]+)<', html).group(1)
        response = client.post("/intake/case", data={"case_no": "ZJJ-2026-000301", "query_code": code})
    assert response.status_code == 200


def test_the_code_is_not_shown_again_on_the_case_page(login_as, load_case):
    client = login_as("editor-zjj")
    with _at("2026-09-28"):
        html = client.post("/admin/cases/new", data=REGISTRATION).get_data(as_text=True)
        code = re.search(r'id="query-code">([^<]+)<', html).group(1)
        page = client.get(f"/admin/cases/{load_case(case_no='ZJJ-2026-000301').id}").get_data(as_text=True)
    assert code not in page


def test_invalid_registration_is_a_400_that_keeps_what_was_typed(login_as, count_cases):
    data = {**REGISTRATION, "applicant_phone": "138123", "applicant_id_no": "511623197906053021",
            "fees-1-amount": "12500.505"}
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写正确的手机号（11位）或固定电话（如0827-5231234）。" in html
    assert "请填写18位居民身份证号码（末位校验码须正确）或18位统一社会信用代码。" in html
    assert "金额请填写以“元”为单位的数字，最多两位小数，如 1234.50。" in html
    assert 'value="清川县鑫达房地产开发有限公司"' in html and 'value="138123"' in html
    assert count_cases() == 0


def test_a_received_date_after_today_is_refused(login_as, count_cases):
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new", data={**REGISTRATION, "received_on": "2026-09-29"})
    assert response.status_code == 400
    assert "收件日期不能晚于今天（2026-09-28）。" in response.get_data(as_text=True)
    assert count_cases() == 0


def test_a_number_already_registered_is_refused(login_as, make_case, count_cases):
    make_case("ZJJ-2026-000301")
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new", data=REGISTRATION)
    assert response.status_code == 400
    assert "办件编号 ZJJ-2026-000301 已登记过，请核对。" in response.get_data(as_text=True)
    assert count_cases() == 1


def test_an_item_of_another_department_cannot_be_registered(login_as, count_cases):
    with _at("2026-09-28"):
        response = login_as("editor-zjj").post("/admin/cases/new", data={**REGISTRATION, "item": "SCJG-XK-001"})
    assert response.status_code == 400
    assert count_cases() == 0


def test_an_on_the_spot_case_is_registered_completed(login_as, load_case):
    data = {**REGISTRATION, "item": "ZJJ-QT-001", "on_the_spot": "y"}
    with _at("2026-09-28"):
        login_as("editor-zjj").post("/admin/cases/new", data=data)
    stored = load_case(case_no="ZJJ-2026-000301")
    assert (stored.status, stored.completed_on, stored.on_the_spot) == ("completed", D("2026-09-28"), True)
    assert [e[1] for e in stored.events] == ["accepted", "completed"]


def test_supervisor_may_not_register_cases(login_as, demo):
    assert login_as("supervisor").get("/admin/cases/new").status_code == 403


def test_registration_without_csrf_token_is_refused(csrf_app, demo, count_cases):
    from ..conftest import login

    client = csrf_app.test_client()
    login(client, "editor-zjj", "editor-demo-2026")
    with _at("2026-09-28"):
        response = client.post("/admin/cases/new", data=REGISTRATION)
    assert response.status_code == 400
    assert count_cases() == 0

