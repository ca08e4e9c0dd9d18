"""The audit log is append-only: the ORM refuses to change or delete an entry, however asked, and no
route but GET (and HEAD) reaches it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select, update

from sunshine.site import audit
from sunshine.site.config import PROJECT_ROOT
from sunshine.site.db import db
from sunshine.site.models import AuditEntry


@pytest.fixture
def entry_id(app, write_entry) -> int:
    write_entry("2026-11-23T09:00:00", "login_failed", "editor-zjj", summary="登录失败：editor-zjj")
    with app.app_context():
        return db.session.scalars(select(AuditEntry.id)).one()


def test_changing_an_entry_is_refused(app, entry_id, audit_log):
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        entry.summary = "登录成功"
        with pytest.raises(audit.AuditLogIsAppendOnly, match="只能追加"):
            db.session.commit()
        db.session.rollback()
    assert [e.summary for e in audit_log()] == ["登录失败：editor-zjj"]


def test_deleting_an_entry_is_refused(app, entry_id, audit_log):
    with app.app_context():
        db.session.delete(db.session.get(AuditEntry, entry_id))
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert len(audit_log()) == 1


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(summary="已清除"),
    delete(AuditEntry),
], ids=["bulk-update", "bulk-delete"])
def test_bulk_statements_on_the_log_are_refused(app, entry_id, audit_log, statement):
    with app.app_context():
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    assert [e.summary for e in audit_log()] == ["登录失败：editor-zjj"]


def test_no_route_but_get_reaches_the_audit_log(app):
    rules = [rule for rule in app.url_map.iter_rules()
             if "audit" in rule.rule or "audit" in rule.endpoint]
    assert sorted(rule.rule for rule in rules) == ["/admin/audit", "/admin/audit/export.csv"]
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


#: An UPDATE or DELETE aimed at the log, in any of the ways the code could write one.
REWRITE = re.compile(r"(update|delete)\(\s*AuditEntry|AuditEntry\.__table__\.(update|delete)"
                     r"|(UPDATE|DELETE\s+FROM)\s+audit_entry", re.IGNORECASE)


def test_no_module_of_the_site_rewrites_the_log():
    offenders = [str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "site").rglob("*.py")
                 if REWRITE.search(path.read_text("utf-8"))]
    assert offenders == []


def test_the_rewrite_pattern_would_see_one():
    assert REWRITE.search("db.session.execute(delete(AuditEntry).where(AuditEntry.id < 10))")
    assert REWRITE.search('conn.execute(text("UPDATE audit_entry SET summary = \'\'"))')
