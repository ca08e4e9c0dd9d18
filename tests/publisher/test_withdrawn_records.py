"""A withdrawn department or notice keeps its page (the address it had) with the notice, the date
and the reason; a withdrawn complaint channel is listed on the channels page as closed."""

from __future__ import annotations

from typing import Any

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import publish
from sunshine.publisher.snapshot import SnapshotError, load_snapshot
from tests.publisher.pagecheck import parse
from tests.publisher.test_incremental import assert_same_as_full_build

HEALTHCARE = "/departments/ybj/"  # 清川县医疗保障局, withdrawn with a reason
PRESALE_NOTICE = "/notices/N2024-004/"  # 关于暂停受理商品房预售许可申请的公告, of 住建局


def test_the_withdrawn_department_keeps_a_page_at_its_address(page):
    html = page(HEALTHCARE)
    assert '<h1>清川县医疗保障局 <span class="tag">已撤回</span></h1>' in html
    text = parse(html).text
    assert "本部门窗口信息已撤回" in text
    assert (
        "“清川县医疗保障局”的窗口信息已于 2024年6月30日 撤回，不再在清川县政务服务中心设窗口办理业务，"
        "原部门页面及其办事指南已停止公开。" in text
    )
    assert "撤回原因：根据县机构改革方案，医疗保障窗口业务并入县社会保险事业管理局窗口办理。" in text


def test_the_department_page_gives_the_date_in_machine_form_and_the_ways_on(page):
    html = page(HEALTHCARE)
    assert '<time datetime="2024-06-30T17:00:00+08:00">2024年6月30日</time>' in html
    assert '<a href="/departments/">全部部门窗口</a>' in html
    assert '<a href="tel:0838-6210000">0838-6210000</a>' in html  # the centre's hotline


def test_the_department_page_sits_under_departments_and_is_not_searched(page):
    html = page(HEALTHCARE)
    assert '<a href="/departments/" aria-current="true">部门窗口</a>' in html
    assert "<title>清川县医疗保障局（已撤回） - 清川县政务服务中心</title>" in html
    assert parse(html).main_attrs == {"id": "main", "class": "wrap", "tabindex": "-1"}


def test_the_withdrawn_department_is_not_in_the_departments_list(page):
    html = page("/departments/")
    assert HEALTHCARE not in html and "清川县医疗保障局" not in html


def test_the_withdrawn_notice_keeps_a_page_with_its_department(page):
    html = page(PRESALE_NOTICE)
    assert '<h1>关于暂停受理商品房预售许可申请的公告 <span class="tag">已撤回</span></h1>' in html
    assert '<a href="/departments/zjj/">清川县住房和城乡建设局</a>发布的“关于暂停受理商品房预售许可申请的公告”' in html
    text = parse(html).text
    assert "本公告已撤回" in text
    assert "已于 2024年7月5日 撤回，原公告内容已停止公开，请勿再以此为准。" in text
    assert "撤回原因：公告所列暂停期限有误，已另行发布更正后的公告。" in text
    assert '<time datetime="2024-07-05T10:30:00+08:00">2024年7月5日</time>' in html
    assert "<title>关于暂停受理商品房预售许可申请的公告（已撤回） - 清川县政务服务中心</title>" in html


def test_the_withdrawn_notice_is_in_neither_the_list_nor_the_feed(page, site_dir):
    assert "N2024-004" not in page("/notices/")
    assert "N2024-004" not in (site_dir / "notices/atom.xml").read_text(encoding="utf-8")
    assert parse(page(PRESALE_NOTICE)).main_attrs == {"id": "main", "class": "wrap", "tabindex": "-1"}


