"""Preview of a record's working copy exactly as its public page will show it (issue 8, point 4).

The back office decides only what the page is built from: the snapshot of what is published now
(``export.build_snapshot``) with the record's working copy in place of its published version, as
the next publish would carry it (the next revision number, the time, the change history with
the pending major change note). The page itself is rendered by the publisher
(``sunshine.publisher.preview``) in the instance's preview publisher, one process shared by every
web worker (``preview_server.py``): the back office never imports Pelican, and a preview never
waits behind a publish.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from flask import current_app

from sunshine.contract.schema import ContractError

from . import clock
from .disclosure import public_fields
from .export import build_snapshot
from .figures import compute_figures
from .models import PUBLISHED, Channel, Department, Notice, ServiceItem
from .preview_server import PreviewServer
from .resident_publisher import PublisherGone
from .revisions import latest_revision, public_changes
from .security_headers import CONTENT_SECURITY_POLICY
from .workflow import COLLECTION

Record = Department | ServiceItem | Channel | Notice

#: Seconds a preview may take before its publisher process is stopped (a page takes milliseconds;
#: the first preview also starts Python and Pelican).
PREVIEW_TIMEOUT = 60.0


class PreviewError(Exception):
    """The working copy cannot be previewed. One line, Chinese, saying what to do."""


def preview_html(record: Record) -> str:
    """The public page of ``record``'s working copy as the next publish would write it, marked
    as a preview (banner ``role="status"``, ``noindex``, links to the public site's address
    ``SUNSHINE_STATIC_URL`` when it has one). Channels show on the channels page.

    Raises PreviewError (a Chinese message for the user) when the working copy breaks the snapshot
    contract or the publisher cannot render it; the caller shows the message instead of a page.
    """
    config = current_app.config
    request = {"op": "preview", "snapshot": preview_snapshot(record), "collection": COLLECTION[type(record)],
               "code": record.code, "content": config["SUNSHINE_CONTENT_DIR"],
               "theme": config["SUNSHINE_THEME_DIR"]}
    try:
        answer = previewer().request(request, timeout=PREVIEW_TIMEOUT)
    except PublisherGone as exc:
        raise PreviewError(f"预览生成失败：{str(exc).split(' / ')[0]}") from None
    if not answer.get("ok"):
        error = str(answer.get("error") or "")
        if error.startswith(("无法预览", "预览生成失败")):
            raise PreviewError(error)
        raise PreviewError(f"预览生成失败：{error.removeprefix('错误 / error: ') or '原因不明'}，请稍后重试。")
    return answer["html"]


def previewer() -> PreviewServer:
    """The app's preview publisher (``SUNSHINE_PREVIEW_SOCKET``): a publisher process apart from
    the worker's, so that a preview is never queued behind a publish (minutes for a city)."""
    config = current_app.config
    return _previewer(str(config["SUNSHINE_PREVIEW_SOCKET"]), float(config["SUNSHINE_PREVIEW_IDLE"]))


@functools.cache
def _previewer(path: str, idle: float) -> PreviewServer:
    return PreviewServer(Path(path), idle)


def preview_headers() -> dict[str, str]:
    """Headers for the preview response: never indexed nor cached, and a Content-Security-Policy
    that lets the page load the public site's stylesheets, scripts and images when the public site
    has an address of its own (``SUNSHINE_STATIC_URL``); otherwise the app's own policy."""
    headers = {"X-Robots-Tag": "noindex", "Cache-Control": "no-store"}
    origin = _origin(current_app.config.get("SUNSHINE_STATIC_URL") or "")
    if origin:
        headers["Content-Security-Policy"] = policy_allowing(origin)
    return headers


def policy_allowing(origin: str) -> str:
    """The app's Content-Security-Policy with ``origin`` added where a public page loads from."""
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split("; "):
        name = directive.split(" ", 1)[0]
        if name in ("script-src", "style-src", "img-src", "font-src"):
            directive = f"{directive} {origin}"
        directives.append(directive)
    return "; ".join(directives)


