"""Every page kind is written and shows the facts a citizen looks for."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from tests.publisher.pagecheck import parse

SEVEN_FEES = [
    "城市基础设施配套费",
    "新型墙体材料专项基金",
    "建设企业养老保障金",
    "农民工工资保障金",
    "价格调节基金",
    "防空地下室易地建设费",
    "散装水泥专项基金",
]


def test_home_has_intro_search_box_counts_notices_and_windows(page):
    html = page("/")
    assert "一窗受理、一次告知、一单收费" in html
    assert '<form action="/search/" method="get" role="search">' in html
    assert 'name="q"' in html
    assert "<strong>5</strong> 个政务服务事项" in html
    assert "2024年第二季度效能投诉处理情况通报" in html
    assert "8号窗口" in html and '<a href="/departments/zjj/">清川县住房和城乡建设局</a>' in html


def test_home_lists_windows_in_window_number_order(page):
    text = parse(page("/")).text
    assert text.index("3号窗口") < text.index("8号窗口") < text.index("12号窗口")


def test_catalog_groups_items_by_department_in_window_order(page):
    html = page("/items/")
    sections = [html.index(f'<section id="dept-{code}"') for code in ("scjgj", "zjj", "mzj")]
    assert sections == sorted(sections)
    building = html.index('href="/items/511623-ZJ-0001/"')
    assert sections[1] < building < sections[2] < html.index('href="/items/511623-MZ-0002/"')
    text = parse(html).text
    assert all(kind in text for kind in ("承诺件", "即办件", "上报件", "联办件"))


def test_item_page_shows_time_limits_in_working_days(page):
    text = parse(page("/items/511623-ZJ-0001/")).text
    assert "法定办结时限7 个工作日" in text
    assert "承诺办结时限3 个工作日（材料齐全后3个工作日内办结），比法定时限提速 57%" in text
    assert "到现场次数1 次（最多跑一次）" in text
    assert "办件类型承诺件" in text


def test_item_page_shows_basis_conditions_materials_and_result(page):
    html = page("/items/511623-ZJ-0001/")
    assert "《中华人民共和国建筑法》第七条、第八条" in html
    assert "已经取得建设工程规划许可证" in html
    assert '<th scope="row">建设资金落实承诺书</th>' in html and "容缺受理" in html
    assert "证照（建筑工程施工许可证）" in html
    assert '<a href="/departments/zjj/"' in html


def test_item_page_draws_the_steps_as_an_ordered_flow(page):
    html = page("/items/511623-ZJ-0001/")
    assert '<ol class="flow">' in html
    assert html.count('<li class="flow-step">') == 4
    assert "办理机构：行政审批股　时限：2 个工作日" in html


def test_item_page_lists_every_fee_with_its_basis(page):
    html = page("/items/511623-ZJ-0001/")
    for name in [*SEVEN_FEES, "施工图审查服务费"]:
        assert name in html
    assert "川府发〔2010〕12号" in html and "按建筑面积每平方米80元" in html


def test_free_item_says_no_fee(page):
    html = page("/items/511623-SC-0001/")
    assert "<strong>不收费</strong>" in html
    assert "当场办结" in html and "0 次（全程网办，不用跑）" in html


def test_item_page_links_to_the_complaint_form_for_that_item(page):
    html = page("/items/511623-MZ-0002/")
    assert (
        '<a class="button button-complaint" href="/intake/complaint?item=511623-MZ-0002">我要投诉</a>'
        in html
    )
    assert "0838-6212345" in html
    assert "第 2 版" in html and "2024-07-01 10:00" in html


def test_item_page_prints_as_a_one_time_notice(page):
    html = page("/items/511623-ZJ-0001/")
    assert '<p class="print-only print-heading">清川县政务服务中心 · 一次性告知单</p>' in html


def test_department_page_shows_window_people_duties_and_items(page):
    html = page("/departments/zjj/")
    text = parse(html).text
    assert "8号窗口" in text and "清川县政务服务中心二楼东区8号窗口" in text
    assert "王建国" in text and "副局长（首席代表）" in text and "0838-6212018" in text
    assert "李秀梅" in text and "行政审批股股长" in text
    assert "<strong>受理、审核和办结</strong>" in html
    assert '<a href="/items/511623-ZJ-0002/">二级建造师执业资格注册初审</a>' in html
    assert 'href="/intake/complaint?department=zjj"' in html


def test_department_without_backup_says_so(page):
    assert "暂未设置" in page("/departments/mzj/")


def test_department_index_lists_every_department(page):
    html = page("/departments/")
    for code in ("zjj", "scjgj", "mzj"):
        assert f'href="/departments/{code}/"' in html


def test_fee_overview_counts_each_category_in_the_official_order_and_links_its_page(page):
    html = page("/fees/")
    assert "中心各窗口依法收取的费用共 8 项" in html
    assert _overview_rows(html) == [
        ('<a href="/fees/xzsyxsf/">行政事业性收费</a>', ["3 项", "1 个"]),
        ('<a href="/fees/zfxjj/">政府性基金</a>', ["4 项", "1 个"]),
        ('<a href="/fees/jyfwxsf/">经营服务性收费</a>', ["1 项", "1 个"]),
    ]


def _overview_rows(html: str) -> list[tuple[str, list[str]]]:
    """The fee overview's category table: (the link in the row heading, the counts)."""
    table = html[html.index('<table class="data-table fee-overview">'):html.index("</table>")]
    return [
        (link, re.findall(r"<td>([^<]*)</td>", cells))
        for link, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    ]


