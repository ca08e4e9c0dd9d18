"""The export's withdrawal notices of departments, notices and channels, and of the items that leave
with their department: published once, withdrawn after their effective date, only the notice's fields."""

from __future__ import annotations

import datetime as dt

from sunshine.publisher.snapshot import load_snapshot
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, department_withdrawn_reason, write_snapshot
from sunshine.site.models import Channel, Department, Notice, ServiceItem
from sunshine.site.workflow import mark_edited, publish, withdraw

from .conftest import make_department, make_item

AT = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 2026-11-20 10:00 China time
MERGED = "根据县机构改革方案，住建局窗口业务并入县自然资源和规划局窗口办理。"


def _one(model):
    return db.session.scalars(db.select(model)).one()


def test_a_withdrawn_department_carries_its_name_date_and_reason(published):
    with published.app_context():
        withdraw(_one(Department), MERGED, at=AT)
        db.session.commit()
        snapshot = build_snapshot()
    assert snapshot["withdrawn_departments"] == [{
        "code": "zjj", "name": "清川县住房和城乡建设局",
        "withdrawn_at": "2026-11-20T10:00:00+08:00", "reason": MERGED,
    }]
    assert snapshot["departments"] == []


def test_the_items_of_a_withdrawn_department_get_its_notice(published):
    with published.app_context():
        withdraw(_one(Department), MERGED, at=AT)
        db.session.commit()
        snapshot = build_snapshot()
    assert snapshot["items"] == []
    assert snapshot["withdrawn_items"] == [{
        "code": "ZJJ-XK-001", "name": "建筑工程施工许可证核发", "department": None,
        "withdrawn_at": "2026-11-20T10:00:00+08:00",
        "reason": "所属部门“清川县住房和城乡建设局”已撤回，本事项随之停止公开。",
    }]


def test_an_item_withdrawn_itself_keeps_its_own_date_and_reason(published):
    with published.app_context():
        withdraw(_one(ServiceItem), "本事项已取消。", at=dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC))
        withdraw(_one(Department), MERGED, at=AT)
        db.session.commit()
        rows = build_snapshot()["withdrawn_items"]
    assert [(r["withdrawn_at"], r["reason"]) for r in rows] == [("2026-11-10T10:00:00+08:00", "本事项已取消。")]


def test_an_item_not_in_force_when_its_department_went_gets_no_notice(published):
    with published.app_context():
        item = _one(ServiceItem)
        item.published_data = {**item.published_data, "effective_date": "2026-11-21"}
        withdraw(_one(Department), MERGED, at=AT)
        db.session.commit()
        assert build_snapshot(today=dt.date(2026, 11, 25))["withdrawn_items"] == []


def test_a_department_that_was_never_published_gets_no_notice(published):
    with published.app_context():
        never = make_department(code="mzj", name="清川县民政局")
        never.state = "withdrawn"  # as older data may hold it: withdrawn, revision 0
        db.session.add(never)
        db.session.commit()
        assert build_snapshot()["withdrawn_departments"] == []


def test_a_withdrawn_notice_carries_its_published_title_and_department(published):
    with published.app_context():
        notice = _one(Notice)
        withdraw(notice, "公告内容有误，已另行发布。", at=AT)
        notice.title = "关于推行一单收费的公告（修改稿）"
        mark_edited(notice)
        db.session.commit()
        snapshot = build_snapshot()
    assert snapshot["withdrawn_notices"] == [{
        "code": "N2026-001", "title": "关于推行一单收费的公告", "department": "zjj",
        "withdrawn_at": "2026-11-20T10:00:00+08:00", "reason": "公告内容有误，已另行发布。",
    }]
    assert snapshot["notices"] == []


def test_a_withdrawn_notice_of_a_department_no_longer_public_names_none(published):
    with published.app_context():
        withdraw(_one(Notice), at=AT)
        withdraw(_one(Department), at=AT)
        db.session.commit()
        assert build_snapshot()["withdrawn_notices"][0]["department"] is None


def test_a_withdrawn_channel_carries_its_kind_name_date_and_reason(published):
    with published.app_context():
        withdraw(_one(Channel), "并入12345政务服务便民热线统一受理。", at=AT)
        db.session.commit()
        snapshot = build_snapshot()
    assert snapshot["withdrawn_channels"] == [{
        "code": "rx12345", "kind": "hotline", "name": "12345政务服务便民热线",
        "withdrawn_at": "2026-11-20T10:00:00+08:00", "reason": "并入12345政务服务便民热线统一受理。",
    }]
    assert snapshot["channels"] == []


def test_publishing_again_takes_the_department_and_its_items_out_of_the_notices(published):
    with published.app_context():
        department = _one(Department)
        withdraw(department, MERGED, at=AT)
        db.session.commit()
        publish(department, at=AT + dt.timedelta(days=1))
        db.session.commit()
        snapshot = build_snapshot()
    assert (snapshot["withdrawn_departments"], snapshot["withdrawn_items"]) == ([], [])
    assert [i["code"] for i in snapshot["items"]] == ["ZJJ-XK-001"]


def test_a_published_record_is_never_a_withdrawal_notice(published):
    with published.app_context():
        snapshot = build_snapshot()
    assert [snapshot[name] for name in ("withdrawn_departments", "withdrawn_notices", "withdrawn_channels",
                                        "withdrawn_items")] == [[], [], [], []]


def test_the_publisher_accepts_every_withdrawal_notice(published, tmp_path):
    with published.app_context():
        other = make_department(code="mzj", name="清川县民政局")
        db.session.add(other)
        publish(other, at=AT)
        db.session.add(make_item(other, code="MZJ-QR-001", name="婚姻登记"))
        publish(db.session.scalars(db.select(ServiceItem).where(ServiceItem.code == "MZJ-QR-001")).one(), at=AT)
        withdraw(other, MERGED, at=AT)
        withdraw(_one(Notice), at=AT)
        withdraw(_one(Channel), at=AT)
        db.session.commit()
        snapshot = load_snapshot(write_snapshot(tmp_path / "s.json", build_snapshot()))
    assert [w["code"] for w in snapshot["withdrawn_items"]] == ["MZJ-QR-001"]
    assert [len(snapshot[name]) for name in ("withdrawn_departments", "withdrawn_notices",
                                             "withdrawn_channels")] == [1, 1, 1]


def test_a_department_name_too_long_for_the_sentence_is_left_out_of_it():
    assert department_withdrawn_reason("清川县" * 70) == "所属部门已撤回，本事项随之停止公开。"
    assert department_withdrawn_reason("清川县民政局") == "所属部门“清川县民政局”已撤回，本事项随之停止公开。"
