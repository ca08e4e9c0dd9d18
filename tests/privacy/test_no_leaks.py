"""A citizen's contact details never leave the back office (issue 6, point 6).

欧阳晓峰 files a complaint and asks a question with a phone and an e-mail, consents to publication,
and types the same details into the subject and the text; the clerk's reply quotes the phone back.
Both are walked to the end (``conftest.walked``). Then the snapshot, the published site with its
open data and static search index, the back-office search index and every log line (SQL included)
are searched for the name, the given name, the e-mail and the phone in any spelling — while the
masked text must be there, so that publishing nothing cannot pass.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sunshine.search.static_terms import decode_meta_value
from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.privacy.masking import EMAIL_MASK, PHONE_MASK

from .conftest import (
    COMPLAINT_FORM,
    EMAIL,
    NAME,
    PHONE,
    PHONE_FORMS,
    SUBMISSION_KEY,
    leaked,
    leaks,
    readable,
)

SNAPSHOT_DAY = "2026-11-23T10:00:00+08:00"


def _snapshot(app) -> dict:
    with app.app_context(), clock.frozen(SNAPSHOT_DAY):
        return build_snapshot()


def _published(snapshot: dict, key: str, code: str) -> dict:
    return next(record for record in snapshot[key] if record["code"] == code)


def test_the_check_finds_every_spelling_of_the_details():
    """The detector itself: each detail, and the phone typed any way, is found."""
    assert leaks(f"联系人{NAME}") == ["name", "given name"]
    assert leaks(EMAIL) == ["e-mail", "e-mail user"]
    for form in (PHONE, *PHONE_FORMS):
        assert leaks(f"电话{form}。") == ["phone"], form
    assert leaks("欧阳\u200b晓峰\u200b，137\u200b0000\u200b1111") == ["name", "given name", "phone"]
    assert leaks(f"某某，电话{PHONE_MASK}，邮箱{EMAIL_MASK}") == []


def test_the_consented_complaint_is_published_masked(walked, demo):
    outcome = _published(_snapshot(demo), "complaint_outcomes", walked.tracking_no)
    assert outcome["subject"] == f"某某反映施工许可窗口推诿，电话{PHONE_MASK}"
    assert outcome["summary"] == (f"某某您好：已按您留下的电话{PHONE_MASK}与您联系，"
                                  "窗口已一次性告知所需材料，许可证已于11月18日办结。")
    assert outcome["outcome_note"] == "已电话回访某某"


def test_the_consented_question_is_published_masked(walked, demo):
    published = _published(_snapshot(demo), "questions", walked.question_no)
    assert published["subject"] == f"施工许可要带哪些材料？（某某，{PHONE_MASK}）"
    assert published["question"] == (f"我是某某，想办施工许可，请问需要哪些材料？请回电{PHONE_MASK}"
                                      f"或发邮件到{EMAIL_MASK}。")
    assert published["answer"] == f"某先生您好：所需材料见事项指南，已电话{PHONE_MASK}告知您。"


def test_the_snapshot_has_none_of_it(walked, demo):
    snapshot = _snapshot(demo)
    assert leaks(json.dumps(snapshot, ensure_ascii=False)) == []


def test_the_written_snapshot_has_none_of_it(walked, demo, tmp_path):
    path = write_snapshot(tmp_path / "snapshot.json", _snapshot(demo))
    text = path.read_text("utf-8")
    assert f"某某反映施工许可窗口推诿，电话{PHONE_MASK}" in text
    assert leaks(text) == []


def _readable(path: Path) -> str:
    """A file's text, gunzipped first when compressed (Pagefind's fragments and indexes).

    A fragment's meta values are encoded (search/static_terms.meta_value): they are decoded and added,
    so that what a search result shows is checked like everything else.
    """
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    start = text.find("{")
    if "/fragment/" in path.as_posix() and start >= 0:
        meta = json.loads(text[start:]).get("meta") or {}
        text += "\n" + "\n".join(decode_meta_value(value) for value in meta.values() if isinstance(value, str))
    return text


def test_the_published_site_its_open_data_and_static_search_have_none_of_it(walked, demo):
    """The real publishing path: snapshot exported, site built by the publisher, Pagefind index included."""
    from sunshine.site.publishing import publish_site

    demo.config["SUNSHINE_STATIC_SEARCH"] = True
    with clock.frozen(SNAPSHOT_DAY):
        outcome = publish_site(demo)
    web_root = outcome.live_dir.parent
    files = {str(path.relative_to(web_root)): _readable(path)
             for path in sorted(web_root.rglob("*")) if path.is_file()}
    files["snapshot"] = outcome.snapshot.read_text("utf-8")

    assert {name: found for name, text in files.items() if (found := leaks(text))} == {}
    assert any(name.endswith("data/complaint_outcomes.csv") for name in files)
    masked_subject = f"某某反映施工许可窗口推诿，电话{PHONE_MASK}"
    assert [name for name, text in files.items() if masked_subject in text and name.endswith(".html")], \
        "the masked complaint is on the public site"
    masked_question = f"施工许可要带哪些材料？（某某，{PHONE_MASK}）"
    in_static_index = [name for name, text in files.items()
                       if "/pagefind/" in name and masked_question in readable(text)]
    assert in_static_index, "the masked question is in the static search index, read back"


def test_the_back_office_search_index_has_none_of_it(walked, demo):
    """Indexed on every step as the back office does, then rebuilt whole: neither holds the details,
    in the stored fields (pickled and compressed by Whoosh, so read back through its reader), in the
    indexed terms, or anywhere in the files' bytes."""
    from sunshine.site.search_docs import reindex_all, search_index

    with demo.app_context():
        index_dir = Path(demo.config["SUNSHINE_SEARCH_INDEX"])
        after_steps = _index_contents(search_index(), index_dir)
        reindex_all()
        index = search_index()
        rebuilt = _index_contents(index, index_dir)
        found_by_number = index.search(walked.tracking_no)
        found = {value: index.search(value, kinds={"complaint"}) for value in (NAME, PHONE, EMAIL, "晓峰")}
    assert [hit.id for hit in found_by_number] == [f"complaint:{walked.complaint_id}"]
    for contents in (after_steps, rebuilt):
        assert walked.tracking_no in contents["stored"], "the complaint is in the index"
        assert {part: hits for part, text in contents.items() if (hits := leaks(text))} == {}
    assert {value: [hit.id for hit in hits] for value, hits in found.items() if hits} == {}


