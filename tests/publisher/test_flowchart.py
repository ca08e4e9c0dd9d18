"""The steps' flowchart: Chinese text wrapped in boxes, one box per step, arrows between them,
a narrow viewBox that scales to a phone, a title that names it, and every text escaped."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sunshine.publisher.flowchart import flowchart_svg, wrap_text

SVG = "{http://www.w3.org/2000/svg}"

BUILDING_PERMIT_STEPS = [
    {"name": "受理", "office": "住建局8号窗口", "days": 0,
     "description": "窗口当场核对材料，齐全的出具受理通知书"},
    {"name": "审查", "office": "行政审批股", "days": 2, "description": "审查施工条件和资金安排"},
    {"name": "决定", "office": "首席代表", "days": 1, "description": "作出准予许可的决定"},
    {"name": "缴费发证", "office": "住建局8号窗口", "days": 0,
     "description": "按“一单收费”一次缴清，当场领取施工许可证"},
]  # fmt: skip


def _tree(steps: list[dict]) -> ET.Element:
    return ET.fromstring(str(flowchart_svg(steps)))


# --- wrapping -----------------------------------------------------------------------------


def test_chinese_text_breaks_between_characters_at_the_width():
    lines = wrap_text("窗口当场核对材料，齐全的出具受理通知书", 10 * 17, 17)
    assert lines == ["窗口当场核对材料，齐", "全的出具受理通知书"]


def test_a_closing_mark_hangs_at_the_line_end_instead_of_starting_a_line():
    assert wrap_text("核对材料齐全，当场受理", 6 * 17, 17) == ["核对材料齐全，", "当场受理"]


def test_an_opening_mark_moves_to_the_next_line_with_its_text():
    assert wrap_text("审核意见（含现场勘验）", 5 * 17, 17) == ["审核意见", "（含现场勘", "验）"]


def test_latin_words_stay_whole_and_break_at_spaces():
    assert wrap_text("Submit the form online", 100, 10) == ["Submit the form", "online"]


def test_a_word_wider_than_the_line_is_cut():
    assert wrap_text("ICP备案Supercalifragilistic", 100, 10) == [
        "ICP备案",
        "Supercalifragili",
        "stic",
    ]


def test_whitespace_collapses_and_empty_text_gives_no_lines():
    assert wrap_text("  受理  \n 审查 ", 100, 10) == ["受理 审查"]
    assert wrap_text("   ", 100, 10) == []


# --- the drawing --------------------------------------------------------------------------


def test_one_box_per_step_and_an_arrow_between_each_pair():
    svg = _tree(BUILDING_PERMIT_STEPS)
    assert len(svg.findall(f"{SVG}g[@class='flow-box']")) == 4
    assert len(list(svg.iter(f"{SVG}rect"))) == 4
    assert len(svg.findall(f"{SVG}path[@class='flow-arrow']")) == 3


def test_the_boxes_say_number_name_office_and_time_limit():
    first = _tree(BUILDING_PERMIT_STEPS).find(f"{SVG}g[@class='flow-box']")
    assert [t.text for t in first.findall(f"{SVG}text")] == [
        "1",
        "受理",
        "办理机构：住建局8号窗口",
        "时限：当场办结",
    ]


def test_the_viewbox_is_phone_narrow_and_the_size_is_left_to_the_page():
    svg = _tree(BUILDING_PERMIT_STEPS)
    # 4 boxes of 91.2 (12 + 18×1.4 + 2×15×1.4 + 12), 3 gaps of 34, 2 above and 2 below.
    assert svg.get("viewBox") == "0 0 320 470.8"
    assert svg.get("width") is None and svg.get("height") is None


def test_a_long_name_wraps_and_makes_its_box_taller():
    svg = _tree(
        [{"name": "建设工程竣工验收消防备案及抽查结果告知", "office": "消防审验股", "days": 5}]
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # 254 units of text beside the badge: 14 characters at 18.
    assert texts == [
        "1",
        "建设工程竣工验收消防备案及抽",
        "查结果告知",
        "办理机构：消防审验股",
        "时限：5 个工作日",
    ]
    assert svg.find(f"{SVG}g/{SVG}rect").get("height") == "116.4"  # 12 + 2×25.2 + 2×21 + 12
    assert svg.get("viewBox") == "0 0 320 120.4"


def test_it_is_an_image_named_by_its_title_which_points_to_the_text():
    svg = _tree(BUILDING_PERMIT_STEPS)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "flowchart-title"
    title = svg.find(f"{SVG}title")
    assert title.get("id") == "flowchart-title"
    assert title.text == (
        "办理流程图，共 4 步：受理、审查、决定、缴费发证。各步的办理机构、时限和说明见本节的文字列表。"
    )


def test_the_id_can_be_chosen_for_a_second_chart_on_a_page():
    svg = ET.fromstring(str(flowchart_svg(BUILDING_PERMIT_STEPS[:1], "steps-b")))
    assert (svg.get("id"), svg.get("aria-labelledby")) == ("steps-b", "steps-b-title")
    assert svg.find(f"{SVG}title").get("id") == "steps-b-title"


def test_hostile_text_is_escaped_and_the_svg_stays_well_formed():
    steps = [{"name": '<script>alert("办")</script> & 受理', "office": "窗口 <b>&amp;", "days": 0}]
    markup = str(flowchart_svg(steps))
    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(&quot;办&quot;)&lt;/script&gt; &amp; 受理" in markup
    texts = [t.text for t in ET.fromstring(markup).iter(f"{SVG}text")]
    assert '<script>alert("办")</script> & 受理' in "".join(texts[1:-2])
    assert texts[-2] == "办理机构：窗口 <b>&amp;"


def test_no_steps_draw_nothing():
    assert str(flowchart_svg([])) == ""


def test_the_same_steps_give_the_same_bytes():
    assert str(flowchart_svg(BUILDING_PERMIT_STEPS)) == str(
        flowchart_svg(list(BUILDING_PERMIT_STEPS))
    )


def test_a_drawing_kept_for_some_steps_is_not_another_steps_drawing():
    """Drawings are kept per distinct steps (flowchart._drawn): an office, a time limit or its type
    that differs is drawn anew."""
    first = [{"name": "受理", "office": "甲窗口", "days": 1}]
    office = [{"name": "受理", "office": "乙窗口", "days": 1}]
    days = [{"name": "受理", "office": "甲窗口", "days": 2}]
    as_true = [{"name": "受理", "office": "甲窗口", "days": True}]
    drawings = [flowchart_svg(steps) for steps in (first, office, days, as_true, first)]
    assert ["甲窗口" in d for d in drawings] == [True, False, True, True, True]
    assert ["时限：1 个工作日" in d for d in drawings] == [True, True, False, False, True]
    assert "时限：True 个工作日" in drawings[3]
