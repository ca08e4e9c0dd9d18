"""Load the demo data set (``content/demo/*.yaml``) into the database.

This is the fast path (the test suite runs it for every test that needs the
demo): departments, items, channels, notices, accounts, complaints (moved through
the real complaint lifecycle), online questions (answered or declined through the
real rules) and item ratings. The generated year of cases (``cases.yaml``) is a separate, explicit
step: ``demo_year.seed_demo_year``, run by ``sunshine seed-demo`` / ``sunshine demo``.

Idempotent: records are matched by their stable key (code, tracking number,
username) and existing ones are left untouched, so running it twice — or after
staff edited a demo record — duplicates and overwrites nothing. Records whose
data file says ``state: published`` are published through the workflow, so
they pass the same completeness checks as anything staff publish.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from . import clock
from .clock import CN_TZ
from .complaints.lifecycle import ACTIONS, ActionRefused, Rules, apply_action
from .db import db
from .deadlines import add_working_days
from .models import (
    PUBLISHED,
    RATING_LEVELS,
    Channel,
    Complaint,
    ComplaintEvent,
    Department,
    Fee,
    Material,
    Notice,
    Question,
    Rating,
    ServiceItem,
    SiteProfile,
    Step,
    User,
)
from .query_codes import hash_code
from .questions.answering import AnswerRefused, answer, decline
from .questions.asking import answer_days
from .workflow import publish

#: libyaml's safe loader when present (about 10x faster on the demo files).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LEVEL_BY_LABEL = {label: level for level, label in RATING_LEVELS.items()}
#: 受理 → accept, …: the demo files name complaint steps as the history shows them.
COMPLAINT_ACTION_BY_LABEL = {action.label: action.name for action in ACTIONS.values()}
#: Steps the centre takes (效能监察室, the administrator); the department answers and closes.
CENTRE_ACTIONS = ("accept", "decline", "assign", "reassign")


class SeedError(Exception):
    """The demo data files are missing or malformed."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def add(self, kind: str, created: int, existing: int = 0) -> None:
        self.created[kind] = self.created.get(kind, 0) + created
        self.existing[kind] = self.existing.get(kind, 0) + existing

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        return "，".join(f"{k} 新增{self.created.get(k, 0)} 已有{self.existing.get(k, 0)}" for k in kinds)


def _load(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError as exc:
        raise SeedError(f"找不到演示数据文件 {path} / demo data file not found") from exc
    except yaml.YAMLError as exc:
        raise SeedError(f"演示数据文件格式错误 {path}: {exc}") from exc


def _at(value: str | dt.datetime) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=CN_TZ) if moment.tzinfo is None else moment


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _get(model, **key):
    return db.session.scalars(select(model).filter_by(**key)).first()


def _publish_if(record, state: str, at: dt.datetime) -> None:
    if state == PUBLISHED:
        publish(record, at=at)


def seed_demo(directory: Path, *, published_at: dt.datetime | None = None) -> SeedReport:
    """Load every collection; commits once at the end (all or nothing)."""
    at = published_at or clock.now()
    report = SeedReport()
    try:
        _seed_site(_load(directory, "site.yaml"))
        depts = _seed_departments(_load(directory, "departments.yaml"), report, at)
        items = _seed_items(_load(directory, "items.yaml"), depts, report, at)
        _seed_channels(_load(directory, "channels.yaml"), report, at)
        _seed_notices(_load(directory, "notices.yaml"), depts, report, at)
        users = _seed_users(_load(directory, "users.yaml"), depts, report)
        staff = _Staff(users)
        _seed_complaints(_load(directory, "complaints.yaml"), depts, items, staff, report)
        _seed_questions(_load(directory, "questions.yaml"), depts, items, staff, report)
        _seed_ratings(_load(directory, "ratings.yaml"), depts, items, report)
        db.session.commit()
    except (KeyError, TypeError, ValueError) as exc:
        db.session.rollback()
        raise SeedError(f"演示数据内容有误 / bad demo data: {exc!r}") from exc
    except Exception:
        db.session.rollback()
        raise
    return report


def _seed_site(data: dict) -> None:
    if db.session.scalars(select(SiteProfile)).first() is None:
        db.session.add(SiteProfile(**{k: data[k] for k in (
            "name", "region", "address", "hours", "phone", "complaint_phone", "intro")}))


def _seed_departments(rows: list[dict], report: SeedReport, at: dt.datetime) -> dict[str, Department]:
    depts: dict[str, Department] = {}
    for row in rows:
        dept = _get(Department, code=row["code"])
        report.count("部门", dept is None)
        if dept is None:
            chief, backup = row.get("chief") or {}, row.get("backup") or {}
            dept = Department(
                code=row["code"], name=row["name"], short_name=row["short_name"], window=row["window"],
                address=row["address"], hours=row["hours"], consult_phone=row["consult_phone"],
                complaint_phone=row["complaint_phone"], duties=row["duties"],
                chief_name=chief.get("name", ""), chief_post=chief.get("post", ""),
                chief_phone=chief.get("phone", ""), backup_name=backup.get("name", ""),
                backup_post=backup.get("post", ""), backup_phone=backup.get("phone", ""),
            )
            db.session.add(dept)
            _publish_if(dept, row.get("state", "draft"), at)
        depts[dept.code] = dept
    db.session.flush()
    return depts


