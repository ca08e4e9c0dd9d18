"""A public search index built once from the demo data set's real snapshot (shared by the public
search tests: the API, the results page and the index itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunshine.site import create_app
from sunshine.site.db import db
from tests.conftest import _driver, _empty_tables, restore_rows


def build_demo_public_index(schema_url: str, demo_rows: dict, directory: Path) -> dict:
    """Export the demo data set's snapshot and index it into ``directory``; returns the snapshot."""
    from sunshine.search.public_index import update_public_index
    from sunshine.site.export import build_snapshot
    from sunshine.site.public_search import public_index

    app = create_app({"TESTING": True, "INSTANCE_PATH": str(directory.parent / "instance"),
                      "SQLALCHEMY_DATABASE_URI": _driver(schema_url), "SECRET_KEY": "test-secret",
                      "SUNSHINE_PUBLIC_SEARCH_INDEX": str(directory)})
    with app.app_context():
        _empty_tables()
        restore_rows(demo_rows)
        snapshot = build_snapshot(intake_url="")
        update_public_index(public_index(), snapshot, full=True)
        _empty_tables()
        db.session.remove()
        db.engine.dispose()
    return snapshot


@pytest.fixture(scope="module")
def demo_public_index(_schema, demo_rows, tmp_path_factory) -> tuple[Path, dict]:
    directory = tmp_path_factory.mktemp("public-search") / "index"
    snapshot = build_demo_public_index(_schema, demo_rows, directory)
    return directory, snapshot
