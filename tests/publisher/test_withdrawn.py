"""A withdrawn item keeps its page (the address it had) with the notice, the date and the
reason, and leaves the item list, the filtered lists and the static search."""

from __future__ import annotations

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.snapshot import SnapshotError, load_snapshot
from tests.publisher.pagecheck import parse

FIRE = "/items/511623-ZJ-0009/"  # 建设工程消防设计备案, withdrawn with a reason
NAME_CHECK = "/items/511623-SC-0007/"  # 企业名称预先核准, withdrawn without one


def test_the_withdrawn_item_keeps_a_page_at_its_address(page):
    facts = parse(page(FIRE))
    assert "<h1>建设工程消防设计备案 <span class=\"tag\">已撤回</span></h1>" in page(FIRE)
    assert "本事项已撤回，不再办理" in facts.text
    assert (
        "“建设工程消防设计备案”（事项编码 511623-ZJ-0009）已于 2024年6月28日 撤回，"
        "清川县政务服务中心不再受理该事项" in facts.text
    )


def test_the_page_gives_the_date_in_machine_form(page):
    assert '<time datetime="2024-06-28T16:20:00+08:00">2024年6月28日</time>' in page(FIRE)


def test_the_reason_staff_gave_is_shown(page):
    assert (
        "撤回原因：根据《四川省人民政府关于取消和调整一批行政权力事项的决定》，本事项已取消，"
        "相关材料在办理建筑工程施工许可证核发时一并提交。" in parse(page(FIRE)).text
    )


def test_without_a_reason_no_reason_line_is_shown(page):
    text = parse(page(NAME_CHECK)).text
    assert "企业名称预先核准”（事项编码 511623-SC-0007）已于 2024年5月10日 撤回" in text
    assert "撤回原因" not in text


def test_the_page_points_to_the_department_and_the_items_list(page):
    html = page(FIRE)
    assert '咨询原实施部门：<a href="/departments/zjj/">清川县住房和城乡建设局</a>（8号窗口）' in html
    assert '<a href="/items/">全部办事指南</a>' in html
    assert '<a href="/departments/zjj/#items-title">住建局的其他事项</a>' in html
    assert '<a href="tel:0838-6210000">0838-6210000</a>' in html  # the centre's hotline


def test_the_page_sits_under_the_items_section(page):
    html = page(FIRE)
    assert '<a href="/items/" aria-current="true">办事指南</a>' in html
    assert "<title>建设工程消防设计备案（已撤回） - 清川县政务服务中心</title>" in html


def test_the_page_is_left_out_of_the_static_search(page):
    assert parse(page(FIRE)).main_attrs == {"id": "main", "class": "wrap", "tabindex": "-1"}


def test_withdrawn_items_are_not_in_the_items_list(page):
    html = page("/items/")
    assert FIRE not in html and NAME_CHECK not in html
    assert "建设工程消防设计备案" not in html
    assert "共 5 个事项" in html


def test_withdrawn_items_are_not_in_any_filtered_list_or_department_page(page, site_dir):
    lists = sorted((site_dir / "items-by").rglob("index.html")) + [
        site_dir / "departments/zjj/index.html"
    ]
    assert len(lists) == 14
    assert [p for p in lists if "511623-ZJ-0009" in p.read_text(encoding="utf-8")] == []


def test_a_withdrawn_item_whose_department_is_gone_points_to_the_list_only(
    snapshot_data, write_snapshot, tmp_path
):
    snapshot_data["withdrawn_items"][1]["department"] = None
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / "items/511623-ZJ-0009/index.html").read_text(encoding="utf-8")
    assert "咨询原实施部门" not in html
    assert [link for link in parse(html).links if link.startswith("/departments/")] == [
        "/departments/"  # the main navigation's 部门窗口
    ]
    assert '查看<a href="/items/">全部办事指南</a>，或<a href="/search/">搜索</a>其他事项。' in html


def test_the_reason_is_escaped_not_markup(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["withdrawn_items"][1]["reason"] = "并入<b>施工许可</b>办理"
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / "items/511623-ZJ-0009/index.html").read_text(encoding="utf-8")
    assert "并入&lt;b&gt;施工许可&lt;/b&gt;办理" in html


def test_a_code_both_published_and_withdrawn_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_items"][0]["code"] = "511623-SC-0001"
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value) == (
        "快照数据不一致：withdrawn_items[0].code 事项 '511623-SC-0001' 既已公开又已撤回"
        " / inconsistent snapshot: withdrawn_items[0].code '511623-SC-0001' is both published"
        " and withdrawn"
    )


def test_a_withdrawn_item_of_an_unknown_department_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_items"][0]["department"] = "gaj"
    with pytest.raises(SnapshotError, match=r"withdrawn_items\[0\].department 引用了不存在的部门 'gaj'"):
        load_snapshot(write_snapshot(snapshot_data))


def test_a_duplicate_withdrawn_code_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_items"][1]["code"] = "511623-SC-0007"
    with pytest.raises(SnapshotError, match=r"withdrawn_items\[1\].code 编码 '511623-SC-0007' 重复"):
        load_snapshot(write_snapshot(snapshot_data))


def test_the_static_search_indexes_no_withdrawn_or_filtered_page(snapshot_file, tmp_path):
    result = build_site(snapshot_file, tmp_path / "out", static_index=True)
    indexed = [
        p for p in result.out_dir.rglob("index.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    ]  # fmt: skip
    assert result.search_pages == len(indexed) == 22
    assert result.pages == 51
