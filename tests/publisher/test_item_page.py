"""The item page (办事指南) in the order of the citizen's task, with a contents list, the steps as
a flowchart beside their text, blank forms to download, the chief representative and B 角,
tables that become cards on a phone, and a print layout that is the one-time notice."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import jinja2
import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.settings import theme_url
from tests.publisher.pagecheck import parse
from tests.publisher.static_browser import chromium, served

PERMIT = "/items/511623-ZJ-0001/"  # 建筑工程施工许可证核发: online, 4 materials, 4 steps, 8 fees
MARRIAGE = "/items/511623-MZ-0001/"  # 结婚登记: at the window only, free
SVG = "{http://www.w3.org/2000/svg}"

TASK_ORDER = [
    "materials-title",  # what to bring
    "where-title",  # where and when
    "people-title",  # who decides: 首席代表 and B 角
    "time-title",  # how long
    "steps-title",
    "fees-title",  # how much
    "online-title",  # how to apply online
    "info-title",
    "conditions-title",
    "basis-title",  # the legal basis last of the guide
    "qa-title",
    "supervise-title",
]


def _section_order(html: str) -> list[str]:
    return re.findall(r'<section (?:id="[^"]+" )?aria-labelledby="([^"]+)"', html)


def _contents_links(html: str) -> list[str]:
    nav = html[html.index('<nav class="toc" aria-label="本页目录">') :].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)">', nav)


def _svg(html: str) -> ET.Element:
    start = html.index("<svg ")
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def _item_page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


class _TableCells(HTMLParser):
    """Per reflow table: its column headers and, per body row, (tag, data-label) of each cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.current: dict | None = None
        self.in_head = False
        self.header: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "table" and "reflow-table" in classes:
            self.current = {"headers": [], "rows": []}
            self.tables[classes[-1]] = self.current
        if self.current is None:
            return
        if tag == "thead":
            self.in_head = True
        elif tag == "th" and self.in_head:
            self.header = []
        elif tag == "tr" and not self.in_head:
            self.current["rows"].append([])
        elif tag in ("td", "th") and not self.in_head:
            self.current["rows"][-1].append((tag, a.get("data-label")))

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if tag == "thead":
            self.in_head = False
        elif tag == "th" and self.header is not None:
            self.current["headers"].append("".join(self.header))
            self.header = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.header is not None:
            self.header.append(data)


def _tables(html: str) -> dict[str, dict]:
    parser = _TableCells()
    parser.feed(html)
    return parser.tables


# --- order and contents -------------------------------------------------------------------


def test_sections_follow_the_citizens_task(page):
    assert _section_order(page(PERMIT)) == TASK_ORDER


def test_an_item_done_only_at_the_window_has_no_online_section(page):
    html = page(MARRIAGE)
    assert _section_order(html) == [s for s in TASK_ORDER if s != "online-title"]
    assert "#online" not in _contents_links(html)


def test_the_contents_list_links_every_section_in_page_order(page):
    html = page(PERMIT)
    ids = {
        "materials-title": "materials", "where-title": "where", "people-title": "people",
        "time-title": "time", "steps-title": "steps", "fees-title": "fees", "online-title": "online",
        "info-title": "info", "conditions-title": "conditions", "basis-title": "basis",
        "qa-title": "qa-title", "supervise-title": "supervise-title",
    }  # fmt: skip
    assert _contents_links(html) == [f"#{ids[title]}" for title in TASK_ORDER]


def test_every_contents_link_lands_on_an_element_of_the_page(page):
    html = page(PERMIT)
    page_ids = set(parse(html).ids)
    assert {link[1:] for link in _contents_links(html)} <= page_ids
    assert '<section id="materials" aria-labelledby="materials-title">' in html


def test_the_contents_list_is_a_labelled_navigation_region(page):
    html = page(PERMIT)
    assert html.count('<nav class="toc" aria-label="本页目录">') == 1
    assert html.index('aria-label="本页目录"') < html.index('<section id="materials"')


# --- what to bring ------------------------------------------------------------------------


def test_a_blank_form_is_offered_for_download_with_its_exact_address(page):
    assert (
        '<td data-label="空白表格"><a class="download" href="https://zwfw.qingchuan.example/files/sgxk-sqb.docx">'
        '下载表格<span class="visually-hidden">：建筑工程施工许可证申请表</span>（DOCX）</a></td>'
    ) in page(PERMIT)


def test_materials_without_a_form_say_so(page):
    assert page(PERMIT).count('<td data-label="空白表格" class="none">无</td>') == 3


def test_the_materials_are_counted_for_the_reader(page):
    assert "<p>共 4 项，其中必需 3 项。有空白表格的，可以先下载填好再来办理。</p>" in page(PERMIT)


