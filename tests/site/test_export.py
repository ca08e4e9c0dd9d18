"""The snapshot: published public fields only (ARCHITECTURE rules 1–3)."""

import datetime as dt
import json

from sunshine.publisher.snapshot import load_snapshot
from sunshine.site.complaints import file_complaint
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import Department, ServiceItem, User
from sunshine.site.workflow import mark_edited

from .conftest import make_item


def _snapshot(app, **kw):
    with app.app_context():
        return build_snapshot(**kw)


def test_snapshot_is_valid_against_the_publisher_schema(published, tmp_path):
    path = write_snapshot(tmp_path / "s.json", _snapshot(published))
    snapshot = load_snapshot(path)
    assert snapshot["schema_version"] == 3
    assert [i["code"] for i in snapshot["items"]] == ["ZJJ-XK-001"]


def test_draft_item_is_not_exported(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        db.session.add(make_item(dept, code="ZJJ-XK-002", name="商品房预售许可"))
        db.session.commit()
    assert "ZJJ-XK-002" not in {i["code"] for i in _snapshot(published)["items"]}


def test_unpublished_edit_does_not_reach_the_snapshot(published):
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.name = "建筑工程施工许可证核发（草稿修改）"
        mark_edited(item)
        db.session.commit()
    names = [i["name"] for i in _snapshot(published)["items"]]
    assert names == ["建筑工程施工许可证核发"]


def test_item_not_yet_in_force_is_not_exported(published):
    with published.app_context():
        item = db.session.scalars(db.select(ServiceItem)).one()
        item.published_data = {**item.published_data, "effective_date": "2026-12-01"}
        db.session.commit()
    assert _snapshot(published, today=dt.date(2026, 11, 23))["items"] == []
    assert len(_snapshot(published, today=dt.date(2026, 12, 1))["items"]) == 1


def test_items_of_a_withdrawn_department_are_left_out(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        dept.state = "withdrawn"
        db.session.commit()
    snapshot = _snapshot(published)
    assert snapshot["departments"] == [] and snapshot["items"] == []


def test_no_private_data_in_the_snapshot(published):
    """Complainants' names and phones, query codes, accounts and password hashes never leave."""
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        filed = file_complaint(department=dept, item=None, category="服务态度", subject="窗口态度生硬",
                               content="十一月三日上午在八号窗口办理时工作人员态度生硬。",
                               contact_name="王秀兰", contact_phone="13981234567", days_to_answer=13)
        user = User(username="editor-zjj", display_name="张丽", role="editor", department=dept)
        user.set_password("editor-demo-2026")
        db.session.add(user)
        db.session.commit()
        secrets = ["王秀兰", "13981234567", filed.query_code, filed.complaint.tracking_no,
                   filed.complaint.query_code_hash, "editor-zjj", user.password_hash,
                   "窗口态度生硬"]
    text = json.dumps(_snapshot(published), ensure_ascii=False)
    for secret in secrets:
        assert secret not in text


def test_snapshot_lists_are_sorted_by_code(published):
    with published.app_context():
        dept = db.session.scalars(db.select(Department)).one()
        from sunshine.site.workflow import publish

        for code in ("ZJJ-XK-009", "ZJJ-XK-003"):
            item = make_item(dept, code=code, name="建设工程消防验收" + code)
            db.session.add(item)
            publish(item)
        db.session.commit()
    codes = [i["code"] for i in _snapshot(published)["items"]]
    assert codes == sorted(codes)


def test_written_snapshot_is_byte_stable(published, tmp_path):
    fixed = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    a = write_snapshot(tmp_path / "a.json", _snapshot(published, generated_at=fixed)).read_bytes()
    b = write_snapshot(tmp_path / "b.json", _snapshot(published, generated_at=fixed)).read_bytes()
    assert a == b


def test_the_figure_settings_reach_the_snapshot(published):
    published.config.update(SUNSHINE_FIGURE_MONTHS=6, SUNSHINE_VETO_PERCENT=25)
    figures = _snapshot(published, today=dt.date(2026, 11, 23))["figures"]
    assert figures["months"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert figures["veto_percent"] == 25
