"""Publication workflow and its rules: what may be published, by whom.

Pure functions over model instances (no request, no session commit): the
views call them and commit. Roadmap: submitted/review states and revisions
history slot in here without changing the callers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import object_session

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH, ContractError, validate_record

from . import clock
from .disclosure import public_fields
from .models import DRAFT, PUBLISHED, WITHDRAWN, Channel, Department, Notice, ServiceItem, User

Record = Department | ServiceItem | Channel | Notice


class WorkflowError(Exception):
    """A refused transition, with a message for the user (Chinese)."""


#: The snapshot collection each disclosure model is published into.
COLLECTION = {Department: "departments", ServiceItem: "items", Channel: "channels", Notice: "notices"}


def now() -> dt.datetime:
    return clock.now()


def record_department_id(record: Record) -> int | None:
    if isinstance(record, Department):
        return record.id
    if isinstance(record, ServiceItem | Notice):
        return record.department_id
    return None  # channels belong to the center


def can_edit(user: User, record: Record | None = None, department_id: int | None = None) -> bool:
    """May ``user`` save the working copy of ``record`` (or create one in ``department_id``)? See ``policy``."""
    from .policy import Action, may

    if record is not None:
        return may(user, Action.EDIT, record)
    return may(user, Action.EDIT, department_id=department_id)


def missing_fields(record: Record) -> list[str]:
    """What an item lacks before it may be published (国办秘函〔2019〕19号 website checks)."""
    missing: list[str] = []
    if isinstance(record, ServiceItem):
        checks = [
            (record.name, "事项名称"),
            (record.legal_basis, "设定依据"),
            (record.conditions, "受理条件"),
            (record.materials, "申请材料"),
            (record.steps, "办理流程"),
            (record.location, "办理地点"),
            (record.hours, "办理时间"),
            (record.consult_phone, "咨询电话"),
            (record.complaint_phone, "监督投诉电话"),
        ]
        missing = [label for value, label in checks if not value]
        if record.promised_days > record.statutory_days:
            missing.append("承诺办结时限不得超过法定办结时限")
    elif isinstance(record, Department):
        missing = [label for value, label in [(record.name, "部门名称"), (record.consult_phone, "咨询电话")] if not value]
    elif isinstance(record, Notice):
        missing = [label for value, label in [(record.title, "标题"), (record.body, "正文")] if not value]
    elif isinstance(record, Channel):
        missing = [label for value, label in [(record.name, "名称"), (record.contact, "联系方式")] if not value]
    return missing


def mark_edited(record: Record) -> None:
    """A saved change is a draft until published; the public keeps the last published version."""
    record.has_unpublished_changes = True
    if record.state == WITHDRAWN and record.revision == 0:
        record.state = DRAFT


def publish(record: Record, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """Freeze the working copy as the next public revision."""
    session = object_session(record)
    if session is not None:
        session.flush()  # column defaults are applied on flush: publish what will be stored
    missing = missing_fields(record)
    if missing:
        raise WorkflowError("不能发布，以下内容缺失或有误：" + "、".join(missing))
    if isinstance(record, ServiceItem | Notice) and record.department is not None:
        if record.department.state != PUBLISHED:
            raise WorkflowError("所属部门尚未发布，请先发布部门信息。")
    data = public_fields(record)
    revision = (record.revision or 0) + 1
    published_at = at or now()
    try:  # refuse here what the publisher would refuse later, before anything is marked published
        validate_record(COLLECTION[type(record)], {
            **data, "revision": revision,
            "published_at": published_at.astimezone(clock.CN_TZ).isoformat(timespec="seconds")})
    except ContractError as exc:
        raise WorkflowError(f"不能发布：{str(exc).split(' / ')[0]}") from None
    record.published_data = data
    record.revision = revision
    record.published_at = published_at
    record.state = PUBLISHED
    record.has_unpublished_changes = False
    record.withdrawn_at = None  # public again: its page is the item's, not a withdrawal notice
    record.withdrawn_reason = ""
    return record.published_data


def withdraw(record: Record, reason: str = "", *, at: dt.datetime | None = None) -> None:
    """Take a published record off the public site, noting when (the clock) and why.

    A withdrawn item keeps its page with the withdrawal notice, the date and ``reason``, which
    is published as written: the form cleans it, and here only its length is checked again.
    """
    if record.state != PUBLISHED:
        raise WorkflowError("只有已发布的内容可以撤回。")
    reason = (reason or "").strip()
    if len(reason) > WITHDRAWN_REASON_MAX_LENGTH:
        raise WorkflowError(f"撤回原因不能超过 {WITHDRAWN_REASON_MAX_LENGTH} 个字。")
    record.state = WITHDRAWN
    record.withdrawn_at = at or now()
    record.withdrawn_reason = reason
