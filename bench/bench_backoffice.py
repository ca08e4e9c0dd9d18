"""Benchmark: back-office page times with a city's 10,000 items on PostgreSQL (issue 8, "Done when").

Run by hand (never in the suite; a scratch database, dropped at the end, and a temp dir):
    .venv/bin/python bench/bench_backoffice.py [--items 10000] [--departments 40] [--submitted 200]
        [--repeat 30] [--row-seconds 20] [--pg postgresql://postgres@127.0.0.1:5432] [--no-gunicorn] [--keep-db]

1. Creates the database ``bench_backoffice`` (never ``test``), migrates it (``flask_migrate.upgrade``),
   seeds the demo through the real seeder (accounts with their real argon2 hashes) and grows it to
   --items published items in --departments departments (``bench/backoffice_data.py``, text from
   ``bench/city_data.py``); --submitted items of 住建局 get an edited working copy submitted for review.
2. Indexes every record in the back-office search (Whoosh) and reports the time.
3. With Flask's test client (the real app, CSRF on, real PostgreSQL, each request its own session),
   logged in as the demo's administrator, 住建局 editor and 住建局 reviewer, times each page --repeat times
   (after two warm-up requests; at most --row-seconds per row, at least 5 times): median and p95, SQL
   statements per request, response size. Saving is a browser's POST of the edit form as the page
   gave it (``tests/admin/htmlforms.py``) with one field changed, each on a freshly opened form.
4. Unless --no-gunicorn: the same pages through the production server
   (``gunicorn -c deploy/gunicorn.conf.py sunshine.site.wsgi:app``, 2 sync workers, roles ``admin``)
   with one sequential HTTP client.

Ratios are to ``/healthz`` (one ``SELECT 1``) and to a trivial back-office page (the password form:
session, user, navigation, template) measured in the same run; the machine is shared (2 cores), so
read the ratios rather than the milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from tests.admin.htmlforms import form_fields  # noqa: E402

DB_NAME = "bench_backoffice"
VENV_BIN = Path(sys.executable).parent
SECRET = "bench-backoffice-" + "k" * 32
PASSWORDS = {"admin": "admin-demo-2026", "editor-zjj": "editor-demo-2026", "reviewer-zjj": "reviewer-demo-2026"}
WHO = {"": "匿名", "admin": "管理员", "editor-zjj": "住建局编辑", "reviewer-zjj": "住建局审核员"}
QUEUE_DEPARTMENT = "zjj"


# ---------------------------------------------------------------- timing


@dataclass
class Row:
    label: str
    who: str
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size: int = 0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank


class QueryCounter:
    """SQL statements sent by this process (the test client's requests run here)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args) -> None:
        self.count += 1


class InProcess:
    """A browser over Flask's test client: its own cookie jar, each request its own app context."""

    def __init__(self, app, counter: QueryCounter) -> None:
        self.client = app.test_client()
        self.counter = counter

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, int]:
        before = self.counter.count
        response = self.client.open(path, method=method, data=data)
        return response.status_code, response.get_data(as_text=True), self.counter.count - before


