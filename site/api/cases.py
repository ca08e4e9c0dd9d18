"""/api/v1/cases: the approval system creates or updates a case, adds a status change, reads a case.

Only translates JSON into ``cases.records`` / ``cases.importing`` /
``cases.lifecycle`` calls and back. Answers never contain applicant data (name,
phone, ID number); logs name only the client and the case number. Errors are JSON
``{"error": "中文消息", "problems": [{"field": ..., "message": ...}]}``:
400 unreadable body, 401 token (see ``auth``), 404 unknown case, 409 a change
the case's state refuses, 422 bad or missing fields. Nothing partial is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from sunshine.contract.codes import CASE_STATUSES, WARNING_LEVELS

from .. import clock
from ..cases.importing import store_records
from ..cases.lifecycle import CaseError, FeeLine, change_status, current_warning
from ..cases.records import ImportRejected, Problem, check_values, parse_amount
from ..db import db
from ..models import ServiceCase
from . import bp

#: JSON name → record field, for a case.
CASE_FIELDS = ("case_no", "item_code", "received_on", "status", "status_on", "note", "extension_days",
               "on_the_spot", "applicant", "fees", "query_code")
APPLICANT_FIELDS = {"name": "applicant_name", "phone": "applicant_phone", "id_no": "applicant_id_no"}
#: JSON names of a status change.
EVENT_FIELDS = ("status", "status_on", "note", "extension_days", "on_the_spot")
#: Record field → JSON name in problems.
JSON_NAMES = {v: f"applicant.{k}" for k, v in APPLICANT_FIELDS.items()}


def error(status: int, message: str, problems: list[tuple[str, str]] | None = None):
    response = jsonify({"error": message,
                        "problems": [{"field": f, "message": m} for f, m in problems or []]})
    response.status_code = status
    return response


def _problems(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(JSON_NAMES.get(p.field, p.field), p.message) for p in problems]


def _body() -> dict[str, Any] | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


BAD_BODY = "请求体须为 JSON 对象（Content-Type: application/json）。"


def _money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def case_json(case: ServiceCase) -> dict[str, Any]:
    """What the API tells about a case: its standing, never its applicant."""
    warning = current_warning(case, clock.today(), current_app.config["SUNSHINE_WARNING_DAYS"])
    return {
        "case_no": case.case_no,
        "item_code": case.item.code,
        "department_code": case.department.code,
        "status": case.status,
        "status_label": case.status_label,
        "received_on": _day(case.received_on),
        "accepted_on": _day(case.accepted_on),
        "promised_days": case.promised_days,
        "extension_days": case.extension_days,
        "deadline": _day(case.deadline),
        "statutory_deadline": _day(case.statutory_deadline),
        "completed_on": _day(case.completed_on),
        "on_the_spot": case.on_the_spot,
        "warning": warning,
        "warning_label": WARNING_LEVELS[warning],
        "fees": [{"name": f.name, "amount": _money(f.amount_fen)} for f in case.fees],
        "fees_total": _money(case.fees_total_fen),
        "events": [{"on": e.on.isoformat(), "status": e.status, "status_label": CASE_STATUSES.get(e.status, e.status),
                    "note": e.note} for e in case.events],
    }


def _find(case_no: str) -> ServiceCase | None:
    return db.session.scalars(
        select(ServiceCase).where(ServiceCase.case_no == case_no)
        .options(selectinload(ServiceCase.events), selectinload(ServiceCase.fees))).first()


def _case_values(body: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Record values from a case body, and the problems of its shape (unknown keys, wrong types)."""
    problems = [(key, "未知字段。") for key in body if key not in CASE_FIELDS]
    values = {key: body[key] for key in CASE_FIELDS if key in body and key not in ("applicant", "fees")}
    applicant = body.get("applicant")
    if applicant is not None:
        if not isinstance(applicant, dict):
            problems.append(("applicant", "应为对象：{\"name\": …, \"phone\": …, \"id_no\": …}。"))
        else:
            problems += [(f"applicant.{key}", "未知字段。") for key in applicant if key not in APPLICANT_FIELDS]
            values.update({field: applicant[key] for key, field in APPLICANT_FIELDS.items() if key in applicant})
    if "fees" in body:
        fees, fee_problems = _fee_lines(body["fees"])
        problems += fee_problems
        values["fees"] = fees
    return values, problems


