"""Cases from outside: storing checked records of a CSV / .xlsx file or of the approval system's API.

``import_file`` reads a file (``table_files``), checks every row
(``records.check_values``) and stores them with ``store_records``, which the
JSON API calls for single records too. Every record is checked in full before
anything is written: field by field first, then against the database (unknown
item, another department's item, an illegal status change of an existing
case…). Any problem and nothing is stored (one transaction, rolled back); the
problems are reported by row and column in Chinese, with row numbers as the
clerk sees them in Excel (header = row 1).

A case number already stored is updated, never duplicated: a new status goes
through ``lifecycle.change_status``; the case number, the item and the
received date never change. All case rules are ``lifecycle``'s.

This module never logs or echoes applicant data (name, phone, ID number) and
never keeps an uploaded file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..db import db
from ..models import CaseFee, ServiceCase, ServiceItem
from .lifecycle import INITIAL_STATUSES, CaseError, change_status, new_case
from .records import CaseRecord, ImportRejected, Problem, check_values, plain_text
from .table_files import read_table

#: Item codes or case numbers per bulk SELECT.
SELECT_CHUNK = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (case number, query code) of created cases whose code this system made: hand them out once.
    new_codes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return f"新建 {self.created} 件，更新 {self.updated} 件，未变 {self.unchanged} 件"


def import_file(filename: str, data: bytes, *, department_id: int | None = None, user_id: int | None = None,
                source: str = "import") -> ImportReport:
    """Read, check and store a whole file in one transaction; raises ImportRejected (nothing stored).

    ``department_id`` limits the file to cases of that department's items (office staff).
    """
    rows = read_table(filename, data)
    if not rows:
        raise ImportRejected([Problem(None, "", "文件中没有办件数据（除标题行外都是空行）。")])
    today = clock.today()
    records: list[tuple[int | None, CaseRecord]] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        record, errors = check_values(values, today)
        problems.extend(Problem(number, name, message) for name, message in errors)
        case_no = record.case_no if record else plain_text(values.get("case_no"))
        if case_no:
            if case_no in first_row:
                problems.append(Problem(number, "case_no", f"办件编号 {case_no} 与第{first_row[case_no]}行重复。"))
                continue
            first_row[case_no] = number
        if record is not None:
            records.append((number, record))
    return store_records(records, department_id=department_id, user_id=user_id, source=source,
                         problems=problems)


def store_records(records: list[tuple[int | None, CaseRecord]], *, department_id: int | None = None,
                  user_id: int | None = None, source: str = "import",
                  problems: list[Problem] | None = None) -> ImportReport:
    """Create or update the cases of ``records`` and commit, or roll back and raise ImportRejected.

    Items and existing cases are loaded in a few bulk SELECTs; everything is flushed once.
    """
    problems = list(problems or [])
    conflicts = 0
    items = _items_by_code({r.item_code for _, r in records})
    existing = _cases_by_no([r.case_no for _, r in records])
    report = ImportReport()
    created: list[ServiceCase] = []
    try:
        with db.session.no_autoflush:
            for number, record in records:
                item = items.get(record.item_code)
                if item is None:
                    problems.append(Problem(number, "item_code", f"未知的事项编码“{record.item_code}”。"))
                    continue
                if department_id is not None and item.department_id != department_id:
                    department = item.department.short_name or item.department.name
                    problems.append(Problem(number, "item_code",
                                            f"事项 {item.code} 属于{department}，您只能导入本部门事项的办件。"))
                    continue
                case = existing.get(record.case_no)
                try:
                    if case is None:
                        case, code = _create(record, item, source=source, user_id=user_id)
                        created.append(case)
                        report.created += 1
                        if not record.query_code:
                            report.new_codes.append((case.case_no, code))
                    else:
                        clash, changed = _update(case, record, item, user_id=user_id)
                        if clash is not None:
                            conflicts += 1
                            problems.append(Problem(number, *clash))
                        elif changed:
                            report.updated += 1
                        else:
                            report.unchanged += 1
                except CaseError as exc:
                    conflicts += 1
                    problems.append(Problem(number, getattr(exc, "field", "status"), str(exc)))
        if problems:
            raise ImportRejected(problems, conflict=conflicts == len(problems))
        db.session.add_all(created)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ImportRejected([Problem(None, "case_no", "办件编号已被另一次导入同时使用，请重新导入。")],
                             conflict=True) from None
    except BaseException:
        db.session.rollback()
        raise
    return report


def _items_by_code(codes: set[str]) -> dict[str, ServiceItem]:
    found: dict[str, ServiceItem] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), SELECT_CHUNK):
        chunk = ordered[start:start + SELECT_CHUNK]
        stmt = select(ServiceItem).options(joinedload(ServiceItem.department)).where(ServiceItem.code.in_(chunk))
        found.update((item.code, item) for item in db.session.scalars(stmt))
    return found


def _cases_by_no(numbers: list[str]) -> dict[str, ServiceCase]:
    found: dict[str, ServiceCase] = {}
    ordered = sorted(set(numbers))
    for start in range(0, len(ordered), SELECT_CHUNK):
        chunk = ordered[start:start + SELECT_CHUNK]
        stmt = (select(ServiceCase).where(ServiceCase.case_no.in_(chunk))
                .options(selectinload(ServiceCase.events), selectinload(ServiceCase.fees)))
        found.update((case.case_no, case) for case in db.session.scalars(stmt))
    return found


def _create(record: CaseRecord, item: ServiceItem, *, source: str, user_id: int | None) -> tuple[ServiceCase, str]:
    """A new case through ``lifecycle``: the row's status if a case may start there (on its date),
    else accepted on the received date and then moved to the row's status."""
    status_on = record.status_on or record.received_on
    # A row already past acceptance does not say when it was accepted: on arrival is the one guess.
    first = record.status if record.status in INITIAL_STATUSES else "accepted"
    case, code = new_case(
        item, record.case_no, record.received_on, status=first,
        status_on=status_on if first == record.status else None, applicant_name=record.applicant_name,
        applicant_phone=record.applicant_phone, applicant_id_no=record.applicant_id_no,
        on_the_spot=bool(record.on_the_spot) if first == record.status else False,
        fees=list(record.fees or ()), note=record.note if first == record.status else "",
        query_code=record.query_code or None, source=source, user_id=user_id,
    )
    if first != record.status:
        change_status(case, record.status, status_on, note=record.note, extension_days=record.extension_days,
                      on_the_spot=record.on_the_spot, user_id=user_id)
    return case, code


