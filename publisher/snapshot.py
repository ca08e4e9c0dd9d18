"""Snapshot reading: load a snapshot file, validate it against the contract's
versioned schema and check that its records refer to each other consistently.

This is the publisher's only input. It must never import Flask, SQLAlchemy or
``sunshine.site``; it never repairs data, it only accepts or rejects it.
"""

from __future__ import annotations

import itertools
import json
import operator
import threading
from pathlib import Path
from typing import Any

import orjson

from sunshine.contract.schema import ContractError, ToCheck
from sunshine.contract.schema import validate_snapshot as validate_schema

from .interning import RecordInterner
from .splicing import SPLICER


class SnapshotError(ValueError):
    """The snapshot cannot be used. The message is one line, Chinese first."""


def load_snapshot(path: Path) -> dict[str, Any]:
    """Read, validate and cross-check a snapshot; raise SnapshotError if unusable."""
    return parse_snapshot(read_snapshot_bytes(path), path)


def read_snapshot_bytes(path: Path) -> bytes:
    """The snapshot file's bytes (published unchanged as open data)."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SnapshotError(f"快照文件不存在：{path} / snapshot not found: {path}") from None
    except OSError as exc:
        raise SnapshotError(
            f"快照文件无法读取：{path} / cannot read snapshot: {exc.strerror}"
        ) from None


def parse_snapshot(
    raw: bytes, source: Path | str = "snapshot", *, interner: RecordInterner | None = None
) -> dict[str, Any]:
    """Decode and validate snapshot bytes; ``source`` only names them in messages.

    ``interner``: a running publisher's (interning.py). Only the bytes changed since the last
    snapshot are decoded (splicing.py); the records unchanged since it become that snapshot's very
    objects, and those among them this process accepted last time are not validated again
    (``ACCEPTED``): a one-item publish decodes and checks one item, not ten thousand.
    """
    try:
        # orjson: a city's 30 MB snapshot several times faster than json
        data = orjson.loads(raw) if interner is None else SPLICER.decode(raw)
    except orjson.JSONDecodeError:
        data = _loads_with_position(raw, source)  # the standard decoder names the line and column
        # What only the standard decoder reads (NaN, a lone surrogate…) may encode like a valid
        # record (NaN as null): interned only once validated, never vouched for before.
        validate_snapshot(data)
        if interner is not None:
            interner.intern(data)
        return data
    if interner is None or not isinstance(data, dict):
        validate_snapshot(data)  # (what is not an object is refused here)
        return data
    # orjson's values encode back exactly (type and value), so a record interned here is one whose
    # canonical encoding — all the schema sees of it — is that of the object it is replaced by.
    interner.intern(data)
    try:
        validate_snapshot(data, vouched=ACCEPTED)
    except SnapshotError:
        ACCEPTED.keep_only(data)
        raise
    ACCEPTED.accept(data)
    return data


class AcceptedRecords:
    """The records of the last snapshot this process accepted (with an interner), by identity.

    A record that is the very object of an accepted snapshot's list, in a list of the same name,
    fits that list's schema (a string too: it cannot change): the publisher never modifies a decoded snapshot, and interning hands
    an earlier object only for a record whose canonical encoding is the same. The objects are kept
    (so that an identity cannot be another object's later); after a refused snapshot only those
    the refused one shares, which the interner keeps anyway.
    """

    def __init__(self) -> None:
        self._lists: dict[str, dict[int, Any]] = {}  # list name → id → record
        # The department codes of the last accepted snapshot: every item kept here names one of them.
        self._departments: frozenset[Any] | None = None
        self._lock = threading.Lock()

    def departments(self) -> frozenset[Any] | None:
        """The department codes of the last snapshot accepted: every item kept here names one of
        them (it was checked against them, or against an earlier accepted snapshot's, all of whose
        codes these include). None: nothing kept."""
        return self._departments

    def to_check(self, name: str, records: list[Any]) -> list[Any]:
        """The records of list ``name`` that are not objects of the last accepted snapshot's list
        ``name`` (an id kept here is the kept object's: the objects are alive)."""
        known = self._lists.get(name)
        if not known:
            return records
        # in C (compress, map): a city's ten thousand items are looked up each publish
        return list(itertools.compress(records, map(operator.not_, map(known.__contains__, map(id, records)))))

    def accept(self, data: dict[str, Any]) -> None:
        """Remember the records of ``data``'s lists instead (it was accepted)."""
        lists = {name: dict(zip(map(id, value), value, strict=True)) for name, value in data.items() if type(value) is list}
        departments = frozenset(map(_CODE, data["departments"]))
        with self._lock:
            # ``data`` was validated: each of its items names one of its departments
            self._lists, self._departments = lists, departments

    def keep_only(self, data: dict[str, Any]) -> None:
        """Forget the records ``data`` (a refused snapshot) does not hold in the same list."""
        with self._lock:
            lists = {}
            for name, value in data.items():
                known = self._lists.get(name)
                if known and type(value) is list:
                    lists[name] = {key: known[key] for key in map(id, value) if key in known}
            self._lists = lists

    def forget(self) -> None:
        with self._lock:
            self._lists, self._departments = {}, None


#: This process's memory of the last snapshot accepted with the interner (a running publisher's).
ACCEPTED = AcceptedRecords()


def _loads_with_position(raw: bytes, source: Path | str) -> Any:
    """Decode with the standard library, for its messages (and the rare input only it accepts)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SnapshotError(
            f"快照不是 UTF-8 编码：{source} / snapshot is not UTF-8: {source}"
        ) from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"快照不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）"
            f" / invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def validate_snapshot(
    data: Any, *, to_check: ToCheck | None = None, vouched: AcceptedRecords | None = None
) -> None:
    """Raise SnapshotError unless ``data`` satisfies the schema and the cross-checks (``to_check``: the
    records of a list not known to fit its schema, see ``contract.schema.validate_snapshot``;
    ``vouched``: the records accepted before, which need neither the schema nor the rules of one
    record checked again)."""
    if vouched is not None:
        to_check = vouched.to_check
    try:
        validate_schema(data, to_check=to_check)
    except ContractError as exc:
        raise SnapshotError(str(exc)) from None
    problem = first_inconsistency(data, vouched)
    if problem:
        zh, en = problem
        raise SnapshotError(f"快照数据不一致：{zh} / inconsistent snapshot: {en}")


def _unknown_department(where: str, code: str) -> tuple[str, str]:
    return (
        f"{where}.department 引用了不存在的部门 {code!r}",
        f"{where}.department refers to unknown department {code!r}",
    )


#: Collections whose codes must be unique (they name pages, CSV rows or anchors).
DISTINCT_CODES = (
    "departments",
    "items",
    "channels",
    "notices",
    "rectifications",
    "complaint_outcomes",
    "questions",
    "withdrawn_items",
    "withdrawn_departments",
    "withdrawn_notices",
    "withdrawn_channels",
)
#: Withdrawn records → the collection of live records whose codes they must not share: a withdrawn
#: department's or notice's page is written at the live record's address, and a channel cannot be
#: listed both as open and as closed.
WITHDRAWN_OF = {
    "withdrawn_items": ("items", "事项"),
    "withdrawn_departments": ("departments", "部门"),
    "withdrawn_notices": ("notices", "公告"),
    "withdrawn_channels": ("channels", "渠道"),
}
#: Citizen-facing collections whose ``item``, when given, must be a published item: they are
#: shown on that item's page, so a dangling code would be a broken link or a lost answer.
ITEM_LINKED = ("complaint_outcomes", "questions")


_CODE = operator.itemgetter("code")
_DEPARTMENT = operator.itemgetter("department")
_PROMISED_DAYS = operator.itemgetter("promised_days")
_STATUTORY_DAYS = operator.itemgetter("statutory_days")
_FEE_REQUIRED = operator.itemgetter("fee_required")
_FEES = operator.itemgetter("fees")


def _items_consistent(items: list[dict[str, Any]], departments: set[str]) -> bool:
    """Whether no item breaks the rules ``first_inconsistency`` checks item by item, checked in C
    (map): a city has ten thousand items, and a valid snapshot is the usual one. When one breaks
    a rule, the loop there names the first."""
    return (
        set(map(_DEPARTMENT, items)) <= departments
        and not any(map(operator.gt, map(_PROMISED_DAYS, items), map(_STATUTORY_DAYS, items)))
        and not any(map(operator.ne, map(_FEE_REQUIRED, items), map(bool, map(_FEES, items))))
    )


def first_inconsistency(data: dict[str, Any], vouched: AcceptedRecords | None = None) -> tuple[str, str] | None:
    """Cross-record rules the schema cannot express; return (zh, en) of the first broken one.

    ``vouched``: the records accepted before (``ACCEPTED``). An item accepted before kept the rules
    of one item, and named a department of that snapshot: only the other items are looked at
    (when the departments include those of then), until one breaks a rule."""
    for collection in DISTINCT_CODES:
        records = data[collection]
        codes = list(map(_CODE, records))
        if len(set(codes)) == len(codes):
            continue  # all distinct (in C); else the loop names the first repeated
        seen: set[str] = set()
        for index, code in enumerate(codes):
            if code in seen:
                return (
                    f"{collection}[{index}].code 编码 {code!r} 重复",
                    f"{collection}[{index}].code {code!r} is duplicated",
                )
            seen.add(code)
    departments = set(map(_CODE, data["departments"]))
    items = data["items"]
    looked_at = items
    if vouched is not None:
        before = vouched.departments()
        if before is not None and departments >= before:
            looked_at = vouched.to_check("items", items)
    for index, item in enumerate([] if _items_consistent(looked_at, departments) else items):
        where = f"items[{index}]"
        if item["department"] not in departments:
            return _unknown_department(where, item["department"])
        if item["promised_days"] > item["statutory_days"]:
            return (
                f"{where}.promised_days 承诺时限（{item['promised_days']}）超过法定时限"
                f"（{item['statutory_days']}）",
                f"{where}.promised_days exceeds statutory_days",
            )
        if item["fee_required"] != bool(item["fees"]):
            return (
                f"{where}.fee_required 与收费项目列表不符",
                f"{where}.fee_required disagrees with the fees list",
            )
    for index, notice in enumerate(data["notices"]):
        code = notice["department"]
        if code is not None and code not in departments:
            return _unknown_department(f"notices[{index}]", code)
    for index, row in enumerate(data["figures"]["departments"]):
        if row["department"] not in departments:
            return _unknown_department(f"figures.departments[{index}]", row["department"])
    for index, row in enumerate(data["rectifications"]):
        if row["department"] not in departments:
            return _unknown_department(f"rectifications[{index}]", row["department"])
    items = {i["code"] for i in data["items"]}
    for collection, (live, noun) in WITHDRAWN_OF.items():
        codes = {record["code"] for record in data[live]}
        for index, row in enumerate(data[collection]):
            problem = _withdrawn(f"{collection}[{index}]", noun, row, departments, codes)
            if problem:
                return problem
    for collection in ITEM_LINKED:
        for index, row in enumerate(data[collection]):
            problem = _linked_record(f"{collection}[{index}]", row, departments, items)
            if problem:
                return problem
    return None


def _withdrawn(
    where: str, noun: str, row: dict[str, Any], departments: set[str], live: set[str]
) -> tuple[str, str] | None:
    """A withdrawn record's notice is written at the record's address (or listed beside the live
    channels): it cannot also be a live record, and the department it names, if any, must be public."""
    if row["code"] in live:
        return (
            f"{where}.code {noun} {row['code']!r} 既已公开又已撤回",
            f"{where}.code {row['code']!r} is both published and withdrawn",
        )
    if row.get("department") is not None and row["department"] not in departments:
        return _unknown_department(where, row["department"])
    return None


def _linked_record(
    where: str, row: dict[str, Any], departments: set[str], items: set[str]
) -> tuple[str, str] | None:
    """A published complaint outcome or question names a public department and item.

    The item may belong to another department: a complaint or question is reassigned (改派, 转办)
    to the department that should answer it, and keeps the item it was about.
    """
    if row["department"] not in departments:
        return _unknown_department(where, row["department"])
    code = row["item"]
    if code is not None and code not in items:
        return (
            f"{where}.item 引用了未公开的事项 {code!r}",
            f"{where}.item refers to an item that is not published: {code!r}",
        )
    return None