ITEM_SCALARS = (
    "code", "name", "item_type", "legal_basis", "conditions", "service_object", "statutory_days",
    "promised_days", "promised_note", "case_type", "visits_required", "online", "in_hall", "location",
    "hours", "consult_phone", "complaint_phone", "result_type",
)


def _seed_items(rows: list[dict], depts: dict[str, Department], report: SeedReport,
                at: dt.datetime) -> dict[str, ServiceItem]:
    items: dict[str, ServiceItem] = {}
    for row in rows:
        item = _get(ServiceItem, code=row["code"])
        report.count("事项", item is None)
        if item is None:
            item = ServiceItem(**{k: row[k] for k in ITEM_SCALARS})
            item.department = depts[row["department"]]
            item.keywords = "\n".join(row.get("keywords") or [])
            item.effective_date = _date(row.get("effective_date"))
            item.materials = [Material(position=i, **m) for i, m in enumerate(row.get("materials") or [])]
            item.steps = [Step(position=i, **s) for i, s in enumerate(row.get("steps") or [])]
            item.fees = [Fee(position=i, **f) for i, f in enumerate(row.get("fees") or [])]
            db.session.add(item)
            if item.department.state == PUBLISHED:
                _publish_if(item, row.get("state", "draft"), at)
        items[item.code] = item
    db.session.flush()
    return items


def _seed_channels(rows: list[dict], report: SeedReport, at: dt.datetime) -> None:
    for row in rows:
        channel = _get(Channel, code=row["code"])
        report.count("投诉渠道", channel is None)
        if channel is None:
            channel = Channel(**{k: row[k] for k in (
                "code", "kind", "name", "contact", "hours", "office", "response_days", "notes")})
            db.session.add(channel)
            _publish_if(channel, row.get("state", "draft"), at)


def _seed_notices(rows: list[dict], depts: dict[str, Department], report: SeedReport,
                  at: dt.datetime) -> None:
    for row in rows:
        notice = _get(Notice, code=row["code"])
        report.count("通知公告", notice is None)
        if notice is None:
            notice = Notice(code=row["code"], title=row["title"], body=row["body"], category=row["category"],
                            department=depts[row["department"]] if row.get("department") else None,
                            date=_date(row["date"]))
            db.session.add(notice)
            if notice.department is None or notice.department.state == PUBLISHED:
                _publish_if(notice, row.get("state", "draft"), at)


@dataclass
class _Staff:
    """Who takes a seeded step: the administrator for the centre's steps, else the department's
    editor (the administrator when the department has none)."""

    users: dict[str, User]

    def centre(self) -> int | None:
        admin = next((u for u in self.users.values() if u.role == "admin"), None)
        return admin.id if admin is not None else None

    def of(self, department: Department) -> int | None:
        clerk = next((u for _name, u in sorted(self.users.items())
                      if u.role == "editor" and u.department_id == department.id), None)
        return clerk.id if clerk is not None else self.centre()

    def supervisor(self) -> int | None:
        found = next((u for u in self.users.values() if u.role == "supervisor"), None)
        return found.id if found is not None else None


def _seed_complaints(rows: list[dict], depts: dict[str, Department], items: dict[str, ServiceItem],
                     staff: _Staff, report: SeedReport) -> None:
    """File each complaint on its day, then take its steps through the real lifecycle."""
    rules = Rules.from_app()
    for row in rows:
        complaint = _get(Complaint, tracking_no=row["tracking_no"])
        report.count("投诉", complaint is None)
        if complaint is not None:
            continue
        received = _at(row["received_at"])
        day = clock.to_cn_date(received)
        accept_by = add_working_days(day, rules.accept_days)
        complaint = Complaint(
            tracking_no=row["tracking_no"], query_code_hash=hash_code(row["query_code"]),
            department=depts[row["department"]], item=items.get(row.get("item") or ""),
            category=row["category"], subject=row["subject"], content=row["content"],
            contact_name=row.get("name") or "", contact_phone=str(row.get("phone") or ""),
            contact_email=row.get("email") or "", notify_by=row.get("notify_by") or "",
            publish_consent=bool(row.get("publish_consent", False)), status="received",
            received_at=received, accept_deadline=accept_by, deadline=add_working_days(day, rules.answer_days),
            due_on=accept_by, late_answers=0, reopen_count=0, reply="", decline_reason="", outcome="",
            outcome_note="",
        )
        complaint.events.append(ComplaintEvent(at=received, action="收到", note="网上投诉", public_note="",
                                               actor="citizen"))
        db.session.add(complaint)
        for event in row.get("events") or []:
            _complaint_step(complaint, event, depts, staff, rules)
        if complaint.status != row["status"]:
            raise SeedError(f"演示投诉 {complaint.tracking_no} 的办理步骤最后是“{complaint.status_label}”，"
                            f"数据文件写的是 {row['status']!r}")
        if "solved" in row:
            complaint.solved = row["solved"]


