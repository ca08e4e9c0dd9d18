"""The worker's export and write keep records between publishes, never the data they came from.

A worker exports for every publish (``build_snapshot(remember=True)``) and writes the snapshot
(``write_snapshot(..., remember=True)``): it hands the records that did not change again, validates
and encodes only the others. Whatever was published meanwhile, the file it writes is byte for byte the
one an export that keeps nothing writes for the same database.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import orjson
import pytest
from sqlalchemy import update

from sunshine.contract.schema import ContractError
from sunshine.site import export
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import Department, ServiceItem
from sunshine.site.revisions import record_revision
from sunshine.site.workflow import publish, withdraw

from .conftest import make_item

GENERATED = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC)  # 2026-11-21 09:30 China time
TODAY = dt.date(2026, 11, 21)


def _worker(app, tmp_path, today=TODAY) -> bytes:
    """The worker's export and write (it keeps what it made for the next ones)."""
    path = tmp_path / "worker" / "snapshot.json"
    with app.app_context():
        snapshot = build_snapshot(remember=True, generated_at=GENERATED, today=today)
    write_snapshot(path, snapshot, remember=True)
    return path.read_bytes()


def _fresh(app, tmp_path, today=TODAY) -> bytes:
    """An export and write that keep nothing (as a new process would write)."""
    path = tmp_path / "fresh" / "snapshot.json"
    with app.app_context():
        snapshot = build_snapshot(generated_at=GENERATED, today=today)
    write_snapshot(path, snapshot)
    return path.read_bytes()


def _items(raw: bytes) -> list[tuple]:
    return [(i["code"], i["name"], i["promised_note"], i["revision"]) for i in json.loads(raw)["items"]]


def _one(model):
    return db.session.scalars(db.select(model)).one()