def _index_contents(index, index_dir: Path) -> dict[str, str]:
    """The index as text: its stored fields, its terms (space-separated), and its files' raw bytes."""
    with index.create_or_open().reader() as reader:
        stored = json.dumps(list(reader.all_stored_fields()), ensure_ascii=False)
        terms = " ".join(text.decode("utf-8", errors="replace") if isinstance(text, bytes) else str(text)
                         for _field, text in reader.all_terms())
    raw = b"".join(f.read_bytes() for f in sorted(index_dir.rglob("*")) if f.is_file())
    return {"stored": stored, "terms": terms, "bytes": raw.decode("utf-8", errors="replace")}


def test_the_logs_have_none_of_it(walked, logs):
    text = leaked(logs)
    assert "INSERT INTO complaint" in text, "the SQL statements were logged"
    assert "UPDATE complaint" in text
    assert "hide_parameters=True" in text, "statement parameters are logged as hidden"
    assert f"for {walked.tracking_no} by email" in text, "the notifications were logged"
    assert leaks(text) == []


def test_a_clash_on_insert_logs_no_parameters(walked, demo, logs, monkeypatch):
    """The next filing draws the walked complaint's number first: the INSERT fails on the unique
    tracking number and is retried, with the SQL log on; nothing of the filing is logged."""
    from sunshine.site.complaints import filing
    from sunshine.site.models import Complaint

    drawn = iter([walked.tracking_no])
    real = filing.new_tracking_no
    monkeypatch.setattr(filing, "new_tracking_no", lambda: next(drawn, None) or real())
    key = "privacy-leak-check-0002"
    logs.clear()
    with clock.frozen("2026-11-20T09:00:00+08:00"):
        response = demo.test_client().post("/intake/complaint", data={**COMPLAINT_FORM, "submission": key})
    assert response.status_code == 201
    assert next(drawn, None) is None, "the clashing number was drawn"
    with demo.app_context():
        stored = db.session.scalars(select(Complaint).where(Complaint.submission_key == key)).one()
        assert stored.tracking_no != walked.tracking_no
        assert stored.contact_phone == PHONE  # the details are stored, only not logged
    text = leaked(logs, ("call",))
    assert len(re.findall(r"INSERT INTO complaint \(", text)) == 2, "the failed insert and its retry were logged"
    assert "Row " in text, "rows fetched were logged (without their values)"
    assert leaks(text) == []


def test_a_failed_insert_neither_says_nor_logs_the_details(walked, demo, logs):
    """A duplicate tracking number that nothing catches: the error and its logged traceback hide the values."""
    from sunshine.site.models import Complaint

    with demo.app_context():
        first = db.session.scalars(select(Complaint).where(Complaint.submission_key == SUBMISSION_KEY)).one()
        copy = Complaint(tracking_no=first.tracking_no, query_code_hash="x", department_id=first.department_id,
                         category=first.category, subject=first.subject, content=first.content,
                         contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL, status="received",
                         received_at=first.received_at, deadline=first.deadline, late_answers=0, reopen_count=0)
        db.session.add(copy)
        try:
            db.session.commit()
        except IntegrityError as exc:
            clash = exc
            db.session.rollback()
            demo.logger.exception("投诉保存失败")  # what a server does with an error nobody caught
        else:
            pytest.fail("the duplicate tracking number was stored")
    assert leaks(str(clash)) == []
    text = leaked(logs, ("call",))
    assert "IntegrityError" in text and "INSERT INTO complaint" in text
    assert leaks(text) == []


def test_parameters_stay_hidden_when_a_deployment_sets_its_own_engine_options(app_config):
    """Pool settings in SQLALCHEMY_ENGINE_OPTIONS replace the config's dict: hiding holds regardless."""
    from sunshine.site import create_app

    app = create_app({**app_config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    with app.app_context():
        assert db.engine.hide_parameters is True
        db.engine.dispose()