class OverHttp:
    """A browser over HTTP/1.1 to 127.0.0.1 (http.client): cookies kept, a new connection when closed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, int]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.conn.close()
            self.conn = None
        return response.status, text, -1


def timed(browser, method: str, path: str, data: dict | None = None, expect: int = 200) -> tuple[float, str, int]:
    started = time.perf_counter()
    status, text, queries = browser.request(method, path, data)
    seconds = time.perf_counter() - started
    if status != expect:
        raise RuntimeError(f"{method} {path}: {status}, expected {expect}\n{text[:2000]}")
    return seconds, text, queries


def measure(row: Row, step: Callable[[], tuple[float, str, int]], repeat: int, budget: float) -> Row:
    """Two warm-up calls, then up to ``repeat`` timed ones (at least 5, within ``budget`` seconds)."""
    for _ in range(2):
        step()
    began = time.monotonic()
    while len(row.seconds) < repeat and (len(row.seconds) < 5 or time.monotonic() - began < budget):
        seconds, text, queries = step()
        row.seconds.append(seconds)
        row.queries.append(queries)
        row.size = len(text.encode())
    print(f"  {row.label} ({WHO[row.who]}): median {row.median * 1000:.0f} ms, p95 {row.p95 * 1000:.0f} ms, "
          f"n={len(row.seconds)}", flush=True)
    return row


def login(browser, username: str) -> None:
    _s, html, _q = timed(browser, "GET", "/admin/login")
    fields = form_fields(html)
    fields.update(username=username, password=PASSWORDS[username])
    timed(browser, "POST", "/admin/login", fields, expect=302)


# ---------------------------------------------------------------- the pages


@dataclass
class Targets:
    """What the pages are about: chosen from the data once the database is full."""

    total_items: int
    editor_items: int
    edit_id: int
    code_query: str
    #: The district in the names of 住建局's added items (city_data names them "…（南湖123号）"):
    #: every one of the editor's items and a tenth of all.
    common_query: str
    search_admin: str = "营业执照"
    search_editor: str = "施工许可"


def page_plan(t: Targets) -> list[tuple[str, str, str]]:
    """(label, user, path) of every page that is a plain GET."""
    middle, editor_middle = max(1, t.total_items // 50 // 2), max(1, t.editor_items // 50 // 2 + 1)
    return [
        ("/healthz (baseline)", "", "/healthz"),
        ("trivial page (password form)", "admin", "/admin/account/password"),
        ("工作台 dashboard", "admin", "/admin/"),
        ("item list, page 1", "admin", "/admin/items"),
        (f"item list, page {middle}", "admin", f"/admin/items?page={middle}"),
        ("item list, page 1", "editor-zjj", "/admin/items"),
        (f"item list, page {editor_middle}", "editor-zjj", f"/admin/items?page={editor_middle}"),
        (f"list search q={t.common_query}", "admin", f"/admin/items?{urlencode({'q': t.common_query})}"),
        ("list search q=<one code>", "admin", f"/admin/items?{urlencode({'q': t.code_query})}"),
        (f"list search q={t.common_query}", "editor-zjj", f"/admin/items?{urlencode({'q': t.common_query})}"),
        ("list filter 待审核", "admin", "/admin/items?status=submitted"),
        (f"search page q={t.search_admin}", "admin", f"/admin/search?{urlencode({'q': t.search_admin})}"),
        (f"search page q={t.search_editor}", "editor-zjj", f"/admin/search?{urlencode({'q': t.search_editor})}"),
        ("edit page", "admin", f"/admin/items/{t.edit_id}/edit"),
        ("edit page", "editor-zjj", f"/admin/items/{t.edit_id}/edit"),
        ("review queue", "reviewer-zjj", "/admin/review"),
        ("review queue", "admin", "/admin/review"),
    ]


def save_step(browser, edit_id: int, counter: list[int]) -> Callable[[], tuple[float, str, int]]:
    """Open the edit form (not timed), change the promised note, post it as 保存草稿 (timed)."""
    path = f"/admin/items/{edit_id}/edit"

    def step() -> tuple[float, str, int]:
        _s, html, _q = timed(browser, "GET", path)
        fields = form_fields(html, action=path)
        counter[0] += 1
        fields["promised_note"] = f"材料齐全的当场办结（第{counter[0]}次修改）"
        fields["change_note"] = f"更新承诺时限说明（第{counter[0]}次）"
        fields["action"] = "draft"
        return timed(browser, "POST", path, fields, expect=302)

    return step


def run_pages(browsers: dict[str, object], t: Targets, repeat: int, budget: float, *, saves: bool,
              latest_revision: Callable[[], int]) -> list[Row]:
    rows = []
    for label, who, path in page_plan(t):
        browser = browsers[who]
        rows.append(measure(Row(label, who), lambda b=browser, p=path: timed(b, "GET", p), repeat, budget))
    if saves:
        counter = [0]
        rows.append(measure(Row("save (保存草稿, POST)", "editor-zjj"),
                            save_step(browsers["editor-zjj"], t.edit_id, counter), repeat, budget))
    latest = latest_revision()
    history = f"/admin/items/{t.edit_id}/history"
    diff = f"/admin/items/{t.edit_id}/diff?a=1&b={latest}"
    for label, path in ((f"history ({latest} revisions)", history), (f"diff rev. 1 ↔ {latest}", diff)):
        browser = browsers["editor-zjj"]
        rows.append(measure(Row(label, "editor-zjj"), lambda b=browser, p=path: timed(b, "GET", p), repeat, budget))
    return rows


def _pad(text: str, width: int) -> str:
    """Left-align in a monospace terminal, where a CJK character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def print_table(title: str, rows: list[Row]) -> None:
    base = next(r for r in rows if r.label.startswith("/healthz")).median
    trivial = next(r for r in rows if r.label.startswith("trivial")).median
    print()
    print(title)
    print(f"{_pad('page', 36)}{_pad('as', 14)}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'×healthz':>10}{'×trivial':>10}"
          f"{'SQL/req':>9}{'KiB':>7}")
    for r in rows:
        sql = f"{statistics.median(r.queries):.0f}" if r.queries and r.queries[0] >= 0 else "—"
        print(f"{_pad(r.label, 36)}{_pad(WHO[r.who], 14)}{len(r.seconds):>4}{r.median * 1000:>11.1f}{r.p95 * 1000:>9.1f}"
              f"{r.median / base:>10.1f}{r.median / trivial:>10.2f}{sql:>9}{r.size / 1024:>7.0f}")