def _origin(url: str) -> str:
    """``https://zwfw.example.gov.cn`` of ``https://zwfw.example.gov.cn/x``; "" for "" or a path."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.split('/', 1)[0]}" if sep and rest else ""


def preview_snapshot(record: Record) -> dict[str, Any]:
    """The published snapshot with ``record``'s working copy in place of its published version
    (added when never published; shown even when its effective date is still to come).

    An item or notice of a department that is not public yet is shown with that department's
    working copy, so that a new department's records can be previewed before it is published.
    """
    try:
        snapshot = build_snapshot(intake_url=current_app.config["SUNSHINE_INTAKE_URL"])
    except ContractError as exc:
        raise PreviewError(f"无法预览：已发布的内容不符合规范（{str(exc).split(' / ')[0]}），"
                           "请先处理后再预览。") from None
    collection = COLLECTION[type(record)]
    _put(snapshot, collection, record, working_copy(record))
    department = record.department if isinstance(record, ServiceItem | Notice) else None
    if department is not None and not any(d["code"] == department.code for d in snapshot["departments"]):
        _put(snapshot, "departments", department, working_copy(department))
    return snapshot


def working_copy(record: Record) -> dict[str, Any]:
    """The snapshot record the next publish of ``record`` would write; a published record without
    changes is shown as it is published."""
    unchanged = record.state == PUBLISHED and not record.has_unpublished_changes and record.published_at
    if unchanged:
        number, published_at = record.revision, record.published_at
    else:
        number, published_at = (record.revision or 0) + 1, clock.now()
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=dt.UTC)
    fields = public_fields(record)
    return {
        **fields,
        "revision": number,
        "published_at": published_at.astimezone(clock.CN_TZ).isoformat(timespec="seconds"),
        "changes": _changes(record, fields, number, pending=not unchanged),
    }


def _changes(record: Record, fields: dict[str, Any], number: int, *, pending: bool) -> list[dict[str, Any]]:
    """The published change history, newest first, led by the working copy's own note when the
    publish would list it (a major note on the latest revision, which holds this working copy)."""
    published = public_changes(record.__tablename__).get(record.id, []) if record.id is not None else []
    latest = latest_revision(record) if pending else None
    if latest is None or not (latest.major and latest.note) or latest.published_as is not None \
            or latest.data != fields:
        return published
    return [{"revision": number, "date": clock.today().isoformat(), "note": latest.note}, *published]


def _put(snapshot: dict[str, Any], collection: str, record: Record, entry: dict[str, Any]) -> None:
    """Replace ``record``'s entry of ``collection`` (found by its current or published code) by
    ``entry``; a department new to the snapshot also gets its figures (its cases may predate it).
    Live in the preview, the record is no longer among the withdrawal notices (``withdrawn_*``)."""
    codes = {record.code, (record.published_data or {}).get("code")}
    snapshot[collection] = [row for row in snapshot[collection] if row["code"] not in codes] + [entry]
    withdrawn = f"withdrawn_{collection}"
    snapshot[withdrawn] = [row for row in snapshot[withdrawn] if row["code"] not in codes]
    if isinstance(record, Department) and record.id is not None:
        _put_figures(snapshot, record, codes)


def _put_figures(snapshot: dict[str, Any], department: Department, codes: set[str | None]) -> None:
    """The department's figures under its current code, counted as the export counts them."""
    figures = snapshot["figures"]
    if any(row["department"] == department.code for row in figures["departments"]):
        return
    config = current_app.config
    counted = compute_figures({department.id: department.code}, as_of=dt.date.fromisoformat(figures["as_of"]),
                              months=config["SUNSHINE_FIGURE_MONTHS"], veto_percent=config["SUNSHINE_VETO_PERCENT"])
    kept = [row for row in figures["departments"] if row["department"] not in codes]
    figures["departments"] = kept + counted["departments"]
