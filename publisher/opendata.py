"""Open data: write the downloadable files of the site under ``data/`` — the
snapshot byte for byte, its schema, one CSV per collection plus the figures,
the rectification work orders, the published complaint outcomes and the
answered questions (UTF-8 with BOM so Excel reads Chinese), and a manifest
with the SHA-256 and size of every data file. After the whole build (pages and
the Pagefind bundle) ``write_site_manifest`` adds the manifest of the whole
site, so anyone can check every published file (see ``verify.py``).

CSV cells are never formulas. Excel, WPS, LibreOffice and Google Sheets
evaluate a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (and, per
OWASP and ASVS 1.2.10, a tab, a carriage return or NUL before it), and RFC 4180
quoting does not stop them: they unquote first. The demo alone has many cells
beginning with "- " (Markdown lists). The rule, chosen so that the values can
still be read back exactly:

* a text cell that begins with one of ``= + - @``, tab, carriage return, NUL
  **or the escape character ``'`` itself** is written with one more ``'`` in
  front (``- 身份证原件`` → ``'- 身份证原件``; ``'A座`` → ``''A座``);
* numbers (int, float) are written as they are: a number is not a formula;
* a reader gets the original value back by removing exactly one leading ``'``
  from every cell that has one (``unescape_cell``). Because a leading ``'`` is
  always doubled, that is unambiguous: escape and unescape are inverses.

A leading ``'`` is the text marker spreadsheets know (OWASP's advice); some
programs show it when they open a CSV file. The rule is stated on the open-data
page for people who read the files with a program.

Row order and bytes are deterministic. Never imports Flask or the site, and
never writes outside the ``data/`` directory of the site it is given (``write_site_manifest``: the
site's two manifest files).

A running publisher (the worker) publishes one edited record at a time. So that its open data and
site manifest cost what changed, the process keeps, of its last builds only:

* each CSV row's bytes, found again by the identity of the records it was made from
  (``row_sources``; figures.csv by a digest of its values): ``OPEN_DATA_MEMORY``, about the size
  of the CSV files;
* the rows and lines of the last site manifests (``MANIFEST_ROWS``, ``MANIFEST_LINES``): a
  standby build's manifest is the previous one's rows with only the files it changed hashed
  (``KnownChanges``), not a walk of 11,000 files;
* the hash of every file the last site manifest hashed, by inode, for the files the next build
  hard-links from it (``SITE_MEMORY``).

Either way the bytes are those of a fresh process.
"""

from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import io
import itertools
import json
import math
import operator
import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from types import MappingProxyType
from typing import Any

import orjson

from sunshine.contract.codes import RATING_LEVELS
from sunshine.contract.figures import RATE_LABELS
from sunshine.contract.schema import schema_bytes
from sunshine.contract.urls import url_for

from .catalog import Catalog, FeeRow
from .figures import COUNT_LABELS, Row, Unit
from .labels import (
    case_type_label,
    channel_kind_label,
    on_time_label,
    outcome_label,
    rating_level_label,
    rectification_status_label,
    yes_no,
)

#: 部门 column of the centre's rows in figures.csv (their 部门编码 is empty).
CENTRE_LABEL = "全中心"

Record = dict[str, Any]
MANIFEST_NAME = "manifest.json"
#: The manifest of the whole site (every published file but these two), in ``data/``.
SITE_MANIFEST_NAME = "site-manifest.json"
#: The same list in the format of GNU coreutils: ``sha256sum -c data/SHA256SUMS`` at the site root.
SUMS_NAME = "SHA256SUMS"
SITE_MANIFEST_FORMAT = 1
VERIFY_COMMAND = "python -m sunshine.publisher verify --site <网站目录>"

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
#: Written in front of such a cell (and of a cell that already begins with it).
CELL_ESCAPE = "'"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]


def _person(role: str, key: str) -> Callable[[Record], object]:
    return lambda d: (d[role] or {}).get(key, "")


def _dept_name(catalog: Catalog) -> Callable[[Record], object]:
    return lambda r: (catalog.department_of(r) or {}).get("name", "")


def _item_name(catalog: Catalog) -> Callable[[Record], object]:
    return lambda r: (catalog.item_by_code(r["item"]) or {}).get("name", "")


def _solved(value: bool | None) -> str:
    """问题是否解决 as the complainant answered it: 是, 否, or empty when not asked or not said."""
    return "" if value is None else yes_no(value)


def figure_columns() -> list[Column]:
    """Columns of figures.csv: one row is (unit, row); rates in percent, empty when 无数据."""

    def count(name: str) -> Callable[[tuple[Unit, Row]], object]:
        return lambda ur: ur[1].count(name)

    def rating(level: int) -> Callable[[tuple[Unit, Row]], object]:
        return lambda ur: ur[1].rating(level)

    def rate(name: str) -> Callable[[tuple[Unit, Row]], object]:
        return lambda ur: ur[1].rates[name]

    columns = [
        Column("部门编码", lambda ur: ur[0].code),
        Column("部门", lambda ur: ur[0].name if ur[0].code else CENTRE_LABEL),
        Column("月份", lambda ur: ur[1].label if ur[1].key == "total" else ur[1].key),
    ]
    cases = [name for name in COUNT_LABELS if name.startswith(("cases_", "completed_"))]
    complaints = [name for name in COUNT_LABELS if name.startswith("complaints_")]
    columns += [Column(COUNT_LABELS[name], count(name)) for name in cases]
    columns += [Column(f"评价：{label}", rating(level)) for level, label in RATING_LEVELS.items()]
    columns += [
        Column("评价总数", lambda ur: ur[1].ratings),
        Column("差评", lambda ur: ur[1].bad),
        Column(COUNT_LABELS["bad_rectified"], count("bad_rectified")),
    ]
    columns += [Column(COUNT_LABELS[name], count(name)) for name in complaints]
    columns += [Column(f"{label}（%）", rate(name)) for name, label in RATE_LABELS.items()]
    columns.append(Column("达到一票否决线", lambda ur: yes_no(ur[1].over_veto)))
    return columns


def figure_rows(catalog: Catalog) -> list[tuple[Unit, Row]]:
    """The centre first, then each department in window order; months oldest first, then 合计."""
    figures = catalog.figures
    return [
        (unit, row)
        for unit in [figures.centre, *figures.departments]
        for row in [*unit.months, unit.total]
    ]


