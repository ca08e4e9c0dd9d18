"""docs/openapi/cases.yaml describes exactly the API blueprint, and real answers fit its schemas."""

from __future__ import annotations

import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from sunshine.site.config import PROJECT_ROOT

SPEC = yaml.safe_load((PROJECT_ROOT / "docs" / "openapi" / "cases.yaml").read_text("utf-8"))
PREFIX = SPEC["servers"][0]["url"]


def documented() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in SPEC["paths"].items() for method in operations
            if method in ("get", "post", "put", "patch", "delete")}


def routed(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(PREFIX)
            found |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_spec_is_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")


def test_every_route_is_documented_and_every_documented_route_exists(app):
    assert routed(app) == documented()
    assert documented() == {("POST", "/cases"), ("GET", "/cases/{case_no}"), ("POST", "/cases/{case_no}/events")}


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]})


@pytest.fixture
def api(client, app, demo):
    from sunshine.site.api.auth import create_token

    with app.app_context():
        token = create_token("审批系统")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


CASE = {"case_no": "ZJJ-2026-000301", "item_code": "ZJJ-XK-001", "received_on": "2026-09-28", "status": "accepted",
        "fees": [{"name": "城市基础设施配套费", "amount": "12000.00"}]}


def test_answers_fit_the_documented_schemas(api):
    created = api.post("/api/v1/cases", json=CASE)
    validator("CaseInput").validate(CASE)
    validator("Created").validate(created.json)
    event = {"status": "completed", "status_on": "2026-10-09"}
    validator("EventInput").validate(event)
    validator("Pushed").validate(api.post("/api/v1/cases/ZJJ-2026-000301/events", json=event).json)
    validator("Case").validate(api.get("/api/v1/cases/ZJJ-2026-000301").json)
    validator("Error").validate(api.post("/api/v1/cases", json={**CASE, "status": "x"}).json)


def test_documented_statuses_are_the_contracts():
    from sunshine.contract.codes import CASE_STATUSES

    assert SPEC["components"]["schemas"]["Status"]["enum"] == list(CASE_STATUSES)
