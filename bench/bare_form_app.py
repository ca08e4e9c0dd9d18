"""The reference the intake is measured against: a bare Flask form endpoint with one insert.

This is the endpoint of ``../shared/SCALE-NOTES.md`` §6 ("a bare Flask form endpoint with one insert
reaches about 420/s on this kind of machine"): parse the posted fields, draw a random tracking number,
HMAC-SHA256 a random query code, one INSERT through SQLAlchemy, a ~2 KB HTML receipt. No CSRF, no form
library, no template engine, no guard, no rate limiter: what any intake costs at the least. The load
benchmark serves it with the same gunicorn worker count and the same clients as the real intake, in the
same run, so the ratio of the two is a figure the machine's noise does not move much.

Served by ``bench_intake_load.py`` as ``gunicorn --chdir bench bare_form_app:app``; its table
(``bench_bare_filing``) lives in the benchmark's scratch database and goes with it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import secrets

from flask import Flask, request
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
)

KEY = b"bare-bench-key"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
metadata = MetaData()
filing = Table(
    "bench_bare_filing", metadata,
    Column("id", Integer, primary_key=True),
    Column("tracking_no", String(16), unique=True, nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("department", String(64)), Column("category", String(32)), Column("subject", String(200)),
    Column("content", Text), Column("contact_name", String(64)), Column("contact_phone", String(32)),
    Column("received_at", DateTime, server_default=func.now()),
)
engine = create_engine(os.environ["BARE_DATABASE_URL"], pool_pre_ping=False)
app = Flask(__name__)

RECEIPT = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>投诉已收到</title></head>"
           "<body><main><h1>投诉已收到</h1><dl><dt>投诉编号</dt><dd id=\"tracking-no\">{no}</dd>"
           "<dt>查询码</dt><dd>{code}</dd><dt>主题</dt><dd>{subject}</dd></dl>"
           "<p>{filler}</p></main></body></html>")
FILLER = "请妥善保存投诉编号和查询码，部门将在规定的工作日内受理并答复。" * 20


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/intake/complaint")
def file():
    form = request.form
    code, body = _code(), _code()
    number = f"TS-{body[:4]}-{body[4:]}"
    row = {"tracking_no": number, "code_hash": hmac.new(KEY, code.encode(), hashlib.sha256).hexdigest(),
           **{name: form.get(name, "") for name in ("department", "category", "subject", "content",
                                                   "contact_name", "contact_phone")}}
    with engine.begin() as conn:
        conn.execute(insert(filing), row)
    page = RECEIPT.format(no=number, code=code, subject=html.escape(row["subject"]), filler=FILLER)
    return page, 201


def create_table() -> None:
    metadata.create_all(engine)
