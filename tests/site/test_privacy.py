"""Private data of cases and ratings never leaves the back office: not the snapshot, the open data,
the published pages, the back-office search index or the logs (ARCHITECTURE rule 2).

A case pushed by the approval system carries every private field with a value found nowhere
else; its applicant rates it with contact details. Then everything public is searched for them.
"""

from __future__ import annotations

import itertools
import json
import logging
from pathlib import Path

import pytest

from sunshine.site import clock
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import CASE_PRIVATE_FIELDS, RATING_PRIVATE_FIELDS

#: One number per test: Pelican, once imported into a process, installs a logger class that
#: drops a log message identical to one already logged, which would hide a repeated push.
_numbers = itertools.count(1)
PRIVATE = {
    "applicant_name": "欧阳私密",
    "applicant_phone": "13700009876",
    "applicant_id_no": "511623198001019876",
    "contact_name": "司马回访",
    "contact_phone": "13600005432",
}


def test_every_private_field_is_covered():
    assert set(PRIVATE) == set(CASE_PRIVATE_FIELDS) | set(RATING_PRIVATE_FIELDS)


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


@pytest.fixture
def app_log(app):
    """Everything the app logs (at any level) while the fixture is in use."""
    kept = Kept()
    logger, level, disabled = app.logger, app.logger.level, app.logger.disabled
    logger.addHandler(kept)
    logger.setLevel(logging.DEBUG)
    logger.disabled = False  # another test's logging.config call may have switched it off
    yield kept.messages
    logger.removeHandler(kept)
    logger.setLevel(level)
    logger.disabled = disabled


@pytest.fixture
def private_case(app, demo, client, app_log):
    """Push, look up and rate a case the way the approval system and the citizen do, logging everything."""
    from sunshine.site.api.auth import create_token

    case_no = f"ZJJ-2026-PRIV{next(_numbers):03d}"
    with app.app_context():
        token = create_token("审批系统")
    with clock.frozen("2026-11-20T10:00:00+08:00"):
        pushed = client.post("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}, json={
            "case_no": case_no, "item_code": "ZJJ-XK-001", "received_on": "2026-11-16",
            "status": "completed", "status_on": "2026-11-18", "note": "已发证",
            "applicant": {"name": PRIVATE["applicant_name"], "phone": PRIVATE["applicant_phone"],
                          "id_no": PRIVATE["applicant_id_no"]},
        })
        assert pushed.status_code == 201, pushed.get_json()
        code = pushed.get_json()["query_code"]
        found = client.post("/intake/case", data={"case_no": case_no, "query_code": code})
        assert found.status_code == 200
        rated = client.post("/intake/case/rate", data={
            "case_no": case_no, "query_code": code, "level": "1", "comment": "材料清单不全，多跑了一趟。",
            "contact_name": PRIVATE["contact_name"], "contact_phone": PRIVATE["contact_phone"]})
        assert rated.status_code == 201
    app.config["TEST_CASE_NO"] = case_no
    return app


def _leaks(text: str) -> list[str]:
    return [field for field, value in PRIVATE.items() if value in text]


def test_the_public_pages_of_the_lookup_show_none_of_it(private_case, client):
    page = client.get(f"/intake/case/rate?no={private_case.config['TEST_CASE_NO']}").get_data(as_text=True)
    assert _leaks(page) == []


def test_the_snapshot_has_none_of_it(private_case):
    with private_case.app_context(), clock.frozen("2026-11-23T10:00:00+08:00"):
        snapshot = build_snapshot()
    assert snapshot["figures"]["centre"]["total"]["ratings"]["1"] >= 1  # the rating was counted
    assert _leaks(json.dumps(snapshot, ensure_ascii=False)) == []


def test_the_published_site_and_open_data_have_none_of_it(private_case, tmp_path):
    from sunshine.publisher.build import build_site

    with private_case.app_context(), clock.frozen("2026-11-23T10:00:00+08:00"):
        path = write_snapshot(tmp_path / "snapshot.json", build_snapshot())
    out = tmp_path / "site"
    build_site(path, out, static_index=False)
    leaks = {str(f.relative_to(out)): _leaks(f.read_text("utf-8", errors="replace"))
             for f in out.rglob("*") if f.is_file()}
    assert {name: found for name, found in leaks.items() if found} == {}
    assert (out / "data" / "figures.csv").exists()


def test_the_back_office_search_index_has_none_of_it(private_case):
    from sunshine.site.search_docs import reindex_all

    with private_case.app_context():
        reindex_all()
        index_dir = Path(private_case.config["SUNSHINE_SEARCH_INDEX"])
    raw = b"".join(f.read_bytes() for f in index_dir.rglob("*") if f.is_file())
    assert [field for field, value in PRIVATE.items() if value.encode("utf-8") in raw] == []


def test_the_logs_have_none_of_it(private_case, app_log):
    assert any(private_case.config["TEST_CASE_NO"] in message for message in app_log), "the push was logged"
    assert _leaks("\n".join(app_log)) == []


def test_a_failed_insert_does_not_echo_private_values(app, demo):
    """A clash on a unique column raises, and the error (which a server would log) hides the parameters."""
    import datetime as dt

    from sqlalchemy.exc import IntegrityError

    from sunshine.site.db import db
    from sunshine.site.models import Complaint, Department

    with app.app_context():
        dept = db.session.scalars(db.select(Department).where(Department.code == "zjj")).one()
        moment = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)

        def complaint() -> Complaint:
            return Complaint(tracking_no="TS-K7MX-2QPA", query_code_hash="x", department=dept, category="其他",
                             subject="重复编号", content="用于检查日志的投诉内容。", contact_name=PRIVATE["contact_name"],
                             contact_phone=PRIVATE["contact_phone"], status="received", received_at=moment,
                             deadline=dt.date(2026, 12, 9))

        db.session.add(complaint())
        db.session.commit()
        db.session.add(complaint())
        with pytest.raises(IntegrityError) as clash:
            db.session.commit()
        db.session.rollback()
    assert _leaks(str(clash.value)) == []
