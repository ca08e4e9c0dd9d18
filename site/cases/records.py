"""One case as it comes from outside: the documented column set, the record shape and its checks.

One documented column set (Chinese headers, ``COLUMNS``) and one record shape
(``CaseRecord``) serve both ways in: the file import (``importing``) and the
approval system's JSON API (``api.cases``). ``check_values`` turns raw values
(strings from a file, or JSON types) into a record, or says field by field in
Chinese what is wrong; ``Problem`` places a message at a row and column as the
clerk sees them in Excel (header = row 1); ``ImportRejected`` carries the
problems of a refusal.

This module never touches the database, never reads or writes files and never
logs or echoes applicant data (name, phone, ID number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sunshine.contract.codes import CASE_STATUSES

from ..contacts import ID_MESSAGE, PHONE_MESSAGE, normalise_phone, valid_id_no, valid_phone
from .lifecycle import INITIAL_STATUSES, MAX_EXTENSION_DAYS, CaseError, FeeLine

if TYPE_CHECKING:
    from ..models import CaseFee


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool
    example: str
    hint: str


#: The import file's columns, in the template's order. Headers are matched exactly (after trimming);
#: the English field names are accepted as headers too (machine exports).
COLUMNS: tuple[Column, ...] = (
    Column("case_no", "办件编号", True, "ZJJ-2026-000123",
           "审批系统的办件编号，最多40个字符，不含空格和“/”；再次导入同一编号即更新该办件"),
    Column("item_code", "事项编码", True, "ZJJ-XK-001", "本系统中的事项编码，如 ZJJ-XK-001"),
    Column("received_on", "收件日期", True, "2026-09-28", "如 2026-09-28、2026/9/28 或 2026年9月28日"),
    Column("status", "状态", True, "受理", "、".join(CASE_STATUSES.values())),
    Column("status_on", "状态日期", False, "2026-09-28",
           "进入该状态的日期；状态为受理、补正告知时可空（即收件日期），其他状态必填"),
    Column("note", "说明", False, "", "公开显示的环节说明；延期、不予受理时必填（写明理由）"),
    Column("extension_days", "延期工作日", False, "",
           f"仅状态为延期时填写：延长的工作日数（1至{MAX_EXTENSION_DAYS}）"),
    Column("on_the_spot", "当场办结", False, "否", "是 或 否；空白按办结日是否为受理日判断"),
    Column("applicant_name", "申请人", False, "某某房地产开发有限公司", "不公开"),
    Column("applicant_phone", "联系电话", False, "0571-88886666", "不公开"),
    Column("applicant_id_no", "证件号码", False, "91511623MA62XK8Q72", "身份证号或统一社会信用代码，不公开"),
    Column("fees", "收费明细", False, "城市基础设施配套费=12000.00;防空地下室易地建设费=3000.50",
           "“收费项目=金额（元）”，多项用分号隔开；空白表示不修改"),
    Column("query_code", "查询码", False, "",
           "可空：审批系统已发给申请人的查询码（6至32位字母或数字）；空白则由本系统生成"),
)
COLUMNS_BY_FIELD: dict[str, Column] = {c.field: c for c in COLUMNS}
FIELD_BY_HEADER: dict[str, str] = {**{c.header: c.field for c in COLUMNS}, **{c.field: c.field for c in COLUMNS}}

CASE_NO_PATTERN = re.compile(r"^[^\s/\\?#%]{1,40}$")
QUERY_CODE_PATTERN = re.compile(r"^[A-Z0-9]{6,32}$")
AMOUNT_PATTERN = re.compile(r"^\d+(\.\d{1,2})?$")
#: Largest amount one fee line may hold: a sanity cap (10 亿元 less a fen) on a 64-bit column of fen.
MAX_AMOUNT_FEN = 99_999_999_999
STATUS_BY_WORD: dict[str, str] = {**{v: k for k, v in CASE_STATUSES.items()}, **{k: k for k in CASE_STATUSES}}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


@dataclass(frozen=True)
class Problem:
    """One reason to refuse: where (row, field) and why (Chinese)."""

    row: int | None
    field: str
    message: str

    @property
    def column(self) -> str:
        column = COLUMNS_BY_FIELD.get(self.field)
        return column.header if column else self.field

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row is not None else ""
        if self.field:
            where += f"「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


class FieldCaseError(CaseError):
    """A refusal about one field of a record (the default field of a CaseError is 状态)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ImportRejected(Exception):
    """Nothing was stored; ``problems`` says why, in row order."""

    def __init__(self, problems: list[Problem], *, conflict: bool = False) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=_problem_order)
        #: True when the record was well formed but clashes with a stored case (HTTP 409).
        self.conflict = conflict