def test_fee_overview_lists_no_fee_itself(page):
    html = page("/fees/")
    assert "按建筑面积每平方米80元" not in html and "施工图审查服务费" not in html


def test_fee_overview_links_the_combined_bill_with_its_counts(page):
    html = page("/fees/")
    assert ('<li><a href="/fees/bills/#bill-1">建设项目一单收费</a>'
            '<span class="meta">（7 项收费，1 个事项）</span></li>') in html


def test_fee_overview_leads_to_the_free_items_list_with_its_count(page):
    html = page("/fees/")
    assert '<p>4 个事项不收费：<a href="/items-by/no-fee/">查看不收费的事项</a>。</p>' in html
    assert '<a href="/items/511623-MZ-0001/">结婚登记</a>' in page("/items-by/no-fee/")


def test_fee_category_page_shows_its_own_fees_with_amounts(page):
    html = page("/fees/zfxjj/")
    assert "<h1>政府性基金</h1>" in html
    assert "政府性基金共 4 项，按事项编码排列" in html
    names = re.findall(r'<th scope="row">([^<]+)', html)
    assert names == ["城市基础设施配套费", "新型墙体材料专项基金", "价格调节基金", "散装水泥专项基金"]
    assert "<td>按建筑面积每平方米80元</td>" in html and "<td>川府发〔2010〕12号</td>" in html
    assert '<a href="/items/511623-ZJ-0001/">建筑工程施工许可证核发</a>' in html
    assert 'class="pager"' not in html  # one page: no page links


def test_fee_category_page_has_breadcrumbs_to_the_overview(page):
    html = page("/fees/jyfwxsf/")
    crumbs = html[html.index('<nav class="breadcrumbs'):]
    crumbs = crumbs[:crumbs.index("</nav>")]
    assert re.findall(r"<li>(.*?)</li>", crumbs) == [
        '<a href="/">首页</a>', '<a href="/fees/">收费公示</a>', '<span aria-current="page">经营服务性收费</span>']


def test_combined_bill_page_lists_all_seven_fees_on_the_bill(page):
    html = page("/fees/bills/")
    assert '<h2 id="bill-1">建设项目一单收费（7 项）</h2>' in html
    assert re.findall(r'<th scope="row">([^<]+)', html) == SEVEN_FEES
    assert "<td>按工程合同价款的2.5%</td>\n      <td>行政事业性收费</td>" in html
    assert "施工图审查服务费" not in html


