"""Snapshot reading: load a snapshot file, validate it against the versioned
JSON schema and check that its records refer to each other consistently.

This is the publisher's only input. It must never import Flask, SQLAlchemy or
``sunshine.site``; it never repairs data, it only accepts or rejects it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_RESOURCE = "schema/snapshot.schema.json"


class SnapshotError(ValueError):
    """The snapshot cannot be used. The message is one line, Chinese first."""


def schema_path() -> Path:
    """Path of the snapshot JSON schema shipped with the publisher."""
    return Path(str(resources.files("sunshine.publisher").joinpath(SCHEMA_RESOURCE)))


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


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


def parse_snapshot(raw: bytes, source: Path | str = "snapshot") -> dict[str, Any]:
    """Decode and validate snapshot bytes; ``source`` only names them in messages."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SnapshotError(
            f"快照不是 UTF-8 编码：{source} / snapshot is not UTF-8: {source}"
        ) from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"快照不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）"
            f" / invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    validate_snapshot(data)
    return data


def validate_snapshot(data: Any) -> None:
    """Raise SnapshotError unless ``data`` satisfies the schema and the cross-checks."""
    errors = list(_validator().iter_errors(data))
    if errors:
        error = best_match(errors)
        more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
        where = json_path(error.absolute_path)
        raise SnapshotError(
            f"快照格式错误：{where}：{_chinese_reason(error)}{more}"
            f" / invalid snapshot: {where}: {error.message}"
        )
    problem = first_inconsistency(data)
    if problem:
        zh, en = problem
        raise SnapshotError(f"快照数据不一致：{zh} / inconsistent snapshot: {en}")


def json_path(parts: Any) -> str:
    """Render a jsonschema path deque as ``items[3].case_type`` (``$`` for the root)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _chinese_reason(error: ValidationError) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in value if name not in (error.instance or {})]
        return f"缺少必填字段 {'、'.join(missing)}"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"包含未定义的字段 {'、'.join(extra)}"
    if kind == "enum":
        return f"取值 {error.instance!r} 不在允许范围内（{'、'.join(map(str, value))}）"
    if kind == "const":
        return f"取值应为 {value!r}"
    if kind == "type":
        return f"类型错误，应为 {value}"
    if kind == "pattern":
        return f"格式不符合 {value}"
    if kind == "minimum":
        return f"不能小于 {value}"
    return "不符合快照规范"


def first_inconsistency(data: dict[str, Any]) -> tuple[str, str] | None:
    """Cross-record rules the schema cannot express; return (zh, en) of the first broken one."""
    for collection in ("departments", "items", "channels", "notices"):
        seen: set[str] = set()
        for index, record in enumerate(data[collection]):
            code = record["code"]
            if code in seen:
                return (
                    f"{collection}[{index}].code 编码 {code!r} 重复",
                    f"{collection}[{index}].code {code!r} is duplicated",
                )
            seen.add(code)
    departments = {d["code"] for d in data["departments"]}
    for index, item in enumerate(data["items"]):
        where = f"items[{index}]"
        if item["department"] not in departments:
            return (
                f"{where}.department 引用了不存在的部门 {item['department']!r}",
                f"{where}.department refers to unknown department {item['department']!r}",
            )
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
            return (
                f"notices[{index}].department 引用了不存在的部门 {code!r}",
                f"notices[{index}].department refers to unknown department {code!r}",
            )
    return None