def _edit_item(app, **changes):
    with app.app_context():
        item = db.session.scalars(db.select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one()
        for name, value in changes.items():
            setattr(item, name, value)
        publish(item, at=LATER)
        db.session.commit()


def test_after_an_edit_the_worker_writes_the_bytes_of_an_export_that_keeps_nothing(published, tmp_path):
    _worker(published, tmp_path)
    _edit_item(published, promised_note="材料齐全的当场受理，不齐全的一次性告知")
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert _items(written) == [("ZJJ-XK-001", "建筑工程施工许可证核发", "材料齐全的当场受理，不齐全的一次性告知", 2)]


def test_after_an_item_is_added_before_the_others_the_file_is_the_same_as_a_fresh_export(published, tmp_path):
    _worker(published, tmp_path)
    with published.app_context():
        item = make_item(_one(Department), code="ZJJ-BA-002", name="建设工程消防验收备案")
        db.session.add(item)
        publish(item, at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert _items(written) == [("ZJJ-BA-002", "建设工程消防验收备案", "", 1),
                               ("ZJJ-XK-001", "建筑工程施工许可证核发", "", 1)]


def test_after_an_item_is_withdrawn_the_file_is_the_same_as_a_fresh_export(published, tmp_path):
    _worker(published, tmp_path)
    with published.app_context():
        withdraw(_one(ServiceItem), "本事项已取消，相关业务并入工程建设项目联合审批。", at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    data = json.loads(written)
    assert (data["items"], [(w["code"], w["reason"]) for w in data["withdrawn_items"]]) == (
        [], [("ZJJ-XK-001", "本事项已取消，相关业务并入工程建设项目联合审批。")])


def test_an_item_published_under_a_new_code_is_written_in_its_place_as_in_a_fresh_export(published, tmp_path):
    with published.app_context():
        item = make_item(_one(Department), code="ZJJ-BA-002", name="建设工程消防验收备案")
        db.session.add(item)
        publish(item, at=LATER)
        db.session.commit()
    _worker(published, tmp_path)
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem).where(ServiceItem.code == "ZJJ-BA-002")).one()
        item.code = "ZJJ-YS-002"
        publish(item, at=LATER + dt.timedelta(hours=1))
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert [code for code, *_ in _items(written)] == ["ZJJ-XK-001", "ZJJ-YS-002"]


def test_an_item_withdrawn_as_another_is_published_is_written_as_in_a_fresh_export(published, tmp_path):
    """As many published rows as before, not the same ones."""
    _worker(published, tmp_path)
    with published.app_context():
        withdraw(_one(ServiceItem), "本事项已取消。", at=LATER)
        item = make_item(_one(Department), code="ZJJ-BA-002", name="建设工程消防验收备案")
        db.session.add(item)
        publish(item, at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert _items(written) == [("ZJJ-BA-002", "建设工程消防验收备案", "", 1)]


def test_after_a_department_is_renamed_the_file_is_the_same_as_a_fresh_export(published, tmp_path):
    _worker(published, tmp_path)
    with published.app_context():
        department = _one(Department)
        department.name = "清川县住房和城乡建设局（县人民防空办公室）"
        publish(department, at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert [(d["name"], d["revision"]) for d in json.loads(written)["departments"]] == [
        ("清川县住房和城乡建设局（县人民防空办公室）", 2)]


def test_after_a_department_is_withdrawn_its_notice_names_none_as_in_a_fresh_export(published, tmp_path):
    _worker(published, tmp_path)
    with published.app_context():
        withdraw(_one(Department), "根据县机构改革方案，住建局窗口业务并入县自然资源和规划局窗口办理。", at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert [(n["code"], n["department"]) for n in json.loads(written)["notices"]] == [("N2026-001", None)]


def test_a_department_published_again_gives_its_notice_back_its_department(published, tmp_path):
    with published.app_context():
        withdraw(_one(Department), "机构调整，暂停公开。", at=LATER)
        db.session.commit()
    _worker(published, tmp_path)
    with published.app_context():
        publish(_one(Department), at=LATER + dt.timedelta(hours=1))
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert [(n["code"], n["department"]) for n in json.loads(written)["notices"]] == [("N2026-001", "zjj")]


def test_published_data_rewritten_under_the_same_revision_and_time_is_written_as_stored(published, tmp_path):
    """A data repair changes only the stored text: the text is the key, never the revision or time."""
    _worker(published, tmp_path)
    with published.app_context():
        item = _one(ServiceItem)
        data = {**item.published_data, "name": "建筑工程施工许可证核发（限额以上）"}
        db.session.execute(update(ServiceItem).where(ServiceItem.id == item.id).values(published_data=data))
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert _items(written) == [("ZJJ-XK-001", "建筑工程施工许可证核发（限额以上）", "", 1)]


def test_a_change_note_published_with_an_edit_is_written_as_in_a_fresh_export(published, tmp_path):
    _worker(published, tmp_path)
    with published.app_context():
        item = _one(ServiceItem)
        item.promised_days = 3
        record_revision(item, author=None, note="承诺时限由5个工作日压缩为3个工作日。", major=True)
        publish(item, at=LATER)
        db.session.commit()
    written = _worker(published, tmp_path)
    assert written == _fresh(published, tmp_path)
    assert json.loads(written)["items"][0]["changes"] == [
        {"revision": 2, "date": "2026-11-21", "note": "承诺时限由5个工作日压缩为3个工作日。"}]


def test_an_item_that_comes_into_force_is_written_as_in_a_fresh_export(published, tmp_path):
    with published.app_context():
        item = make_item(_one(Department), code="ZJJ-BA-002", name="建设工程消防验收备案")
        item.effective_date = dt.date(2026, 12, 1)
        db.session.add(item)
        publish(item, at=LATER)
        db.session.commit()
    before = _worker(published, tmp_path, today=dt.date(2026, 11, 30))
    written = _worker(published, tmp_path, today=dt.date(2026, 12, 1))
    assert written == _fresh(published, tmp_path, today=dt.date(2026, 12, 1))
    assert ([code for code, *_ in _items(before)], [code for code, *_ in _items(written)]) == (
        ["ZJJ-XK-001"], ["ZJJ-BA-002", "ZJJ-XK-001"])


def test_a_record_that_did_not_change_is_handed_again(published):
    with published.app_context():
        first = build_snapshot(remember=True)
        second = build_snapshot(remember=True)
    assert second["items"][0] is first["items"][0]


def test_a_record_that_did_not_change_is_handed_again_when_others_left_and_came(published):
    with published.app_context():
        item = make_item(_one(Department), code="ZJJ-BA-002", name="建设工程消防验收备案")
        db.session.add(item)
        publish(item, at=LATER)
        db.session.commit()
        first = build_snapshot(remember=True)
        withdraw(db.session.scalars(db.select(ServiceItem).where(ServiceItem.code == "ZJJ-XK-001")).one(),
                 "本事项已取消。", at=LATER)
        db.session.add(make_item(_one(Department), code="ZJJ-YS-003", name="建设工程竣工验收备案"))
        publish(db.session.scalars(db.select(ServiceItem).where(ServiceItem.code == "ZJJ-YS-003")).one(), at=LATER)
        db.session.commit()
        second = build_snapshot(remember=True)
    assert [i["code"] for i in second["items"]] == ["ZJJ-BA-002", "ZJJ-YS-003"]
    assert second["items"][0] is first["items"][0]


def test_an_edited_record_is_made_anew(published):
    with published.app_context():
        first = build_snapshot(remember=True)
    _edit_item(published, promised_note="即来即办")
    with published.app_context():
        second = build_snapshot(remember=True)
    assert (second["items"][0] is first["items"][0], second["items"][0]["promised_note"]) == (False, "即来即办")


def test_only_the_records_made_anew_are_validated_again(published, monkeypatch):
    with published.app_context():
        build_snapshot(remember=True)
    _edit_item(published, promised_note="即来即办")
    checked = {}
    validate = export.validate_snapshot

    def spy(data, *, to_check=None):
        checked.update({name: [r["code"] for r in to_check(name, data[name])]
                        for name in ("departments", "items", "channels", "notices")})
        validate(data, to_check=to_check)

    monkeypatch.setattr(export, "validate_snapshot", spy)
    with published.app_context():
        build_snapshot(remember=True)
    assert checked == {"departments": [], "items": ["ZJJ-XK-001"], "channels": [], "notices": []}


def test_a_record_rewritten_with_data_the_contract_refuses_is_refused_though_the_others_are_known(published):
    with published.app_context():
        build_snapshot(remember=True)
        item = _one(ServiceItem)
        db.session.execute(update(ServiceItem).where(ServiceItem.id == item.id).values(
            published_data={**item.published_data, "promised_days": "五天"}))
        db.session.commit()
        with pytest.raises(ContractError):
            build_snapshot(remember=True)


def test_a_field_a_caller_replaced_is_written_and_the_next_export_is_whole(published, tmp_path):
    path = tmp_path / "snapshot.json"
    with published.app_context():
        snapshot = build_snapshot(remember=True, generated_at=GENERATED, today=TODAY)
    write_snapshot(path, snapshot, remember=True)
    snapshot["items"][0]["name"] = "预览中的名称"
    write_snapshot(path, snapshot, remember=True)
    assert json.loads(path.read_bytes())["items"][0]["name"] == "预览中的名称"
    assert _items(_worker(published, tmp_path)) == [("ZJJ-XK-001", "建筑工程施工许可证核发", "", 1)]


def test_a_field_a_caller_removed_is_seen(published):
    with published.app_context():
        first = build_snapshot(remember=True)
        first["items"][0].pop("promised_note")
        second = build_snapshot(remember=True)
    assert second["items"][0]["promised_note"] == ""


def test_a_remembered_write_is_orjson_s_and_the_standard_library_s_formatting(tmp_path):
    """Elements of every kind, empty lists, line breaks and characters outside the BMP in strings."""
    snapshot = {
        "items": [{"name": "不动产登记\n（首次）", "steps": [{"name": "受理", "days": 1}], "fees": []}, "𠀋村", 3],
        "empty": [],
        "site": {"name": "清川县政务服务中心", "phones": ["0827-5231100"]},
    }
    path = tmp_path / "snapshot.json"
    write_snapshot(path, snapshot, remember=True)
    write_snapshot(path, snapshot, remember=True)  # the second time from what the first kept
    expected = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert path.read_bytes() == expected.encode("utf-8")


def test_a_remembered_write_leaves_only_the_snapshot_in_its_directory(published, tmp_path):
    _worker(published, tmp_path)
    _edit_item(published, promised_note="即来即办")
    _worker(published, tmp_path)
    for thread in threading.enumerate():
        if thread.name == "snapshot-removal":
            thread.join()
    assert [p.name for p in (tmp_path / "worker").iterdir()] == ["snapshot.json"]


def test_a_remembered_write_removes_what_a_killed_worker_set_aside(published, tmp_path):
    """A worker killed before its removal thread ran leaves the old snapshot's second name; the next
    write removes it."""
    _worker(published, tmp_path)
    leftover = tmp_path / "worker" / ".snapshot-k1ll3d.json.replaced"
    leftover.write_bytes(b'{"schema": "old"}\n')
    _edit_item(published, promised_note="即来即办")
    _worker(published, tmp_path)
    for thread in threading.enumerate():
        if thread.name == "snapshot-removal":
            thread.join()
    assert [p.name for p in (tmp_path / "worker").iterdir()] == ["snapshot.json"]


def test_an_export_and_write_that_do_not_remember_keep_nothing(published, tmp_path, monkeypatch):
    # A web process previewing a page must not hold a city's records.
    monkeypatch.setattr(export, "_decoded", {})
    monkeypatch.setattr(export, "_exported", {})
    monkeypatch.setattr(export, "_written", {})
    with published.app_context():
        snapshot = build_snapshot()
    write_snapshot(tmp_path / "snapshot.json", snapshot)
    assert (export._decoded, export._exported, export._written) == ({}, {}, {})
    assert type(snapshot["items"][0]) is dict


def test_the_worker_s_records_encode_as_plain_objects(published):
    with published.app_context():
        snapshot = build_snapshot(remember=True)
    item = snapshot["items"][0]
    assert orjson.loads(orjson.dumps(item)) == dict(item)
