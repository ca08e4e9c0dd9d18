"""The two engines the relevance set is measured on, over the demo data set.

``prepare(app, workdir)`` takes an app whose database holds the demo data (the suite's seeded
demo rows, or a fresh ``seed_demo``) and builds both indexes the way the product does: the
back-office Whoosh index from the database through ``site/search_docs.py``, and the public site
(with its Pagefind bundle) from the snapshot the database exports. Both engines then answer a
list of queries with public URL paths, best first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from sunshine.contract.urls import url_for
from sunshine.publisher.build import build_site
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.models import PUBLISHED, Channel, Department, Notice, ServiceItem
from tests.search.static_engine import StaticEngine

from .metrics import K

BACK_OFFICE = "back office (Whoosh)"
STATIC = "static (Pagefind)"


def published_pages() -> dict[str, str]:
    """Back-office record id → its public page, for records that have one (published ones).

    Only used while ``Hit.public_url`` is not filled in by the index; see ``public_url``.
    """
    pages: dict[str, str] = {}
    for item in db.session.scalars(select(ServiceItem).where(ServiceItem.state == PUBLISHED)):
        pages[f"item:{item.id}"] = url_for("item", item.code)
    for dept in db.session.scalars(select(Department).where(Department.state == PUBLISHED)):
        pages[f"department:{dept.id}"] = url_for("department", dept.code)
    for notice in db.session.scalars(select(Notice).where(Notice.state == PUBLISHED)):
        pages[f"notice:{notice.id}"] = url_for("notice", notice.code)
    for channel in db.session.scalars(select(Channel).where(Channel.state == PUBLISHED)):
        pages[f"channel:{channel.id}"] = url_for("channels")
    return pages


def public_url(hit: Any, pages: dict[str, str]) -> str:
    """The public page of a back-office hit ("" for drafts, complaints: they keep their slot).

    The one adapter between the index's hits and the query set's URL paths.
    """
    return getattr(hit, "public_url", "") or pages.get(hit.id, "")


def _hits(found: Any) -> list[Any]:
    """The hits of a search answer, whether a list of hits or a result object holding them."""
    return list(getattr(found, "hits", found))


class BackOfficeEngine:
    """The back-office Whoosh index searched as the centre's administrator (every department).

    Needs the app (and the demo database) while it searches: the index may read the office
    synonyms and user dictionary through the app.
    """

    name = BACK_OFFICE

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.latencies: list[float] = []

    def search(self, queries: Sequence[str], limit: int = K) -> list[list[str]]:
        from sunshine.site.search_docs import search_index

        out = []
        with self.app.app_context():
            index = search_index()
            pages = published_pages()
            self.latencies = []
            for query in queries:
                started = time.perf_counter()
                hits = _hits(index.search(query, departments=None, limit=limit))
                self.latencies.append(time.perf_counter() - started)
                out.append([public_url(hit, pages) for hit in hits[:limit]])
        return out


@dataclass
class Prepared:
    """Both engines over one demo data set, and what building them took."""

    back_office: BackOfficeEngine
    static: StaticEngine
    site_dir: Path
    snapshot: Path
    indexed: int
    whoosh_seconds: float
    site_seconds: float

    def engines(self) -> list[tuple[str, Any]]:
        return [(BACK_OFFICE, self.back_office), (STATIC, self.static)]


def prepare(app: Flask, workdir: Path) -> Prepared:
    """Index the app's database (Whoosh) and publish its snapshot as a site with Pagefind.

    The app's ``SUNSHINE_SEARCH_INDEX`` names where the back-office index goes.
    """
    from sunshine.site.search_docs import reindex_all

    workdir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        started = time.perf_counter()
        indexed = reindex_all()
        whoosh_seconds = time.perf_counter() - started
        snapshot = write_snapshot(workdir / "snapshot.json", build_snapshot())
    started = time.perf_counter()
    site_dir = build_site(snapshot, workdir / "site", static_index=True).out_dir
    site_seconds = time.perf_counter() - started
    return Prepared(BackOfficeEngine(app), StaticEngine(site_dir), site_dir, snapshot, indexed,
                    whoosh_seconds, site_seconds)