def test_channels_page_offers_online_complaint_and_lookup(page):
    html = page("/channels/")
    assert '<a class="button button-complaint" href="/intake/complaint">在线投诉</a>' in html
    assert '<a class="button" href="/intake/lookup">投诉查询</a>' in html
    text = parse(html).text
    assert "效能投诉电话" in text and "0838-6212345" in text
    assert "清川县政务服务中心效能监督科" in text
    assert "5 个工作日内" in text and "13 个工作日内" in text


def test_notices_are_listed_newest_first(page):
    text = parse(page("/notices/")).text
    assert text.index("第二季度") < text.index("夏季工作时间") < text.index("一单收费")


def test_notice_page_renders_its_body(page):
    html = page("/notices/N2024-003/")
    assert "<td>服务态度</td>" in html
    assert "2024年7月5日" in html and "监督通报" in html


def test_notice_of_a_department_links_to_it(page):
    assert '<a href="/departments/zjj/">清川县住房和城乡建设局</a>' in page("/notices/N2024-002/")


def test_search_page_loads_pagefind_and_explains_itself_without_js(page, site_dir):
    html = page("/search/")
    # without JavaScript the form goes to the intake's plain results page (intake_url "" here)
    assert '<form id="site-search" class="site-search" action="/intake/search" method="get" role="search"' in html
    assert '<label for="site-search-input">输入要找的事项、部门或关键词</label>' in html
    assert "<noscript><p>浏览器未启用 JavaScript 时，点“搜索”会打开服务平台的搜索结果页。</p></noscript>" in html
    assert '<a href="/items/">全部办事指南</a>' in html
    script = (site_dir / "theme/js/search.js").read_text(encoding="utf-8")
    assert 'import(bundle + "pagefind.js")' in script and "mergeIndex(delta" in script
    assert 'get("q")' in script
    assert "没有找到与“" in script and 'data-fold="/search-data.json"' in html


def test_search_data_and_list_pages_are_not_indexed(page):
    # The item list shows every item: a search finds each item once, on its own page.
    # Listing pages too: each record is found once, on its own page (its search block).
    for url in ("/search/", "/data/", "/404.html", "/items/", "/departments/", "/fees/", "/notices/", "/"):
        assert parse(page(url)).main_attrs is not None
        assert "data-pagefind-body" not in page(url), url
    assert "data-pagefind-body" in page("/departments/zjj/")


def test_lists_of_items_inside_indexed_pages_are_left_out_of_the_index(page):
    department = page("/departments/zjj/")
    assert 'aria-label="事项列表" tabindex="0" data-pagefind-ignore>' in department


def test_hand_written_pages_are_built(page):
    about = page("/pages/about/")
    assert "<h1>关于本站</h1>" in about and "一次性告知单" in about
    assert "<h1>隐私说明</h1>" in page("/pages/privacy/")
    assert '<a href="/pages/about/">关于本站</a>' in page("/")


def test_home_page_shows_the_data_version(page):
    assert '数据版本：<time datetime="2024-07-08T09:30:00+08:00">2024-07-08 09:30</time>' in page("/")


def test_record_pages_do_not_depend_on_the_export_time(page):
    # A page that changes with every export would be rewritten by every rebuild.
    for url in ("/items/511623-ZJ-0001/", "/pages/privacy/", "/fees/"):
        assert "2024-07-08T09:30" not in page(url)


def test_notices_feed_is_atom_newest_first(site_dir):
    root = ET.parse(site_dir / "notices/atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == "2024年第二季度效能投诉处理情况通报" and len(titles) == 3
    assert root.findtext("a:updated", namespaces=ns) == "2024-07-05T10:30:00+08:00"


def test_navigation_marks_the_current_page_and_section(page):
    assert '<a href="/fees/" aria-current="page">收费公示</a>' in page("/fees/")
    assert '<a href="/items/" aria-current="true">办事指南</a>' in page("/items/511623-MZ-0001/")
    assert "aria-current" not in page("/pages/about/").split("</nav>")[0].split("主导航")[1]


def test_page_titles_name_the_page_and_the_center(page):
    assert "<title>收费公示 - 清川县政务服务中心</title>" in page("/fees/")
    assert "<title>清川县政务服务中心 · 阳光政务公开</title>" in page("/")