def _complaint_step(complaint: Complaint, event: dict, depts: dict[str, Department], staff: _Staff,
                    rules: Rules) -> None:
    at, label = _at(event["at"]), event["action"]
    if label == "催办":
        # History only: a stored Urge would top the department's 工作台 until someone marks it read,
        # and these urges were read long ago.
        complaint.events.append(ComplaintEvent(at=at, action=label, note=event.get("note", ""), public_note="",
                                               actor="staff", user_id=staff.supervisor()))
        return
    if label not in COMPLAINT_ACTION_BY_LABEL:
        raise SeedError(f"演示投诉 {complaint.tracking_no}：未知的办理步骤“{label}”")
    name = COMPLAINT_ACTION_BY_LABEL[label]
    if event.get("department"):
        department = depts[event["department"]]
    else:
        department = complaint.department if name == "assign" else None
    if ACTIONS[name].by == "citizen":
        user_id = None
    elif name in CENTRE_ACTIONS:
        user_id = staff.centre()
    else:
        user_id = staff.of(complaint.department)
    try:
        apply_action(complaint, name, user_id=user_id, note=event.get("note", ""),
                     public_note=event.get("public_note", ""), reply=event.get("reply"),
                     outcome=event.get("outcome"), reason=event.get("reason"), department=department,
                     at=at, rules=rules)
    except ActionRefused as exc:
        raise SeedError(f"演示投诉 {complaint.tracking_no} 不能“{label}”：{exc}") from exc


def _seed_questions(rows: list[dict], depts: dict[str, Department], items: dict[str, ServiceItem],
                    staff: _Staff, report: SeedReport) -> None:
    """Ask each question on its day; answer or decline it through the real rules, or leave it waiting."""
    days = answer_days()
    for row in rows:
        question = _get(Question, tracking_no=row["tracking_no"])
        report.count("咨询", question is None)
        if question is not None:
            continue
        received = _at(row["received_at"])
        department = depts[row["department"]]
        question = Question(
            tracking_no=row["tracking_no"], query_code_hash=hash_code(row["query_code"]),
            department=department, item=items.get(row.get("item") or ""), subject=row["subject"],
            content=row["content"], contact_name=row.get("name") or "", contact_phone=str(row.get("phone") or ""),
            contact_email=row.get("email") or "", notify_by=row.get("notify_by") or "",
            publish_consent=bool(row.get("publish_consent", False)), status="received", received_at=received,
            deadline=add_working_days(clock.to_cn_date(received), days), answer="", decline_reason="",
            decline_note="", public=True,
        )
        db.session.add(question)
        try:
            if row.get("answer"):
                answer(question, row["answer"], user_id=staff.of(department), public=row.get("public", True),
                       at=_at(row["answered_at"]))
            elif row.get("decline_reason"):
                decline(question, row["decline_reason"], row.get("decline_note", ""),
                        user_id=staff.of(department), at=_at(row["answered_at"]))
        except AnswerRefused as exc:
            raise SeedError(f"演示咨询 {question.tracking_no}：{exc}") from exc


def _seed_ratings(rows: list[dict], depts: dict[str, Department], items: dict[str, ServiceItem],
                  report: SeedReport) -> None:
    for row in rows:
        created = _at(row["created_at"])
        item = items[row["target"]] if row["target_kind"] == "item" else None
        dept = item.department if item is not None else depts[row["target"]]
        level = LEVEL_BY_LABEL[row["level"]]
        existing = _get(Rating, target_kind=row["target_kind"], department_id=dept.id,
                        item_id=item.id if item else None, created_at=created, level=level)
        report.count("评价", existing is None)
        if existing is None:
            db.session.add(Rating(target_kind=row["target_kind"], department=dept, item=item, level=level,
                                  comment=row.get("comment", ""), created_at=created))


def _seed_users(rows: list[dict], depts: dict[str, Department], report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    for row in rows:
        user = _get(User, username=row["username"])
        report.count("账号", user is None)
        if user is None:
            user = User(username=row["username"], display_name=row["display_name"], role=row["role"],
                        department=depts[row["department"]] if row.get("department") else None)
            user.set_password(row["password"])
            db.session.add(user)
        users[user.username] = user
    db.session.flush()  # the complaint and question steps name their clerks by id
    return users


def demo_logins(directory: Path) -> list[dict]:
    """The demo accounts as the data file lists them (printed by ``sunshine demo``)."""
    return _load(directory, "users.yaml")
