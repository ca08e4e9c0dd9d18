"""The complaint lifecycle: each step, its deadline and its refusals (complaints.lifecycle)."""

from __future__ import annotations

import pytest

from sunshine.site import clock
from sunshine.site.complaints.lifecycle import ActionRefused, light, may_reopen, reopen_until

from .conftest import day


def test_filing_sets_the_accept_and_answer_deadlines_across_the_national_day(filed, stored):
    complaint = stored(filed())
    # 国庆节 10-01…10-07 skipped; Saturday 10-10 is a make-up working day and counts
    assert complaint.accept_deadline == day("2026-10-08")
    assert complaint.deadline == day("2026-10-23")
    assert complaint.due_on == day("2026-10-08")
    assert complaint.status == "received"


def test_accepting_moves_the_due_date_to_the_answer_deadline(filed, act, stored):
    complaint = stored(act(filed(), "accept", "2026-10-08T09:00:00"))
    assert (complaint.status, complaint.due_on) == ("accepted", day("2026-10-23"))


def test_a_complaint_not_accepted_by_its_accept_deadline_is_red(filed, stored):
    complaint = stored(filed())
    assert light(complaint, day("2026-10-08"), 1) == "yellow"
    assert light(complaint, day("2026-10-09"), 1) == "red"


def test_declining_needs_a_reason_and_a_note_to_the_complainant(filed, act):
    complaint_id = filed()
    with pytest.raises(ActionRefused, match="请选择理由"):
        act(complaint_id, "decline", "2026-10-08T09:00:00", public_note="不属于效能投诉范围")
    with pytest.raises(ActionRefused, match="说明"):
        act(complaint_id, "decline", "2026-10-08T09:00:00", reason="duplicate")


def test_a_declined_complaint_owes_nothing_and_ends(filed, act, stored):
    complaint = stored(act(filed(), "decline", "2026-10-08T09:00:00", reason="duplicate",
                           public_note="与投诉TS-K7MX-2QPA内容相同，已合并办理。"))
    assert (complaint.status, complaint.decline_reason, complaint.due_on) == ("declined", "duplicate", None)
    assert complaint.events[-1].public_note == "与投诉TS-K7MX-2QPA内容相同，已合并办理。"
    with pytest.raises(ActionRefused, match="不予受理"):
        act(complaint.id, "accept", "2026-10-09T10:00:00")


def test_reassigning_changes_the_department_and_records_who(filed, act, stored):
    complaint_id = act(filed(), "accept", "2026-10-08T09:00:00")
    complaint = stored(act(complaint_id, "reassign", "2026-10-09T11:00:00", by="admin", department="zjj",
                           note="涉及住建审批，改派住建局"))
    assert complaint.department.code == "zjj"
    assert complaint.status == "accepted"
    assert (complaint.events[-1].action, complaint.events[-1].note) == ("改派", "涉及住建审批，改派住建局")


def test_reassigning_to_the_same_department_is_refused(filed, act):
    with pytest.raises(ActionRefused, match="另一个部门"):
        act(filed(), "reassign", "2026-10-09T11:00:00", by="admin", department="scjg")


def _answered(filed, act, at: str = "2026-10-20T10:00:00") -> int:
    complaint_id = act(filed(), "accept", "2026-10-08T09:00:00")
    return act(complaint_id, "reply", at, reply="经核实，许可证已于10月19日办结，延误系材料流转不及时，已整改。")


def test_an_answer_by_the_deadline_is_on_time(filed, act, stored):
    complaint = stored(_answered(filed, act))
    assert (complaint.status, complaint.late_answers, complaint.due_on) == ("replied", 0, None)


def test_an_answer_after_the_deadline_counts_as_late(filed, act, stored):
    assert stored(_answered(filed, act, at="2026-10-26T10:00:00")).late_answers == 1


def test_closing_needs_an_outcome_and_reasons_when_not_upheld(filed, act):
    complaint_id = _answered(filed, act)
    with pytest.raises(ActionRefused, match="办结结果"):
        act(complaint_id, "close", "2026-10-21T10:00:00")
    with pytest.raises(ActionRefused, match="理由"):
        act(complaint_id, "close", "2026-10-21T10:00:00", outcome="not_upheld")


def test_closing_resolved_records_the_outcome(filed, act, stored):
    complaint = stored(act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved"))
    assert (complaint.status, complaint.outcome, complaint.outcome_label) == ("closed", "resolved", "已解决")
    assert clock.to_cn_date(complaint.closed_at) == day("2026-10-21")


def test_the_complainant_may_reopen_within_five_working_days_of_closing(filed, act, stored):
    complaint = stored(act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved"))
    assert reopen_until(complaint) == day("2026-10-28")
    assert may_reopen(complaint, day("2026-10-28")) and not may_reopen(complaint, day("2026-10-29"))


def test_reopening_sets_a_new_answer_deadline_from_that_day(filed, act, stored):
    complaint_id = act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved")
    complaint = stored(act(complaint_id, "reopen", "2026-10-23T10:00:00", by=None,
                           public_note="许可证上的经营项目少了一项，问题没有解决。"))
    assert (complaint.status, complaint.reopen_count) == ("reopened", 1)
    assert complaint.deadline == complaint.due_on == day("2026-11-11")
    assert (complaint.events[-1].actor, complaint.events[-1].user_id) == ("citizen", None)


def test_reopening_needs_a_reason(filed, act):
    complaint_id = act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved")
    with pytest.raises(ActionRefused, match="理由"):
        act(complaint_id, "reopen", "2026-10-23T10:00:00", by=None)


def test_reopening_after_the_window_is_refused(filed, act):
    complaint_id = act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved")
    with pytest.raises(ActionRefused, match="期限"):
        act(complaint_id, "reopen", "2026-10-29T10:00:00", by=None, public_note="还是没有解决。")


def test_a_complaint_is_reopened_only_once(filed, act):
    complaint_id = act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved")
    act(complaint_id, "reopen", "2026-10-22T10:00:00", by=None, public_note="经营项目少了一项。")
    act(complaint_id, "reply", "2026-10-26T10:00:00", reply="已补正经营项目并重新发证。")
    act(complaint_id, "close", "2026-10-26T15:00:00", outcome="resolved")
    with pytest.raises(ActionRefused, match="已申请过一次"):
        act(complaint_id, "reopen", "2026-10-27T10:00:00", by=None, public_note="还有问题。")


def test_confirming_ends_the_reopen_window(filed, act, stored):
    complaint_id = act(_answered(filed, act), "close", "2026-10-21T10:00:00", outcome="resolved")
    complaint = stored(act(complaint_id, "confirm", "2026-10-22T10:00:00", by=None))
    assert reopen_until(complaint) is None
    with pytest.raises(ActionRefused):
        act(complaint_id, "reopen", "2026-10-22T11:00:00", by=None, public_note="想再反映一下。")


def test_urging_does_not_change_the_status(filed, act, stored):
    complaint = stored(act(filed(), "urge", "2026-10-09T16:00:00", by="supervisor", note="请今日内受理"))
    assert (complaint.status, complaint.events[-1].action) == ("received", "催办")
