"""Office synonym groups in the snapshot (schema version 6): the public site's search reads them there."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sunshine.contract.schema import SCHEMA_VERSION, ContractError, validate_snapshot
from sunshine.publisher.snapshot import load_snapshot
from sunshine.site.export import build_snapshot, write_snapshot

SMALL = Path(__file__).parents[1] / "publisher" / "fixtures" / "snapshot-small.json"


@pytest.fixture
def with_groups(demo, add_stored):
    """The demo data with three office groups, stored in this order."""
    add_stored("个体工商户设立登记 个体户 个体执照", "scjg", "editor-scjg")
    add_stored("政务服务中心 办事大厅 市民中心", None, "admin")
    add_stored("特困人员救助供养 特困供养 五保户", "mz", "editor-mz")
    return demo


@pytest.fixture
def small() -> dict:
    return copy.deepcopy(json.loads(SMALL.read_text(encoding="utf-8")))


def test_the_snapshot_carries_the_office_groups_by_id_and_no_built_in_ones(with_groups):
    with with_groups.app_context():
        snapshot = build_snapshot()
    assert snapshot["search_synonyms"] == [
        "个体工商户设立登记 个体户 个体执照",
        "政务服务中心 办事大厅 市民中心",
        "特困人员救助供养 特困供养 五保户",
    ]


def test_the_snapshot_with_groups_is_valid_and_the_publisher_reads_it(with_groups, tmp_path):
    with with_groups.app_context():
        snapshot = build_snapshot()
    validate_snapshot(snapshot)
    loaded = load_snapshot(write_snapshot(tmp_path / "snapshot.json", snapshot))
    assert loaded["schema_version"] == SCHEMA_VERSION == 7
    assert loaded["search_synonyms"][0] == "个体工商户设立登记 个体户 个体执照"


def test_without_office_groups_the_list_is_empty(demo):
    with demo.app_context():
        assert build_snapshot()["search_synonyms"] == []


def test_a_snapshot_without_the_list_is_refused(small):
    del small["search_synonyms"]
    with pytest.raises(ContractError) as refused:
        validate_snapshot(small)
    assert str(refused.value).startswith("快照格式错误：$：缺少必填字段 search_synonyms")


@pytest.mark.parametrize("line", [
    "工商局",  # one word is no group
    "工商局  工商所",  # words are separated by one space
    "工商局 工商所 ",
    "工商局 工商/所",
    "工商局 " + "所" * 21,
    " ".join(f"证明{n}" for n in range(21)),
])
def test_a_line_the_back_office_would_refuse_breaks_the_contract(small, line):
    small["search_synonyms"] = ["市场监督管理所 工商所", line]
    with pytest.raises(ContractError) as refused:
        validate_snapshot(small)
    assert str(refused.value).startswith("快照格式错误：search_synonyms[1]：格式不符合 ^")


@pytest.mark.parametrize("line", [
    "市场监督管理所 工商所",
    "ETC卡 高速通行卡 etc",
    " ".join(f"证明{n}" for n in range(20)),
    "养" * 20 + " " + "老" * 20,
])
def test_a_line_the_back_office_accepts_fits_the_contract(small, line):
    small["search_synonyms"] = [line]
    validate_snapshot(small)