def _problem_order(problem: Problem) -> tuple[int, int]:
    position = list(COLUMNS_BY_FIELD).index(problem.field) if problem.field in COLUMNS_BY_FIELD else 99
    return (problem.row or 0, position)


@dataclass(frozen=True)
class CaseRecord:
    """One case as a row or an API call describes it, checked field by field."""

    case_no: str
    item_code: str
    received_on: dt.date
    status: str
    status_on: dt.date | None = None
    note: str = ""
    extension_days: int = 0
    on_the_spot: bool | None = None
    applicant_name: str = ""
    applicant_phone: str = ""
    applicant_id_no: str = ""
    #: None = not given (an update keeps the stored fee lines).
    fees: tuple[FeeLine, ...] | None = None
    query_code: str = ""


def plain_text(value: object) -> str:
    """A cell or JSON value as trimmed text (a whole-number float without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- checking fields


def check_values(values: Mapping[str, object], today: dt.date) -> tuple[CaseRecord | None, list[tuple[str, str]]]:
    """A record from raw values (strings from a file, or JSON types), or the (field, message) problems."""
    errors: list[tuple[str, str]] = []

    def take(name: str, parse):
        try:
            return parse(values.get(name))
        except ValueError as exc:
            errors.append((name, str(exc)))
            return None

    case_no = take("case_no", _case_no)
    item_code = take("item_code", lambda v: _required_text(v, "请填写事项编码。", 64))
    received_on = take("received_on", lambda v: parse_date(v, required=True))
    status = take("status", _status)
    status_on = take("status_on", lambda v: parse_date(v, required=False))
    note = take("note", lambda v: _text(v, 2000))
    extension_days = take("extension_days", _extension_days)
    on_the_spot = take("on_the_spot", parse_yes_no)
    applicant_name = take("applicant_name", lambda v: _text(v, 100))
    applicant_phone = take("applicant_phone", _phone)
    applicant_id_no = take("applicant_id_no", _id_no)
    fees = take("fees", _fees)
    query_code = take("query_code", _query_code)

    if received_on is not None and received_on > today:
        errors.append(("received_on", f"收件日期 {received_on.isoformat()} 晚于今天。"))
    if status_on is not None:
        if status_on > today:
            errors.append(("status_on", f"状态日期 {status_on.isoformat()} 晚于今天，不能登记未来的办理环节。"))
        elif received_on is not None and status_on < received_on:
            errors.append(("status_on", f"状态日期 {status_on.isoformat()} 早于收件日期 {received_on.isoformat()}。"))
    if status is not None and status not in INITIAL_STATUSES and status_on is None and not _has(errors, "status_on"):
        errors.append(("status_on", f"状态为“{CASE_STATUSES[status]}”时须填写状态日期。"))
    if status == "extended":
        if not extension_days and not _has(errors, "extension_days"):
            errors.append(("extension_days", f"延期须填写延长的工作日数（1至{MAX_EXTENSION_DAYS}）。"))
        if not note and not _has(errors, "note"):
            errors.append(("note", "延期须写明理由（延期办结告知制）。"))
    if status == "rejected" and not note and not _has(errors, "note"):
        errors.append(("note", "不予受理须写明理由。"))
    if errors:
        return None, errors
    return CaseRecord(
        case_no=case_no, item_code=item_code, received_on=received_on, status=status, status_on=status_on,
        note=note, extension_days=extension_days if status == "extended" else 0, on_the_spot=on_the_spot,
        applicant_name=applicant_name, applicant_phone=applicant_phone, applicant_id_no=applicant_id_no,
        fees=fees, query_code=query_code,
    ), []


def _has(errors: list[tuple[str, str]], name: str) -> bool:
    return any(n == name for n, _ in errors)


def _text(value: object, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("应为文字。")
    text = plain_text(value)
    if len(text) > limit:
        raise ValueError(f"不能超过{limit}个字。")
    return text


def _required_text(value: object, message: str, limit: int) -> str:
    text = _text(value, limit)
    if not text:
        raise ValueError(message)
    return text


def _case_no(value: object) -> str:
    text = _required_text(value, "请填写办件编号。", 40)
    if not CASE_NO_PATTERN.match(text):
        raise ValueError("办件编号不能含空格、“/”“\\”“?”“#”“%”。")
    return text


def parse_date(value: object, *, required: bool) -> dt.date | None:
    """A date from a cell (a date cell, 2026-09-28, 2026/9/28, 2026.9.28 or 2026年9月28日); ValueError in Chinese."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or (value is not None and not isinstance(value, str | int | float)):
        raise ValueError("应为日期，如 2026-09-28。")
    text = plain_text(value)
    if not text:
        if required:
            raise ValueError("请填写日期，如 2026-09-28。")
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise ValueError(f"“{text}”不是有效的日期。") from None
    raise ValueError(f"“{text}”不是日期，请写成 2026-09-28 的形式。")


