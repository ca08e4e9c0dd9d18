"""Publication workflow and its rules: draft → submitted → published, reject, withdraw, schedule, restore.

Two states per record: ``state`` is what the public sees (draft / published / withdrawn:
``published_data`` is the live version), ``review_state`` is where the working copy stands
(editing / submitted / rejected / scheduled). Editing a published record changes only the
working copy; the live version stays until a reviewer approves the new one. Every save is a
``Revision`` (``revisions.record_revision``), and a save based on an older revision than the
record's ``edit_version`` is refused (``Conflict``) so nobody overwrites a colleague's work.

Functions over model instances (no request, no commit): the views and ``sunshine tick``
call them and commit, so a refused step changes nothing. Who may call which is
``policy``'s business, not this module's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from sunshine.contract.schema import WITHDRAWN_REASON_MAX_LENGTH, ContractError, validate_record

from . import clock
from .disclosure import public_fields
from .models import (
    DRAFT,
    EDITING,
    PUBLISHED,
    REJECTED,
    SCHEDULED,
    SUBMITTED,
    WITHDRAWN,
    Channel,
    Department,
    Notice,
    Revision,
    ServiceItem,
    User,
)
from .roles import N_

Record = Department | ServiceItem | Channel | Notice


class WorkflowError(Exception):
    """A refused transition, with a message for the user.

    Messages go through ``gettext`` when raised: in the user's language during a request, Chinese
    outside one (``sunshine tick`` stores them in ``review_note`` and the audit log).
    """


class Conflict(WorkflowError):
    """A save based on revision ``base`` while the record is at ``current``: someone saved meanwhile."""

    def __init__(self, base: int, current: int) -> None:
        super().__init__(_("保存失败：您打开这条内容后，别人已保存过新的版本（您基于第%(base)s稿修改，现在是第%(current)s稿）。"
                           "您填写的内容都还在下面；请对照下方“别人改了什么”，确认后再次保存。", base=base, current=current))
        self.base = base
        self.current = current


#: Longest reason of a rejection (退回原因) and longest change note (修改说明).
REJECT_REASON_MAX_LENGTH = 500
CHANGE_NOTE_MAX_LENGTH = 500


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


#: What each record type must have before it is submitted or published (国办秘函〔2019〕19号 website
#: checks): (attribute = form field name, label).
REQUIRED_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {
    ServiceItem: (("name", N_("事项名称")), ("legal_basis", N_("设定依据")), ("conditions", N_("受理条件")),
                  ("materials", N_("申请材料")), ("steps", N_("办理流程")), ("location", N_("办理地点")),
                  ("hours", N_("办理时间")), ("consult_phone", N_("咨询电话")), ("complaint_phone", N_("监督投诉电话"))),
    Department: (("name", N_("部门名称")), ("consult_phone", N_("咨询电话"))),
    Notice: (("title", N_("标题")), ("body", N_("正文"))),
    Channel: (("name", N_("名称")), ("contact", N_("联系方式"))),
}


def missing_field_names(record: Record) -> list[tuple[str, str]]:
    """(field name, message) for everything a record lacks before it may be submitted or published."""
    missing = [(name, _("提交审核或发布前必须填写%(label)s。", label=_(label)))
               for name, label in REQUIRED_FIELDS.get(type(record), ()) if not getattr(record, name)]
    if isinstance(record, ServiceItem) and (record.promised_days or 0) > (record.statutory_days or 0):
        missing.append(("promised_days", _("承诺办结时限不得超过法定办结时限。")))
    return missing


def missing_fields(record: Record) -> list[str]:
    """The labels of what a record lacks (the one-line message of a refused submit or publish)."""
    labels = dict(REQUIRED_FIELDS.get(type(record), ()))
    return [_(labels[name]) if name in labels else message.rstrip("。.")
            for name, message in missing_field_names(record)]


def listed(labels: list[str]) -> str:
    """Labels as one run of text: "事项名称、设定依据" in Chinese, "Name, Legal basis" in English."""
    return _("、").join(labels)


def check_base(record: Record, base_version: int | None) -> None:
    """Refuse a save whose form was opened at an older revision than the record's latest (lost update)."""
    if record.id is None or base_version is None:
        return
    if base_version != (record.edit_version or 0):
        raise Conflict(base_version, record.edit_version or 0)


def mark_edited(record: Record) -> str | None:
    """A saved change is a draft until published; the public keeps the last published version.

    A change to a submitted or approved-and-scheduled working copy takes it out of review:
    the reviewer approved (or is about to read) something else. Returns a note saying so.
    """
    record.has_unpublished_changes = True
    if record.state == WITHDRAWN and record.revision == 0:
        record.state = DRAFT
    note = None
    if record.review_state == SUBMITTED:
        note = _("修改后已撤回审核申请，请修改完成后重新提交审核。")
    elif record.review_state == SCHEDULED:
        note = _("修改后原定的定时发布已取消，请重新提交审核。")
        record.publish_on = None
    if record.review_state in (SUBMITTED, SCHEDULED):
        record.review_state = EDITING
        record.submitted_at = None
    return note