def _fee_lines(raw: Any) -> tuple[tuple[FeeLine, ...] | None, list[tuple[str, str]]]:
    if raw is None:
        return None, []
    if not isinstance(raw, list):
        return None, [("fees", "应为数组：[{\"name\": …, \"amount\": \"12000.00\"}]。")]
    lines: list[FeeLine] = []
    problems: list[tuple[str, str]] = []
    for i, entry in enumerate(raw):
        where = f"fees[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"name", "amount"}:
            problems.append((where, "应为对象 {\"name\": …, \"amount\": …}。"))
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
            problems.append((f"{where}.name", "请填写收费项目名称（不超过200个字）。"))
            continue
        try:
            lines.append(FeeLine(name.strip(), parse_amount(entry.get("amount"))))
        except ValueError as exc:
            problems.append((f"{where}.amount", str(exc)))
    return tuple(lines), problems


@bp.post("/cases")
def push_case():
    body = _body()
    if body is None:
        return error(400, BAD_BODY)
    values, problems = _case_values(body)
    record, errors = check_values(values, clock.today())
    problems += [(JSON_NAMES.get(f, f), m) for f, m in errors]
    if problems or record is None:
        return error(422, "办件数据有误，未保存。", problems)
    try:
        report = store_records([(None, record)], source="api")
    except ImportRejected as rejected:
        if rejected.conflict:
            return error(409, "办件当前状态不允许此变更，未保存。", _problems(rejected.problems))
        return error(422, "办件数据有误，未保存。", _problems(rejected.problems))
    case = _find(record.case_no)
    current_app.logger.info("api %s: case %s %s", g.api_client, case.case_no,
                            "created" if report.created else "updated" if report.updated else "unchanged")
    payload = {"result": "created" if report.created else "updated" if report.updated else "unchanged",
               "case": case_json(case)}
    if report.created:
        payload["query_code"] = report.new_codes[0][1] if report.new_codes else record.query_code
        payload["query_code_generated"] = bool(report.new_codes)
        return jsonify(payload), 201
    return jsonify(payload), 200


@bp.post("/cases/<case_no>/events")
def push_event(case_no: str):
    case = _find(case_no)
    if case is None:
        return error(404, f"没有办件编号为“{case_no}”的办件。")
    body = _body()
    if body is None:
        return error(400, BAD_BODY)
    problems = [(key, "未知字段。") for key in body if key not in EVENT_FIELDS]
    # The event is checked as a record of this case, so the rules of a row apply to it.
    values = {"case_no": case.case_no, "item_code": case.item.code, "received_on": case.received_on,
              **{key: body[key] for key in EVENT_FIELDS if key in body}}
    record, errors = check_values(values, clock.today())
    problems += [(f, m) for f, m in errors]
    if "status_on" not in body and not any(f == "status_on" for f, _ in problems):
        problems.append(("status_on", "请填写状态日期，如 2026-09-28。"))
    if problems or record is None:
        return error(422, "办理环节数据有误，未保存。", problems)
    last = case.events[-1] if case.events else None
    if case.status == record.status and last is not None and last.on == record.status_on:
        return jsonify({"result": "unchanged", "case": case_json(case)}), 200  # a retried push
    try:
        change_status(case, record.status, record.status_on, note=record.note,
                      extension_days=record.extension_days, on_the_spot=record.on_the_spot)
    except CaseError as exc:
        db.session.rollback()
        return error(409, str(exc), [("status", str(exc))])
    db.session.commit()
    current_app.logger.info("api %s: case %s -> %s", g.api_client, case.case_no, case.status)
    return jsonify({"result": "updated", "case": case_json(case)}), 201


@bp.get("/cases/<case_no>")
def read_case(case_no: str):
    case = _find(case_no)
    if case is None:
        return error(404, f"没有办件编号为“{case_no}”的办件。")
    return jsonify(case_json(case))


@bp.errorhandler(NotFound)
def not_found(_exc):
    return error(404, "找不到该地址。")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    return error(413, "请求体太大。")