def csv_tables(catalog: Catalog) -> dict[str, tuple[str, list[Column], list[Any]]]:
    """file name → (Chinese title, columns, rows), the single source for CSVs and their docs."""
    item_name = _item_name(catalog)
    items = [
        Column("事项编码", lambda i: i["code"]),
        Column("事项名称", lambda i: i["name"]),
        Column("事项类型", lambda i: i["item_type"]),
        Column("实施部门编码", lambda i: i["department"]),
        Column("实施部门", _dept_name(catalog)),
        Column("办件类型", lambda i: case_type_label(i["case_type"])),
        Column("法定办结时限（工作日）", lambda i: i["statutory_days"]),
        Column("承诺办结时限（工作日）", lambda i: i["promised_days"]),
        Column("承诺时限说明", lambda i: i["promised_note"]),
        Column("到现场次数", lambda i: i["visits_required"]),
        Column("是否网办", lambda i: yes_no(i["online"])),
        Column("是否进驻政务大厅", lambda i: yes_no(i["in_hall"])),
        Column("服务对象", lambda i: i["service_object"]),
        Column("审批结果", lambda i: i["result_type"]),
        Column("是否收费", lambda i: yes_no(i["fee_required"])),
        Column("收费项目数", lambda i: len(i["fees"])),
        Column("申请材料数", lambda i: len(i["materials"])),
        Column("办理环节数", lambda i: len(i["steps"])),
        Column("办理地点", lambda i: i["location"]),
        Column("办理时间", lambda i: i["hours"]),
        Column("咨询电话", lambda i: i["consult_phone"]),
        Column("投诉电话", lambda i: i["complaint_phone"]),
        Column("设定依据", lambda i: i["legal_basis"]),
        Column("受理条件", lambda i: i["conditions"]),
        Column("生效日期", lambda i: i["effective_date"] or ""),
        Column("版本", lambda i: i["revision"]),
        Column("发布时间", lambda i: i["published_at"]),
        Column("网页地址", lambda i: url_for("item", i["code"])),
    ]
    departments = [
        Column("部门编码", lambda d: d["code"]),
        Column("部门名称", lambda d: d["name"]),
        Column("简称", lambda d: d["short_name"]),
        Column("窗口", lambda d: d["window"]),
        Column("地址", lambda d: d["address"]),
        Column("办公时间", lambda d: d["hours"]),
        Column("咨询电话", lambda d: d["consult_phone"]),
        Column("投诉电话", lambda d: d["complaint_phone"]),
        Column("首席代表", _person("chief", "name")),
        Column("首席代表职务", _person("chief", "post")),
        Column("首席代表电话", _person("chief", "phone")),
        Column("B角", _person("backup", "name")),
        Column("B角职务", _person("backup", "post")),
        Column("B角电话", _person("backup", "phone")),
        Column("事项数", lambda d: len(catalog.items_by_department[d["code"]])),
        Column("版本", lambda d: d["revision"]),
        Column("发布时间", lambda d: d["published_at"]),
        Column("网页地址", lambda d: url_for("department", d["code"])),
    ]
    fees = [
        Column("事项编码", lambda r: r.item["code"]),
        Column("事项名称", lambda r: r.item["name"]),
        Column("实施部门编码", lambda r: r.department["code"]),
        Column("实施部门", lambda r: r.department["name"]),
        Column("收费项目", lambda r: r.fee["name"]),
        Column("收费类别", lambda r: r.fee["category"]),
        Column("收费标准", lambda r: r.fee["standard"]),
        Column("收费依据", lambda r: r.fee["basis"]),
        Column("批准文件", lambda r: r.fee["approving_doc"]),
        Column("减免政策", lambda r: r.fee["exemptions"]),
        Column("一单收费", lambda r: r.fee["combined_bill"]),
    ]
    channels = [
        Column("渠道编码", lambda c: c["code"]),
        Column("渠道类型", lambda c: channel_kind_label(c["kind"])),
        Column("名称", lambda c: c["name"]),
        Column("联系方式", lambda c: c["contact"]),
        Column("受理时间", lambda c: c["hours"]),
        Column("承办机构", lambda c: c["office"]),
        Column("承诺答复时限（工作日）", lambda c: c["response_days"]),
        Column("说明", lambda c: c["notes"]),
        Column("版本", lambda c: c["revision"]),
        Column("发布时间", lambda c: c["published_at"]),
    ]
    notices = [
        Column("公告编码", lambda n: n["code"]),
        Column("标题", lambda n: n["title"]),
        Column("类别", lambda n: n["category"]),
        Column("发布部门编码", lambda n: n["department"] or ""),
        Column("发布部门", lambda n: _dept_name(catalog)(n) or catalog.site["name"]),
        Column("日期", lambda n: n["date"]),
        Column("正文（Markdown）", lambda n: n["body"]),
        Column("版本", lambda n: n["revision"]),
        Column("发布时间", lambda n: n["published_at"]),
        Column("网页地址", lambda n: url_for("notice", n["code"])),
    ]
    rectifications = [
        Column("整改单号", lambda r: r["code"]),
        Column("部门编码", lambda r: r["department"]),
        Column("部门", _dept_name(catalog)),
        Column("事项编码", lambda r: r["item"] or ""),
        Column("事项名称", item_name),
        Column("评价等级", lambda r: rating_level_label(r["level"])),
        Column("评价日期", lambda r: r["rated_on"]),
        Column("整改期限", lambda r: r["deadline"]),
        Column("状态", lambda r: rectification_status_label(r["status"])),
        Column("核实情况", lambda r: r["finding"]),
        Column("整改措施", lambda r: r["action"]),
        Column("办结日期", lambda r: r["closed_on"] or ""),
    ]
    outcomes = [
        Column("投诉编号", lambda r: r["code"]),
        Column("部门编码", lambda r: r["department"]),
        Column("部门", _dept_name(catalog)),
        Column("事项编码", lambda r: r["item"] or ""),
        Column("事项名称", item_name),
        Column("投诉类别", lambda r: r["category"]),
        Column("投诉事由", lambda r: r["subject"]),
        Column("答复意见", lambda r: r["summary"]),
        Column("办结结果", lambda r: outcome_label(r["outcome"])),
        Column("结果说明", lambda r: r["outcome_note"]),
        Column("收到日期", lambda r: r["received_on"]),
        Column("答复日期", lambda r: r["answered_on"]),
        Column("办结日期", lambda r: r["closed_on"]),
        Column("答复用时（工作日）", lambda r: r["days_taken"]),
        Column("是否按期答复", lambda r: on_time_label(r["on_time"])),
        Column("是否重新办理", lambda r: yes_no(r["reopened"])),
        Column("问题是否解决", lambda r: _solved(r["solved"])),
    ]
    questions = [
        Column("咨询编号", lambda q: q["code"]),
        Column("部门编码", lambda q: q["department"]),
        Column("部门", _dept_name(catalog)),
        Column("事项编码", lambda q: q["item"] or ""),
        Column("事项名称", item_name),
        Column("咨询标题", lambda q: q["subject"]),
        Column("咨询内容", lambda q: q["question"]),
        Column("答复内容", lambda q: q["answer"]),
        Column("提问日期", lambda q: q["asked_on"]),
        Column("答复日期", lambda q: q["answered_on"]),
        Column("答复用时（工作日）", lambda q: q["days_taken"]),
        Column("是否按期答复", lambda q: on_time_label(q["on_time"])),
        Column("网页地址", lambda q: url_for("question", q["code"])),
    ]
    fee_rows: list[FeeRow] = catalog.fee_rows
    return {
        "items.csv": ("政务服务事项", items, catalog.items),
        "departments.csv": ("部门窗口", departments, catalog.departments),
        "fees.csv": ("收费项目", fees, fee_rows),
        "channels.csv": ("投诉渠道", channels, catalog.channels),
        "notices.csv": ("通知公告", notices, catalog.notices),
        "figures.csv": ("办件统计（按部门和月份）", figure_columns(), figure_rows(catalog)),
        "rectifications.csv": ("差评整改工单", rectifications, catalog.rectifications),
        "complaint_outcomes.csv": ("投诉办理结果", outcomes, catalog.complaint_outcomes),
        "questions.csv": ("网上咨询问答", questions, catalog.questions),
    }


