"""Jinja filters shared by the back office and intake templates."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from .clock import CN_TZ


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(CN_TZ)
    return value.strftime("%Y-%m-%d %H:%M")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
