"""The rectification page (差评整改情况), the work orders on department pages, and rectifications.csv."""

from __future__ import annotations

import csv
import io

from sunshine.publisher.catalog import build_catalog
from tests.publisher.pagecheck import parse

FIRST_FINDING = "窗口人员未一次性告知需补交的户口簿复印件，情况属实。"
FIRST_ACTION = "对窗口人员进行批评教育，修订一次性告知单并在窗口张贴。"
SECOND_FINDING = "午休时段窗口无人值守属实。"


def test_rectifications_page_lists_both_work_orders_with_their_texts(page):
    text = parse(page("/figures/rectifications/")).text
    for fact in ("ZG2024-0001", "ZG2024-0002", FIRST_FINDING, FIRST_ACTION, SECOND_FINDING):
        assert fact in text
    assert "目前公开 2 张整改工单，其中已办结 1 张" in text


def test_work_order_shows_labels_and_dates_in_chinese(page):
    html = page("/figures/rectifications/")
    row = html[html.index("ZG2024-0001") :].split("</tr>")[0]
    text = parse(row).text
    for fact in (
        "结婚登记",
        "非常不满意",
        "2024年6月3日",
        "2024年6月13日",
        "已办结",
        "2024年6月11日",
    ):
        assert fact in text
    assert '<a href="/items/511623-MZ-0001/">结婚登记</a>' in row


def test_open_work_order_without_item_says_what_is_pending(page):
    html = page("/figures/rectifications/")
    text = parse(html[html.index("ZG2024-0002") :].split("</tr>")[0]).text
    for fact in ("窗口服务", "不满意", "2024年7月1日", "待整改", "尚未公布", "未办结"):
        assert fact in text


def test_work_orders_are_grouped_by_department_with_anchors(page):
    html = page("/figures/rectifications/")
    assert '<a href="#rect-zjj">清川县住房和城乡建设局（1）</a>' in html
    assert '<a href="#rect-mzj">清川县民政局（1）</a>' in html
    assert 'href="#rect-scjgj"' not in html  # no work order, no anchor
    zjj, mzj = html.index('<section id="rect-zjj"'), html.index('<section id="rect-mzj"')
    assert zjj < html.index("ZG2024-0002") < mzj < html.index("ZG2024-0001")


def test_rectifications_page_is_linked_from_figures_and_department_pages(page):
    assert 'href="/figures/rectifications/"' in page("/figures/")
    for code in ("zjj", "mzj", "scjgj"):
        assert '<a href="/figures/rectifications/">全部差评整改情况</a>' in page(
            f"/departments/{code}/"
        )


def test_department_page_lists_only_its_own_work_orders(page):
    text = parse(page("/departments/mzj/")).text
    assert "ZG2024-0001" in text and FIRST_ACTION in text
    assert "ZG2024-0002" not in text
    assert "本窗口目前没有公开的差评整改工单。" in parse(page("/departments/scjgj/")).text


def test_work_orders_are_newest_first_by_code(snapshot_data):
    extra = dict(snapshot_data["rectifications"][0], code="ZG2024-0003", status="contacted",
                 finding="", action="", closed_on=None)  # fmt: skip
    snapshot_data["rectifications"].append(extra)
    catalog = build_catalog(snapshot_data)
    assert [r["code"] for r in catalog.rectifications] == [
        "ZG2024-0003",
        "ZG2024-0002",
        "ZG2024-0001",
    ]
    assert [r["code"] for r in catalog.rectifications_by_department["mzj"]] == [
        "ZG2024-0003",
        "ZG2024-0001",
    ]


def test_rectifications_csv_has_one_row_per_work_order(site_dir):
    text = (site_dir / "data/rectifications.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["整改单号"] for r in rows] == ["ZG2024-0002", "ZG2024-0001"]
    first = rows[1]
    assert first["部门"] == "清川县民政局" and first["事项名称"] == "结婚登记"
    assert first["评价等级"] == "非常不满意" and first["状态"] == "已办结"
    assert first["核实情况"] == FIRST_FINDING and first["办结日期"] == "2024-06-11"
    assert rows[0]["事项编码"] == "" and rows[0]["办结日期"] == ""
