"""The demo data set indexed by both engines and measured once per session."""

from __future__ import annotations

import pytest

from sunshine.site import create_app
from sunshine.site.db import db
from tests.conftest import _driver, _empty_tables, restore_rows

from .engines import Prepared, prepare
from .run import Measurement, run


@pytest.fixture(scope="session")
def relevance(_schema, demo_rows, tmp_path_factory) -> tuple[Prepared, Measurement]:
    """The suite's seeded demo rows, indexed (Whoosh) and published (Pagefind), with every query
    of the set run on both engines. The rows are removed again before any other test runs."""
    work = tmp_path_factory.mktemp("relevance")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(work / "instance"), "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": _driver(_schema),
                      "SUNSHINE_SEARCH_INDEX": str(work / "search-index")})
    with app.app_context():
        _empty_tables()
        restore_rows(demo_rows)
    try:
        prepared = prepare(app, work)
        measurement = run(prepared)
    finally:
        with app.app_context():
            _empty_tables()
            db.session.remove()
            db.engine.dispose()
    return prepared, measurement
