"""The approval system's JSON API: bearer tokens, create/update, status changes, reading a case."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from sunshine.site import create_app
from sunshine.site.db import db
from sunshine.site.models import ApiToken

CASE = {
    "case_no": "ZJJ-2026-000201", "item_code": "ZJJ-XK-002", "received_on": "2026-09-28", "status": "accepted",
    "applicant": {"name": "杭州润泽置业有限公司", "phone": "0571-86012345", "id_no": "91330110MA2H3K8Q7G"},
    "fees": [{"name": "城市基础设施配套费", "amount": "12000.00"}, {"name": "防空地下室易地建设费", "amount": 3000.5}],
}


@pytest.fixture
def token(app, demo):
    from sunshine.site.api.auth import create_token

    with app.app_context():
        return create_token("审批系统")


@pytest.fixture
def api(client, token):
    """POST/GET helpers carrying the bearer token."""

    class Api:
        headers = {"Authorization": f"Bearer {token}"}

        def post(self, path, json=None, **kwargs):
            return client.post("/api/v1" + path, json=json, headers=self.headers, **kwargs)

        def get(self, path):
            return client.get("/api/v1" + path, headers=self.headers)

    return Api()


def test_no_token_is_401_with_a_chinese_message(client, demo):
    response = client.post("/api/v1/cases", json=CASE)
    assert response.status_code == 401
    assert response.json["error"].startswith("缺少访问令牌")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_401(client, token):
    response = client.get("/api/v1/cases/ZJJ-2026-000201", headers={"Authorization": "Bearer " + token[:-2] + "xx"})
    assert response.status_code == 401
    assert response.json == {"error": "访问令牌无效或已被吊销。", "problems": []}


def test_revoked_token_is_401(app, client, token, case_count):
    from sunshine.site.api.auth import revoke_token

    with app.app_context():
        revoke_token("审批系统")
    response = client.post("/api/v1/cases", json=CASE, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert case_count() == 0


def test_only_the_sha256_of_a_token_is_stored(app, token):
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.token_hash, stored.name)


def test_create_is_201_with_a_query_code_and_the_deadline(api, load_case):
    response = api.post("/cases", CASE)
    assert response.status_code == 201
    body = response.json
    assert body["result"] == "created" and body["query_code_generated"] is True and len(body["query_code"]) == 8
    assert (body["case"]["deadline"], body["case"]["statutory_deadline"]) == ("2026-10-10", "2026-10-16")
    assert body["case"]["fees_total"] == "15000.50"
    assert load_case("ZJJ-2026-000201").source == "api"


def test_given_query_code_is_kept(api):
    response = api.post("/cases", {**CASE, "query_code": "K7M2Q9XP"})
    assert (response.json["query_code"], response.json["query_code_generated"]) == ("K7M2Q9XP", False)


def test_same_case_again_with_a_new_status_is_200_update(api, load_case, case_count):
    api.post("/cases", CASE)
    response = api.post("/cases", {**CASE, "status": "completed", "status_on": "2026-10-09", "note": "已核发"})
    assert response.status_code == 200
    assert response.json["result"] == "updated"
    assert case_count() == 1
    assert [e[1] for e in load_case("ZJJ-2026-000201").events] == ["accepted", "completed"]


def test_same_case_unchanged_is_200_unchanged(api):
    api.post("/cases", CASE)
    response = api.post("/cases", CASE)
    assert (response.status_code, response.json["result"]) == (200, "unchanged")


def test_body_that_is_not_json_is_400(api):
    response = api.post("/cases", data="case_no=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json["error"] == "请求体须为 JSON 对象（Content-Type: application/json）。"


def test_broken_json_is_400(api):
    response = api.post("/cases", data='{"case_no": "ZJJ-1",', content_type="application/json")
    assert response.status_code == 400


def test_bad_fields_are_422_with_every_problem(api, case_count):
    bad = {**CASE, "received_on": "2026-09-31", "status": "done", "colour": "red",
           "applicant": {"name": "陈建国", "phone": "电话"}, "fees": [{"name": "配套费", "amount": "-5"}]}
    response = api.post("/cases", bad)
    assert response.status_code == 422
    assert response.json["error"] == "办件数据有误，未保存。"
    assert sorted(p["field"] for p in response.json["problems"]) == [
        "applicant.phone", "colour", "fees[0].amount", "received_on", "status"]
    assert case_count() == 0


def test_unknown_item_is_422(api):
    response = api.post("/cases", {**CASE, "item_code": "ZJJ-XK-999"})
    assert response.status_code == 422
    assert response.json["problems"] == [{"field": "item_code", "message": "未知的事项编码“ZJJ-XK-999”。"}]


def test_illegal_transition_is_409_and_changes_nothing(api, load_case):
    api.post("/cases", {**CASE, "status": "completed", "status_on": "2026-10-09"})
    response = api.post("/cases", {**CASE, "status": "processing", "status_on": "2026-10-12"})
    assert response.status_code == 409
    assert response.json["problems"] == [{"field": "status", "message": "办件当前为“办结”，不能改为“办理中”。"}]
    assert load_case("ZJJ-2026-000201").status == "completed"


def test_event_moves_the_case_and_a_retry_is_harmless(api, load_case):
    api.post("/cases", CASE)
    event = {"status": "extended", "status_on": "2026-10-09", "note": "需专家评审", "extension_days": 5}
    first = api.post("/cases/ZJJ-2026-000201/events", event)
    again = api.post("/cases/ZJJ-2026-000201/events", event)
    assert (first.status_code, again.status_code, again.json["result"]) == (201, 200, "unchanged")
    # 5 promised + 5 extension working days from 09-28 → 10-16.
    assert first.json["case"]["deadline"] == "2026-10-16"
    assert len(load_case("ZJJ-2026-000201").events) == 2


def test_event_refused_by_the_lifecycle_is_409(api):
    api.post("/cases", CASE)
    response = api.post("/cases/ZJJ-2026-000201/events", {"status": "correction", "status_on": "2026-10-09"})
    assert response.status_code == 409
    assert response.json["error"] == "办件当前为“受理”，不能改为“补正告知”。"


def test_event_without_a_date_is_422(api):
    api.post("/cases", CASE)
    response = api.post("/cases/ZJJ-2026-000201/events", {"status": "processing"})
    assert response.status_code == 422
    assert [p["field"] for p in response.json["problems"]] == ["status_on"]


def test_event_for_an_unknown_case_is_404(api):
    response = api.post("/cases/ZJJ-2026-999999/events", {"status": "processing", "status_on": "2026-10-09"})
    assert response.status_code == 404
    assert response.json["error"] == "没有办件编号为“ZJJ-2026-999999”的办件。"


def test_get_shows_standing_but_no_applicant_data(api):
    api.post("/cases", CASE)
    response = api.get("/cases/ZJJ-2026-000201")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    # Accepted 09-28, due 10-10 (make-up Saturday), still running on 10-16: red.
    assert (response.json["status"], response.json["deadline"], response.json["warning"]) == (
        "accepted", "2026-10-10", "red")
    for private in ("杭州润泽置业有限公司", "0571-86012345", "91330110MA2H3K8Q7G", "applicant"):
        assert private not in text


def test_get_unknown_case_is_404_json(api):
    response = api.get("/cases/NO-SUCH-CASE")
    assert response.status_code == 404 and "error" in response.json


def test_api_role_off_hides_the_api(app_config, demo):
    internal = create_app({**app_config, "SUNSHINE_ROLES": ("admin",)})
    assert internal.test_client().post("/api/v1/cases", json=CASE).status_code == 404