# ---------------------------------------------------------------- database and app


def admin_sql(pg: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def make_app(db_url: str, work: Path) -> Flask:
    from sunshine.site import create_app
    from sunshine.site.config import database_url

    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url(db_url), "INSTANCE_PATH": str(work / "instance"),
        "SECRET_KEY": SECRET, "SUNSHINE_SEARCH_INDEX": str(work / "search-index"),
        "SUNSHINE_WEB_ROOT": str(work / "public"), "SUNSHINE_SNAPSHOT_PATH": str(work / "snapshot.json"),
        "SUNSHINE_QUEUE_URL": f"sqlite:///{work / 'queue.sqlite3'}", "SUNSHINE_STATIC_SEARCH": False,
    })


def prepare(app: Flask, args: argparse.Namespace) -> tuple[Targets, dict[str, float]]:
    """Migrate, seed, grow, submit, index; returns the page targets and the seconds of each step."""
    from backoffice_data import grow_to_city, submit_for_review
    from sqlalchemy import func, select

    from sunshine.site import MIGRATIONS_DIR
    from sunshine.site.db import db
    from sunshine.site.models import Department, ServiceItem
    from sunshine.site.search_docs import all_docs, search_index
    from sunshine.site.seed import seed_demo

    steps: dict[str, float] = {}
    with app.app_context():
        from flask_migrate import upgrade

        t0 = time.perf_counter()
        upgrade(directory=MIGRATIONS_DIR)
        steps["migrate"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        seed_demo(ROOT / "content" / "demo")
        steps["seed demo"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = grow_to_city(args.items, args.departments)
        steps[f"load {report.items} items (+{report.materials} materials, {report.steps} steps, "
              f"{report.fees} fees) and {report.departments} departments ({args.departments} in all)"] = time.perf_counter() - t0
        zjj = select(ServiceItem.id).join(Department).where(Department.code == QUEUE_DEPARTMENT)
        # The edited item: a published one of 住建局 with materials and steps, not in the queue.
        edit_id = db.session.scalars(zjj.where(ServiceItem.state == "published").order_by(ServiceItem.code)
                                     .offset(10).limit(1)).one()
        t0 = time.perf_counter()
        submit_for_review(QUEUE_DEPARTMENT, args.submitted, "editor-zjj", skip={edit_id})
        steps[f"submit {args.submitted} items for review"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        docs = list(all_docs())  # what reindex_all does, in two timed halves
        steps[f"search index: {len(docs)} documents read from the database"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        indexed = search_index().rebuild(docs)
        steps[f"search index: {indexed} documents written (Whoosh, jieba)"] = time.perf_counter() - t0
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(ServiceItem))
        editor_items = db.session.scalar(select(func.count()).select_from(zjj.subquery()))
        code = db.session.scalars(select(ServiceItem.code).order_by(ServiceItem.code)
                                  .offset(total // 3).limit(1)).one()
        names = db.session.scalars(select(ServiceItem.name).where(ServiceItem.id.in_(zjj))).all()
        district = next(m.group(1) for n in names if (m := re.search(r"（(\w{2})\d+号）$", n)))
        db.session.remove()
    return Targets(total, editor_items, edit_id, code, district), steps


def latest_revision_of(app: Flask, item_id: int) -> Callable[[], int]:
    def latest() -> int:
        from sunshine.site.db import db
        from sunshine.site.models import ServiceItem

        with app.app_context():
            number = db.session.get(ServiceItem, item_id).edit_version
            db.session.remove()
        return number

    return latest


# ---------------------------------------------------------------- gunicorn


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(db_url: str, work: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SUNSHINE_DATABASE_URL": db_url, "SUNSHINE_INSTANCE_PATH": str(work / "instance"),
           "SUNSHINE_SECRET_KEY": SECRET, "SUNSHINE_SEARCH_INDEX": str(work / "search-index"),
           "SUNSHINE_WEB_ROOT": str(work / "public"), "SUNSHINE_SNAPSHOT_PATH": str(work / "snapshot.json"),
           "SUNSHINE_QUEUE_URL": f"sqlite:///{work / 'queue.sqlite3'}", "SUNSHINE_STATIC_SEARCH": "0",
           "SUNSHINE_ROLES": "admin", "SUNSHINE_BIND": f"127.0.0.1:{port}", "SUNSHINE_WORKERS": "2",
           "SUNSHINE_HTTPS": "0", "SUNSHINE_ACCESS_LOG": str(log.with_suffix(".access.log"))}
    with log.open("ab") as out:
        proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "sunshine.site.wsgi:app"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"gunicorn did not come up, see {log}")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=40)


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--submitted", type=int, default=200, help="items of 住建局 waiting in the review queue")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (after 2 warm-ups)")
    parser.add_argument("--row-seconds", type=float, default=20.0, help="stop a page after this (at least 5 runs)")
    parser.add_argument("--gunicorn-repeat", type=int, default=15)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--no-gunicorn", action="store_true")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {DB_NAME} at the end")
    args = parser.parse_args()
    if not 100 <= args.items <= 20000 or not 10 <= args.departments <= 100:
        parser.error("100-20000 items in 10-100 departments")
    if args.submitted * args.departments > args.items * 0.9:
        parser.error("--submitted must fit in one department's share of the items (items / departments)")
    pg = args.pg.rstrip("/")
    db_url = f"{pg}/{DB_NAME}"
    work = Path(tempfile.mkdtemp(prefix="sunshine-bench-backoffice-"))
    began = time.monotonic()
    admin_sql(pg, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(pg, f"CREATE DATABASE {DB_NAME}")
    server = None
    app = make_app(db_url, work)
    try:
        targets, steps = prepare(app, args)
        for label, seconds in steps.items():
            print(f"{label}: {seconds:.1f} s", flush=True)

        from sqlalchemy import event

        from sunshine.site.db import db

        counter = QueryCounter()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", counter)
        browsers = {"": InProcess(app, counter)}
        for username in PASSWORDS:
            browsers[username] = InProcess(app, counter)
            login(browsers[username], username)
        print(f"\nFlask test client, {targets.total_items} items ({targets.editor_items} of 住建局, "
              f"{args.submitted} submitted):", flush=True)
        latest = latest_revision_of(app, targets.edit_id)
        in_process = run_pages(browsers, targets, args.repeat, args.row_seconds, saves=True, latest_revision=latest)

        served: list[Row] = []
        if not args.no_gunicorn:
            port = _free_port()
            server = start_gunicorn(db_url, work, port, work / "gunicorn.log")
            http_browsers = {"": OverHttp(port)}
            for username in PASSWORDS:
                http_browsers[username] = OverHttp(port)
                login(http_browsers[username], username)
            print("\ngunicorn, 2 sync workers, one sequential client:", flush=True)
            served = run_pages(http_browsers, targets, args.gunicorn_repeat, args.row_seconds / 2, saves=True,
                               latest_revision=latest)
    finally:
        if server is not None:
            stop_gunicorn(server)
        from sunshine.site.db import db as _db

        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
        if not args.keep_db:
            admin_sql(pg, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nBack office at {targets.total_items} items, {args.departments} departments, PostgreSQL, "
          f"{os.cpu_count()} cores, {time.monotonic() - began:.0f} s in all")
    for label, seconds in steps.items():
        print(f"  setup — {label}: {seconds:.1f} s")
    print_table("Flask test client (in process; SQL/req = statements sent per request):", in_process)
    if served:
        print_table("gunicorn (deploy/gunicorn.conf.py, 2 sync workers, http.client, one request at a time):", served)
    return 0


if __name__ == "__main__":
    sys.exit(main())