def _update(case: ServiceCase, record: CaseRecord, item: ServiceItem, *,
            user_id: int | None) -> tuple[tuple[str, str] | None, bool]:
    """Apply a re-imported row to a stored case: ((field, message) of a clash or None, changed)."""
    if case.item_id != item.id:
        return ("item_code", f"办件 {case.case_no} 已登记为事项 {case.item.code}，"
                             f"不能改为 {item.code}（办件的事项不能更改）。"), False
    if case.received_on != record.received_on:
        return ("received_on", f"办件 {case.case_no} 的收件日期已登记为 {case.received_on.isoformat()}，"
                               f"不能改为 {record.received_on.isoformat()}。"), False
    changed = False
    if record.status != case.status:
        on = record.status_on or record.received_on
        change_status(case, record.status, on, note=record.note, extension_days=record.extension_days,
                      on_the_spot=record.on_the_spot, user_id=user_id)
        changed = True
    for name in ("applicant_name", "applicant_phone", "applicant_id_no"):
        value = getattr(record, name)
        if value and value != getattr(case, name):
            setattr(case, name, value)
            changed = True
    if record.fees is not None and [(f.name, f.amount_fen) for f in case.fees] != [
            (f.name, f.amount_fen) for f in record.fees]:
        case.fees = [CaseFee(position=i, name=f.name, amount_fen=f.amount_fen) for i, f in enumerate(record.fees)]
        changed = True
    if changed:
        case.updated_at = clock.now()
    return None, changed
