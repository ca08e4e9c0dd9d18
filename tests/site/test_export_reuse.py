"""What the export keeps between publishes never outlives the data it came from.

A worker's export keeps each published record's decoded JSON (by its stored text and time) and
each complaint's and question's masked texts (by the text) for the next publish, reads only the
columns it needs, and pauses the garbage collector while it runs: an edit published after an
export is in the next one, exactly, and the collector is left as it was found.
"""

from __future__ import annotations

import datetime as dt
import gc
import io

import pytest
from sqlalchemy import update

from sunshine.contract.files import file_url
from sunshine.contract.schema import ContractError
from sunshine.site import clock
from sunshine.site.attachments import accept_upload
from sunshine.site.cases.lifecycle import change_status, new_case
from sunshine.site.complaints import file_complaint
from sunshine.site.complaints.lifecycle import apply_action
from sunshine.site.db import db
from sunshine.site.export import build_snapshot
from sunshine.site.models import Complaint, Department, Rating, ServiceItem
from sunshine.site.ratings.work_orders import open_work_order
from sunshine.site.revisions import record_revision
from sunshine.site.workflow import publish
from tests.attachments import samples

FIRST = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # the ``published`` fixture's publish
SECOND = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC)  # 10:30 China time


def _snapshot(app):
    """The worker's export: it keeps what it decoded for the next one."""
    with app.app_context():
        return build_snapshot(remember=True)


def _item(app, snapshot):
    [item] = snapshot["items"]
    return item


def _publish_item(app, *, at=SECOND, **changes):
    with app.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        for name, value in changes.items():
            setattr(item, name, value)
        publish(item, at=at)
        db.session.commit()


def test_an_edit_published_after_an_export_is_in_the_next_export(published):
    before = _item(published, _snapshot(published))
    _publish_item(published, promised_note="材料齐全的当场受理，不齐全的一次性告知")
    after = _item(published, _snapshot(published))
    assert (before["promised_note"], before["revision"], before["published_at"]) == (
        "", 1, "2026-11-02T17:00:00+08:00")
    assert (after["promised_note"], after["revision"], after["published_at"]) == (
        "材料齐全的当场受理，不齐全的一次性告知", 2, "2026-11-20T10:30:00+08:00")


def test_a_record_published_again_unchanged_gets_its_new_revision_and_time(published):
    _snapshot(published)
    _publish_item(published)
    item = _item(published, _snapshot(published))
    assert (item["name"], item["revision"], item["published_at"]) == (
        "建筑工程施工许可证核发", 2, "2026-11-20T10:30:00+08:00")


def test_published_data_rewritten_under_the_same_revision_and_time_is_exported_as_stored(published):
    """A data repair (or another database with the same ids and times) is never hidden by what the
    last export decoded: the stored text is the key."""
    _snapshot(published)
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        data = {**item.published_data, "name": "建筑工程施工许可证核发（限额以上）"}
        db.session.execute(update(ServiceItem).where(ServiceItem.id == item.id).values(published_data=data))
        db.session.commit()
    item = _item(published, _snapshot(published))
    assert (item["name"], item["revision"], item["published_at"]) == (
        "建筑工程施工许可证核发（限额以上）", 1, "2026-11-02T17:00:00+08:00")


def test_a_record_replaced_in_one_snapshot_is_whole_in_the_next(published):
    """A caller may replace a record's fields (the preview does): the next export is unaffected."""
    first = _snapshot(published)
    first["items"][0]["name"] = "预览中的名称"
    assert _item(published, _snapshot(published))["name"] == "建筑工程施工许可证核发"


def test_a_file_linked_only_from_a_published_change_note_is_listed(published):
    form = samples.docx()
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        uploaded = accept_upload("施工许可申请表（2026版）.docx", io.BytesIO(form), department_id=dept.id, user=None)
        link = file_url(uploaded.attachment.sha256, "施工许可申请表2026版.docx")
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.promised_note = "材料齐全的当场受理"
        record_revision(item, author=None, note=f"申请表更新为2026版，见 {link}", major=True)
        publish(item, at=SECOND)
        db.session.commit()
        sha256 = uploaded.attachment.sha256
    snapshot = _snapshot(published)
    assert [c["revision"] for c in _item(published, snapshot)["changes"]] == [2]
    assert [(a["sha256"], a["name"]) for a in snapshot["attachments"]] == [(sha256, "施工许可申请表2026版.docx")]


