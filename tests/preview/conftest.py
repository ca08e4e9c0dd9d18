"""Fixtures of the preview tests: the demo data at a fixed time, a way to save a working copy as the
edit form does, and the public site as the publisher builds it from the same database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sunshine.publisher.build import build_site
from sunshine.site import clock
from sunshine.site.db import db
from sunshine.site.export import build_snapshot, write_snapshot
from sunshine.site.revisions import record_revision
from sunshine.site.workflow import mark_edited

NOW = "2026-03-10T10:00:00"


@pytest.fixture(autouse=True)
def _fixed_time() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def ctx(demo) -> Iterator:
    """An app context over the demo data set (published records published)."""
    with demo.app_context():
        yield demo


@pytest.fixture
def record() -> Callable:
    """A disclosure record of the demo by model and code."""

    def find(model, code: str):
        return db.session.scalars(select(model).where(model.code == code)).one()

    return find


def save_working_copy(record, *, note: str = "", major: bool = False) -> None:
    """What the edit form does after applying the changes: a draft change and a new revision."""
    mark_edited(record)
    record_revision(record, author=None, note=note, major=major)
    db.session.commit()


@pytest.fixture
def published_site(ctx, tmp_path) -> Callable[[str], str]:
    """The public site built now from the database (``url`` → that page's HTML), as a publish would."""
    built: list[Path] = []

    def page(url: str) -> str:
        if not built:
            snapshot = write_snapshot(tmp_path / "snapshot.json",
                                      build_snapshot(intake_url=ctx.config["SUNSHINE_INTAKE_URL"]))
            built.append(build_site(snapshot, tmp_path / "site", content=Path(ctx.config["SUNSHINE_CONTENT_DIR"]),
                                    theme=Path(ctx.config["SUNSHINE_THEME_DIR"]), static_index=False).out_dir)
        return (built[0] / url.lstrip("/") / "index.html").read_text(encoding="utf-8")

    return page


def part(html: str, pattern: str) -> str:
    """The first element matching ``pattern`` (an opening tag) up to its closing tag, e.g.
    ``part(html, '<section id="where"')``: sections of the theme do not nest."""
    tag = re.match(r"<(\w+)", pattern).group(1)
    found = re.search(re.escape(pattern) + r".*?</" + tag + ">", html, re.S)
    assert found, f"no {pattern} in the page"
    return found.group(0)
