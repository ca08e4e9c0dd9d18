"""Online questions (网上咨询) awaiting an answer follow the rule of cases and complaints: yellow within
SUNSHINE_WARNING_DAYS working days, red once overdue, on the board, its counts, the dashboard and tick."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

from sunshine.site import clock
from sunshine.site.cli import main
from sunshine.site.db import db
from sunshine.site.models import Question
from sunshine.site.questions.answering import light

MONDAY = "2026-10-12T09:00:00"  # the first Monday after 国庆节


@pytest.fixture
def questions(app, make_question):
    """As of Monday 2026-10-12: 市场监管局 one red and one yellow question, 住建局 one red and one answered
    (the demo's own questions removed, so that every count is exactly these)."""
    with app.app_context():
        db.session.execute(delete(Question))
        db.session.commit()
    return {
        "scjg_red": make_question("scjg", "食品经营许可变更流程", "2026-10-09"),
        "scjg_yellow": make_question("scjg", "个体户年报截止时间", "2026-10-13"),
        "zjj_red": make_question("zjj", "预售许可证查询方式", "2026-10-10"),
        "zjj_answered": make_question("zjj", "施工许可办理时限", "2026-10-09", status="answered"),
    }


def board(client, query: str = "") -> str:
    with clock.frozen(MONDAY):
        response = client.get("/admin/supervision" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split("</tr>")[0]


def cells(html: str, anchor: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row(html, anchor), re.S)]


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 10, 8), "green"),
    (dt.date(2026, 10, 9), "yellow"),
    (dt.date(2026, 10, 10), "yellow"),
    (dt.date(2026, 10, 12), "red"),
])
def test_question_light_by_working_days(today, expected):
    assert light(Question(status="received", deadline=dt.date(2026, 10, 10)), today) == expected


def test_an_answered_question_has_no_light():
    assert light(Question(status="answered", deadline=dt.date(2026, 10, 9)), dt.date(2026, 10, 12)) == "green"


def test_red_and_yellow_questions_are_listed_with_how_late(login_as, questions):
    html = board(login_as("supervisor"))
    red = row(html, f"question-{questions['scjg_red']}")
    assert "红牌警告" in red and "食品经营许可变更流程" in red and "已超期2个工作日" in red
    assert "还剩1个工作日" in row(html, f"question-{questions['scjg_yellow']}")


def test_an_answered_question_is_not_on_the_board(login_as, questions):
    assert "施工许可办理时限" not in board(login_as("supervisor"))


def test_a_question_row_links_to_its_page_and_has_no_urge_form(login_as, questions):
    red = row(board(login_as("supervisor")), f"question-{questions['zjj_red']}")
    assert f'href="/admin/questions/{questions["zjj_red"]}"' in red
    assert 'name="kind"' not in red


def test_the_counts_per_department_include_questions(login_as, questions):
    html = board(login_as("supervisor"))
    assert cells(html, "count-scjg") == ["清川县市场监督管理局", "13-15号窗口", "0", "0", "0", "0", "1", "1", "2"]
    assert cells(html, "count-zjj") == ["清川县住房和城乡建设局", "16-17号窗口", "0", "0", "0", "0", "1", "0", "1"]


def test_the_board_filters_questions_by_department_and_light(login_as, questions):
    section = board(login_as("supervisor"), "?department=scjg&light=red").split('id="questions-title"')[1]
    assert "食品经营许可变更流程" in section
    assert "个体户年报截止时间" not in section and "预售许可证查询方式" not in section


def test_the_board_never_shows_the_asker(login_as, questions):
    html = board(login_as("supervisor"))
    assert "赵德明" not in html and "13607318899" not in html


def test_the_department_dashboard_counts_its_own_questions(login_as, questions):
    client = login_as("editor-zjj")
    with clock.frozen(MONDAY):
        html = client.get("/admin/").get_data(as_text=True)
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split('id="question-counts">')[1].split("</p>")[0]))
    assert counts.strip() == "待答复 1 条，其中 已超期 1 条， 即将到期 0 条。 到“网上咨询”答复"


def test_tick_counts_questions_awaiting_an_answer(questions, run_tick):
    report = run_tick(MONDAY)
    assert report.questions == {"green": 0, "yellow": 1, "red": 2}


def test_the_cli_adds_questions_when_some_are_late(app, questions, monkeypatch, tmp_path):
    monkeypatch.setenv("SUNSHINE_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SUNSHINE_CLOCK", "2026-10-12T00:05:00+08:00")
    result = CliRunner().invoke(main, ["tick"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output == "电子监察：红牌 0 件，黄牌 0 件（新增红牌 0 件）；咨询超期 2 条，即将到期 1 条\n"