def _closed_complaint(app) -> str:
    at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=clock.CN_TZ)
    with app.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        complaint = file_complaint(
            department=dept, item=None, category="服务态度", subject="窗口张科长让我跑了三趟",
            content="十一月二日上午在八号窗口办理施工许可，张科长每次只说缺一样材料。",
            contact_name="王秀兰", contact_phone="13981234567", publish_consent=True, received_at=at,
        ).complaint
        apply_action(complaint, "accept", user_id=None, at=at + dt.timedelta(hours=1))
        apply_action(complaint, "assign", user_id=None, department=dept, at=at + dt.timedelta(hours=2))
        apply_action(complaint, "reply", user_id=None, at=at + dt.timedelta(days=3),
                     reply="经核实情况属实，已对张科长批评教育。")
        apply_action(complaint, "close", user_id=None, outcome="partly", at=at + dt.timedelta(days=4),
                     public_note="窗口服务已整改。")
        db.session.commit()
        return complaint.tracking_no


def test_a_published_answer_corrected_after_an_export_is_exported_masked_anew(published):
    number = _closed_complaint(published)
    before = _snapshot(published)["complaint_outcomes"]
    with published.app_context():
        complaint = db.session.scalars(db.select(Complaint).where(Complaint.tracking_no == number)).one()
        complaint.reply = "经核实情况属实，已对张科长批评教育，王秀兰反映的问题已整改。"
        db.session.commit()
    after = _snapshot(published)["complaint_outcomes"]
    assert [o["summary"] for o in before] == ["经核实情况属实，已对某科长批评教育。"]
    assert [o["summary"] for o in after] == ["经核实情况属实，已对某科长批评教育，某某反映的问题已整改。"]


def test_a_work_order_of_a_rated_case_names_the_cases_item(published):
    """A case rating without an item of its own: the work order is about the case's item."""
    with published.app_context(), clock.frozen("2026-11-10T16:00:00+08:00"):
        item = db.session.scalars(db.select(ServiceItem)).one()
        case, _ = new_case(item, "ZJJ-2026-000123", dt.date(2026, 11, 4), applicant_name="赵建华",
                           applicant_phone="13700001111", applicant_id_no="511623198805061234")
        change_status(case, "processing", dt.date(2026, 11, 5))
        change_status(case, "completed", dt.date(2026, 11, 10))
        rating = Rating(target_kind="case", department_id=item.department_id, item_id=None, case=case, level=1,
                        comment="等了很久。", created_at=clock.now())
        db.session.add(rating)
        order = open_work_order(rating, code="ZG2026-0007")
        db.session.commit()
        assert (rating.item_id, order.code) == (None, "ZG2026-0007")
    [row] = _snapshot(published)["rectifications"]
    assert (row["code"], row["item"], row["rated_on"]) == ("ZG2026-0007", "ZJJ-XK-001", "2026-11-10")


def test_the_collector_runs_again_after_an_export(published):
    assert gc.isenabled()
    _snapshot(published)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(published):
    gc.disable()
    try:
        _snapshot(published)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_after_a_refused_export(published):
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        db.session.execute(update(ServiceItem).where(ServiceItem.id == item.id).values(
            published_data={**item.published_data, "promised_days": "五天"}))
        db.session.commit()
    with pytest.raises(ContractError):
        _snapshot(published)
    assert gc.isenabled()


def test_an_export_that_does_not_remember_keeps_no_records(published, monkeypatch):
    # A web process previewing a page must not hold a city's decoded records.
    from sunshine.site import export

    monkeypatch.setattr(export, "_decoded", {})
    with published.app_context():
        snapshot = build_snapshot()
    assert len(snapshot["items"]) == 1
    assert export._decoded == {}
