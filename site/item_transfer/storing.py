"""Storing a checked item file: new drafts and updated working copies, in one transaction, or nothing.

A new code becomes a new draft of the department; a stored code updates that
item's working copy through ``workflow.mark_edited`` (the public version stays
as it is until a reviewer approves: an import never publishes). An item whose
public fields would not change is left alone: no write, no revision, so
re-importing an unchanged export changes nothing. Each created or updated item
gets a revision, the import one audit entry with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from .. import audit, workflow
from ..db import db
from ..disclosure import item_fields
from ..models import Department, ServiceItem, User
from ..revisions import record_revision
from ..search_docs import index_record
from .columns import ITEMS, form_fields
from .problems import Problem, TransferRejected
from .reading import read_file
from .validating import CheckedItem, check_tables, stored_form

#: Codes listed in the audit entry's detail (the counts are always exact).
AUDIT_CODES = 200


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"新建草稿 {len(self.created)} 项，更新 {len(self.updated)} 项，未变 {len(self.unchanged)} 项"


def import_items(filename: str, data: bytes, *, department: Department, user: User | None,
                 username: str | None = None) -> ImportReport:
    """Read, check and store a whole item file for ``department``; TransferRejected (nothing stored) otherwise."""
    tables = read_file(filename, data)
    if not tables[ITEMS.name]:
        raise TransferRejected([Problem("", None, "", "文件中没有事项数据（除标题行外都是空行）。")])
    checked = check_tables(tables, department)
    return store_items(checked, department=department, user=user, username=username, filename=filename)


def store_items(checked: list[CheckedItem], *, department: Department, user: User | None,
                filename: str, username: str | None = None) -> ImportReport:
    """Apply checked items and commit with their revisions and the audit entry, or roll back and raise."""
    report = ImportReport()
    fields = form_fields()
    changed: list[ServiceItem] = []
    note = f"批量导入：{filename}"[:500]
    try:
        with db.session.no_autoflush:
            for entry in checked:
                if entry.item is not None and not _changes(entry, fields):
                    report.unchanged.append(entry.code)
                    continue
                item = entry.item
                if item is None:
                    item = ServiceItem(code=entry.form.code.data, department=department)
                    report.created.append(item.code)
                else:
                    report.updated.append(item.code)
                entry.form.apply_to(item)
                db.session.add(item)
                workflow.mark_edited(item)
                changed.append(item)
        for item in changed:
            record_revision(item, author=user, note=note, major=False)
        audit.record("import", target_type="service_item", department_id=department.id, user=user,
                     username=username, summary=f"导入“{filename}”：{report.summary()}"[:300],
                     detail={"file": filename, "department": department.code, "created": len(report.created),
                             "updated": len(report.updated), "unchanged": len(report.unchanged),
                             "created_codes": report.created[:AUDIT_CODES],
                             "updated_codes": report.updated[:AUDIT_CODES]})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise TransferRejected([Problem("", None, "", "保存失败：有事项编码刚被别人同时使用，请重新导入。")]) from None
    except BaseException:
        db.session.rollback()
        raise
    for item in changed:
        index_record(item)
    return report


def _changes(entry: CheckedItem, fields: dict) -> bool:
    """Would applying the form change the item's public fields (beyond what the form itself
    trims or normalises)? Checked on detached copies, so nothing is written to find out."""
    stored = entry.item
    proposed = item_fields(_detached(stored, entry.form))
    return proposed != item_fields(stored) and proposed != item_fields(_detached(stored, stored_form(stored, fields)))


def _detached(stored: ServiceItem, form) -> ServiceItem:
    copy = ServiceItem(code=stored.code)
    # A transient stand-in: never linked to the session's department, so nothing is cascaded in.
    copy.department = Department(code=stored.department.code)
    form.apply_to(copy)
    return copy