def test_a_notice_without_department_or_reason_names_neither(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["withdrawn_notices"][0].update(department=None, reason="")
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    html = (result.out_dir / "notices/N2024-004/index.html").read_text(encoding="utf-8")
    text = parse(html).text
    assert "“关于暂停受理商品房预售许可申请的公告”已于 2024年7月5日 撤回" in text
    assert "发布的" not in text and "撤回原因" not in text


def test_the_channels_page_lists_the_withdrawn_channel_with_date_and_reason(page):
    html = page("/channels/")
    assert '<h2 id="withdrawn-channels-title">已停用的渠道</h2>' in html
    assert (
        "效能投诉信箱（纸质）〔投诉信箱〕：已于 2024年4月1日 停用。"
        "停用原因：大厅纸质信箱已撤除，请改用网上投诉或效能投诉电话。" in parse(html).text
    )
    assert '<time datetime="2024-04-01T09:00:00+08:00">2024年4月1日</time>' in html


def test_the_channels_page_lists_the_latest_withdrawn_first(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["withdrawn_channels"].append({
        "code": "visit", "kind": "in_person", "name": "二楼投诉接待室", "reason": "",
        "withdrawn_at": "2024-09-02T08:30:00+08:00"})
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    text = parse((result.out_dir / "channels/index.html").read_text(encoding="utf-8")).text
    assert text.index("二楼投诉接待室〔现场投诉〕：已于 2024年9月2日 停用。") < text.index("效能投诉信箱（纸质）")


def test_without_withdrawn_channels_the_section_is_left_out(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["withdrawn_channels"] = []
    result = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False)
    assert "已停用的渠道" not in (result.out_dir / "channels/index.html").read_text(encoding="utf-8")


def test_the_sitemap_keeps_the_withdrawn_pages_with_their_withdrawal_time(site_dir):
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "<url><loc>/departments/ybj/</loc><lastmod>2024-06-30T17:00:00+08:00</lastmod></url>" in sitemap
    assert "<url><loc>/notices/N2024-004/</loc><lastmod>2024-07-05T10:30:00+08:00</lastmod></url>" in sitemap


@pytest.mark.parametrize(("collection", "live", "noun"), [
    ("withdrawn_departments", "departments", "部门"),
    ("withdrawn_notices", "notices", "公告"),
    ("withdrawn_channels", "channels", "渠道"),
])
def test_a_code_both_published_and_withdrawn_is_refused(snapshot_data, write_snapshot, collection, live, noun):
    code = snapshot_data[live][0]["code"]
    snapshot_data[collection][0]["code"] = code
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value) == (
        f"快照数据不一致：{collection}[0].code {noun} {code!r} 既已公开又已撤回"
        f" / inconsistent snapshot: {collection}[0].code {code!r} is both published and withdrawn"
    )


def test_a_withdrawn_notice_of_an_unknown_department_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_notices"][0]["department"] = "ybj"  # withdrawn: not a public department
    with pytest.raises(SnapshotError, match=r"withdrawn_notices\[0\].department 引用了不存在的部门 'ybj'"):
        load_snapshot(write_snapshot(snapshot_data))


def test_a_duplicate_withdrawn_channel_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_channels"].append(dict(snapshot_data["withdrawn_channels"][0]))
    with pytest.raises(SnapshotError, match=r"withdrawn_channels\[1\].code 编码 'mailbox' 重复"):
        load_snapshot(write_snapshot(snapshot_data))


def test_a_withdrawn_department_carrying_more_than_the_notice_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_departments"][0]["chief"] = {"name": "王建国", "post": "局长", "phone": "13800001234"}
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(write_snapshot(snapshot_data))
    assert str(caught.value).startswith("快照格式错误：withdrawn_departments[0]：包含未定义的字段 chief")


def test_a_withdrawn_channel_of_an_unknown_kind_is_refused(snapshot_data, write_snapshot):
    snapshot_data["withdrawn_channels"][0]["kind"] = "fax"
    with pytest.raises(SnapshotError, match=r"^快照格式错误：withdrawn_channels\[0\].kind：取值 'fax' 不在允许范围内"):
        load_snapshot(write_snapshot(snapshot_data))


def _withdraw_market_regulation(data: dict[str, Any]) -> None:
    """市场监管局 withdrawn as the back office would export it: its item, answers and figures go,
    its item keeps a notice, and so does the department."""
    data["departments"] = [d for d in data["departments"] if d["code"] != "scjgj"]
    for name in ("complaint_outcomes", "questions", "rectifications"):
        data[name] = [row for row in data[name] if row["department"] != "scjgj"]
    data["figures"]["departments"] = [r for r in data["figures"]["departments"] if r["department"] != "scjgj"]
    item = next(i for i in data["items"] if i["department"] == "scjgj")
    data["items"].remove(item)
    for withdrawn in data["withdrawn_items"]:
        if withdrawn["department"] == "scjgj":
            withdrawn["department"] = None
    data["withdrawn_items"].append({
        "code": item["code"], "name": item["name"], "department": None,
        "withdrawn_at": "2024-11-05T15:00:00+08:00",
        "reason": "所属部门“清川县市场监督管理局”已撤回，本事项随之停止公开。"})
    data["withdrawn_items"].sort(key=lambda w: w["code"])
    data["withdrawn_departments"].append({
        "code": "scjgj", "name": "清川县市场监督管理局", "withdrawn_at": "2024-11-05T15:00:00+08:00",
        "reason": "窗口迁至县市民中心。"})


def test_withdrawing_a_department_a_notice_and_a_channel_publishes_as_a_full_build(
    first, snapshot_data, write_snapshot, web_root, tmp_path
):
    _withdraw_market_regulation(snapshot_data)
    notice = snapshot_data["notices"].pop(0)
    snapshot_data["withdrawn_notices"].insert(0, {
        "code": notice["code"], "title": notice["title"], "department": None,
        "withdrawn_at": "2024-11-06T09:00:00+08:00", "reason": ""})
    channel = snapshot_data["channels"].pop(0)
    snapshot_data["withdrawn_channels"].append({
        "code": channel["code"], "kind": channel["kind"], "name": channel["name"],
        "withdrawn_at": "2024-11-07T09:00:00+08:00", "reason": "并入12345政务服务便民热线。"})
    second = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert second.build.reused > 0
    assert "窗口迁至县市民中心。" in (second.live / "departments/scjgj/index.html").read_text("utf-8")
    assert "所属部门“清川县市场监督管理局”已撤回" in (second.live / "items/511623-SC-0001/index.html").read_text("utf-8")
    assert "已停用的渠道" in (second.live / "channels/index.html").read_text("utf-8")
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)


def test_a_changed_withdrawal_reason_renders_the_channels_page_again(
    first, snapshot_data, write_snapshot, web_root, tmp_path
):
    snapshot_data["withdrawn_channels"][0]["reason"] = "信箱已移至一楼大厅服务台。"
    second = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    rendered = {p.relative_to(second.live).as_posix() for p in second.live.rglob("index.html")
                if p.stat().st_nlink == 1  # not hard-linked from the first build
                and not p.parent.parent.name == "pages"}  # Pelican's hand-written pages: always written
    assert rendered == {"channels/index.html", "data/index.html"}  # the open data page: the snapshot's digest
    assert "信箱已移至一楼大厅服务台。" in (second.live / "channels/index.html").read_text("utf-8")
    assert_same_as_full_build(second, snapshot_data, write_snapshot, tmp_path)
