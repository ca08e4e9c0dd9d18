"""The figures page, the figures on the home and department pages, and figures.csv.

Expected numbers are those of tests/publisher/fixtures/snapshot-small.json
(2024-05 and 2024-06; 清川县民政局 is over the 30 % line).
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.catalog import build_catalog
from tests.publisher.pagecheck import parse


def svg_of(html: str, chart_id: str) -> str:
    match = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match, chart_id
    return match.group()


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def table_after(html: str, marker: str) -> list[list[str]]:
    """Rows (header included) of the first table after ``marker``, as cell texts."""
    start = html.index(marker)
    table = html[html.index("<table", start) : html.index("</table>", start)]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def csv_rows(path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- the figures page ----------------------------------------------------------


def test_figures_page_shows_the_centres_headline_figures(page):
    text = parse(page("/figures/")).text
    assert "统计期间：2024年5月至2024年6月" in text
    assert "统计截至：2024年7月7日" in text
    for figure in ("373 件受理办件", "361 件办结办件", "97.2% 按时办结率", "67.9% 提前办结率",
                   "55.7% 现场办结率", "90.1% 满意率（142 条评价）", "9.9% 不满意率",
                   "14 条差评，已整改 9 条（差评整改率 64.3%）",
                   "5 件投诉，按时答复 4 件（投诉按时答复率 80.0%）"):  # fmt: skip
        assert figure in text


def test_figures_page_tables_give_each_month_and_the_total(page):
    rows = table_after(page("/figures/"), 'id="cases-title"')
    assert rows[0][:3] == ["月份", "受理", "办结"]
    assert rows[1] == [
        "2024年5月",
        "180",
        "176",
        "174",
        "122",
        "100",
        "1",
        "98.9%",
        "69.3%",
        "56.8%",
    ]
    assert rows[3] == ["合计", "373", "361", "351", "245", "201", "4", "97.2%", "67.9%", "55.7%"]


def test_monthly_chart_carries_the_same_numbers_as_its_table(page):
    html = page("/figures/")
    svg = svg_of(html, "chart-centre-cases")
    rows = table_after(html, 'id="cases-title"')
    numbers = [cell for row in rows[1:3] for cell in row[1:3]]
    assert numbers == ["180", "176", "193", "185"]
    labels = svg_texts(svg)
    assert [label for label in labels if label in numbers] == numbers
    assert '<title id="chart-centre-cases-title">全中心各月受理和办结办件数</title>' in svg
    assert "2024年5月受理180件、办结176件；2024年6月受理193件、办结185件" in svg


def test_satisfaction_chart_matches_the_ratings_table(page):
    html = page("/figures/")
    labels = svg_texts(svg_of(html, "chart-centre-satisfaction"))
    rows = table_after(html, 'id="ratings-title"')
    header = rows[0]
    for row in rows[1:3]:
        assert row[header.index("满意率")] in labels
        assert row[header.index("不满意率")] in labels
    assert {"93.0%", "87.3%", "7.0%", "12.7%", "一票否决线 30%"} <= set(labels)


def test_windows_are_ranked_slowest_first_by_on_time_rate(page):
    html = page("/figures/")
    rows = table_after(html, 'id="ranking-title"')
    assert [(row[1], row[4]) for row in rows[1:]] == [
        ("清川县住房和城乡建设局", "89.9%"),
        ("清川县民政局", "97.3%"),
        ("清川县市场监督管理局", "99.6%"),
    ]
    bars = svg_texts(svg_of(html, "chart-on-time"))
    assert [label for label in bars if label.endswith("%") and "." in label] == [
        "89.9%",
        "97.3%",
        "99.6%",
    ]
    assert bars.index("住建局") < bars.index("民政局") < bars.index("市场监管局")


def test_department_over_the_veto_line_is_flagged_in_words_and_the_others_not(page):
    html = page("/figures/")
    rows = {row[0]: row for row in table_after(html, 'id="veto-title"')[1:]}
    assert rows["清川县民政局"][3:] == ["45.0%", "▲ 不满意率超过30%（一票否决线）"]
    assert rows["清川县住房和城乡建设局"][3:] == ["10.5%", "未达到"]
    assert rows["清川县市场监督管理局"][3:] == ["1.2%", "未达到"]
    labels = svg_texts(svg_of(html, "chart-dissatisfaction"))
    assert "45.0% ▲超过30%" in labels and "10.5%" in labels and "10.5% ▲超过30%" not in labels
    callout = parse(html).text
    assert "不满意率达到或超过 30%（一票否决线）的窗口：清川县民政局（45.0%）" in callout


def test_figures_page_explains_the_counting_rules_and_links_onwards(page):
    html = page("/figures/")
    text = parse(html).text
    assert "按时办结：在承诺办结期限（含依法延期）当天或之前作出决定" in text
    assert "经申诉复核认定评价有误而作废的，不计入" in text
    assert "没有可计算的数（例如当月没有办结件）时显示“无数据”" in text
    assert '<a href="/figures/rectifications/">差评整改情况</a>' in html
    assert '<a href="/data/figures.csv">' in html
    assert 'href="/intake/case"' in html


def test_charts_are_followed_by_tables_and_left_out_of_the_search_index(page):
    html = page("/figures/")
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert html.count('<figure class="chart-figure" data-pagefind-ignore>') == 4
    for chart in (
        "chart-centre-cases",
        "chart-centre-satisfaction",
        "chart-on-time",
        "chart-dissatisfaction",
    ):
        after = html[html.index(f'id="{chart}"') :]
        assert after.index("<table") < after.index("</section>")


def test_navigation_offers_the_figures_page(page):
    nav = page("/items/").split('aria-label="主导航"')[1].split("</nav>")[0]
    assert '<a href="/figures/">办件统计</a>' in nav
    assert '<a href="/figures/" aria-current="page">办件统计</a>' in page("/figures/")


# -- home, department, item and channels pages -----------------------------


def test_home_shows_the_centres_headline_figures_and_links_to_them(page):
    text = parse(page("/")).text
    assert "办件统计（2024年5月至2024年6月）" in text
    assert "373 件受理办件，办结 361 件" in text
    assert "97.2% 按时办结率" in text and "90.1% 满意率" in text
    assert "64.3% 差评整改率（14 条差评）" in text
    assert '<a href="/figures/">查看各窗口办件统计</a>' in page("/")


def test_department_page_has_its_own_figures_chart_and_rating_link(page):
    html = page("/departments/zjj/")
    text = parse(html).text
    assert "85 件受理办件" in text and "89.9% 按时办结率" in text and "10.5% 不满意率" in text
    rows = table_after(html, 'id="figures-title"')
    assert rows[2] == ["2024年6月", "45", "41", "35", "18", "4", "2", "85.4%", "43.9%", "9.8%"]
    svg = svg_of(html, "chart-dept-cases")
    assert "2024年5月受理40件、办结38件；2024年6月受理45件、办结41件" in svg
    assert {"40", "38", "45", "41"} <= set(svg_texts(svg))
    assert '<a class="button" href="/intake/rate?department=zjj">评价本窗口</a>' in html
    assert "不满意率超过30%" not in text


def test_department_over_the_line_says_so_on_its_page(page):
    text = parse(page("/departments/mzj/")).text
    assert "▲ 不满意率超过30%（一票否决线）：统计期间本窗口不满意率为 45.0%。" in text
    assert "40.0%▲超过30%" in text.replace(" ", "")


def test_item_page_offers_rating_and_case_lookup_next_to_the_complaint(page):
    html = page("/items/511623-ZJ-0001/")
    actions = html[html.index('<p class="actions no-print">') :].split("</p>")[0]
    assert '<a class="button" href="/intake/rate?item=511623-ZJ-0001">评价本事项</a>' in actions
    assert "我要投诉" in actions
    assert '<a href="/intake/case">办件查询</a>' in actions


def test_channels_page_links_to_case_lookup_and_rating(page):
    html = page("/channels/")
    assert '<a class="button" href="/intake/case">办件查询</a>' in html
    assert '<a class="button" href="/intake/case/rate">我要评价</a>' in html


# -- open data ---------------------------------------------------------------


def test_figures_csv_has_centre_department_month_and_total_rows(site_dir):
    rows = csv_rows(site_dir / "data/figures.csv")
    assert len(rows) == 12  # (centre + 3 departments) × (2 months + 合计)
    assert [(r["部门编码"], r["月份"]) for r in rows[:3]] == [
        ("", "2024-05"),
        ("", "2024-06"),
        ("", "合计"),
    ]
    assert [r["部门编码"] for r in rows[3::3]] == ["scjgj", "zjj", "mzj"]  # window order
    centre = rows[2]
    assert centre["部门"] == "全中心"
    assert centre["受理办件"] == "373" and centre["办结办件"] == "361"
    assert centre["按时办结率（%）"] == "97.2" and centre["满意率（%）"] == "90.1"
    assert centre["差评"] == "14" and centre["差评整改率（%）"] == "64.3"
    assert centre["投诉按时答复率（%）"] == "80.0"


def test_figures_csv_flags_the_department_over_the_line(site_dir):
    rows = {(r["部门编码"], r["月份"]): r for r in csv_rows(site_dir / "data/figures.csv")}
    assert rows[("mzj", "合计")]["不满意率（%）"] == "45.0"
    assert rows[("mzj", "合计")]["达到一票否决线"] == "是"
    assert rows[("zjj", "合计")]["达到一票否决线"] == "否"
    assert rows[("zjj", "2024-06")]["评价：非常不满意"] == "1"


def test_figures_csv_leaves_a_rate_without_data_empty(site_dir):
    rows = {(r["部门编码"], r["月份"]): r for r in csv_rows(site_dir / "data/figures.csv")}
    # 市场监管局 had no complaint in May 2024: there is no rate to give.
    assert rows[("scjgj", "2024-05")]["收到投诉"] == "0"
    assert rows[("scjgj", "2024-05")]["投诉按时答复率（%）"] == ""


def test_data_page_lists_the_figures_tables(page):
    html = page("/data/")
    assert '<a href="/data/figures.csv">figures.csv</a>' in html
    assert '<a href="/data/rectifications.csv">rectifications.csv</a>' in html
    assert "办件统计（按部门和月份）（figures.csv，12 行）" in parse(html).text


# -- a department with no cases --------------------------------------------


@pytest.fixture(scope="module")
def site_with_new_window(tmp_path_factory):
    """The small snapshot plus 清川县税务局 (no row in the figures) and zeroed 民政局 months."""
    import copy
    import json

    from tests.publisher.conftest import SMALL_SNAPSHOT

    data = copy.deepcopy(json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8")))
    tax = copy.deepcopy(data["departments"][0])
    tax.update(code="swj", name="清川县税务局", short_name="税务局", window="15号窗口")
    data["departments"].append(tax)
    root = tmp_path_factory.mktemp("new-window")
    snapshot = root / "snapshot.json"
    snapshot.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return build_site(snapshot, root / "out", static_index=False).out_dir


def test_department_without_cases_shows_no_data(site_with_new_window):
    html = (site_with_new_window / "departments/swj/index.html").read_text(encoding="utf-8")
    text = parse(html).text
    assert "统计期间本窗口没有办件记录，各项比率为“无数据”。" in text
    assert "0 件受理办件" in text and "无数据 按时办结率" in text and "无数据 满意率" in text
    rows = table_after(html, 'id="figures-title"')
    assert rows[3] == ["合计", "0", "0", "0", "0", "0", "0", "无数据", "无数据", "无数据"]


def test_department_without_cases_is_ranked_last_with_no_data(site_with_new_window):
    html = (site_with_new_window / "figures/index.html").read_text(encoding="utf-8")
    rows = table_after(html, 'id="ranking-title"')
    assert rows[-1][1] == "清川县税务局" and rows[-1][4] == "无数据"
    veto = {row[0]: row for row in table_after(html, 'id="veto-title"')[1:]}
    assert veto["清川县税务局"][3:] == ["无数据", "无数据"]
    assert "无数据" in svg_texts(svg_of(html, "chart-on-time"))


def test_figures_do_not_depend_on_export_order(snapshot_data):
    shuffled = build_catalog(
        {**snapshot_data, "figures": {**snapshot_data["figures"],
                                      "departments": snapshot_data["figures"]["departments"][::-1]},
         "rectifications": snapshot_data["rectifications"][::-1]}
    )  # fmt: skip
    original = build_catalog(snapshot_data)
    assert shuffled.figures == original.figures
    assert shuffled.rectifications == original.rectifications