def submit(record: Record, *, at: dt.datetime | None = None) -> None:
    """Send the working copy to the department's reviewer, complete or not at all."""
    if record.review_state == SUBMITTED:
        raise WorkflowError(_("已提交审核，请等待审核。"))
    if record.state == PUBLISHED and not record.has_unpublished_changes:
        raise WorkflowError(_("没有需要审核的修改：公开网站上已是当前内容。"))
    missing = missing_fields(record)
    if missing:
        raise WorkflowError(_("不能提交审核，以下内容缺失或有误：%(fields)s", fields=listed(missing)))
    record.review_state = SUBMITTED
    record.review_note = ""  # the reason of an earlier rejection stays in the audit log
    record.submitted_at = at or now()


def approve(record: Record, *, publish_on: dt.date | None = None, today: dt.date | None = None,
            at: dt.datetime | None = None) -> bool:
    """Approve the submitted working copy: published now (True), or on ``publish_on`` when later (False)."""
    if record.review_state != SUBMITTED:
        raise WorkflowError(_("这条内容不在待审核状态，无需审核。"))
    today = today or clock.today()
    if publish_on is not None and publish_on < today:
        raise WorkflowError(_("生效日期不能早于今天。"))
    if publish_on is not None and publish_on > today:
        check_publishable(record)
        record.review_state = SCHEDULED
        record.publish_on = publish_on
        return False
    publish(record, at=at)
    return True


def reject(record: Record, reason: str) -> None:
    """Send the working copy back to its editor with the reviewer's reason (required)."""
    if record.review_state != SUBMITTED:
        raise WorkflowError(_("这条内容不在待审核状态，不能退回。"))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("请填写退回原因，告诉编辑需要修改什么。"))
    if len(reason) > REJECT_REASON_MAX_LENGTH:
        raise WorkflowError(_("退回原因不能超过 %(limit)s 个字。", limit=REJECT_REASON_MAX_LENGTH))
    record.review_state = REJECTED
    record.review_note = reason
    record.submitted_at = None


def check_publishable(record: Record) -> None:
    """Refuse what could not be published: missing fields, an unpublished department."""
    session = object_session(record)
    if session is not None:
        session.flush()  # column defaults are applied on flush: check what will be stored
    missing = missing_fields(record)
    if missing:
        raise WorkflowError(_("不能发布，以下内容缺失或有误：%(fields)s", fields=listed(missing)))
    if isinstance(record, ServiceItem | Notice) and record.department is not None:
        if record.department.state != PUBLISHED:
            raise WorkflowError(_("所属部门尚未发布，请先发布部门信息。"))


def publish(record: Record, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """Freeze the working copy as the next public revision (and mark its ``Revision`` as published)."""
    check_publishable(record)
    data = public_fields(record)
    revision = (record.revision or 0) + 1
    published_at = at or now()
    try:  # refuse here what the publisher would refuse later, before anything is marked published
        validate_record(COLLECTION[type(record)], {
            **data, "revision": revision, "changes": [],
            "published_at": published_at.astimezone(clock.CN_TZ).isoformat(timespec="seconds")})
    except ContractError as exc:
        raise WorkflowError(_("不能发布：%(problem)s", problem=str(exc).split(' / ')[0])) from None
    record.published_data = data
    record.revision = revision
    record.published_at = published_at
    record.state = PUBLISHED
    record.has_unpublished_changes = False
    record.withdrawn_at = None  # public again: its page is the item's, not a withdrawal notice
    record.withdrawn_reason = ""
    record.review_state = EDITING
    record.review_note = ""
    record.submitted_at = None
    record.publish_on = None
    _mark_revision_published(record, revision, published_at)
    return record.published_data


def _mark_revision_published(record: Record, number: int, published_at: dt.datetime) -> None:
    """The latest saved revision is what went live; records saved before revisions existed get one now."""
    from .revisions import latest_revision, record_revision

    latest = latest_revision(record)
    if latest is None or latest.data != record.published_data:
        latest = record_revision(record, author=None, note="", major=False)
    latest.published_as = number
    latest.published_at = published_at


def withdraw(record: Record, reason: str = "", *, at: dt.datetime | None = None) -> None:
    """Take a published record off the public site, noting when (the clock) and why.

    A withdrawn item keeps its page with the withdrawal notice, the date and ``reason``, which
    is published as written: the form cleans it, and here only its length is checked again.
    """
    if record.state != PUBLISHED:
        raise WorkflowError(_("只有已发布的内容可以撤回。"))
    if record.review_state == SCHEDULED:  # an approved version waiting for its date would bring it back
        record.review_state = EDITING
        record.publish_on = None
    reason = (reason or "").strip()
    if len(reason) > WITHDRAWN_REASON_MAX_LENGTH:
        raise WorkflowError(_("撤回原因不能超过 %(limit)s 个字。", limit=WITHDRAWN_REASON_MAX_LENGTH))
    record.state = WITHDRAWN
    record.withdrawn_at = at or now()
    record.withdrawn_reason = reason


def restore(record: Record, revision: Revision) -> None:
    """Make an old revision the working copy again (the caller records the result as a new revision)."""
    from .record_data import apply_data

    if revision.record_type != record.__tablename__ or revision.record_id != record.id:
        raise WorkflowError(_("这个版本不属于这条内容。"))
    apply_data(record, revision.data)
    mark_edited(record)
    record.review_state = EDITING
