"""Schema version 4: withdrawn items keep a page, the site knows its public address, and the
filtered item lists have addresses of their own that no item code can take."""

from __future__ import annotations

import pytest

from sunshine.contract import codes
from sunshine.contract.schema import (
    WITHDRAWN_REASON_MAX_LENGTH,
    ContractError,
    validate_snapshot,
)
from sunshine.contract.urls import (
    FEE_CATEGORY_SLUGS,
    INTAKE,
    INTAKE_PREFIX,
    ITEM_TYPE_SLUGS,
    ROUTES,
    absolute_url,
    save_as,
    url_for,
)


def test_a_withdrawn_item_carries_only_its_code_name_department_date_and_reason(snapshot):
    snapshot["withdrawn_items"][0]["applicant_phone"] = "13800001234"
    with pytest.raises(ContractError) as caught:
        validate_snapshot(snapshot)
    assert str(caught.value).startswith(
        "快照格式错误：withdrawn_items[0]：包含未定义的字段 applicant_phone"
    )


def test_a_withdrawal_reason_longer_than_the_limit_is_refused(snapshot):
    snapshot["withdrawn_items"][1]["reason"] = "因机构改革调整" * 40  # 280 characters
    with pytest.raises(ContractError) as caught:
        validate_snapshot(snapshot)
    assert str(caught.value).startswith(
        f"快照格式错误：withdrawn_items[1].reason：长度不能超过 {WITHDRAWN_REASON_MAX_LENGTH} 个字符"
    )


def test_a_withdrawn_item_may_name_no_department(snapshot):
    snapshot["withdrawn_items"][0]["department"] = None
    validate_snapshot(snapshot)


@pytest.mark.parametrize("site_url", ["", "https://gk.qingchuan.example", "http://10.2.3.4:8080/gk"])
def test_site_url_is_empty_or_an_http_base_without_trailing_slash(snapshot, site_url):
    snapshot["site"]["site_url"] = site_url
    validate_snapshot(snapshot)


@pytest.mark.parametrize("site_url", ["https://gk.qingchuan.example/", "gk.qingchuan.example", "javascript:alert(1)"])
def test_other_site_urls_are_refused(snapshot, site_url):
    snapshot["site"]["site_url"] = site_url
    with pytest.raises(ContractError, match=r"^快照格式错误：site.site_url：格式不符合"):
        validate_snapshot(snapshot)


def test_every_item_type_has_one_distinct_ascii_slug():
    assert list(ITEM_TYPE_SLUGS) == list(codes.ITEM_TYPES)
    slugs = list(ITEM_TYPE_SLUGS.values())
    assert len(set(slugs)) == len(slugs)
    assert all(slug.isascii() and slug.isalpha() and slug.islower() for slug in slugs)


def test_every_fee_category_has_one_distinct_ascii_slug_that_is_not_the_bills_page():
    assert list(FEE_CATEGORY_SLUGS) == list(codes.FEE_CATEGORIES)
    slugs = list(FEE_CATEGORY_SLUGS.values())
    assert len(set(slugs)) == len(slugs)
    assert all(slug.isascii() and slug.isalpha() and slug.islower() for slug in slugs)
    pages = [url_for("fees_by_category", slug) for slug in slugs]
    assert pages == ["/fees/xzsyxsf/", "/fees/zfxjj/", "/fees/jyfwxsf/"]
    assert url_for("fee_bills") not in pages


def test_filter_pages_live_outside_the_item_addresses():
    filter_kinds = [kind for kind in ROUTES if kind.startswith("items_") and kind != "items_script"]
    assert filter_kinds == [
        "items_by_department", "items_by_type", "items_by_case_type",
        "items_online", "items_zero_visits", "items_no_fee",
    ]  # fmt: skip
    # Any item code is a valid path segment under /items/: no filter page may be there.
    assert all(ROUTES[kind].startswith("/items-by/") for kind in filter_kinds)
    assert url_for("items_by_type", ITEM_TYPE_SLUGS["行政许可"]) == "/items-by/type/xzxk/"
    assert save_as("items_zero_visits") == "items-by/zero-visits/index.html"


def test_site_files_are_at_the_root():
    assert [save_as(kind) for kind in ("sitemap", "robots", "not_found")] == [
        "sitemap.xml", "robots.txt", "404.html",
    ]  # fmt: skip


def test_every_intake_address_is_under_the_intake_prefix():
    assert all(path.startswith(INTAKE_PREFIX) for path in INTAKE.values())


def test_absolute_url_joins_the_base_and_a_root_relative_path():
    assert absolute_url("https://gk.qingchuan.example/", "/items/") == "https://gk.qingchuan.example/items/"
    assert absolute_url("", "/items/") == "/items/"
