"""The public search index: the published snapshot's records as search documents.

Only what the snapshot holds is indexed — the published fields of published records, never a
draft edit — so the public API can show nothing the static site does not. Each document carries
its page on the public site (``contract.urls``). Pure: never imports Flask or the models.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sunshine.contract.codes import CASE_TYPES
from sunshine.contract.urls import url_for

from .documents import SearchDoc
from .index import SearchIndex, SyncReport
from .terms import CHANNEL_WORDS, DEPARTMENT_QUESTIONS

#: Public facts the API needs besides the hits (hotline, site address), kept with the index.
SITE_FILE = "sunshine-site.json"
PUBLISHED = "published"


def _join(*parts: object) -> str:
    return "\n".join(str(p) for p in parts if p)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(_text(v) for v in value.values())
    return "" if value is None else str(value)


def time_limit_text(item: Mapping[str, Any]) -> str:
    """承诺时限 in words: 即办件, or the promised (else statutory) working days."""
    case_type = item.get("case_type") or ""
    if case_type == "immediate":
        return CASE_TYPES["immediate"]
    days = item.get("promised_days") or item.get("statutory_days") or 0
    return f"{days}个工作日" if days else ""


def fee_text(item: Mapping[str, Any]) -> str:
    """收费 in a few words: 不收费, or the fees' names."""
    fees = item.get("fees") or []
    if not item.get("fee_required") or not fees:
        return "不收费"
    names = [fee.get("name", "") for fee in fees if fee.get("name")]
    shown = "、".join(names[:3])
    return f"收费：{shown}" + (f"等{len(names)}项" if len(names) > 3 else "")


def _department_names(dept: Mapping[str, Any] | None) -> str:
    if not dept:
        return ""
    return _join(dept.get("name", ""), dept.get("short_name", ""))


def snapshot_docs(snapshot: Mapping[str, Any]) -> Iterator[SearchDoc]:
    """The searchable records of a snapshot: items, departments, notices, channels, answered questions."""
    departments = {d["code"]: d for d in snapshot.get("departments", [])}

    def office(code: str | None) -> tuple[str, str, str]:
        dept = departments.get(code or "")
        return (code or "", _department_names(dept), dept.get("name", "") if dept else "")

    for dept in departments.values():
        people = [dept.get(role) or {} for role in ("chief", "backup")]
        body = _join(dept.get("short_name"), dept.get("window"), dept.get("address"), dept.get("hours"),
                     f"咨询电话 {dept['consult_phone']}" if dept.get("consult_phone") else "",
                     f"投诉电话 {dept['complaint_phone']}" if dept.get("complaint_phone") else "",
                     dept.get("duties"), *(_join(p.get("name"), p.get("post"), p.get("phone")) for p in people))
        yield SearchDoc(
            id=f"department:{dept['code']}", kind="department", department=dept["code"], state=PUBLISHED,
            title=dept.get("name", ""), body=body, url=url_for("department", dept["code"]),
            department_names=_department_names(dept), public_url=url_for("department", dept["code"]),
            department_name=dept.get("name", ""), names=tuple(n for n in (dept.get("name"), dept.get("short_name")) if n),
            keywords=" ".join(DEPARTMENT_QUESTIONS),
        )
    for item in snapshot.get("items", []):
        code, names, name = office(item.get("department"))
        fees = item.get("fees") or []
        body = _join(
            item.get("code"), item.get("item_type"), CASE_TYPES.get(item.get("case_type") or "", ""),
            item.get("conditions"), item.get("legal_basis"),
            *(m.get("name", "") for m in item.get("materials") or []),
            *(_join(s.get("name", ""), s.get("office", "")) for s in item.get("steps") or []),
            *(_join(f.get("name"), f.get("standard")) for f in fees),
            item.get("location"), item.get("consult_phone"), item.get("result_type"),
        )
        yield SearchDoc(
            id=f"item:{item['code']}", kind="item", department=code, state=PUBLISHED,
            title=item.get("name", ""), body=body, url=url_for("item", item["code"]),
            keywords="\n".join(item.get("keywords") or []), department_names=names,
            item_type=item.get("item_type") or "", public_url=url_for("item", item["code"]),
            department_name=name, time_limit=time_limit_text(item), fee=fee_text(item),
            names=tuple(n for n in (item.get("name"), *(f.get("name") for f in fees)) if n),
        )
    for notice in snapshot.get("notices", []):
        code, names, name = office(notice.get("department"))
        yield SearchDoc(
            id=f"notice:{notice['code']}", kind="notice", department=code, state=PUBLISHED,
            title=notice.get("title", ""), body=_join(notice.get("category"), notice.get("date"), notice.get("body")),
            url=url_for("notice", notice["code"]), department_names=names,
            public_url=url_for("notice", notice["code"]), department_name=name,
        )
    for channel in snapshot.get("channels", []):
        # Channels share one page; the anchor is the channel's heading on it.
        address = f"{url_for('channels')}#channel-{channel['code']}"
        yield SearchDoc(
            id=f"channel:{channel['code']}", kind="channel", department="", state=PUBLISHED,
            title=channel.get("name", ""), url=address, public_url=address,
            body=_join(channel.get("contact"), channel.get("hours"), channel.get("office"), channel.get("notes")),
            keywords=" ".join(CHANNEL_WORDS),
        )
    for question in snapshot.get("questions", []):
        code, names, name = office(question.get("department"))
        yield SearchDoc(
            id=f"question:{question['code']}", kind="question", department=code, state=PUBLISHED,
            title=question.get("subject", ""), body=_join(question.get("question"), question.get("answer")),
            url=url_for("question", question["code"]), department_names=names,
            public_url=url_for("question", question["code"]), department_name=name,
        )


def site_facts(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """What an empty result points to: the consultation hotline and the site's addresses."""
    site = snapshot.get("site") or {}
    return {
        "hotline": site.get("phone", "") or site.get("complaint_phone", "") or "",
        "intake_url": site.get("intake_url", "") or "",
        "site_url": site.get("site_url", "") or "",
        "name": site.get("name", "") or "",
    }


def read_site_facts(path: Path) -> dict[str, str]:
    """The facts stored with the public index ({} before the first publish)."""
    try:
        return json.loads((Path(path) / SITE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_site_facts(path: Path, facts: dict[str, str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path, prefix=".site-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(facts, fh, ensure_ascii=False, sort_keys=True)
    os.replace(tmp, path / SITE_FILE)


def update_public_index(index: SearchIndex, snapshot: Mapping[str, Any], *, full: bool = False) -> SyncReport:
    """Bring the public index in step with a snapshot: only changed records are written.

    ``full`` rebuilds from scratch (``sunshine reindex``).
    """
    docs = list(snapshot_docs(snapshot))
    if full:
        count = index.rebuild(docs)
        report = SyncReport(count, 0, 0, 0)
    else:
        report = index.sync(docs)
    _write_site_facts(index.path, site_facts(snapshot))
    return report
