"""The SQLAlchemy handle shared by the models and the app factory.

Models use SQLAlchemy 2 typed declarations; the schema itself comes from the
Alembic migrations in ``site/migrations`` (never from ``create_all``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection

import orjson
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that Alembic migrations are reviewable and
# portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


#: Statement parameters never reach a log line or an exception message (a failed insert would
#: show a complainant's name and phone). Set here as well as in the config, so that a deployment
#: overriding SQLALCHEMY_ENGINE_OPTIONS for pool sizes does not lose it. JSON columns are decoded
#: by orjson: the export reads every published record's JSON for every publish (half of its time
#: at a city's ten thousand items with the standard decoder).
ENGINE_DEFAULTS = {"hide_parameters": True, "json_deserializer": orjson.loads}

db = SQLAlchemy(model_class=Base, engine_options=ENGINE_DEFAULTS)


class HideRowValues(logging.Filter):
    """SQLAlchemy's statement log at DEBUG also prints every fetched row ("Row (…)"), contact
    details included, and ``hide_parameters`` does not cover rows: keep the line, drop the values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "Row %r":
            record.args = ("[行数据已隐去 / row values hidden]",)
        return True


#: The logger SQLAlchemy's engines write statements and rows to (filters apply per logger).
ENGINE_LOGGER = "sqlalchemy.engine.Engine"
if not any(isinstance(f, HideRowValues) for f in logging.getLogger(ENGINE_LOGGER).filters):
    logging.getLogger(ENGINE_LOGGER).addFilter(HideRowValues())


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite drops the zone; PostgreSQL keeps it).

    Values are stored in UTC and always read back aware, so comparisons and
    formatting behave the same on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def commit_keeping_loaded() -> None:
    """Commit without expiring the objects just written: they are exactly what was stored, and a
    receipt rendered from them needs no second read (the intake's hot path)."""
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


#: A reader's departments: None (all), one id, or a collection of ids (maybe empty: none).
Scope = int | Collection[int] | None


def within(column, departments: Scope):
    """A WHERE clause limiting ``column`` to a scope: None (everything), one id, or a collection of ids."""
    from sqlalchemy import true

    if departments is None:
        return true()
    if isinstance(departments, int):
        return column == departments
    return column.in_(sorted(departments))
