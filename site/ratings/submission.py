"""A citizen's rating (一事一评, 好差评): of a decided case, of an item, of a department.

A case is rated with its number and secret query code, once, and so is a closed
complaint by its complainant (满意度, after 确认办结); a wrong number
and a wrong code get the same answer at the same cost. Items and departments
are rated only as published. A bad rating (不满意 / 非常不满意) opens its
rectification work order in the same transaction, so neither is ever stored
without the other. The rater's contact is stored for 回访 only and never
returned to the public side. This module never logs a rater's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sunshine.contract.codes import BAD_RATING_MAX, CASE_FINAL_STATUSES, RATING_LEVELS

from .. import clock
from ..db import db
from ..models import (
    PUBLISHED,
    Complaint,
    Department,
    Rating,
    Rectification,
    ServiceCase,
    ServiceItem,
)
from ..query_codes import check_code, check_unknown
from .work_orders import open_work_order

MAX_COMMENT = 500
NOT_FOUND = "办件编号或查询码不正确，请核对后再试。"
UNDECIDED = "该办件尚未办结，办结或不予受理后才能评价。"
ALREADY_RATED = "该办件已评价，每件办件只能评价一次。"
COMPLAINT_NOT_CLOSED = "该投诉尚未办结，办结后才能评价。"
COMPLAINT_RATED = "该投诉已评价，每件投诉只能评价一次。"


class RatingRefused(Exception):
    """A rating that cannot be taken; ``reason`` is not_found | undecided | already_rated."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Rated:
    rating: Rating
    #: The work order a bad rating opened (None for a good one).
    work_order: Rectification | None


def find_target(kind: str, code: str) -> ServiceItem | Department | None:
    """The published item or department a public rating form is about, or None."""
    model = {"item": ServiceItem, "department": Department}.get(kind)
    if model is None or not code:
        return None
    return db.session.scalars(select(model).where(model.code == code.strip(), model.state == PUBLISHED)).first()


def find_rateable_case(case_no: str, query_code: str) -> ServiceCase:
    """The case behind a number and its code, if it may be rated now; raises RatingRefused.

    The code is checked before anything about the case is revealed.
    """
    case = db.session.scalars(select(ServiceCase).where(ServiceCase.case_no == (case_no or "").strip())).first()
    if case is None:
        check_unknown(query_code)
        raise RatingRefused(NOT_FOUND, "not_found")
    if not check_code(case.query_code_hash, query_code):
        raise RatingRefused(NOT_FOUND, "not_found")
    if case.status not in CASE_FINAL_STATUSES:
        raise RatingRefused(UNDECIDED, "undecided")
    if _is_rated(case.id):
        raise RatingRefused(ALREADY_RATED, "already_rated")
    return case


def rate_case(case_no: str, query_code: str, *, level: int, comment: str = "", contact_name: str = "",
              contact_phone: str = "", days: dict[str, int] | None = None) -> Rated:
    """Rate a decided case once (target "case"; department and item from the case); commits."""
    case = find_rateable_case(case_no, query_code)
    case_id, department_id, item_id = case.id, case.department_id, case.item_id
    return _store(lambda: Rating(target_kind="case", department_id=department_id, item_id=item_id,
                                 case_id=case_id),
                  level, comment, contact_name, contact_phone, days)


def rate_target(target: ServiceItem | Department, *, level: int, comment: str = "", contact_name: str = "",
                contact_phone: str = "", days: dict[str, int] | None = None) -> Rated:
    """Rate a published item or department (from its public page); commits."""
    if target.state != PUBLISHED:
        raise RatingRefused("找不到要评价的事项或部门。", "not_found")
    if isinstance(target, ServiceItem):
        department_id, item_id, kind = target.department_id, target.id, "item"
    else:
        department_id, item_id, kind = target.id, None, "department"
    return _store(lambda: Rating(target_kind=kind, department_id=department_id, item_id=item_id, case_id=None),
                  level, comment, contact_name, contact_phone, days)


def rate_complaint(complaint: Complaint, *, level: int, comment: str = "", days: dict[str, int] | None = None,
                   prepare: Callable[[], None] | None = None) -> Rated:
    """The complainant's satisfaction with a closed complaint (target "complaint"), once; commits.

    The caller has checked the complaint's number and code. The rating carries the complaint's
    department, item and private contact (a bad rating's 回访 calls the complainant back).
    ``prepare`` runs in each attempt's transaction just before the rating is added, so what it
    changes (the citizen's 确认办结) is committed with the rating and work order, or not at all.
    """
    if complaint.status != "closed":
        raise RatingRefused(COMPLAINT_NOT_CLOSED, "undecided")
    if complaint_is_rated(complaint.id):
        raise RatingRefused(COMPLAINT_RATED, "already_rated")

    def make() -> Rating:
        if prepare is not None:
            prepare()
        return Rating(target_kind="complaint", department_id=complaint.department_id, item_id=complaint.item_id,
                      case_id=None, complaint_id=complaint.id)

    return _store(make, level, comment, complaint.contact_name, complaint.contact_phone, days)


def complaint_is_rated(complaint_id: int) -> bool:
    return db.session.scalar(select(Rating.id).where(Rating.complaint_id == complaint_id)) is not None


def _is_rated(case_id: int) -> bool:
    return db.session.scalar(select(Rating.id).where(Rating.case_id == case_id)) is not None


def _store(make, level: int, comment: str, contact_name: str, contact_phone: str,
           days: dict[str, int] | None) -> Rated:
    """Add the rating (and the work order of a bad one) and commit both, or neither.

    A clash on the work-order number (two bad ratings at once) is retried; any
    other integrity error is raised after the rollback.
    """
    if level not in RATING_LEVELS:
        raise ValueError(f"unknown rating level {level!r}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValueError("comment too long")
    for _attempt in range(5):
        rating = make()
        rating.level = level
        rating.comment = comment
        rating.contact_name = (contact_name or "").strip()
        rating.contact_phone = (contact_phone or "").strip()
        rating.created_at = clock.now()
        rating.status = "valid"
        rating.void_reason = ""
        work_order = None
        try:
            db.session.add(rating)  # the work-order number query below flushes it
            work_order = open_work_order(rating, days) if level <= BAD_RATING_MAX else None
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if rating.case_id is not None and _is_rated(rating.case_id):  # a second submission won the race
                raise RatingRefused(ALREADY_RATED, "already_rated") from None
            if rating.complaint_id is not None and complaint_is_rated(rating.complaint_id):
                raise RatingRefused(COMPLAINT_RATED, "already_rated") from None
            if level > BAD_RATING_MAX:
                raise
            continue
        return Rated(rating=rating, work_order=work_order)
    raise RuntimeError("could not allocate a work-order number")
