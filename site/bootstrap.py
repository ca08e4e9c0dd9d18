"""Setting an installation up: migrate the schema, load the demo, publish.

Kept apart from the CLI so that tests and the CLI run the very same steps.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import inspect

from . import MIGRATIONS_DIR
from .db import db
from .demo_year import seed_demo_year
from .publishing import PublishOutcome, publish_site
from .seed import SeedReport, demo_logins, seed_demo


def init_database(app: Flask) -> str:
    """Bring the schema to the newest migration; returns the revision."""
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        from alembic.migration import MigrationContext

        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() or "?"


def demo_dir(app: Flask, data_dir: Path | None = None) -> Path:
    return data_dir or Path(app.config["SUNSHINE_CONTENT_DIR"]) / "demo"


def load_demo(app: Flask, data_dir: Path | None = None, *, cases: bool = True) -> SeedReport:
    """The demo data set, then (unless ``cases`` is False) the generated year of cases."""
    with app.app_context():
        if "department" not in inspect(db.engine).get_table_names():
            raise RuntimeError("数据库尚未初始化，请先运行 sunshine init-db")
        directory = demo_dir(app, data_dir)
        report = seed_demo(directory)
        if cases:
            year = seed_demo_year(directory)
            if year.existing:
                report.add("办件", 0, year.existing)
            for kind, count in year.created.items():
                report.add(kind, count)
        from .search_docs import reindex_all

        reindex_all()
    return report


def prepare_demo(app: Flask, *, cases: bool = True) -> tuple[list[dict], PublishOutcome]:
    init_database(app)
    load_demo(app, cases=cases)
    outcome = publish_site(app)
    return demo_logins(demo_dir(app)), outcome
