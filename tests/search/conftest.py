"""Fixtures for the search tests: a few realistic records and an index built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunshine.search.index import SearchDoc, SearchIndex

# Departments of a county service centre.
HOUSING = "zhujianju"  # 住房和城乡建设局
MARKET = "shichangju"  # 市场监督管理局
CIVIL = "minzhengju"  # 民政局

DOCS = [
    SearchDoc(
        id="item-101",
        kind="item",
        department=HOUSING,
        state="published",
        title="建筑工程施工许可证核发",
        body=(
            "在本县行政区域内从事建筑工程施工的建设单位，应当在开工前申请领取施工许可证。"
            "申请材料：建设工程规划许可证、施工合同、安全生产措施材料。"
            "本事项为承诺件，承诺时限十个工作日，不收费。"
        ),
        url="/items/101/",
    ),
    SearchDoc(
        id="item-102",
        kind="item",
        department=MARKET,
        state="published",
        title="食品经营许可",
        body=(
            "从事食品销售和餐饮服务活动，应当依法取得食品经营许可证。"
            "材料齐全、符合法定形式的，本事项为即办件，当场发证。"
        ),
        url="/items/102/",
    ),
    SearchDoc(
        id="item-103",
        kind="item",
        department=CIVIL,
        state="review",
        title="城乡居民最低生活保障审批",
        body=(
            "共同生活的家庭成员人均收入低于当地最低生活保障标准（简称低保标准），"
            "且家庭财产状况符合规定的，可以申请低保。乡镇人民政府负责受理。"
        ),
        url="/items/103/",
    ),
    SearchDoc(
        id="notice-201",
        kind="notice",
        department="",
        state="published",
        title="关于全面推行一单收费的公告",
        body=(
            "自即日起，县政务服务中心全面推行一单收费：办事群众凭一张缴费通知单一次缴清所有费用。"
            "严禁乱收费，发现乱收费行为请拨打12345。"
        ),
        url="/notices/201/",
    ),
    SearchDoc(
        id="notice-202",
        kind="notice",
        department="",
        state="published",
        title="效能投诉受理办法",
        body=(
            "窗口工作人员推诿扯皮、吃拿卡要的，群众可以向首席代表反映，"
            "也可以通过好差评系统评价，或者向效能投诉中心投诉。"
        ),
        url="/notices/202/",
    ),
    SearchDoc(
        id="channel-301",
        kind="channel",
        department=MARKET,
        state="published",
        title="市场监管投诉举报热线",
        body="食品安全、价格乱收费等问题，可拨打12315投诉举报。",
        url="/channels/301/",
    ),
]


@pytest.fixture
def docs() -> list[SearchDoc]:
    return list(DOCS)


@pytest.fixture
def index(tmp_path: Path, docs: list[SearchDoc]) -> SearchIndex:
    """An index holding DOCS, in a fresh directory."""
    search_index = SearchIndex(tmp_path / "index")
    search_index.rebuild(docs)
    return search_index