def _status(value: object) -> str:
    text = _text(value, 20)
    if not text:
        raise ValueError("请填写状态：" + "、".join(CASE_STATUSES.values()) + "。")
    status = STATUS_BY_WORD.get(text)
    if status is None:
        raise ValueError(f"未知的状态“{text}”，应为：" + "、".join(CASE_STATUSES.values()) + "。")
    return status


def _extension_days(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"请填写1至{MAX_EXTENSION_DAYS}之间的整数。")
    if isinstance(value, int):
        number = value
    else:
        text = plain_text(value) if isinstance(value, str | float) else None
        if text is None and value is not None:
            raise ValueError(f"请填写1至{MAX_EXTENSION_DAYS}之间的整数。")
        if not text:
            return 0
        if not text.isdigit():
            raise ValueError(f"“{text}”不是整数，请填写1至{MAX_EXTENSION_DAYS}之间的整数。")
        number = int(text)
    if not 0 <= number <= MAX_EXTENSION_DAYS:
        raise ValueError(f"请填写1至{MAX_EXTENSION_DAYS}之间的整数。")
    return number


def parse_yes_no(value: object) -> bool | None:
    """是/否 (and y/n, true/false, 1/0, √) from a cell; None when blank; ValueError in Chinese."""
    if value is None or isinstance(value, bool):
        return value
    text = plain_text(value).lower() if isinstance(value, str | int | float) else None
    if text == "":
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"“{plain_text(value)}”无法识别，请填写“是”或“否”。")


def _phone(value: object) -> str:
    text = normalise_phone(_text(value, 50))
    if text and not valid_phone(text):
        raise ValueError(PHONE_MESSAGE)
    return text


def _id_no(value: object) -> str:
    if isinstance(value, float) and (not value.is_integer() or value >= 1e15):
        raise ValueError("证件号码被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写。")
    text = _text(value, 40).upper()
    if text and not valid_id_no(text):
        raise ValueError(ID_MESSAGE)
    return text


def _query_code(value: object) -> str:
    text = _text(value, 32).upper()
    if text and not QUERY_CODE_PATTERN.match(text):
        raise ValueError("查询码应为6至32位字母或数字。")
    return text


def parse_amount(value: object) -> int:
    """An amount in yuan ("12000.00", "3000.5", 12000) as fen; ValueError with a Chinese message."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("金额应为数字，如 12000.00。")
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
    if not AMOUNT_PATTERN.match(text):
        raise ValueError(f"金额“{value}”无效：应为不小于0的数字，最多两位小数（单位：元）。")
    try:
        fen = int(Decimal(text) * 100)
    except InvalidOperation:
        raise ValueError(f"金额“{value}”无效。") from None
    if fen > MAX_AMOUNT_FEN:
        raise ValueError(f"金额“{value}”超过单项上限 {MAX_AMOUNT_FEN / 100:,.2f} 元。")
    return fen


def _fees(value: object) -> tuple[FeeLine, ...] | None:
    if isinstance(value, tuple):  # already parsed (the API builds FeeLines itself)
        return value
    text = _text(value, 4000)
    if not text:
        return None
    lines: list[FeeLine] = []
    for number, part in enumerate((p.strip() for p in re.split(r"[;；]", text)), start=1):
        if not part:
            continue
        pieces = re.split(r"[=＝]", part, maxsplit=1)
        name, amount = pieces[0].strip(), pieces[1] if len(pieces) == 2 else None
        if amount is None or not name:
            raise ValueError(f"第{number}项“{part}”应写成“收费项目=金额”。")
        if len(name) > 200:
            raise ValueError(f"第{number}项的收费项目名称超过200个字。")
        try:
            lines.append(FeeLine(name, parse_amount(amount.strip())))
        except ValueError as exc:
            raise ValueError(f"第{number}项“{name}”：{exc}") from None
    return tuple(lines)


def format_fees(fees: Iterable[CaseFee | FeeLine]) -> str:
    """The 收费明细 cell of fee lines (the template's and an export's spelling)."""
    return ";".join(f"{f.name}={f.amount_fen // 100}.{f.amount_fen % 100:02d}" for f in fees)