def test_every_cell_of_the_reflowing_tables_is_labelled_by_its_column(page):
    tables = _tables(page(PERMIT))
    assert sorted(tables) == ["fees-table", "materials-table"]
    for table in tables.values():
        headers = table["headers"]
        for row in table["rows"]:
            assert len(row) == len(headers)
            for (tag, label), header in zip(row, headers, strict=True):
                assert tag == "th" or label == header
    assert len(tables["materials-table"]["rows"]) == 4
    assert len(tables["fees-table"]["rows"]) == 8


def test_the_item_page_tables_no_longer_scroll_sideways(page):
    html = page(PERMIT)
    assert 'class="table-scroll"' not in html
    assert '<table class="data-table reflow-table materials-table">' in html


# --- where, when, who ---------------------------------------------------------------------


def test_the_chief_representative_and_backup_are_shown_with_post_and_phone(page):
    html = page(PERMIT)
    assert (
        "<dt>首席代表（A 角）</dt><dd>王建国，副局长（首席代表），电话 "
        '<a href="tel:0838-6212018">0838-6212018</a></dd>'
    ) in html
    assert (
        '<dt>B 角</dt><dd>李秀梅，行政审批股股长，电话 <a href="tel:0838-6212028">0838-6212028</a></dd>'
    ) in html


def test_a_department_without_a_backup_says_none_is_set(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["departments"] = [
        {**d, "backup": None} if d["code"] == "zjj" else d for d in snapshot_data["departments"]
    ]
    out = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False).out_dir
    assert "<dt>B 角</dt><dd>暂未设置</dd>" in _item_page(out, PERMIT)


def test_where_and_when_names_window_place_hours_and_phone(page):
    text = parse(page(PERMIT)).text
    assert "办理窗口8号窗口" in text
    assert "办理地点清川县政务服务中心二楼东区8号窗口" in text
    assert "中心地址清川县政务服务中心，清川县城关镇政务路88号" in text
    assert "办理时间周一至周五 上午9:00—12:00，下午13:30—17:30（法定节假日除外）" in text


# --- steps --------------------------------------------------------------------------------


def test_the_steps_are_drawn_as_a_well_formed_svg_flowchart(page):
    svg = _svg(page(PERMIT))
    assert svg.tag == f"{SVG}svg"
    assert len(svg.findall(f"{SVG}g[@class='flow-box']")) == 4
    assert svg.get("viewBox").startswith("0 0 320 ")


def test_the_flowchart_is_an_image_labelled_by_its_title(page):
    html = page(PERMIT)
    svg = _svg(html)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "flowchart-title"
    assert "flowchart-title" in parse(html).ids


def test_the_ordered_list_stays_as_the_text_equivalent_after_the_drawing(page):
    html = page(PERMIT)
    steps = html[html.index('<section id="steps"') :].split("</section>")[0]
    assert steps.index("</svg>") < steps.index('<ol class="flow">')
    assert steps.count('<li class="flow-step">') == 4
    assert "窗口当场核对材料，齐全的出具受理通知书" in steps


def test_the_drawing_is_kept_out_of_the_static_search(page):
    assert '<figure class="flowchart-figure" data-pagefind-ignore>' in page(PERMIT)


def test_hostile_step_text_is_escaped_in_the_drawing_and_the_list(
    snapshot_data, write_snapshot, tmp_path
):
    snapshot_data["items"][0]["steps"][0]["name"] = "<script>alert(1)</script> & 受理"
    out = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False).out_dir
    html = _item_page(out, PERMIT)
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 受理") == 2  # title, list
    box = _svg(html).find(f"{SVG}g[@class='flow-box']")
    name_lines = [t.text for t in box.findall(f"{SVG}text[@font-weight='700']")][
        1:
    ]  # after the number
    assert name_lines == ["<script>alert(1)</scrip", "t> & 受理"]  # a word too wide is cut


def test_the_item_pages_macros_are_made_once_per_build(snapshot_file, tmp_path, monkeypatch):
    """item.html imports its macros without context, so Jinja keeps one module per build (with its
    contents lists) where an import with context made one on every item page."""
    made: list[str] = []
    make_module = jinja2.Template.make_module

    def counted(self, *args, **kwargs):
        made.append(self.name)
        return make_module(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "make_module", counted)
    monkeypatch.setenv("SUNSHINE_PUBLISH_PROCESSES", "1")  # every page rendered in this process
    out = build_site(snapshot_file, tmp_path / "out", static_index=False).out_dir
    assert len(list((out / "items").glob("*/index.html"))) > 1
    assert made.count("item_macros.html") == 1
    assert _contents_links(_item_page(out, PERMIT))[-1] == "#supervise-title"