#: What one row of a CSV file is made from: the objects its columns read, as a tuple.
Sources = Callable[[Any], tuple[Any, ...]]


def row_sources(catalog: Catalog) -> dict[str, Sources]:
    """file name → what each row of that file of ``csv_tables`` reads: its record and every record
    (or value) its columns look up from the catalog.

    A running publisher remembers each row's bytes by the identity of these objects
    (``OPEN_DATA_MEMORY``): records are never modified, and an unchanged record is the last build's
    very object (interning.py), so a row made from the same objects is the same bytes, found with
    one dict look-up. **A column that reads anything else must add it here**, or a change of it
    would leave the row stale (tests/publisher/test_opendata_memory.py changes each looked-up
    record). A file without an entry (figures.csv: its rows are computed anew each build) is keyed
    by the values of its cells instead.
    """
    # catalog.department_of and item_by_code without a method call per row (a city has 14,000 rows):
    # a code that is None or "" finds nothing either way.
    department = catalog.department_by_code.get
    item = catalog.item_index.get
    site = catalog.site
    by_department = catalog.items_by_department

    def about_an_item(record: Record) -> tuple[Any, ...]:  # 部门 and 事项名称 of a work order etc.
        return (record, department(record["department"]), item(record["item"]))

    return {
        "items.csv": lambda i: (i, department(i["department"])),
        "departments.csv": lambda d: (d, len(by_department[d["code"]])),  # 事项数
        "fees.csv": lambda r: (r.fee, r.item, r.department),
        "channels.csv": lambda c: (c,),
        # 发布部门: the site's name for the centre's own notices
        "notices.csv": lambda n: (n, department(n["department"]), site),
        "rectifications.csv": about_an_item,
        "complaint_outcomes.csv": about_an_item,
        "questions.csv": about_an_item,
    }


def row_contexts(catalog: Catalog) -> dict[str, tuple[Any, ...]]:
    """file name → everything, besides each row's own record, that the ``row_sources`` of that file
    look up; only for files whose rows are records (the others have no entry).

    With the same objects here as the last build's (one identity check each), a row's sources are a
    function of its record alone, so the row is found by its record's identity: one C-level look-up
    per row instead of a Python call (a city's items.csv has ten thousand rows). **A lookup added to
    ``row_sources`` of such a file must be covered here** (tests/publisher/test_opendata_memory.py).
    """
    departments = tuple(catalog.departments)  # department_by_code is made of them, in this order
    return {
        "items.csv": departments,
        "channels.csv": (),
        "notices.csv": (*departments, catalog.site),
    }


def csv_bytes(columns: list[Column], rows: list[Any]) -> bytes:
    """A CSV file: UTF-8 with BOM, CRLF line ends, every field quoted when needed."""
    return _header_bytes(columns) + b"".join(_CsvRows(columns).encode(rows, None)[0])


