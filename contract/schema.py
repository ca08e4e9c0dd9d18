"""The versioned snapshot schema (JSON Schema 2020-12), built from the code lists,
and its validation with one-line Chinese-first messages.

The schema is data made here once: its enums come from ``codes`` so a code list
cannot drift from what the publisher accepts. The back office validates every
record against it when it publishes (so a record the publisher would reject is
refused at save time) and the whole snapshot before it writes the file; the
publisher validates again on read. Never imports Flask, SQLAlchemy or Pelican.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from . import codes, files

SCHEMA = "sunshine-snapshot"
#: Version 2 added ``figures`` (published performance aggregates) and ``rectifications``;
#: version 3 the anonymized ``complaint_outcomes`` and the answered ``questions`` (网上咨询);
#: version 4 the ``withdrawn_items`` (their pages stay, with the withdrawal notice) and
#: ``site.site_url`` (the public base URL: canonical links, sitemap.xml, robots.txt);
#: version 5 the ``changes`` of every disclosure record (变更记录: the major change notes of its
#: published revisions, newest first) and the ``attachments`` the published records link to
#: (``/files/<sha256>/<name>``, contract/files.py);
#: version 6 the ``search_synonyms`` offices added in the back office (检索同义词: one line of
#: space-separated words per group, the official name first), which the public site's search indexes;
#: version 7 the ``withdrawn_departments``, ``withdrawn_notices`` and ``withdrawn_channels`` (a department's
#: and a notice's page stays with the withdrawal notice, the channels page lists the channels closed), and
#: ``withdrawn_items`` also holds the items that left with their withdrawn department.
SCHEMA_VERSION = 7

#: A group of ``search_synonyms``: 2–20 words of 1–20 Chinese characters, letters or digits,
#: separated by single spaces (the back office's rules, ``site/search_synonyms.py``).
SYNONYM_WORD = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9]{1,20}"
SYNONYM_LINE_PATTERN = f"^{SYNONYM_WORD}( {SYNONYM_WORD}){{1,19}}$"

#: Longest withdrawal reason (撤回原因) staff may give; it is published with the withdrawal notice.
WITHDRAWN_REASON_MAX_LENGTH = 200

#: ``site.site_url``: empty, or http(s)://host[:port][/path] without a trailing slash.
SITE_URL_PATTERN = r"^(https?://[^\s/?#]+(/[^\s?#]*[^\s?#/])?)?$"

#: What XML 1.0 cannot carry: the C0 controls but tab, newline and carriage return, and U+FFFE/U+FFFF.
#: Every free-text string of the snapshot must match ``XML_TEXT_PATTERN`` (see ``_xml_safe_strings``).
_XML_FORBIDDEN_RANGES = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff"
XML_FORBIDDEN = re.compile(f"[{_XML_FORBIDDEN_RANGES}]")
XML_TEXT_PATTERN = f"^[^{_XML_FORBIDDEN_RANGES}]*$"

#: Snapshot collections of disclosure records, and the ``$defs`` entry of each record.
COLLECTIONS: dict[str, str] = {
    "departments": "department",
    "items": "item",
    "channels": "channel",
    "notices": "notice",
}


class ContractError(ValueError):
    """Data that breaks the contract. The message is one line, Chinese first."""


def _obj(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "additionalProperties": False,
            "properties": properties, **extra}


def _all_required(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return _obj(list(properties), properties, **extra)


_STR = {"type": "string"}
_INT0 = {"type": "integer", "minimum": 0}
_BOOL = {"type": "boolean"}
_CODE = {"$ref": "#/$defs/code"}
_MD = {"$ref": "#/$defs/markdown"}
_DATE = {"$ref": "#/$defs/date"}
#: 撤回原因 of every withdrawn record: staff's words for publication; for an item that left with its
#: department, the export's sentence saying so.
_WITHDRAWN_REASON = {"type": "string", "maxLength": WITHDRAWN_REASON_MAX_LENGTH,
                     "description": "撤回原因 as written by staff for publication; empty if none given"}
_WORKFLOW = {
    "revision": {"type": "integer", "minimum": 1},
    "published_at": {"$ref": "#/$defs/datetime"},
    "changes": {"type": "array", "description": "变更记录: major change notes of published revisions, newest first",
                "items": {"type": "object", "required": ["revision", "date", "note"], "additionalProperties": False,
                          "properties": {"revision": {"type": "integer", "minimum": 1},
                                         "date": {"$ref": "#/$defs/date"}, "note": {"type": "string"}}}},
}


def _enum(values: dict | tuple) -> dict[str, Any]:
    return {"enum": list(values)}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _tally() -> dict[str, Any]:
    """Counts of one department (or the centre) over one month (or the whole period)."""
    return _all_required({
        "cases_received": _INT0,
        "cases_completed": _INT0,
        "completed_on_time": _INT0,
        "completed_early": _INT0,
        "completed_on_the_spot": _INT0,
        "cases_rejected": _INT0,
        "ratings": _all_required({str(level): _INT0 for level in codes.RATING_LEVELS}),
        "bad_rectified": _INT0,
        "complaints_received": _INT0,
        "complaints_answered": _INT0,
        "complaints_answered_on_time": _INT0,
        "complaints_due": {**_INT0, "description": "complaints answered or past their deadline"},
    })


def _month_tally() -> dict[str, Any]:
    tally = _tally()
    return {**tally, "required": ["month", *tally["required"]],
            "properties": {"month": {"$ref": "#/$defs/month"}, **tally["properties"]}}


def _definitions() -> dict[str, Any]:
    person = _all_required({"name": _STR, "post": _STR, "phone": _STR})
    person["type"] = ["object", "null"]
    return {
        "code": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"},
        "markdown": {"type": "string", "description": "Markdown source; the publisher renders and sanitizes it."},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "datetime": {"type": "string", "description": "ISO 8601 with offset, Asia/Shanghai"},
        "person": person,
        "department": _all_required({
            "code": _CODE, "name": _STR, "short_name": _STR,
            "window": {"type": "string", "description": "窗口号, e.g. 3号窗口"},
            "address": _STR, "hours": _STR, "consult_phone": _STR, "complaint_phone": _STR,
            "chief": {"$ref": "#/$defs/person", "description": "首席代表"},
            "backup": {"$ref": "#/$defs/person", "description": "AB角 B角"},
            "duties": _MD, **_WORKFLOW,
        }),
        "item": _all_required({
            "code": {**_CODE, "description": "事项编码, used in URLs"},
            "name": _STR,
            "department": {**_CODE, "description": "code of the department (实施主体)"},
            "item_type": _enum(codes.ITEM_TYPES),
            "legal_basis": _MD,
            "conditions": _MD,
            "service_object": {"type": "string", "description": "服务对象: 自然人 / 法人 / 自然人,法人"},
            "statutory_days": {**_INT0, "description": "法定办结时限, working days"},
            "promised_days": {**_INT0, "description": "承诺办结时限, working days, <= statutory"},
            "promised_note": _STR,
            "case_type": _enum(codes.CASE_TYPES),
            "visits_required": _INT0,
            "online": _BOOL,
            "in_hall": _BOOL,
            "location": _STR,
            "hours": _STR,
            "consult_phone": _STR,
            "complaint_phone": _STR,
            "result_type": {"type": "string", "description": "审批结果类型, e.g. 证照 / 批文"},
            "fee_required": _BOOL,
            "keywords": {"type": "array", "items": _STR,
                         "description": "colloquial synonyms to widen search recall"},
            "materials": {"type": "array", "items": _all_required({
                "name": _STR, "form": _enum(codes.MATERIAL_FORMS), "copies": _INT0,
                "required": _BOOL, "notes": _STR, "template_url": _STR})},
            "steps": {"type": "array", "items": _all_required({
                "name": _STR, "office": _STR, "days": _INT0, "description": _STR})},
            "fees": {"type": "array", "items": _all_required({
                "name": _STR, "standard": _STR, "basis": _STR, "approving_doc": _STR,
                "category": _enum(codes.FEE_CATEGORIES), "exemptions": _STR,
                "combined_bill": {"type": "string",
                                  "description": "name of the 一单收费 bill this fee is charged on, or empty"}})},
            "effective_date": _nullable(_DATE),
            **_WORKFLOW,
        }),
        "channel": _all_required({
            "code": _CODE, "kind": _enum(codes.CHANNEL_KINDS), "name": _STR,
            "contact": {"type": "string", "description": "phone number, address or URL"},
            "hours": _STR, "office": {"type": "string", "description": "handling office"},
            "response_days": {**_INT0, "description": "promised response time, working days"},
            "notes": _STR, **_WORKFLOW,
        }),
        "notice": _all_required({
            "code": _CODE, "title": _STR, "body": _MD, "category": _enum(codes.NOTICE_CATEGORIES),
            "department": {**_nullable(_CODE), "description": "issuing department, null for the center itself"},
            "date": _DATE, **_WORKFLOW,
        }),
        "tally": _tally(),
        "month_tally": _month_tally(),
        "rectification": _all_required({
            "code": {**_CODE, "description": "work order number (整改单号)"},
            "department": _CODE,
            "item": _nullable(_CODE),
            "level": _enum(codes.RATING_LEVELS),
            "rated_on": _DATE,
            "deadline": _DATE,
            "status": _enum({k: v for k, v in codes.RECTIFICATION_STATUSES.items() if k != "voided"}),
            "finding": {"type": "string", "description": "核实情况, written for publication"},
            "action": {"type": "string", "description": "整改措施, written for publication"},
            "closed_on": _nullable(_DATE),
        }),
        "complaint_outcome": _all_required({
            "code": {**_CODE, "description": "tracking number (投诉编号)"},
            "department": _CODE,
            "item": _nullable(_CODE),
            "category": _enum(codes.COMPLAINT_CATEGORIES),
            "subject": {"type": "string", "description": "masked: no names, phones, IDs, e-mails or plates"},
            "summary": {"type": "string", "description": "the answer (答复意见), masked"},
            "outcome": _enum(codes.COMPLAINT_OUTCOMES),
            "outcome_note": {"type": "string", "description": "reasons of the outcome, masked"},
            "received_on": _DATE,
            "answered_on": _DATE,
            "closed_on": _DATE,
            "days_taken": {**_INT0, "description": "working days from receipt to the (last) answer"},
            "on_time": {**_BOOL, "description": "every answer within its deadline"},
            "reopened": {**_BOOL, "description": "the complainant asked to reopen it once"},
            "solved": {"type": ["boolean", "null"], "description": "the complainant's view; null if not given"},
        }),
        "withdrawn_item": _all_required({
            "code": {**_CODE, "description": "事项编码 of an item once published and now withdrawn"},
            "name": {"type": "string", "description": "the name it was last published under"},
            "department": {**_nullable(_CODE),
                           "description": "its department, null when the department is no longer public"},
            "withdrawn_at": {"$ref": "#/$defs/datetime"},
            "reason": _WITHDRAWN_REASON,
        }),
        "withdrawn_department": _all_required({
            "code": {**_CODE, "description": "部门编码 of a department once published and now withdrawn"},
            "name": {"type": "string", "description": "the name it was last published under"},
            "withdrawn_at": {"$ref": "#/$defs/datetime"},
            "reason": _WITHDRAWN_REASON,
        }),
        "withdrawn_notice": _all_required({
            "code": {**_CODE, "description": "code of a notice once published and now withdrawn"},
            "title": {"type": "string", "description": "the title it was last published under"},
            "department": {**_nullable(_CODE),
                           "description": "issuing department, null for the centre or a department no longer public"},
            "withdrawn_at": {"$ref": "#/$defs/datetime"},
            "reason": _WITHDRAWN_REASON,
        }),
        "withdrawn_channel": _all_required({
            "code": {**_CODE, "description": "code of a complaint channel once published and now withdrawn"},
            "kind": _enum(codes.CHANNEL_KINDS),
            "name": {"type": "string", "description": "the name it was last published under"},
            "withdrawn_at": {"$ref": "#/$defs/datetime"},
            "reason": _WITHDRAWN_REASON,
        }),
        "attachment": _all_required({
            "sha256": {"type": "string", "pattern": files.SHA256_PATTERN, "description": "SHA-256 of the bytes"},
            "name": {"type": "string", "pattern": files.NAME_PATTERN,
                     "description": "file name in the address /files/<sha256>/<name>"},
            "media_type": _enum(files.MEDIA_TYPES),
            "size": {"type": "integer", "minimum": 1, "description": "bytes"},
        }),
        "question": _all_required({
            "code": {**_CODE, "description": "question number (咨询编号)"},
            "department": _CODE,
            "item": _nullable(_CODE),
            "subject": {"type": "string", "description": "masked"},
            "question": {"type": "string", "description": "masked"},
            "answer": {"type": "string", "description": "masked"},
            "asked_on": _DATE,
            "answered_on": _DATE,
            "days_taken": {**_INT0, "description": "working days from receipt to the answer"},
            "on_time": _BOOL,
        }),
    }


def _schema() -> dict[str, Any]:
    figures = _all_required({
        "as_of": {**_DATE, "description": "figures count everything up to and including this day"},
        "months": {"type": "array", "items": {"$ref": "#/$defs/month"}, "description": "months covered, oldest first"},
        "veto_percent": {"type": "integer", "minimum": 0, "maximum": 100,
                         "description": "不满意率 at or above this is flagged (一票否决线)"},
        "centre": _all_required({"total": {"$ref": "#/$defs/tally"},
                                 "months": {"type": "array", "items": {"$ref": "#/$defs/month_tally"}}}),
        "departments": {"type": "array", "items": _all_required({
            "department": _CODE,
            "total": {"$ref": "#/$defs/tally"},
            "months": {"type": "array", "items": {"$ref": "#/$defs/month_tally"}}})},
    }, description="Performance aggregates (no person's data): cases, ratings, complaints.")
    site = _obj(
        ["name", "region", "address", "hours", "phone", "complaint_phone", "intake_url", "site_url"],
        {"name": _STR, "region": _STR, "address": _STR, "hours": _STR, "phone": _STR,
         "complaint_phone": _STR,
         "intake_url": {"type": "string",
                        "description": "Base URL of the public intake; empty means same origin."},
         "site_url": {"type": "string", "pattern": SITE_URL_PATTERN,
                      "description": "Public base URL of the static site, without a trailing slash "
                                     "(canonical links, sitemap.xml); empty when not configured."},
         "intro": _STR},
    )
    properties: dict[str, Any] = {
        "schema": {"const": SCHEMA},
        "schema_version": {"const": SCHEMA_VERSION},
        "generated_at": {"$ref": "#/$defs/datetime", "description": "Time of export (ISO 8601, Asia/Shanghai)."},
        "site": site,
        **{name: {"type": "array", "items": {"$ref": f"#/$defs/{record}"}}
           for name, record in COLLECTIONS.items()},
        "figures": figures,
        "rectifications": {"type": "array", "items": {"$ref": "#/$defs/rectification"}},
        "complaint_outcomes": {"type": "array", "items": {"$ref": "#/$defs/complaint_outcome"},
                               "description": "closed complaints published with consent, anonymized"},
        "questions": {"type": "array", "items": {"$ref": "#/$defs/question"},
                      "description": "answered online questions published with consent, anonymized"},
        "withdrawn_items": {"type": "array", "items": {"$ref": "#/$defs/withdrawn_item"},
                            "description": "items withdrawn after publication, or that left with their "
                                           "withdrawn department: their pages keep a notice"},
        "withdrawn_departments": {"type": "array", "items": {"$ref": "#/$defs/withdrawn_department"},
                                  "description": "departments withdrawn after publication: their pages keep a notice"},
        "withdrawn_notices": {"type": "array", "items": {"$ref": "#/$defs/withdrawn_notice"},
                              "description": "notices withdrawn after publication: their pages keep a notice"},
        "withdrawn_channels": {"type": "array", "items": {"$ref": "#/$defs/withdrawn_channel"},
                               "description": "complaint channels withdrawn after publication: listed as closed"},
        "attachments": {"type": "array", "items": {"$ref": "#/$defs/attachment"},
                        "description": "files the published records link to, published at /files/<sha256>/<name>"},
        "search_synonyms": {"type": "array", "items": {"type": "string", "pattern": SYNONYM_LINE_PATTERN},
                            "description": "synonym groups offices added for search (检索同义词), oldest first: "
                                           "space-separated words, the official name first"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://sunshine.example/schema/snapshot-{SCHEMA_VERSION}.json",
        "title": f"Sunshine snapshot (阳光政务公开数据快照), schema version {SCHEMA_VERSION}",
        "description": "Published disclosure records and aggregate figures, public fields only. "
                       "The only contract between the back office and the publisher; itself published "
                       "as open data.",
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "$defs": _definitions(),
        "properties": properties,
    }


@cache
def snapshot_schema() -> dict[str, Any]:
    """The schema as a dict (do not mutate)."""
    schema = _xml_safe_strings(_schema())
    Draft202012Validator.check_schema(schema)
    return schema


def _xml_safe_strings(node: Any) -> Any:
    """``node`` with every string schema that has no pattern of its own given ``XML_TEXT_PATTERN``.

    Every published string ends up in some XML file (the Atom feed, sitemap.xml) or HTML
    page; one control character makes a whole feed unreadable. The back office refuses them
    when staff type them; this refuses whatever reaches a snapshot another way.
    """
    if isinstance(node, list):
        return [_xml_safe_strings(part) for part in node]
    if not isinstance(node, dict):
        return node
    out = {key: _xml_safe_strings(value) for key, value in node.items()}
    if out.get("type") == "string" and "pattern" not in out:
        out["pattern"] = XML_TEXT_PATTERN
    return out


def _xml_forbidden(text: str) -> str:
    """The first character of ``text`` XML cannot carry, as ``U+0007``."""
    found = XML_FORBIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else "?"


def schema_bytes() -> bytes:
    """The schema as published in the open data (stable formatting)."""
    return (json.dumps(snapshot_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@cache
def _validator(definition: str | None = None) -> Draft202012Validator:
    schema = snapshot_schema()
    if definition is not None:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


@cache
def _screen(definition: str | None = None) -> Any:
    """The same schema compiled by jsonschema-rs, which answers "valid?" sixty times faster (a city's
    snapshot: 0.1 s against 6 s). It is only trusted to say yes: its patterns are stricter than
    Python's (``$`` before a final newline, non-ASCII digits for ``\\d``), so a no goes to the
    Python validator, which decides and words the message (tests/contract/test_screen.py)."""
    schema = snapshot_schema()
    if definition is not None:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.validator_for(schema)


def _screened(data: Any, definition: str | None = None) -> bool:
    """Whether the fast check accepts ``data``; what it cannot read (a key that is not a string…)
    goes to the Python validator like any other no."""
    try:
        return bool(_screen(definition).is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False


#: Keys of the root schema whose rules ``_record_lists`` knows: none of them relates one element of a
#: list to another or to the list's length.
_ROOT_KEYWORDS = frozenset({"$schema", "$id", "title", "description", "type", "required",
                            "additionalProperties", "$defs", "properties"})
#: Keys of a top-level list's schema under which each element is checked on its own.
_LIST_KEYWORDS = frozenset({"type", "items", "description"})


@cache
def _record_lists() -> frozenset[str]:
    """The top-level lists whose only rule is that each element fits one schema (``items``): leaving an
    element that fits out of such a list cannot change the verdict on the document. A list with any
    other rule (``minItems``, ``uniqueItems``, ``contains``…) or a root rule unknown here is not one."""
    schema = snapshot_schema()
    if not set(schema) <= _ROOT_KEYWORDS:
        return frozenset()
    return frozenset(
        name for name, rule in schema["properties"].items()
        if rule.get("type") == "array" and set(rule) <= _LIST_KEYWORDS and "items" in rule
    )


#: The records of a top-level list (by the list's name) not known to fit the list's ``items``.
ToCheck = Callable[[str, list[Any]], list[Any]]


def validate_snapshot(data: Any, *, to_check: ToCheck | None = None) -> None:
    """Raise ContractError unless ``data`` satisfies the schema (cross-record checks are the reader's).

    ``to_check(list name, records)``: the records still to check, leaving out those known to fit (e.g.
    the very objects of the last snapshot accepted, unmodified), so that a running publisher's
    one-record change checks one record, not ten thousand. The schema relates no two records (see
    ``_record_lists``), so the verdict is the same; a refusal is worded from the whole document, with
    the same message and the same count of errors as without.
    """
    if not _screened(_unvouched(data, to_check) if to_check is not None else data):
        _raise_first(_validator(), data, "快照格式错误", "invalid snapshot")


def _unvouched(data: Any, to_check: ToCheck) -> Any:
    """``data`` with only the records ``to_check`` leaves in its record lists (a shallow copy)."""
    if not isinstance(data, dict):
        return data
    reduced = dict(data)
    for name in _record_lists():
        records = data.get(name)
        if isinstance(records, list):
            reduced[name] = to_check(name, records)
    return reduced


def validate_record(collection: str, data: dict[str, Any]) -> None:
    """Raise ContractError unless one record (e.g. an item about to be published) fits its collection."""
    definition = COLLECTIONS[collection]
    if not _screened(data, definition):
        _raise_first(_validator(definition), data, "内容不符合公开数据规范", "record breaks the schema")


def _raise_first(validator: Draft202012Validator, data: Any, zh: str, en: str) -> None:
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    error = best_match(errors)
    more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
    where = json_path(error.absolute_path)
    raise ContractError(f"{zh}：{where}：{chinese_reason(error)}{more} / {en}: {where}: {error.message}")


def json_path(parts: Any) -> str:
    """Render a jsonschema path deque as ``items[3].case_type`` (``$`` for the root)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def chinese_reason(error: ValidationError) -> str:
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
    if kind == "pattern" and value == XML_TEXT_PATTERN:
        return (f"含有不可见的控制字符 {_xml_forbidden(error.instance)}（订阅源和网站地图无法容纳），"
                "请在后台修改这段文字、删去该字符后重新发布")
    if kind == "pattern":
        return f"格式不符合 {value}"
    if kind == "maxLength":
        return f"长度不能超过 {value} 个字符"
    if kind in ("minimum", "maximum"):
        return f"{'不能小于' if kind == 'minimum' else '不能大于'} {value}"
    return "不符合快照规范"
