"""Public search: the index of published records, kept in step with publishing, and its answers.

The index is built from the snapshot the publisher consumes (``search/public_index.py``), so it
holds exactly what the static site shows; after each successful publish only the records whose
content changed are rewritten. The JSON API (``/api/search``) and the plain results page
(``/intake/search``) both answer through ``public_search`` here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from sunshine.contract.urls import ITEM_TYPE_SLUGS, absolute_url, question_url
from sunshine.search.documents import KIND_LABELS
from sunshine.search.index import SearchIndex, SyncReport
from sunshine.search.public_index import read_site_facts, update_public_index

from .search_docs import open_index

#: Record kinds of the public index (complaints are never in it).
PUBLIC_KINDS: tuple[str, ...] = ("item", "department", "notice", "channel", "question")
MAX_QUERY = 100
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_PAGE = 100
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLUG_TYPES = {slug: name for name, slug in ITEM_TYPE_SLUGS.items()}


class BadSearch(ValueError):
    """A parameter of the search is not acceptable; the message is for the user (Chinese)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def public_index() -> SearchIndex:
    return open_index(current_app.config["SUNSHINE_PUBLIC_SEARCH_INDEX"])


def update_after_publish(app: Flask, snapshot: dict[str, Any]) -> SyncReport | None:
    """Bring the public index in step with a snapshot just published; a failure is logged, never
    raised (the site is already live, and ``sunshine reindex`` repairs the index)."""
    try:
        with app.app_context():
            return update_public_index(public_index(), snapshot)
    except Exception:
        app.logger.exception("public search index update failed after publish")
        return None


def reindex_public() -> int:
    """Rebuild the public index from scratch from the last published snapshot (0 before any)."""
    path = Path(current_app.config["SUNSHINE_SNAPSHOT_PATH"])
    snapshot = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    index = public_index()
    update_public_index(index, snapshot, full=True)
    return index.doc_count()


@dataclass
class SearchParams:
    """The checked parameters of a public search."""

    query: str
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    department: str | None = None
    item_type: str | None = None
    kind: str | None = None


def _positive(args: Any, name: str, default: int, maximum: int, label: str) -> int:
    if name not in args:
        return default
    raw = (args.get(name) or "").strip()
    if not raw or not raw.isascii() or not raw.isdigit():
        raise BadSearch(name, f"{label}必须是正整数（{name}={raw[:20]}）")
    value = int(raw)
    if not 1 <= value <= maximum:
        raise BadSearch(name, f"{label}应在 1 到 {maximum} 之间（{name}={value}）")
    return value


def parse_params(args: Any) -> SearchParams:
    """Check the request's parameters; raises BadSearch with a Chinese message."""
    query = " ".join((args.get("q") or "").split())
    if not query:
        raise BadSearch("q", "请输入要搜索的内容（q 不能为空）")
    if len(query) > MAX_QUERY:
        raise BadSearch("q", f"搜索内容太长，请不超过 {MAX_QUERY} 个字")
    params = SearchParams(query=query)
    params.page = _positive(args, "page", 1, MAX_PAGE, "页码")
    params.per_page = _positive(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE, "每页条数")
    department = (args.get("department") or "").strip()
    if department:
        if not _CODE.match(department):
            raise BadSearch("department", "部门代码格式不对（只能是字母、数字、短横线和下划线）")
        params.department = department
    item_type = (args.get("type") or "").strip()
    if item_type:
        if item_type in _SLUG_TYPES:
            item_type = _SLUG_TYPES[item_type]
        if item_type not in ITEM_TYPE_SLUGS:
            raise BadSearch("type", "没有这种事项类型：" + item_type[:20] + "（可用：" + "、".join(ITEM_TYPE_SLUGS) + "）")
        params.item_type = item_type
    kind = (args.get("kind") or "").strip()
    if kind:
        if kind not in PUBLIC_KINDS:
            raise BadSearch("kind", "没有这种结果类型：" + kind[:20] + "（可用：" + "、".join(PUBLIC_KINDS) + "）")
        params.kind = kind
    return params


@dataclass
class PublicAnswer:
    """What the API returns as JSON and the results page shows."""

    query: str
    total: int
    page: int
    per_page: int
    results: list[dict[str, str]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    empty_help: dict[str, str] = field(default_factory=dict)
    #: Nothing matched the query as typed; the results are those of this correction of it.
    corrected: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page, "per_page": self.per_page,
                "results": self.results, "suggestions": self.suggestions, "corrected": self.corrected,
                "empty_help": self.empty_help}


def public_search(params: SearchParams) -> PublicAnswer:
    """Search the published records."""
    index = public_index()
    facts = read_site_facts(index.path)
    kinds = [params.kind] if params.kind else list(PUBLIC_KINDS)
    found = index.find(
        params.query,
        departments=[params.department] if params.department else None,
        kinds=kinds,
        item_types=[params.item_type] if params.item_type else None,
        offset=(params.page - 1) * params.per_page,
        limit=params.per_page,
    )
    site_url = facts.get("site_url", "")
    results = [{
        "kind": hit.kind,
        "kind_label": KIND_LABELS.get(hit.kind, hit.kind),
        "title": hit.title,
        "url": absolute_url(site_url, hit.public_url or hit.url),
        "department": hit.department or None,
        "department_name": hit.department_name or None,
        "time_limit": hit.time_limit or None,
        "fee": hit.fee or None,
        "snippet": hit.snippet,
    } for hit in found.hits]
    intake = current_app.config.get("SUNSHINE_INTAKE_URL") or facts.get("intake_url", "")
    return PublicAnswer(
        query=params.query, total=found.total, page=params.page, per_page=params.per_page,
        results=results, suggestions=list(found.suggestions), corrected=found.corrected or None,
        empty_help={"hotline": facts.get("hotline", ""), "question_url": question_url(intake or "")},
    )
