"""The public search API /api/search over the demo data set's published records, checked against
docs/openapi/search.yaml with schemathesis and by exact answers."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from sunshine.site import create_app
from sunshine.site.config import PROJECT_ROOT
from tests.conftest import _driver
from tests.search.public_fixtures import demo_public_index  # noqa: F401  (fixture)

SCHEMA = schemathesis.openapi.from_path(PROJECT_ROOT / "docs" / "openapi" / "search.yaml")


@pytest.fixture(scope="module")
def api_app(_schema, demo_public_index, tmp_path_factory):  # noqa: F811
    directory, _snapshot = demo_public_index
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path_factory.mktemp("api-instance")),
                       "SQLALCHEMY_DATABASE_URI": _driver(_schema), "SECRET_KEY": "test-secret",
                       "RATELIMIT_ENABLED": False, "SUNSHINE_ROLES": ["public"],
                       "SUNSHINE_PUBLIC_SEARCH_INDEX": str(directory)})


@pytest.fixture(scope="module")
def api(api_app):
    return api_app.test_client()


def get(api, **params):
    response = api.get("/api/search", query_string=params)
    return response.status_code, response.get_json()


# -- the contract ----------------------------------------------------------------------------


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_description(case, api_app):
    case.call_and_validate(app=api_app)


# -- answers ---------------------------------------------------------------------------------


def test_everyday_phrase_finds_the_item_first_with_its_summary(api):
    status, body = get(api, q="开饭馆要办什么证")
    assert status == 200
    first = body["results"][0]
    assert {k: first[k] for k in ("kind", "kind_label", "title", "url", "department", "department_name",
                                  "time_limit", "fee")} == {
        "kind": "item", "kind_label": "事项", "title": "食品经营许可", "url": "/items/SCJG-XK-001/",
        "department": "scjg", "department_name": "清川县市场监督管理局", "time_limit": first["time_limit"],
        "fee": "不收费"}
    assert first["time_limit"].endswith("个工作日") or first["time_limit"] == "即办件"


def test_traditional_characters_find_the_simplified_item(api):
    _, body = get(api, q="結婚登記")
    assert body["results"][0]["url"] == "/items/MZ-QR-001/"


def test_pinyin_initials_find_the_item(api):
    _, body = get(api, q="yyzz")  # 营业执照: both registrations issue one
    assert {r["title"] for r in body["results"][:2]} == {"个体工商户设立登记", "有限责任公司设立登记"}


def test_snippet_marks_the_matched_word(api):
    _, body = get(api, q="住建局电话")
    first = body["results"][0]
    assert (first["kind"], first["url"]) == ("department", "/departments/zjj/")


def test_kind_filter_keeps_only_that_kind(api):
    _, body = get(api, q="身份证", kind="question")
    assert {r["kind"] for r in body["results"]} == {"question"}
    assert body["total"] == len(body["results"]) >= 1


def test_department_filter_keeps_only_that_office(api):
    _, body = get(api, q="许可", department="zjj")
    assert {r["department"] for r in body["results"]} == {"zjj"}
    assert "建筑工程施工许可证核发" in {r["title"] for r in body["results"]}


def test_item_type_filter_accepts_the_slug(api):
    _, by_name = get(api, q="登记", type="行政确认")
    _, by_slug = get(api, q="登记", type="xzqr")
    assert by_name["results"] == by_slug["results"] and by_name["total"] > 0
    assert "内地居民结婚登记" in {r["title"] for r in by_slug["results"]}
    assert "个体工商户设立登记" not in {r["title"] for r in by_slug["results"]}  # 行政许可


def test_pages_do_not_overlap_and_add_up(api):
    _, first = get(api, q="许可", per_page=3, page=1)
    _, second = get(api, q="许可", per_page=3, page=2)
    assert first["total"] == second["total"] > 6
    assert len(first["results"]) == len(second["results"]) == 3
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}


def test_service_not_offered_answers_empty_with_help(api):
    status, body = get(api, q="公积金")
    assert status == 200
    assert (body["total"], body["results"]) == (0, [])
    assert body["empty_help"] == {"hotline": "0827-5220001", "question_url": "/intake/question"}  # site.yaml phone


def test_homophone_typo_gets_a_suggestion(api):
    _, body = get(api, q="营业只照")
    assert body["suggestions"] == ["营业执照"]


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "parameter", "message"), [
    ({}, "q", "请输入要搜索的内容（q 不能为空）"),
    ({"q": "   "}, "q", "请输入要搜索的内容（q 不能为空）"),
    ({"q": "许" * 101}, "q", "搜索内容太长，请不超过 100 个字"),
    ({"q": "许可", "page": "二"}, "page", "页码必须是正整数（page=二）"),
    ({"q": "许可", "page": "0"}, "page", "页码应在 1 到 100 之间（page=0）"),
    ({"q": "许可", "per_page": "51"}, "per_page", "每页条数应在 1 到 50 之间（per_page=51）"),
    ({"q": "许可", "kind": "complaint"}, "kind", "没有这种结果类型：complaint（可用：item、department、notice、channel、question）"),
    ({"q": "许可", "department": "住建局"}, "department", "部门代码格式不对（只能是字母、数字、短横线和下划线）"),
])
def test_bad_parameters_are_refused_in_chinese(api, params, parameter, message):
    status, body = get(api, **params)
    assert status == 400
    assert body == {"error": message, "parameter": parameter}


def test_bad_item_type_is_refused(api):
    status, body = get(api, q="许可", type="行政许可证")
    assert status == 400
    assert body["parameter"] == "type" and body["error"].startswith("没有这种事项类型：行政许可证")


def test_non_utf8_address_is_refused(api):
    response = api.get("/api/search?q=%D0%ED%BF%C9")  # 许可 in GBK
    assert response.status_code == 400
    assert response.get_json()["error"] == "搜索地址不是有效的 UTF-8 编码"


def test_typo_that_finds_nothing_answers_for_the_correction(api):
    _, body = get(api, q="护招")  # 护照, typed with a homophone
    assert (body["corrected"], body["results"][0]["url"]) == ("护照", "/items/GA-XK-001/")


def test_query_found_as_typed_has_no_correction(api):
    assert get(api, q="护照")[1]["corrected"] is None
