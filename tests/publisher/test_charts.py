"""Charts: accessible, deterministic SVG with every value written out as text."""

from __future__ import annotations

import re
from decimal import Decimal

from sunshine.publisher.charts import (
    Bar,
    Series,
    department_bars,
    monthly_bars,
    nice_scale,
    rate_lines,
)

MONTHS = ["2024年5月", "2024年6月"]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def cases() -> str:
    return monthly_bars(
        "chart-x", "全中心各月受理和办结办件数", "柱状图。2024年5月受理180件、办结176件。",
        MONTHS, [Series("受理", [180, 193]), Series("办结", [176, 185])],
    )  # fmt: skip


def dissatisfaction() -> str:
    return department_bars(
        "chart-d", "各窗口不满意率", "横向柱状图。",
        [Bar("市场监管局", Decimal("1.2")), Bar("住建局", Decimal("10.5")),
         Bar("民政局", Decimal("45.0"), flagged=True), Bar("税务局", None)],
        reference=30, reference_label="一票否决线 30%", flag_text="超过30%",
    )  # fmt: skip


def test_chart_is_an_image_named_by_its_chinese_title_and_description():
    svg = cases()
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-x" role="img"'
    )
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">全中心各月受理和办结办件数</title>' in svg
    assert '<desc id="chart-x-desc">柱状图。2024年5月受理180件、办结176件。</desc>' in svg
    assert svg.endswith("</svg>")


def test_monthly_bars_write_every_value_and_month_as_text():
    labels = texts(cases())
    for value in ("180", "193", "176", "185", "2024年5月", "2024年6月", "受理", "办结"):
        assert value in labels


def test_monthly_bars_draw_one_bar_per_value_the_second_series_hatched():
    svg = cases()
    bars = re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="42" height="([\d.]+)" fill="([^"]+)"', svg
    )
    assert [fill for _h, fill in bars] == ["#0b3d91", "url(#chart-x-hatch)"] * 2
    # 193 on an axis of 0–200 drawn 240 high is 231.6 high.
    assert bars[2][0] == "231.6"


def test_month_without_a_value_says_no_data():
    svg = monthly_bars("c", "标题", "说明", MONTHS, [Series("受理", [0, None])])
    assert "无数据" in texts(svg)


def test_flagged_bar_is_hatched_and_says_so_in_words():
    svg = dissatisfaction()
    assert '<pattern id="chart-d-flag"' in svg
    assert 'fill="url(#chart-d-flag)"' in svg and svg.count('fill="url(#chart-d-flag)"') == 1
    labels = texts(svg)
    assert "45.0% ▲超过30%" in labels
    assert "10.5%" in labels and "1.2%" in labels


def test_veto_line_is_drawn_and_labelled():
    svg = dissatisfaction()
    assert 'stroke="#a4161a" stroke-width="2" stroke-dasharray="8 4"' in svg
    assert "一票否决线 30%" in texts(svg)


def test_department_without_a_rate_shows_no_data_and_no_bar():
    svg = dissatisfaction()
    assert texts(svg).count("无数据") == 1
    assert len(re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="30"', svg)) == 3


def test_rate_lines_label_points_and_break_at_a_month_without_data():
    svg = rate_lines(
        "r", "满意率", "折线图。", ["2024年4月", *MONTHS],
        [Series("满意率", [Decimal("93.0"), None, Decimal("87.3")]),
         Series("不满意率", [Decimal("7.0"), None, Decimal("12.7")])],
        reference=30, reference_label="一票否决线 30%",
    )  # fmt: skip
    labels = texts(svg)
    assert {"93.0%", "87.3%", "7.0%", "12.7%", "满意率无数据", "不满意率无数据"} <= set(labels)
    # No line is drawn across the gap: each series has only lone points.
    assert 'fill="none" stroke=' not in svg


def test_rate_lines_connect_consecutive_months():
    svg = rate_lines("r", "t", "d", MONTHS, [Series("满意率", [Decimal("93.0"), Decimal("87.3")])])
    assert svg.count('fill="none" stroke="#0b3d91" stroke-width="3"') == 1


def test_same_input_gives_the_same_bytes():
    assert cases() == cases()
    assert dissatisfaction() == dissatisfaction()


def test_text_from_the_snapshot_is_escaped():
    svg = department_bars("c", "标题<script>", "说明&", [Bar("<b>局", Decimal("1.0"))])
    assert "<script>" not in svg and "<b>" not in svg
    assert "标题&lt;script&gt;" in svg and "说明&amp;" in svg and "&lt;b&gt;局" in svg


def test_axis_scale_is_round_and_covers_the_largest_value():
    assert nice_scale(0) == (5, 1)
    assert nice_scale(7) == (8, 2)
    assert nice_scale(45) == (50, 10)
    assert nice_scale(193) == (200, 40)
    assert nice_scale(1000) == (1000, 200)