def test_the_page_is_byte_identical_when_built_twice(snapshot_file, tmp_path):
    first = build_site(snapshot_file, tmp_path / "a", static_index=False).out_dir
    second = build_site(snapshot_file, tmp_path / "b", static_index=False).out_dir
    assert _item_page(first, PERMIT).encode() == _item_page(second, PERMIT).encode()


# --- printing and assets ------------------------------------------------------------------


def test_the_page_links_its_stylesheets_and_print_script(page):
    html = page(PERMIT)
    head = html[: html.index("</head>")]
    assert '<link rel="stylesheet" href="/theme/css/item.css">' in head
    assert '<link rel="stylesheet" href="/theme/css/print.css" media="print">' in head
    assert '<script src="/theme/js/print.js" defer></script>' in head
    assert head.index("/theme/css/site.css") < head.index("/theme/css/item.css")


def test_the_theme_assets_are_published(site_dir):
    for path in ("css/item.css", "css/print.css", "js/print.js"):
        assert (site_dir / theme_url(path).lstrip("/")).is_file(), path


def test_theme_urls_follow_the_contracts_stylesheet_address():
    assert theme_url("css/print.css") == "/theme/css/print.css"


def test_the_print_button_leads_to_help_when_scripts_do_not_run(page):
    html = page(PERMIT)
    assert (
        '<a class="button print-button" href="#print-help" data-print>打印一次性告知单</a>' in html
    )
    assert '<p id="print-help" class="meta">' in html
    assert "请使用浏览器菜单中的“打印”（电脑上按 Ctrl+P）" in html


def test_the_printed_notice_names_item_department_and_checklist(page):
    html = page(PERMIT)
    assert '<p class="print-only print-heading">清川县政务服务中心 · 一次性告知单</p>' in html
    assert (
        '<p class="print-only print-dept">实施部门：清川县住房和城乡建设局（8号窗口） · 咨询电话：0838-6212008</p>'
    ) in html
    assert '<p class="print-only">请对照清单逐项准备，备齐的在方框内打“√”。</p>' in html


# --- in a browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_on_a_phone_the_tables_become_labelled_cards(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 360, "height": 740})
        tab.goto(base + PERMIT)
        assert tab.evaluate("document.documentElement.scrollWidth") == 360
        assert (
            tab.eval_on_selector(".materials-table tbody tr", "e => getComputedStyle(e).display")
            == "block"
        )
        head = tab.eval_on_selector(
            ".materials-table thead", "e => e.getBoundingClientRect().height"
        )
        assert head <= 1  # the headers are read by screen readers, not shown
        label = tab.eval_on_selector(
            ".fees-table td[data-label='收费标准']", "e => getComputedStyle(e, '::before').content"
        )
        assert label == '"收费标准"'
        box = tab.eval_on_selector("svg.flowchart", "e => e.getBoundingClientRect().width")
        assert box == 324  # the whole column: 360 less the page padding (2 × 1rem of 18 px)


@pytest.mark.browser
def test_on_a_desktop_the_tables_stay_tables(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(base + PERMIT)
        assert tab.is_visible(".materials-table thead th")
        assert (
            tab.eval_on_selector(".fees-table tbody tr", "e => getComputedStyle(e).display")
            == "table-row"
        )


@pytest.mark.browser
def test_the_print_button_opens_the_print_dialog(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page()
        tab.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
        tab.goto(base + PERMIT)
        assert tab.get_attribute("a[data-print]", "role") == "button"
        tab.click("a[data-print]")
        assert tab.evaluate("window.printed") == 1
        assert tab.url == base + PERMIT  # the link's jump to the help text was prevented


@pytest.mark.browser
def test_printing_keeps_the_notice_and_drops_the_screen_parts(site_dir: Path):
    with chromium() as browser, served(site_dir) as base:
        tab = browser.new_page()
        tab.emulate_media(media="print")
        tab.goto(base + PERMIT)
        for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".toc", ".print-box",
                       "svg.flowchart", ".actions", "#qa-title"):  # fmt: skip
            assert not tab.is_visible(hidden), hidden
        for shown in (
            ".print-heading",
            ".print-dept",
            "#materials",
            "#where",
            "#time",
            "#fees",
            "ol.flow",
        ):
            assert tab.is_visible(shown), shown
        tick_box = tab.eval_on_selector(
            ".materials-table tbody th", "e => getComputedStyle(e, '::before').borderTopStyle"
        )
        assert tick_box == "solid"
        assert (
            tab.eval_on_selector(".materials-table tbody tr", "e => getComputedStyle(e).display")
            == "table-row"
        )
