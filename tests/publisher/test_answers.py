"""Published complaint outcomes (投诉办理结果公开) and online questions (网上咨询): the outcome page,
the question list and pages, their place on item and department pages, their CSVs, and what a
rebuild rewrites. Expected values are those of tests/publisher/fixtures/snapshot-small.json."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sunshine.publisher.build import build_site
from tests.publisher.conftest import tree
from tests.publisher.pagecheck import parse

PHONE_SUBJECT = "结婚登记窗口未一次性告知要补交的材料，请回电（电话号码已隐去）"
LATE_OUTCOME = "TS-9MWD-4HRT"
LATE_QUESTION = "ZX-5NCP-9KLB"
ITEM_QUESTION = "ZX-8RTD-2WFE"


def _card(html: str, code: str) -> str:
    """The HTML of one outcome card (from its id to the end of its article)."""
    start = html.index(f'<article class="outcome-card" id="{code}"')
    return html[start : html.index("</article>", start)]


def _text(html: str) -> str:
    return " ".join(parse(html).text.split())


def _csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --- the outcome page -----------------------------------------------------------------------


def test_outcome_page_shows_the_masked_phone_as_masked(page):
    html = page("/figures/complaints/")
    assert f'<h4 id="TS-7KQM-3XPA-title" class="outcome-title">{PHONE_SUBJECT}</h4>' in html


def test_outcome_card_shows_outcome_reasons_dates_days_and_lateness(page):
    text = _text(_card(page("/figures/complaints/"), LATE_OUTCOME))
    for fact in (
        "施工许可证超过承诺时限未办结",
        "办结结果：部分解决",
        "超期答复",
        "经重新办理",
        "涉及事项建筑工程施工许可证核发",
        "投诉类别办理超时",
        "答复意见经查，该件因施工图审查意见未及时回传，超过承诺时限。",
        "结果说明证件已办结；申请人要求退还的图审服务费不属于本局收费，已告知向图审机构申请。",
        "收到日期2024年5月20日",
        "答复日期2024年6月12日",
        "办结日期2024年6月14日",
        "答复用时16 个工作日（超期）",
        "重新办理投诉人申请过重新办理",
        "问题是否解决投诉人表示问题未解决",
        f"投诉编号 {LATE_OUTCOME}",
    ):
        assert fact in text, fact


def test_outcome_answered_on_time_is_not_flagged_late(page):
    card = _card(page("/figures/complaints/"), "TS-7KQM-3XPA")
    text = _text(card)
    assert "答复用时4 个工作日（按期）" in text and "办结结果：已解决" in text
    assert "超期答复" not in text and "经重新办理" not in text and "结果说明" not in text


def test_outcome_without_item_is_about_the_window_and_may_have_no_view_of_the_complainant(page):
    text = _text(_card(page("/figures/complaints/"), "TS-2PXN-8LCE"))
    assert "涉及事项窗口服务" in text
    assert "办结结果：投诉不成立" in text
    assert "问题是否解决投诉人未反馈" in text


def test_outcomes_are_grouped_by_department_in_window_order_then_by_category(page):
    html = page("/figures/complaints/")
    sections = [html.index(f'<section id="outcomes-{code}"') for code in ("scjgj", "zjj", "mzj")]
    assert sections == sorted(sections)
    zjj = html[sections[1] : sections[2]]
    # 服务态度 comes before 办理超时 in the contract's list of categories.
    assert zjj.index(">服务态度（1 件）</h3>") < zjj.index(">办理超时（1 件）</h3>")
    assert zjj.index('id="TS-2PXN-8LCE"') < zjj.index(f'id="{LATE_OUTCOME}"')


def test_outcome_page_counts_outcomes_per_department(page):
    html = page("/figures/complaints/")
    assert "目前公开 4 件办结的投诉，其中按期答复 3 件，经投诉人申请重新办理 1 件。" in _text(html)
    row = html[html.index('<a href="#outcomes-zjj">') :].split("</tr>")[0]
    # 公开件数, 已解决, 部分解决, 投诉不成立, 已转有关部门办理, 按期答复
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["2", "0", "1", "1", "0", "1"]


def test_figures_page_links_to_the_outcome_page(page):
    html = page("/figures/")
    assert '<li><a href="/figures/complaints/">投诉办理结果公开</a></li>' in html


def test_outcome_page_is_in_the_figures_section(page):
    html = page("/figures/complaints/")
    assert "<title>投诉办理结果公开 - 清川县政务服务中心</title>" in html
    assert '<a href="/figures/" aria-current="true">办件统计</a>' in html


# --- the question list and pages ---------------------------------------------------------


def test_question_list_is_grouped_by_department_latest_answer_first(page):
    html = page("/questions/")
    sections = [
        html.index(f'<section class="qa-group" id="questions-{c}"') for c in ("scjgj", "zjj", "mzj")
    ]
    assert sections == sorted(sections)
    zjj = html[sections[1] : sections[2]]
    assert zjj.index(f'href="/questions/{ITEM_QUESTION}/"') < zjj.index(
        f'href="/questions/{LATE_QUESTION}/"'
    )
    assert '<a href="#questions-zjj">清川县住房和城乡建设局（2）</a>' in html


def test_question_list_entry_shows_item_dates_days_and_an_excerpt_of_the_answer(page):
    html = page("/questions/")
    entry = html[html.index(f'href="/questions/{ITEM_QUESTION}/"') :].split("</li>")[0]
    text = _text(entry)
    assert (
        "事项：建筑工程施工许可证核发 · 2024年6月24日提问 · 2024年6月27日答复 · 用时 3 个工作日（按期）"
        in text
    )
    assert "答：可以。登录四川政务服务网搜索“建筑工程施工许可证核发”即可网上申报" in text


def test_question_list_links_to_the_intake(page):
    html = page("/questions/")
    assert '<a class="button button-primary" href="/intake/question">我要咨询</a>' in html
    assert '<a class="button" href="/intake/question/lookup">查询我的咨询</a>' in html
    assert '<a href="/intake/question?department=zjj">向住建局咨询</a>' in html


def test_question_list_filter_is_a_static_script_revealed_by_it(page, site_dir):
    html = page("/questions/")
    assert '<script src="/theme/js/questions.js" defer></script>' in html
    assert '<div class="list-filter" id="qa-filter-box" hidden>' in html
    assert "<script>" not in html  # no inline script (Content-Security-Policy)
    assert (site_dir / "theme/js/questions.js").is_file()


def test_question_page_shows_question_answer_and_how_long_it_took(page):
    text = _text(page(f"/questions/{LATE_QUESTION}/"))
    for fact in (
        "住建局窗口周六上班吗？",
        "清川县住房和城乡建设局 · 2024年6月14日答复 · 用时 6 个工作日（超期）",
        "咨询内容 平时要上班，想问住建局窗口周六能不能办业务？ 提问日期：2024年6月5日",
        "住建局答复 住建局窗口周六上午实行预约服务，请提前一个工作日拨打窗口咨询电话预约。",
        f"咨询编号{LATE_QUESTION}",
        "涉及事项未指定事项",
    ):
        assert fact in text, fact


def test_question_without_item_asks_the_same_department(page):
    html = page(f"/questions/{LATE_QUESTION}/")
    assert (
        '<a class="button button-primary" href="/intake/question?department=zjj">我要咨询</a>'
        in html
    )
    assert '<a href="/questions/#questions-zjj">住建局的其他问答</a>' in html


def test_question_about_an_item_links_to_it_and_asks_about_it(page):
    html = page("/questions/ZX-3HQK-7MNA/")
    assert (
        '<a class="button button-primary" href="/intake/question?item=511623-MZ-0001">我要咨询</a>'
        in html
    )
    assert '<dd><a href="/items/511623-MZ-0001/">结婚登记</a></dd>' in html
    # The answer's two lines are two paragraphs.
    assert "<p>双方须携带本人户口簿、身份证和3张2寸近期半身免冠合影照片。</p>" in html


def test_question_pages_are_in_the_search_index_and_the_questions_section(page):
    html = page(f"/questions/{ITEM_QUESTION}/")
    assert '<div class="search-terms" hidden data-pagefind-body>' in html
    assert '<a href="/questions/" aria-current="true">网上咨询</a>' in html
    assert '<a href="/questions/" aria-current="page">网上咨询</a>' in page("/questions/")


# --- item and department pages ------------------------------------------------------------


def test_item_page_shows_its_questions_with_answer_and_date(page):
    html = page("/items/511623-ZJ-0001/")
    section = _text(
        html[html.index('<section aria-labelledby="qa-title">') :].split("</section>")[0]
    )
    assert (
        "问：我们公司在城关镇有个厂房项目，施工许可的材料能不能网上提交，不用跑窗口？请回电（电话号码已隐去）。"
        in section
    )
    assert "答：可以。登录四川政务服务网搜索“建筑工程施工许可证核发”即可网上申报" in section
    assert "2024年6月24日提问 · 2024年6月27日答复" in section
    assert "住建局窗口周六上班吗" not in section  # asked about the department, not this item


def test_item_page_offers_the_question_form_beside_the_complaint_link(page):
    html = page("/items/511623-ZJ-0001/")
    complaint = html.index('href="/intake/complaint?item=511623-ZJ-0001">我要投诉</a>')
    question = html.index(
        '<a class="button button-primary" href="/intake/question?item=511623-ZJ-0001">我要咨询</a>'
    )
    assert 0 < question - complaint < 120


def test_item_without_questions_says_so(page):
    assert "本事项暂无公开的问答。" in page("/items/511623-ZJ-0002/")


def test_item_page_links_to_its_complaint_outcomes(page):
    html = page("/items/511623-ZJ-0001/")
    assert f'<a href="/figures/complaints/#{LATE_OUTCOME}">施工许可证超过承诺时限未办结</a>' in html


def test_department_page_sums_up_and_links_its_outcomes_and_questions(page):
    html = page("/departments/zjj/")
    text = _text(html)
    assert (
        "本窗口经投诉人同意公开的办结投诉 2 件，其中按期答复 1 件：部分解决 1 件，投诉不成立 1 件。"
        in text
    )
    assert '<a href="/figures/complaints/#outcomes-zjj">查看本窗口的投诉办理结果</a>' in html
    assert '<a href="/questions/#questions-zjj">查看本窗口的全部问答</a>' in html
    assert f'href="/questions/{LATE_QUESTION}/"' in html
    assert (
        '<a class="button button-primary" href="/intake/question?department=zjj">向本窗口咨询</a>'
        in html
    )


def test_home_counts_questions_and_outcomes(page):
    html = page("/")
    assert '<a href="/questions/"><strong>4</strong> 条网上咨询问答</a>' in html
    assert '<a href="/figures/complaints/"><strong>4</strong> 件投诉办理结果公开</a>' in html


def test_department_without_outcomes_or_questions_says_so(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["complaint_outcomes"] = [
        r for r in snapshot_data["complaint_outcomes"] if r["department"] != "mzj"
    ]
    snapshot_data["questions"] = [r for r in snapshot_data["questions"] if r["department"] != "mzj"]
    out = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False).out_dir
    department = (out / "departments/mzj/index.html").read_text(encoding="utf-8")
    assert "本窗口目前没有公开的投诉办理结果。" in department
    assert "本窗口目前没有公开的问答。" in department
    assert "#outcomes-mzj" not in department and "#questions-mzj" not in department
    assert 'id="outcomes-mzj"' not in (out / "figures/complaints/index.html").read_text(
        encoding="utf-8"
    )


def test_nothing_published_yet_builds_and_says_so(snapshot_data, write_snapshot, tmp_path):
    snapshot_data["complaint_outcomes"] = []
    snapshot_data["questions"] = []
    out = build_site(write_snapshot(snapshot_data), tmp_path / "out", static_index=False).out_dir
    assert "目前没有公开的投诉办理结果。" in (out / "figures/complaints/index.html").read_text(
        encoding="utf-8"
    )
    assert "目前还没有公开的问答。" in (out / "questions/index.html").read_text(encoding="utf-8")
    assert not (out / "questions" / LATE_QUESTION).exists()


# --- open data --------------------------------------------------------------------------------


def test_complaint_outcomes_csv_has_chinese_headers_latest_closed_first(site_dir):
    rows = _csv(site_dir / "data/complaint_outcomes.csv")
    assert [r["投诉编号"] for r in rows] == [
        "TS-2PXN-8LCE",
        "TS-4FHJ-6NVY",
        LATE_OUTCOME,
        "TS-7KQM-3XPA",
    ]
    assert rows[2] == {
        "投诉编号": LATE_OUTCOME,
        "部门编码": "zjj",
        "部门": "清川县住房和城乡建设局",
        "事项编码": "511623-ZJ-0001",
        "事项名称": "建筑工程施工许可证核发",
        "投诉类别": "办理超时",
        "投诉事由": "施工许可证超过承诺时限未办结",
        "答复意见": "经查，该件因施工图审查意见未及时回传，超过承诺时限。已督促审批股当日办结，并将图审回传纳入电子监察。",
        "办结结果": "部分解决",
        "结果说明": "证件已办结；申请人要求退还的图审服务费不属于本局收费，已告知向图审机构申请。",
        "收到日期": "2024-05-20",
        "答复日期": "2024-06-12",
        "办结日期": "2024-06-14",
        "答复用时（工作日）": "16",
        "是否按期答复": "超期",
        "是否重新办理": "是",
        "问题是否解决": "否",
    }


def test_complaint_outcomes_csv_leaves_an_unknown_view_and_item_empty(site_dir):
    row = next(
        r for r in _csv(site_dir / "data/complaint_outcomes.csv") if r["投诉编号"] == "TS-2PXN-8LCE"
    )
    assert (row["事项编码"], row["事项名称"], row["问题是否解决"], row["办结结果"]) == (
        "",
        "",
        "",
        "投诉不成立",
    )


def test_questions_csv_has_one_row_per_question_with_its_page(site_dir):
    rows = _csv(site_dir / "data/questions.csv")
    assert [r["咨询编号"] for r in rows] == [
        ITEM_QUESTION,
        "ZX-6LMV-3QAH",
        "ZX-3HQK-7MNA",
        LATE_QUESTION,
    ]
    assert rows[3] == {
        "咨询编号": LATE_QUESTION,
        "部门编码": "zjj",
        "部门": "清川县住房和城乡建设局",
        "事项编码": "",
        "事项名称": "",
        "咨询标题": "住建局窗口周六上班吗？",
        "咨询内容": "平时要上班，想问住建局窗口周六能不能办业务？",
        "答复内容": "住建局窗口周六上午实行预约服务，请提前一个工作日拨打窗口咨询电话预约。",
        "提问日期": "2024-06-05",
        "答复日期": "2024-06-14",
        "答复用时（工作日）": "6",
        "是否按期答复": "超期",
        "网页地址": f"/questions/{LATE_QUESTION}/",
    }


def test_data_page_describes_the_two_tables(page):
    text = _text(page("/data/"))
    assert "投诉办理结果（complaint_outcomes.csv，4 行）" in text
    assert "网上咨询问答（questions.csv，4 行）" in text


# --- determinism and what a rebuild rewrites --------------------------------------------------


def test_export_order_of_outcomes_and_questions_does_not_change_a_page(
    snapshot_data, write_snapshot, tmp_path
):
    first = build_site(write_snapshot(snapshot_data), tmp_path / "a", static_index=False).out_dir
    snapshot_data["complaint_outcomes"].reverse()
    snapshot_data["questions"].reverse()
    second = build_site(write_snapshot(snapshot_data), tmp_path / "b", static_index=False).out_dir
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    different = {name for name in one if one[name] != two[name]}
    assert different <= {"data/snapshot.json", "data/manifest.json", "data/index.html",
                         "data/site-manifest.json", "data/SHA256SUMS"}


def test_a_new_answer_rewrites_only_the_pages_that_show_it(snapshot_data, write_snapshot, tmp_path):
    first = build_site(write_snapshot(snapshot_data), tmp_path / "a", static_index=False).out_dir
    question = next(q for q in snapshot_data["questions"] if q["code"] == LATE_QUESTION)
    question["answer"] = "住建局窗口周六上午9:00—12:00实行预约服务，请提前一个工作日预约。"
    second = build_site(write_snapshot(snapshot_data), tmp_path / "b", static_index=False).out_dir
    one, two = tree(first), tree(second)
    different = {name for name in one if one[name] != two[name]}
    # search-data.json (the search page's t2s map of the site's characters) may change with any text
    pages = {name for name in different if name.endswith(".html") and not name.startswith("data/")}
    assert pages == {
        f"questions/{LATE_QUESTION}/index.html",
        "questions/index.html",
        "departments/zjj/index.html",
    }
