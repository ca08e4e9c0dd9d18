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
never writes outside the ``data/`` directory of the site it is given.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
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


def csv_bytes(columns: list[Column], rows: list[Any]) -> bytes:
    """A CSV file: UTF-8 with BOM, CRLF line ends, every field quoted when needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_cell(c.value(row)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def escape_cell(text: str) -> str:
    """Text as written to a CSV cell: one ``'`` in front if a spreadsheet could take it for a
    formula, or if it already begins with ``'`` (so that ``unescape_cell`` is exact)."""
    if text.startswith((*FORMULA_TRIGGERS, CELL_ESCAPE)):
        return CELL_ESCAPE + text
    return text


def unescape_cell(text: str) -> str:
    """The value a CSV cell holds: the cell's text without one leading ``'`` (for readers)."""
    return text[1:] if text.startswith(CELL_ESCAPE) else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # numbers are never formulas; "-3" stays a number
    return escape_cell(str(value))


def write_open_data(catalog: Catalog, snapshot_bytes: bytes, data_dir: Path) -> dict[str, Any]:
    """Write every data file into ``data_dir`` and return the manifest that lists them."""
    data_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "snapshot.json": snapshot_bytes,
        "snapshot.schema.json": schema_bytes(),
    }
    for name, (_title, columns, rows) in csv_tables(catalog).items():
        files[name] = csv_bytes(columns, rows)
    entries = []
    for name in sorted(files):
        content = files[name]
        (data_dir / name).write_bytes(content)
        entries.append(
            {
                "path": name,
                "url": url_for("data_file", name),
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
            }
        )
    manifest = {
        "name": catalog.site["name"] + " 公开数据",
        "snapshot_generated_at": catalog.generated_at,
        "schema_version": catalog.snapshot["schema_version"],
        "files": entries,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (data_dir / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
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
    so the list is the same on every machine.
    """
    root = os.fspath(Path(site_dir))
    skipped = manifest_paths()
    known = _manifest_rows(previous)
    previous_root = os.fspath(previous) if previous is not None else ""
    cut = len(root) + 1
    entries = []
    # Plain strings and os.stat, not Path objects: a city's site has ten thousand files.
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            relative = path[cut:].replace(os.sep, "/")
            if relative in skipped:
                continue
            stat = os.stat(path)
            if not S_ISREG(stat.st_mode):
                continue
            row = known.get(relative)
            if row is not None and stat.st_nlink > 1 and row.bytes == stat.st_size \
                    and _same_file(stat, os.path.join(previous_root, relative)):
                entries.append(row)  # the previous build's very file (hard-linked): hashed then
                continue
            with open(path, "rb") as handle:
                content = handle.read()
            entries.append(FileEntry(relative, hashlib.sha256(content).hexdigest(), len(content)))
    return sorted(entries, key=lambda entry: entry.path)


def _same_file(stat: os.stat_result, other: str) -> bool:
    try:
        return os.path.samestat(stat, os.stat(other))
    except OSError:
        return False


def _manifest_rows(previous: Path | None) -> dict[str, FileEntry]:
    """The previous build's manifest entries, for files hard-linked from it.

    An incremental build hard-links most files from the previous build; their hash is in its
    manifest. Files of a complete build are never modified in place (deploy.py), so the same inode
    means the same bytes. Anything unreadable simply means hashing everything.
    """
    if previous is None:
        return {}
    try:
        manifest = read_site_manifest(previous)
    except ValueError:
        return {}
    return {row["path"]: FileEntry(row["path"], row["sha256"], row["bytes"]) for row in manifest["files"]}


def sums_text(entries: list[FileEntry]) -> str:
    """``<sha256>  <path>`` lines, as ``sha256sum`` writes and ``sha256sum -c`` reads them."""
    for entry in entries:
        if "\n" in entry.path or "\\" in entry.path:
            raise ValueError(
                f"文件名含换行或反斜杠，无法写入 SHA256SUMS：{entry.path!r}"
                f" / file name with a newline or backslash: {entry.path!r}"
            )
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in entries)


def site_manifest_text(
    entries: list[FileEntry],
    *,
    snapshot_sha256: str,
    search_index: bool,
    tools: Mapping[str, str],
) -> str:
    """site-manifest.json: facts of the build first, then one file per line (diff-friendly)."""
    header: dict[str, Any] = {
        "format": SITE_MANIFEST_FORMAT,
        "file_count": len(entries),
        "total_bytes": sum(entry.bytes for entry in entries),
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
    rows = [
        json.dumps({"path": e.path, "sha256": e.sha256, "bytes": e.bytes}, ensure_ascii=False)
        for e in entries
    ]
    lines.extend(f"    {row}," for row in rows[:-1])
    lines.extend(f"    {row}" for row in rows[-1:])
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def write_site_manifest(
    site_dir: Path,
    *,
    snapshot_sha256: str,
    search_index: bool,
    tools: Mapping[str, str],
    previous: Path | None = None,
) -> list[FileEntry]:
    """Hash every file of the finished site and write ``data/site-manifest.json`` and
    ``data/SHA256SUMS``; returns the entries. Run it last: a file written afterwards is
    unlisted, and ``verify`` reports it. Files hard-linked from ``previous`` (a complete build
    with a manifest) take their hash from its manifest."""
    site_dir = Path(site_dir)
    entries = site_files(site_dir, previous)
    sums = sums_text(entries)
    manifest = site_manifest_text(
        entries, snapshot_sha256=snapshot_sha256, search_index=search_index, tools=tools
    )
    target = site_dir / data_path(SITE_MANIFEST_NAME)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(manifest.encode("utf-8"))
    (site_dir / data_path(SUMS_NAME)).write_bytes(sums.encode("utf-8"))
    return entries


def read_site_manifest(site_dir: Path) -> dict[str, Any]:
    """The site manifest as published in ``site_dir``; ValueError (one line, Chinese first)
    when it is missing or not what ``write_site_manifest`` writes."""
    path = Path(site_dir) / data_path(SITE_MANIFEST_NAME)
    try:
        manifest = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise ValueError(f"找不到网站文件清单：{path} / site manifest not found: {path}") from None
    except (OSError, orjson.JSONDecodeError) as exc:
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