def _header_bytes(columns: list[Column]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow([c.header for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


#: Types of cell values whose JSON (orjson; a Decimal as ``["decimal", its text]``) tells their cell
#: text apart: two such values with the same JSON are the same cell. Rows with others (an enum, a
#: tuple, a date…) are encoded every time.
_KEYED_TYPES = frozenset({str, int, float, bool, type(None), Decimal})


def _decimal_json(value: object) -> list[str]:
    """A Decimal in a row's key: its text, which is its cell ("98.90" and "98.9" differ)."""
    if type(value) is Decimal:
        return ["decimal", str(value)]
    raise TypeError(type(value).__name__)


#: A row's bytes by the identities of what it was made from (``row_sources``), with those objects,
#: kept alive so that no other object can take one of their ids while the entry exists.
_ByIdentity = dict[tuple[int, ...], tuple[tuple[Any, ...], bytes]]
#: A row's bytes by the identity of its record (a file with ``row_contexts``), with the record.
_ByRow = dict[int, tuple[Any, bytes]]
_SECOND = operator.itemgetter(1)
_THIRD = operator.itemgetter(2)


def _same_objects(kept: tuple[Any, ...] | None, now: tuple[Any, ...]) -> bool:
    """Whether ``now`` holds the very objects of ``kept``, in order."""
    return kept is not None and len(kept) == len(now) and all(map(operator.is_, kept, now))


class _CsvRows:
    """Encodes the rows of one CSV file, remembering each row's bytes for the next build.

    A row's bytes depend on nothing but its column values (``_cell`` and the csv module's quoting),
    so a row made from what the last build's was made from is that build's bytes: a running
    publisher that publishes one edited record encodes one row and joins the others.

    * ``encode_by_identity``: the row's key is the identities of its sources (``row_sources``),
      one look-up per unchanged row — the records of a file that has sources.
    * ``encode``: the key is the SHA-256 of the values' JSON, taken only for plain values
      (``_KEYED_TYPES``, finite floats), whose JSON is distinct whenever their cells are; a row
      with any other value is encoded every time — rows computed anew each build (figures.csv).
    """

    def __init__(self, columns: list[Column]) -> None:
        self.getters = [c.value for c in columns]
        self.buffer = io.StringIO(newline="")
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")
        self.signatures: dict[tuple[type, ...], bool] = {}

    def encode(
        self, rows: list[Any], known: Mapping[bytes, bytes] | None
    ) -> tuple[list[bytes], dict[bytes, bytes]]:
        """The bytes of each row, in order, and this file's key → bytes (for the next build);
        ``known`` None: nothing to remember, no key taken."""
        getters, encoded, fresh = self.getters, [], {}
        if known is None:
            for row in rows:
                encoded.append(self._row_bytes([get(row) for get in getters]))
            return encoded, fresh
        sha256, dumps = hashlib.sha256, orjson.dumps
        for row in rows:
            values = [get(row) for get in getters]
            key = self._key(values, sha256, dumps)
            data = known.get(key) if key is not None else None
            if data is None:
                data = fresh.get(key) if key is not None else None
            if data is None:
                data = self._row_bytes(values)
            if key is not None:
                fresh[key] = data
            encoded.append(data)
        return encoded, fresh

    def encode_by_identity(
        self, rows: list[Any], sources: Sources, earlier: _RememberedCsv | None,
        context: tuple[Any, ...] | None = None,
    ) -> tuple[list[bytes], _ByIdentity | None, _ByRow]:
        """The bytes of each row, in order, and this file's rows by the identity of their sources
        (None: to be derived from the rows by record, ``_RememberedCsv.sourced``) and by the identity
        of their records (files with a ``context``, ``row_contexts``), for the next build.

        A row whose sources are all objects that ``earlier`` holds is their bytes: ``earlier`` keeps
        its objects alive, so an equal id is the very same object. With ``context`` the objects of
        ``earlier``'s, a row is found by its record alone."""
        if context is not None and earlier is not None and _same_objects(earlier.context, context):
            encoded, by_row = self._encode_by_row(rows, earlier.by_row)
            return encoded, None, by_row
        getters, encoded, fresh = self.getters, [], {}
        known = earlier.sourced() if earlier is not None else {}
        for row in rows:
            made_of = sources(row)
            key = tuple(map(id, made_of))
            hit = known.get(key) or fresh.get(key)
            if hit is None:
                hit = (made_of, self._row_bytes([get(row) for get in getters]))
            fresh[key] = hit
            encoded.append(hit[1])
        by_row = dict(zip(map(id, rows), zip(rows, encoded, strict=True), strict=True)) if context is not None else {}
        return encoded, fresh, by_row

    def _encode_by_row(self, rows: list[Any], known: _ByRow) -> tuple[list[bytes], _ByRow]:
        """``encode_by_identity`` when each row's sources are a function of its record: the rows
        found by their records' identity in C (map), only the others encoded, in order."""
        hits: list[tuple[Any, bytes] | None] = list(map(known.get, map(id, rows)))
        getters = self.getters
        for index in itertools.compress(range(len(hits)), map(operator.is_, hits, itertools.repeat(None))):
            row = rows[index]
            hits[index] = (row, self._row_bytes([get(row) for get in getters]))
        return list(map(_SECOND, hits)), dict(zip(map(id, rows), hits, strict=True))  # type: ignore[arg-type]

    def _key(
        self, values: list[Any], sha256: Callable[..., Any], dumps: Callable[..., bytes]
    ) -> bytes | None:
        signature = tuple(map(type, values))
        plain = self.signatures.get(signature)
        if plain is None:
            plain = self.signatures[signature] = all(kind in _KEYED_TYPES for kind in signature)
        if not plain:
            return None
        if float in signature and not all(math.isfinite(v) for v in values if type(v) is float):
            return None  # orjson writes NaN and infinities as null, like None
        try:
            return sha256(dumps(values, default=_decimal_json)).digest()
        except TypeError:  # an integer beyond 64 bits
            return None

    def _row_bytes(self, values: list[Any]) -> bytes:
        buffer = self.buffer
        buffer.seek(0)
        buffer.truncate()
        self.writer.writerow([_cell(v) for v in values])
        return buffer.getvalue().encode("utf-8")


def escape_cell(text: str) -> str:
    """Text as written to a CSV cell: one ``'`` in front if a spreadsheet could take it for a
    formula, or if it already begins with ``'`` (so that ``unescape_cell`` is exact)."""
    if text.startswith((*FORMULA_TRIGGERS, CELL_ESCAPE)):
        return CELL_ESCAPE + text
    return text


def unescape_cell(text: str) -> str:
    """The value a CSV cell holds: the cell's text without one leading ``'`` (for readers)."""
    return text[1:] if text.startswith(CELL_ESCAPE) else text


#: First characters of a text cell that get one more CELL_ESCAPE (as ``escape_cell``; all one character).
_ESCAPED_FIRST = frozenset((*FORMULA_TRIGGERS, CELL_ESCAPE))


def _cell(value: object) -> str:
    if type(value) is str:  # most cells: escape_cell without a call (one check per cell of a city)
        return CELL_ESCAPE + value if value[:1] in _ESCAPED_FIRST else value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # numbers are never formulas; "-3" stays a number
    return escape_cell(str(value))


@dataclass
class _RememberedCsv:
    """One CSV file as the last build wrote it: its rows' bytes by key (``rows`` by a digest of their
    values, or by the identity of their sources: ``made_of``, or ``by_row`` for a file whose rows'
    sources are their records and ``context``), in order, and its hash."""

    rows: dict[bytes, bytes]
    header: bytes
    order: list[bytes]
    sha256: str
    made_of: _ByIdentity | None = field(default_factory=dict)  # None: ``sourced`` derives it
    by_row: _ByRow = field(default_factory=dict)
    context: tuple[Any, ...] | None = None  # ``row_contexts``: what the rows' sources look up
    sources: Sources | None = None  # the ``row_sources`` of the build that wrote it
    whole: Any = None  # the one object the file was made from (``_csv_file``), kept alive

    def sourced(self) -> _ByIdentity:
        """The rows by the identity of their sources: ``made_of``, or found from ``by_row`` with the
        sources of the build that wrote them (whose lookups are alive with it) when the rows were
        found by record (the next build's context differs: a department was edited)."""
        if self.made_of is not None:
            return self.made_of
        sources, made_of = self.sources, {}
        if sources is not None:
            for row, data in self.by_row.values():
                objects = sources(row)
                made_of[tuple(map(id, objects))] = (objects, data)
        return made_of


class _OpenDataMemory:
    """What a running publisher keeps of its last build's open data (one build's, no more).

    Per CSV file, the bytes of each row (``_CsvRows``): at a city's size about the size of the
    CSV files (14 MB), and their order and hash, so that a file whose rows are all the last build's
    is not hashed again; and the records the rows were made from (those of the last snapshot, which
    the interner keeps anyway, and the few it has replaced since). Exact whatever changed: rows are
    found by what they read.
    """

    def __init__(self) -> None:
        self._files: dict[str, _RememberedCsv] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> _RememberedCsv | None:
        with self._lock:
            return self._files.get(name)

    def keep(self, files: dict[str, _RememberedCsv]) -> None:
        with self._lock:
            self._files = files

    def forget(self) -> None:
        self.keep({})


#: This process's memory of its last open data (the worker's publisher and the CLI share one).
OPEN_DATA_MEMORY = _OpenDataMemory()


def _csv_file(
    name: str, columns: list[Column], rows: list[Any], sources: Sources | None = None,
    context: tuple[Any, ...] | None = None, whole: Any = None,
) -> tuple[bytes, str | _DigestAside, _RememberedCsv]:
    """(file bytes, SHA-256, what to remember) of one CSV file, with the last build's rows reused:
    by the identity of each row's ``sources`` when given (``row_sources``; of its record alone while
    the ``context`` is the same, ``row_contexts``), else by its values. ``whole``: the one object the
    file is a function of (figures.csv: the catalog's ``Figures``, kept while its records are the
    same objects): the same object is the last build's file. A large file that changed is hashed on
    another thread (``_DigestAside``); the remembered hash is set by the caller once known."""
    earlier = OPEN_DATA_MEMORY.get(name)
    header = _header_bytes(columns)
    if whole is not None and earlier is not None and earlier.whole is whole and earlier.header == header:
        return header + b"".join(earlier.order), earlier.sha256, earlier
    encoder = _CsvRows(columns)
    fresh: dict[bytes, bytes] = {}
    made_of: _ByIdentity | None = {}
    by_row: _ByRow = {}
    if sources is not None:
        order, made_of, by_row = encoder.encode_by_identity(rows, sources, earlier, context)
    else:
        order, fresh = encoder.encode(rows, earlier.rows if earlier is not None else {})
    content = header + b"".join(order)
    same = (
        earlier is not None
        and earlier.header == header
        and len(earlier.order) == len(order)
        and all(map(operator.is_, earlier.order, order))
    )
    sha256: str | _DigestAside
    if same and earlier is not None:
        sha256 = earlier.sha256
    elif len(content) >= _HASH_ASIDE_BYTES:
        sha256 = _DigestAside(content)
    else:
        sha256 = hashlib.sha256(content).hexdigest()
    remembered = _RememberedCsv(
        fresh, header, order, sha256 if isinstance(sha256, str) else "", made_of, by_row, context,
        sources if context is not None else None, whole,
    )
    return content, sha256, remembered


#: A changed file at least this large is hashed on another thread (a city's items.csv is 10 MB).
_HASH_ASIDE_BYTES = 1 << 20


class _DigestAside:
    """The SHA-256 of a file's bytes, computed on a thread of its own while this one encodes and
    writes the other data files: hashlib releases the GIL for large buffers, and a city's items.csv
    (10 MB, changed by every item edit) took a fifth of the open data's time to hash. Joined before
    ``write_open_data`` returns: no thread outlives it (render processes fork afterwards)."""

    def __init__(self, content: bytes) -> None:
        self._content: bytes | None = content
        self._digest: str | None = None
        self._thread = threading.Thread(target=self._run, name="opendata-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._content is not None
        self._digest = hashlib.sha256(self._content).hexdigest()

    def hexdigest(self) -> str:
        self._thread.join()
        if self._digest is None:  # the thread failed (memory…): hashed here, as before
            assert self._content is not None
            self._digest = hashlib.sha256(self._content).hexdigest()
        self._content = None
        return self._digest


@functools.cache
def _schema_file() -> tuple[bytes, str]:
    """The schema file and its SHA-256, made once per process: the schema is code
    (``snapshot_schema`` is cached too), and formatting it took a tenth of the open data's time."""
    content = schema_bytes()
    return content, hashlib.sha256(content).hexdigest()


def write_open_data(
    catalog: Catalog, snapshot_bytes: bytes, data_dir: Path, *, snapshot_sha256: str | None = None
) -> dict[str, Any]:
    """Write every data file into ``data_dir`` and return the manifest that lists them.

    ``snapshot_sha256``: the SHA-256 of ``snapshot_bytes`` when the caller has it already (a city's
    snapshot is 30 MB); it must be the hash of these very bytes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, str | _DigestAside | None]] = {
        "snapshot.json": (snapshot_bytes, snapshot_sha256),
        "snapshot.schema.json": _schema_file(),
    }
    remembered: dict[str, _RememberedCsv] = {}
    sources, contexts = row_sources(catalog), row_contexts(catalog)
    wholes = {"figures.csv": catalog.figures}
    for name, (_title, columns, rows) in csv_tables(catalog).items():
        content, sha256, remembered[name] = _csv_file(
            name, columns, rows, sources.get(name), contexts.get(name), wholes.get(name)
        )
        files[name] = (content, sha256)
    # Written first, hashed after: a file is hashed on another thread meanwhile (``_DigestAside``).
    stats = {name: _write_stat(data_dir / name, files[name][0]) for name in sorted(files)}
    written: dict[int, _Hashed] = {}  # the site manifest need not read them again
    entries = []
    for name in sorted(files):
        content, sha256 = files[name]
        if isinstance(sha256, _DigestAside):
            sha256 = remembered[name].sha256 = sha256.hexdigest()
        elif sha256 is None:
            sha256 = hashlib.sha256(content).hexdigest()
        stat = stats[name]
        written[_inode(stat)] = (stat.st_size, stat.st_mtime_ns, bytes.fromhex(sha256))
        entries.append(
            {
                "path": name,
                "url": url_for("data_file", name),
                "sha256": sha256,
                "bytes": len(content),
            }
        )
    OPEN_DATA_MEMORY.keep(remembered)
    manifest = {
        "name": catalog.site["name"] + " 公开数据",
        "snapshot_generated_at": catalog.generated_at,
        "schema_version": catalog.snapshot["schema_version"],
        "files": entries,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (data_dir / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
    SITE_MEMORY.note_written(written)
    return manifest


@dataclass(frozen=True)
class FileEntry:
    """One published file: its path relative to the site root, SHA-256 and size in bytes."""

    path: str
    sha256: str
    bytes: int


def data_path(name: str) -> str:
    """Path of a data file relative to the site root, e.g. ``data/SHA256SUMS``."""
    return url_for("data_file", name).lstrip("/")


def manifest_paths() -> frozenset[str]:
    """The two files that list the site and therefore cannot list themselves."""
    return frozenset({data_path(SITE_MANIFEST_NAME), data_path(SUMS_NAME)})


def site_files(site_dir: Path, previous: Path | None = None) -> list[FileEntry]:
    """Every file under ``site_dir`` except the two manifest files, sorted by path.

    Paths use "/" and are sorted by code point (the byte order of their UTF-8),
    so the list is the same on every machine. Files hard-linked from ``previous`` (a complete build
    with a manifest) take their hash from its manifest; every other file is read and hashed.
    """
    return _site_files(Path(site_dir), previous, {}, {})


def file_identity(stat: os.stat_result) -> int:
    """One number for (device, inode): a file's identity while it exists."""
    return (stat.st_dev << 64) | stat.st_ino


_inode = file_identity

#: A file's size, modification time (ns) and SHA-256, by its identity (``file_identity``).
Hashed = tuple[int, int, bytes]
_Hashed = Hashed


class _SiteMemory:
    """What a running publisher keeps of the last site manifest it wrote, and the hashes of the
    data files written since, so that the next manifest reads only the files that are new.

    An incremental build hard-links most files from the live build (the previous one). While that
    build exists its files hold their inodes, so a file of the new build with the same inode is the
    same file, whose hash the last manifest holds; its size and modification time must be unchanged
    too. That the previous build is the one remembered is checked on its manifest file: the same
    inode, size and modification time as the one written. ``site_files`` (what ``verify`` reads)
    never uses this memory. Kept: identity, size, time and digest per file of one build (about
    3 MB at 11,000 files).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # _inode, size and mtime_ns of the site-manifest.json written last
        self._manifest: tuple[int, int, int] | None = None
        self._files: dict[int, _Hashed] = {}  # the files of that build
        self._written: dict[int, _Hashed] = {}  # data files written since

    def note_written(self, files: dict[int, _Hashed]) -> None:
        """The data files just written (``write_open_data``), with their hashes."""
        with self._lock:
            self._written = files

    def written(self) -> dict[int, _Hashed]:
        with self._lock:
            return self._written

    def of_previous(self, previous: Path | None) -> dict[int, _Hashed]:
        """The remembered files when ``previous`` is the build whose manifest was written last."""
        if previous is None:
            return {}
        with self._lock:
            manifest, files = self._manifest, self._files
        if manifest is None:
            return {}
        try:
            stat = os.stat(Path(previous) / data_path(SITE_MANIFEST_NAME))
        except OSError:
            return {}
        return files if (_inode(stat), stat.st_size, stat.st_mtime_ns) == manifest else {}

    def keep(self, manifest: os.stat_result, files: dict[int, _Hashed]) -> None:
        with self._lock:
            self._manifest = (_inode(manifest), manifest.st_size, manifest.st_mtime_ns)
            self._files = files
            self._written = {}

    def forget(self) -> None:
        with self._lock:
            self._manifest, self._files, self._written = None, {}, {}


#: This process's memory of its last site manifest.
SITE_MEMORY = _SiteMemory()


def _write_stat(path: Path, content: bytes) -> os.stat_result:
    """Write ``content`` to ``path``; the file's status after writing (its identity, size and time,
    under which its hash is noted)."""
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        return os.fstat(handle.fileno())


def _walk(root: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path relative to ``root`` with "/", entry) of everything under ``root`` (or under its folder
    ``prefix``, which ends with "/") that is not a directory, like ``os.walk``: a symlink to a
    directory is neither entered nor listed, unreadable directories are skipped. ``os.scandir``
    alone: no ``lstat`` per folder (a city has 11,000)."""
    stack = [(prefix, os.path.join(root, prefix) if prefix else root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            scan = os.scandir(folder)
        except OSError:
            continue
        with scan:
            while True:
                try:
                    entry = next(scan)
                except StopIteration:
                    break
                except OSError:
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    yield prefix + entry.name, entry
                elif not entry.is_symlink():
                    stack.append((prefix + entry.name + "/", entry.path))


class _Hashing:
    """The hash of each file of a build, read only when nothing this process knows gives it:
    ``remembered`` (files of ``previous`` by inode, ``SITE_MEMORY``), ``written`` (files written
    with a known hash) or the manifest of ``previous`` for a file hard-linked from it. ``seen``
    receives every file's (inode → size, time, digest)."""

    def __init__(
        self,
        previous: Path | None,
        remembered: Mapping[int, _Hashed],
        written: Mapping[int, _Hashed],
        seen: dict[int, _Hashed] | None,
    ) -> None:
        self.previous = previous
        self.previous_root = os.fspath(previous) if previous is not None else ""
        self.remembered, self.written, self.seen = remembered, written, seen
        self.known: Mapping[str, FileEntry] | None = None  # the previous manifest, read only when needed

    def entry(self, relative: str, path: str, stat: os.stat_result) -> FileEntry:
        inode = _inode(stat)
        size = stat.st_size
        hit = self.remembered.get(inode) or self.written.get(inode)
        if hit is not None and hit[0] == size and hit[1] == stat.st_mtime_ns:
            # The previous build's very file, or one this build wrote (write_open_data): hashed then.
            if self.seen is not None:
                self.seen[inode] = hit
            return FileEntry(relative, hit[2].hex(), size)
        sha256 = ""
        if self.previous is not None and stat.st_nlink > 1:
            if self.known is None:
                self.known = _manifest_rows(self.previous)
            row = self.known.get(relative)
            if (
                row is not None
                and row.bytes == size
                and _same_file(stat, os.path.join(self.previous_root, relative))
            ):
                sha256 = row.sha256  # the previous build's very file (hard-linked): hashed then
        if not sha256:
            with open(path, "rb") as handle:
                content = handle.read()
            sha256, size = hashlib.sha256(content).hexdigest(), len(content)
        if self.seen is not None:
            self.seen[inode] = (size, stat.st_mtime_ns, bytes.fromhex(sha256))
        return FileEntry(relative, sha256, size)

    def walked(self, root: str, prefix: str = "") -> list[FileEntry]:
        """Every file under ``root`` (or its folder ``prefix``) but the two manifest files."""
        skipped = manifest_paths()
        entries = []
        for relative, entry in _walk(root, prefix):
            if relative in skipped:
                continue
            stat = entry.stat()  # follows a symlink, like os.stat
            if S_ISREG(stat.st_mode):
                entries.append(self.entry(relative, entry.path, stat))
        return entries


def _site_files(
    site_dir: Path,
    previous: Path | None,
    remembered: Mapping[int, _Hashed],
    written: Mapping[int, _Hashed],
    seen: dict[int, _Hashed] | None = None,
) -> list[FileEntry]:
    """``site_files`` with what this process knows (``_Hashing``)."""
    entries = _Hashing(previous, remembered, written, seen).walked(os.fspath(site_dir))
    entries.sort(key=_by_path)
    return entries


@dataclass(frozen=True)
class KnownChanges:
    """What a build changed in a directory that held exactly the files of an earlier build, so that
    its manifest is that build's rows with these paths hashed again, not a walk of every file.

    ``base``: the earlier build's manifest rows (path → entry), the files the directory held.
    ``written``: the paths written (or moved in) since. ``removed``: the paths removed since.
    ``rescan``: folders that something else wrote into (the static search index): listed by a walk
    of each, whatever ``base`` says of them.
    """

    base: Mapping[str, FileEntry]
    written: Collection[str]
    removed: Collection[str]
    rescan: tuple[str, ...] = ()


def _changed_files(site_dir: Path, changes: KnownChanges, hashing: _Hashing) -> list[FileEntry]:
    """The files of ``site_dir`` by ``changes``: what a walk would list, for a directory whose other
    files are those ``changes.base`` lists (standby.py: a claimed build caught up with ``previous``).

    A file changed behind the build's back: each file written or moved in, and each file of the
    folders to rescan, is stat-ed and hashed as a walk would (its noted hash only while it has the
    inode, size and time it had when written: tests/publisher/test_opendata_memory.py). Every
    other file is the previous build's file at that path, linked from it or the claimed build's own
    with the same manifest row (``catch_up``). Such a file can differ from its row only if someone
    wrote into a file of a complete build in place, which the publisher never does (deploy.py,
    standby.py). A walk would not have seen that either for a file shared with the previous build
    (same inode: that build's manifest hash); for a claimed build's own file it would have listed
    the altered bytes — which catch_up had already kept by that build's manifest — where now
    ``verify`` reports the file."""
    root = os.fspath(site_dir)
    skipped = manifest_paths()
    folders = tuple(folder + "/" for folder in changes.rescan)
    redone = {*changes.written, *changes.removed, *skipped}
    entries = _unchanged_rows(changes.base, redone, folders)
    for relative in sorted(set(changes.written) - skipped):
        if relative.startswith(folders):
            continue  # walked below
        path = os.path.join(root, relative)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            continue  # not there: not listed (as by a walk)
        if S_ISREG(stat.st_mode):
            entries.append(hashing.entry(relative, path, stat))
    for folder in changes.rescan:
        try:
            kind = os.lstat(os.path.join(root, folder)).st_mode
        except FileNotFoundError:
            continue
        if S_ISDIR(kind):
            entries.extend(hashing.walked(root, folder + "/"))
        elif folder not in redone:  # not a folder: what a walk of the root lists of it
            path = os.path.join(root, folder)
            stat = os.stat(path)
            if S_ISREG(stat.st_mode):
                entries.append(hashing.entry(folder, path, stat))
    entries.sort(key=_by_path)
    return entries


_by_path = operator.attrgetter("path")


def _unchanged_rows(base: Mapping[str, FileEntry], redone: set[str], folders: tuple[str, ...]) -> list[FileEntry]:
    """The entries of ``base`` whose path is neither in ``redone`` nor under one of ``folders``
    (each ending with "/"), in ``base``'s order.

    A site manifest's rows are in path order: the paths under a folder are then one run, found by
    bisection, and the others are taken without a Python step each (a city's site has 22,000
    files). Rows in another order are filtered one by one."""
    paths = list(base)
    if not all(map(operator.lt, paths, itertools.islice(paths, 1, None))):
        return [entry for path, entry in base.items() if path not in redone and not path.startswith(folders)]
    kept = dict(base)
    for path in redone:
        kept.pop(path, None)
    for folder in folders:
        # every path that begins with "<folder>/" sorts from "<folder>/" up to "<folder>0" ("/" + 1)
        first = bisect.bisect_left(paths, folder)
        last = bisect.bisect_left(paths, folder[:-1] + "0", first)
        for path in paths[first:last]:
            kept.pop(path, None)
    return list(kept.values())


def _same_file(stat: os.stat_result, other: str) -> bool:
    try:
        return os.path.samestat(stat, os.stat(other))
    except OSError:
        return False


class _ManifestRows:
    """The rows of the last few site manifests this process wrote or read, by the manifest file's
    identity (inode, size, modification time): a standby publish reads the live build's manifest
    (to catch up and to settle) and the claimed build's; parsing a city's (11,000 rows) each time
    cost a tenth of a second. A manifest file is written once and never modified (a complete
    build's files never are), so the same identity is the same rows. The rows are shared between
    manifests (a FileEntry of a file unchanged since is the same object)."""

    KEPT = 4  # the live build, the two fallbacks and the one being built

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[int, int, int], Mapping[str, FileEntry]] = {}

    def get(self, stat: os.stat_result) -> Mapping[str, FileEntry] | None:
        with self._lock:
            return self._rows.get(_identity(stat))

    def keep(self, stat: os.stat_result, rows: dict[str, FileEntry]) -> Mapping[str, FileEntry]:
        """Remember ``rows`` (which the caller hands over: never modified afterwards)."""
        view = MappingProxyType(rows)
        with self._lock:
            self._rows.pop(_identity(stat), None)
            self._rows[_identity(stat)] = view
            while len(self._rows) > self.KEPT:
                del self._rows[next(iter(self._rows))]  # the oldest
        return view

    def forget(self) -> None:
        with self._lock:
            self._rows = {}


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (_inode(stat), stat.st_size, stat.st_mtime_ns)


#: This process's memory of the site manifests it wrote or read last.
MANIFEST_ROWS = _ManifestRows()


def _manifest_rows(previous: Path | None) -> Mapping[str, FileEntry]:
    """The previous build's manifest entries (path → entry, read-only), for files hard-linked from it.

    An incremental build hard-links most files from the previous build; their hash is in its
    manifest. Files of a complete build are never modified in place (deploy.py), so the same inode
    means the same bytes. Anything unreadable simply means hashing everything.
    """
    if previous is None:
        return {}
    path = Path(previous) / data_path(SITE_MANIFEST_NAME)
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            rows = MANIFEST_ROWS.get(stat)
            if rows is not None:
                return rows
            data = handle.read()
    except OSError:
        return {}
    try:
        manifest = _parsed_site_manifest(path, data)
    except ValueError:
        return {}
    return MANIFEST_ROWS.keep(
        stat,
        {row["path"]: FileEntry(row["path"], row["sha256"], row["bytes"]) for row in manifest["files"]},
    )


def _sums_line(entry: FileEntry) -> str:
    """One line of SHA256SUMS; ValueError for a path that format cannot hold."""
    if "\n" in entry.path or "\\" in entry.path:
        raise ValueError(
            f"文件名含换行或反斜杠，无法写入 SHA256SUMS：{entry.path!r}"
            f" / file name with a newline or backslash: {entry.path!r}"
        )
    return f"{entry.sha256}  {entry.path}\n"


def sums_text(entries: list[FileEntry]) -> str:
    """``<sha256>  <path>`` lines, as ``sha256sum`` writes and ``sha256sum -c`` reads them."""
    return "".join([_sums_line(entry) for entry in entries])


def _json_text(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without the call for the usual path: json escapes
    only quotes, backslashes and control characters, and a printable string has no control character."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def _manifest_row(entry: FileEntry) -> str:
    """One file's line of site-manifest.json, with the comma that follows every line but the last."""
    return f'    {{"path": {_json_text(entry.path)}, "sha256": {_json_text(entry.sha256)}, "bytes": {entry.bytes:d}}},'


def site_manifest_text(
    entries: list[FileEntry],
    *,
    snapshot_sha256: str,
    search_index: bool,
    tools: Mapping[str, str],
) -> str:
    """site-manifest.json: facts of the build first, then one file per line (diff-friendly)."""
    return _manifest_text(
        entries, [_manifest_row(entry) for entry in entries],
        snapshot_sha256=snapshot_sha256, search_index=search_index, tools=tools,
    )


def _manifest_text(
    entries: list[FileEntry],
    rows: list[str],
    *,
    snapshot_sha256: str,
    search_index: bool,
    tools: Mapping[str, str],
) -> str:
    """``site_manifest_text`` with each entry's row (``_manifest_row``) given."""
    header: dict[str, Any] = {
        "format": SITE_MANIFEST_FORMAT,
        "file_count": len(entries),
        "total_bytes": sum(map(_size, entries)),
        "snapshot": data_path("snapshot.json"),
        "snapshot_sha256": snapshot_sha256,
        "search_index": search_index,
        "tools": dict(sorted(tools.items())),
        "verify_command": VERIFY_COMMAND,
        "sha256sums": data_path(SUMS_NAME),
    }
    lines = ["{"]
    for key in sorted(header):
        lines.append(f"  {json.dumps(key)}: {json.dumps(header[key], ensure_ascii=False)},")
    lines.append('  "files": [')
    lines += rows
    if rows:
        lines[-1] = lines[-1][:-1]  # no comma after the last file
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


_size = operator.attrgetter("bytes")


class _ManifestLines:
    """The manifest row and SHA256SUMS line of each entry of the last manifest written, by the
    entry's identity: a standby build's entries are mostly the very objects of the previous
    manifest (``_manifest_rows``), so only the lines of the files it changed are formatted. Both
    lines are functions of the entry alone (which is immutable and kept alive here)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lines: dict[int, tuple[FileEntry, str, str]] = {}

    def lines(self, entries: list[FileEntry]) -> tuple[list[str], list[str]]:
        """(manifest rows, SHA256SUMS lines) of ``entries``, in order; remembers them instead of
        the last ones. ValueError from ``_sums_line``."""
        with self._lock:
            known = self._lines
        # Found in C (map): a city's site has 22,000 files, a Python step for each was a tenth of
        # the manifest's time; only the entries not found are formatted, in order.
        hits: list[tuple[FileEntry, str, str] | None] = list(map(known.get, map(id, entries)))
        for index in itertools.compress(range(len(hits)), map(operator.is_, hits, itertools.repeat(None))):
            entry = entries[index]
            hits[index] = (entry, _manifest_row(entry), _sums_line(entry))
        fresh = dict(zip(map(id, entries), hits, strict=True))
        rows, sums = list(map(_SECOND, hits)), list(map(_THIRD, hits))
        with self._lock:
            self._lines = fresh  # type: ignore[assignment]
        return rows, sums

    def forget(self) -> None:
        with self._lock:
            self._lines = {}


#: This process's lines of the last site manifest it wrote.
MANIFEST_LINES = _ManifestLines()


def write_site_manifest(
    site_dir: Path,
    *,
    snapshot_sha256: str,
    search_index: bool,
    tools: Mapping[str, str],
    previous: Path | None = None,
    changes: KnownChanges | None = None,
    written: Mapping[int, Hashed] | None = None,
) -> list[FileEntry]:
    """Hash every file of the finished site and write ``data/site-manifest.json`` and
    ``data/SHA256SUMS``; returns the entries. Run it last: a file written afterwards is
    unlisted, and ``verify`` reports it. Files hard-linked from ``previous`` (a complete build
    with a manifest) take their hash from its manifest.

    ``changes``: the directory held the files of an earlier build and the build knows what it
    changed since (a standby build, build.py): that build's rows with only the changed paths
    hashed, instead of a walk of every file. Without it, every file is found by a walk.

    ``written``: files this build wrote, with the hash of the bytes written (the generator's pages,
    ``page_files.PageFiles``), by identity. A file's hash is taken from it only while the file has the
    identity, size and modification time it had when written (``_Hashing.entry``); the build's own
    partial directory is written by nothing else, and a complete build is never written into."""
    site_dir = Path(site_dir)
    seen: dict[int, _Hashed] = {}
    remembered, written_now = SITE_MEMORY.of_previous(previous), SITE_MEMORY.written()
    if written:
        written_now = {**written, **written_now}
    if changes is not None:
        entries = _changed_files(site_dir, changes, _Hashing(previous, remembered, written_now, seen))
    else:
        entries = _site_files(site_dir, previous, remembered, written_now, seen)
    rows, lines = MANIFEST_LINES.lines(entries)  # first: ValueError for a path SHA256SUMS cannot hold
    sums = "".join(lines)
    manifest = _manifest_text(
        entries, rows, snapshot_sha256=snapshot_sha256, search_index=search_index, tools=tools
    )
    target = site_dir / data_path(SITE_MANIFEST_NAME)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(manifest.encode("utf-8"))
        handle.flush()
        written = os.fstat(handle.fileno())
    (site_dir / data_path(SUMS_NAME)).write_bytes(sums.encode("utf-8"))
    SITE_MEMORY.keep(written, seen)
    MANIFEST_ROWS.keep(written, dict(zip(map(_by_path, entries), entries, strict=True)))
    return entries


def read_site_manifest(site_dir: Path) -> dict[str, Any]:
    """The site manifest as published in ``site_dir``; ValueError (one line, Chinese first)
    when it is missing or not what ``write_site_manifest`` writes."""
    path = Path(site_dir) / data_path(SITE_MANIFEST_NAME)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"找不到网站文件清单：{path} / site manifest not found: {path}") from None
    except OSError as exc:
        raise ValueError(
            f"网站文件清单无法读取：{path}：{exc} / unreadable site manifest: {path}: {exc}"
        ) from None
    return _parsed_site_manifest(path, data)


def _parsed_site_manifest(path: Path, data: bytes) -> dict[str, Any]:
    """``read_site_manifest`` of the bytes ``data`` read from ``path``."""
    try:
        manifest = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValueError(
            f"网站文件清单无法读取：{path}：{exc} / unreadable site manifest: {path}: {exc}"
        ) from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    well_formed = (
        isinstance(files, list)
        and manifest.get("format") == SITE_MANIFEST_FORMAT
        and all(isinstance(f, dict) and {"path", "sha256", "bytes"} <= f.keys() for f in files)
    )
    if not well_formed:
        raise ValueError(
            f"网站文件清单格式不对：{path} / not a site manifest (format {SITE_MANIFEST_FORMAT}): {path}"
        )
    return manifest
