"""The complaint lookup as the complainant sees it: each stage's deadline, how it was counted and its
yellow/red state on the day (the clock frozen), the history with who and the note meant for them,
the reply and the outcome."""

from __future__ import annotations

from .conftest import text_of

ON_THE_DAY_OF_FILING = "2026-09-30T16:00:00+08:00"


def test_a_complaint_not_accepted_in_time_shows_red_to_the_citizen(file, lookup):
    _r, number, code = file()
    html = lookup(number, code, "2026-10-12T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "deadline-accept-state") == "已超期3个工作日"
    assert 'class="deadline-state light-red" id="deadline-accept-state"' in html


def test_the_acceptance_due_next_working_day_is_yellow(file, lookup):
    _r, number, code = file()
    html = lookup(number, code, ON_THE_DAY_OF_FILING).get_data(as_text=True)
    assert text_of(html, "deadline-accept-state") == "即将到期（剩余1个工作日）"
    assert 'class="deadline-state light-yellow"' in html


def test_an_answer_overdue_shows_red_with_the_working_days_late(file, office, lookup):
    _r, number, code = file()
    office(number, "accept", "2026-10-08")
    html = lookup(number, code, "2026-10-27T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "deadline-accept-state") == "已于10月8日受理，按期"
    assert text_of(html, "deadline-answer-state") == "已超期2个工作日"
    assert 'class="deadline-state light-red" id="deadline-answer-state"' in html


def test_an_answer_due_tomorrow_is_yellow_and_one_due_later_is_counted_down(file, office, lookup):
    _r, number, code = file()
    office(number, "accept", "2026-10-08")
    assert text_of(lookup(number, code, "2026-10-22T09:00:00+08:00").get_data(as_text=True),
                   "deadline-answer-state") == "即将到期（剩余1个工作日）"
    assert text_of(lookup(number, code, "2026-10-19T09:00:00+08:00").get_data(as_text=True),
                   "deadline-answer-state") == "剩余4个工作日"


def test_a_late_answer_is_shown_as_late_once_given(file, office, lookup):
    _r, number, code = file()
    office(number, "accept", "2026-10-08")
    office(number, "reply", "2026-10-26", reply="已督促窗口办结。")
    html = lookup(number, code, "2026-10-27T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "deadline-answer-state") == "已于10月26日答复，超期1个工作日"
    assert "light-red" not in html  # nothing is owed any more


def test_the_lookup_explains_how_each_deadline_was_counted(file, lookup):
    _r, number, code = file()
    html = lookup(number, code, ON_THE_DAY_OF_FILING).get_data(as_text=True)
    assert text_of(html, "deadline-accept-how") == (
        "自2026年9月30日提交起计1个工作日（当日不计），至2026年10月8日；其间国庆节（10月1日至7日）不计。")


def test_the_history_names_who_and_shows_only_the_citizens_notes(file, walk, lookup):
    _r, number, code = file()
    walk(number)
    html = lookup(number, code, "2026-10-21T09:00:00+08:00").get_data(as_text=True)
    history = text_of(html, "history")
    assert history.startswith("2026-09-30 10:00 收到（投诉人） 2026-10-08 15:00 受理（工作人员）您的投诉已受理，将交住建局核实。")
    assert "2026-10-20 15:00 办结（工作人员）" in history
    assert "周建国" not in html and "系统管理员" not in html


def test_the_reply_and_the_outcome_with_its_reasons_are_shown(file, walk, lookup):
    _r, number, code = file()
    walk(number, outcome="partly", outcome_note="许可已办结；对窗口人员的处理意见另行告知。")
    html = lookup(number, code, "2026-10-21T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "reply") == "经核实，因系统故障延误，已于10月19日办结并向您致歉。"
    assert text_of(html, "outcome") == "部分解决 许可已办结；对窗口人员的处理意见另行告知。"
    assert text_of(html, "status") == "已办结"


def test_a_declined_complaint_shows_the_reason_and_the_note(file, office, lookup):
    _r, number, code = file()
    office(number, "decline", "2026-10-08", reason="out_of_scope",
           public_note="您反映的是物业纠纷，请向住建局物业科反映，电话0827-5221234。")
    html = lookup(number, code, "2026-10-09T09:00:00+08:00").get_data(as_text=True)
    assert text_of(html, "decline") == "理由：不属于效能投诉受理范围 您反映的是物业纠纷，请向住建局物业科反映，电话0827-5221234。"
    assert text_of(html, "deadline-accept-state") == "已于10月8日不予受理，按期"
    assert 'id="deadline-answer"' not in html


def test_the_lookup_page_is_not_cached(file, lookup):
    _r, number, code = file()
    assert lookup(number, code, ON_THE_DAY_OF_FILING).headers["Cache-Control"] == "no-store"


def test_a_wrong_code_and_an_unknown_number_get_the_same_404(file, lookup):
    _r, number, _code = file()
    wrong = lookup(number, "AAAAAAAA", ON_THE_DAY_OF_FILING)
    unknown = lookup("TS-AAAA-AAAA", "AAAAAAAA", ON_THE_DAY_OF_FILING)
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert text_of(wrong.get_data(as_text=True), "query_code-error") == \
        text_of(unknown.get_data(as_text=True), "query_code-error") == "投诉编号或查询码不正确，请核对后再试。"


def test_the_number_may_be_typed_in_lower_case_without_dashes(file, lookup):
    _r, number, code = file()
    assert lookup(number.replace("-", "").lower(), code.lower(), ON_THE_DAY_OF_FILING).status_code == 200
