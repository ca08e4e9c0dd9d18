"""Benchmark: the complaint intake under load on PostgreSQL, with a SIGKILL of the server midway.

Run by hand (never in the suite; bounded in count and time; traffic only to 127.0.0.1):
    .venv/bin/python bench/bench_intake_load.py [--workers 2,4] [--clients 12] [--seconds 30]
        [--fresh-seconds 20] [--profile-posts 500] [--keep-db] [--keep-files]

For one scratch database (``sunshine_bench`` on 127.0.0.1:5432, dropped at the end; never ``test``)
it runs ``sunshine init-db`` and ``sunshine seed-demo --no-cases``, then for each worker count starts
the production server with the documented command
(``gunicorn -c deploy/gunicorn.conf.py sunshine.site.wsgi:app``, SUNSHINE_ROLES=public) and:

1. baseline: the same clients GET /healthz (one SELECT 1) for a few seconds;
2. load: client processes (multiprocessing, http.client) post valid complaints for --seconds.
   Each client GETs /intake/complaint once, keeps the session cookie and CSRF token, and then posts
   with submission keys of its own (``b<run>-`` + 24 random urlsafe characters, within the form's
   ``^[A-Za-z0-9_-]{16,64}$``). Halfway the gunicorn master and every worker get SIGKILL, the
   server is started again, and each client retries its failed filing with the SAME key until it
   is acknowledged (201, or 200 when the server had stored it before dying);
3. check: every acknowledged tracking number is in the complaint table under the key it was
   acknowledged for, no tracking number or key appears twice, nothing was stored unacknowledged.

Before the first run of each worker count, the same clients post the same fields for --bare-seconds to
the bare reference endpoint of SCALE-NOTES §6 (``bench/bare_form_app.py``: one insert, no CSRF, form
library or template) under gunicorn with as many workers: the intake's rate as a share of that one is
the figure the machine's load moves least.

A last run (--fresh-seconds, first worker count) does what a browser does, GET the form then POST
it with the page's own key, one pair per filing, with the same crash. Rate limits are OFF for the
load (SUNSHINE_RATELIMIT_ENABLED=0: every client comes from 127.0.0.1, and the filing limit is 5
a minute per address). The access log stays on, written to a file, as in production.

Finally --profile-posts posts run in this process through the Flask test client under cProfile
(same database), to name where a worker's CPU goes. The machine is shared and the clients run on
the same 2 cores as the server and PostgreSQL, so the figures are noisy; the ratio to /healthz,
measured in the same run, is the firmer one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG = "postgresql://postgres@127.0.0.1:5432"
DB_NAME = "sunshine_bench"
GOAL_RATE, GOAL_P99_MS = 300.0, 100.0
WARMUP = 2.0  # seconds after a (re)start that are not steady
GRACE = 15.0  # how long a client may keep retrying its last filing after the end
FORM_PATH = "/intake/complaint"

SUBJECTS = ("窗口工作人员多次要求补交同一材料", "办理超过承诺时限仍未答复", "收费项目未公示", "窗口午休期间无人值守",
            "网上预约后现场仍需排队两小时")
CONTENTS = (
    "2026年11月20日上午9点，我到政务服务中心住建窗口办理施工许可，工作人员要求补交已经提交过的材料，前后跑了三趟。",
    "11月18日在不动产登记窗口递交材料，承诺5个工作日办结，至今没有任何答复，电话也无人接听。",
    "在市场监管窗口办理营业执照变更时被要求缴纳工本费，但窗口和网站都没有公示这项收费。",
)
NAMES = ("王秀英", "李建国", "张海燕", "刘志强", "陈丽华")


# ---------------------------------------------------------------- client side (child processes)

def _page_fields(html: str) -> dict[str, object]:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    key = re.search(r'name="submission" type="hidden" value="([^"]+)"', html)
    dept = re.search(r'<select[^>]*name="department"[^>]*>(.*?)</select>', html, re.S)
    cat = re.search(r'<select[^>]*name="category"[^>]*>(.*?)</select>', html, re.S)
    if not (token and key and dept and cat):
        raise RuntimeError("the complaint form lacks a token, a key or its selects")
    options = re.compile(r'<option[^>]*value="([^"]+)"')
    return {"csrf_token": token.group(1), "submission": key.group(1),
            "departments": options.findall(dept.group(1)), "categories": options.findall(cat.group(1))}


class Client:
    """One browser-like client: a session cookie, keep-alive where the server offers it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or ():
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        if response.will_close:
            self.conn.close()
        return response.status, text


def _get_form(client: Client, until: float) -> dict[str, object]:
    while True:
        try:
            status, html = client.request("GET", FORM_PATH)
            if status == 200:
                return _page_fields(html)
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > until:
            raise RuntimeError("no complaint form")
        time.sleep(0.05)


def healthz_client(port: int, start: float, stop: float, out: str) -> None:
    client, lat = Client(port), []
    while time.monotonic() < start:
        time.sleep(0.001)
    while time.monotonic() < stop:
        t0 = time.monotonic()
        try:
            status, _ = client.request("GET", "/healthz")
        except (OSError, http.client.HTTPException):
            status = 0
        lat.append((t0, time.monotonic(), status))
    Path(out).write_text(json.dumps(lat))


def filing_client(port: int, number: int, run: str, fresh: bool, start: float, stop: float, out: str) -> None:
    """Post complaints from ``start`` to ``stop``; every failed filing is retried with the same key."""
    import random

    rng = random.Random(number)
    client = Client(port)
    page = _get_form(client, start + 30)
    records: list[dict] = []  # one per attempt
    while time.monotonic() < start:
        time.sleep(0.001)
    while time.monotonic() < stop:
        get_ms = None
        if fresh:  # what a browser does: a new page (token and key) for each filing
            t0 = time.monotonic()
            try:
                page = _get_form(client, stop + GRACE)
            except RuntimeError:
                break
            get_ms = (time.monotonic() - t0) * 1000
            key = str(page["submission"])
        else:
            key = f"b{run}-" + secrets.token_urlsafe(18)
        body = urlencode({
            "csrf_token": page["csrf_token"], "submission": key,
            "department": rng.choice(page["departments"]), "item": "", "category": rng.choice(page["categories"]),
            "subject": rng.choice(SUBJECTS), "content": rng.choice(CONTENTS), "contact_name": rng.choice(NAMES),
            "contact_phone": f"139{rng.randrange(10**8):08d}", "website": "",
        })
        attempt = 0
        while True:  # the SAME key until acknowledged (or the grace period is over)
            attempt += 1
            t0 = time.monotonic()
            error = ""
            try:
                status, html = client.request("POST", FORM_PATH, body)
            except (OSError, http.client.HTTPException) as exc:
                status, html, error = 0, "", type(exc).__name__
            t1 = time.monotonic()
            number_match = re.search(r'<dd id="tracking-no">([^<]+)</dd>', html) if status in (200, 201) else None
            records.append({"t0": t0, "t1": t1, "status": status, "key": key, "attempt": attempt, "error": error,
                            "no": number_match.group(1) if number_match else None, "get_ms": get_ms})
            if status in (200, 201) and number_match:
                break
            if status == 400:  # refused by the form: record it, do not hammer
                break
            if time.monotonic() > stop + GRACE:
                records[-1]["gave_up"] = True
                break
            time.sleep(0.02)
    Path(out).write_text(json.dumps(records))


def bare_client(port: int, number: int, start: float, stop: float, out: str) -> None:
    """Post the same fields to the bare reference endpoint (``bare_form_app``) from ``start`` to ``stop``."""
    import random

    rng = random.Random(number)
    client, lat = Client(port), []
    while time.monotonic() < start:
        time.sleep(0.001)
    while time.monotonic() < stop:
        body = urlencode({
            "department": "dept", "category": "attitude", "subject": rng.choice(SUBJECTS),
            "content": rng.choice(CONTENTS), "contact_name": rng.choice(NAMES),
            "contact_phone": f"139{rng.randrange(10**8):08d}",
        })
        t0 = time.monotonic()
        try:
            status, html = client.request("POST", FORM_PATH, body)
            ok = status == 201 and '<dd id="tracking-no">' in html
        except (OSError, http.client.HTTPException):
            ok = False
        lat.append((t0, time.monotonic(), ok))
    Path(out).write_text(json.dumps(lat))


# ---------------------------------------------------------------- server side

def _env(instance: Path, port: int, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SUNSHINE_DATABASE_URL": f"{PG}/{DB_NAME}", "SUNSHINE_INSTANCE_PATH": str(instance),
        "SUNSHINE_SECRET_KEY": "bench-" + "k" * 40, "SUNSHINE_ROLES": "public",
        "SUNSHINE_BIND": f"127.0.0.1:{port}", "SUNSHINE_WORKERS": str(workers),
        "SUNSHINE_RATELIMIT_ENABLED": "0", "SUNSHINE_ACCESS_LOG": "-",
    })
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.proc = env, log, None

    def start(self) -> float:
        """Start gunicorn; returns the seconds until /healthz answered 200."""
        t0 = time.monotonic()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                          "sunshine.site.wsgi:app"], cwd=ROOT, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)
        return self.wait_healthy(t0)

    def wait_healthy(self, t0: float) -> float:
        """Seconds from ``t0`` until /healthz answered 200 (30 s at most)."""
        port = int(self.env["SUNSHINE_BIND"].rsplit(":", 1)[1])
        while time.monotonic() - t0 < 30:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return time.monotonic() - t0
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"the server did not come up, see {self.log}")

    def kill(self) -> int:
        """SIGKILL the master and every worker (by pid); returns how many processes died."""
        pids = _children(self.proc.pid) + [self.proc.pid]
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.proc.wait()
        return len(pids)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=35)


class BareServer(Server):
    """The reference endpoint (``bench/bare_form_app.py``) under gunicorn: same workers, same access log."""

    def __init__(self, port: int, workers: int, log: Path) -> None:
        super().__init__({**os.environ, "BARE_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_NAME}",
                          "SUNSHINE_BIND": f"127.0.0.1:{port}"}, log)
        self.workers = workers

    def start(self) -> float:
        subprocess.run([str(VENV_BIN / "python"), "-c", "import bare_form_app; bare_form_app.create_table()"],
                       cwd=ROOT / "bench", env=self.env, check=True)
        t0 = time.monotonic()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--chdir", str(ROOT / "bench"), "-w", str(self.workers),
                 "-b", self.env["SUNSHINE_BIND"], "--access-logfile", "-", "--preload", "bare_form_app:app"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self.wait_healthy(t0)


def _run_clients(target, args_list: list[tuple]) -> list[multiprocessing.Process]:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=args) for args in args_list]
    for proc in procs:
        proc.start()
    return procs


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def baseline(port: int, clients: int, seconds: float, tmp: Path) -> dict[str, float]:
    start = time.monotonic() + 0.5
    outs = [str(tmp / f"hz-{i}.json") for i in range(clients)]
    for proc in _run_clients(healthz_client, [(port, start, start + seconds, o) for o in outs]):
        proc.join()
    lat = [r for o in outs for r in json.loads(Path(o).read_text())]
    ok = [(t1 - t0) * 1000 for t0, t1, s in lat if s == 200]
    return {"rate": len(ok) / seconds, "p99": _pct(ok, 0.99), "errors": len(lat) - len(ok)}


def bare_run(port: int, clients: int, seconds: float, tmp: Path) -> dict[str, float]:
    """Filings per second and p99 of the bare reference endpoint (no crash: it is only the yardstick)."""
    start = time.monotonic() + 0.5
    outs = [str(tmp / f"bare-{i}.json") for i in range(clients)]
    for proc in _run_clients(bare_client, [(port, i, start, start + seconds, o) for i, o in enumerate(outs)]):
        proc.join()
    lat = [r for o in outs for r in json.loads(Path(o).read_text())]
    ok = [(t1 - t0) * 1000 for t0, t1, good in lat if good and t1 >= start + WARMUP]
    return {"rate": len(ok) / max(0.1, seconds - WARMUP), "p99": _pct(ok, 0.99),
            "errors": sum(1 for *_, good in lat if not good)}


def load_run(run: str, server: Server, port: int, clients: int, seconds: float, fresh: bool,
             tmp: Path) -> dict:
    start = time.monotonic() + 2.0  # time for every client to GET its form first
    stop = start + seconds
    outs = [str(tmp / f"load-{run}-{i}.json") for i in range(clients)]
    procs = _run_clients(filing_client, [(port, i, run, fresh, start, stop, o) for i, o in enumerate(outs)])
    time.sleep(max(0.0, start + seconds / 2 - time.monotonic()))
    t_kill = time.monotonic()
    killed = server.kill()
    boot = server.start()
    t_up = time.monotonic()
    for proc in procs:
        proc.join(timeout=stop + GRACE + 20 - time.monotonic())
    records = [r for o in outs if Path(o).exists() for r in json.loads(Path(o).read_text())]
    return {"run": run, "records": records, "start": start, "stop": stop, "t_kill": t_kill, "t_up": t_up,
            "boot": boot, "killed": killed, "clients_done": sum(Path(o).exists() for o in outs)}


def verify(run: str, result: dict) -> dict:
    import psycopg

    acked = [r for r in result["records"] if r["status"] in (200, 201) and r["no"]]
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        if result.get("fresh_keys"):
            keys = list({r["key"] for r in result["records"]})
            rows = conn.execute("SELECT tracking_no, submission_key FROM complaint WHERE submission_key = ANY(%s)",
                                (keys,)).fetchall()
        else:
            rows = conn.execute("SELECT tracking_no, submission_key FROM complaint WHERE submission_key LIKE %s",
                                (f"b{run}-%",)).fetchall()
        total = conn.execute("SELECT count(*) FROM complaint").fetchone()[0]
    by_key = {key: no for no, key in rows}
    ack_by_key: dict[str, set[str]] = {}
    for r in acked:
        ack_by_key.setdefault(r["key"], set()).add(r["no"])
    missing = sum(1 for key, nos in ack_by_key.items() if by_key.get(key) not in nos)
    two_numbers = sum(1 for nos in ack_by_key.values() if len(nos) > 1)
    return {
        "acked_filings": len(ack_by_key), "rows": len(rows), "table_rows": total,
        "missing": missing, "acked_twice_different_no": two_numbers,
        "dup_no": len(rows) - len({no for no, _ in rows}), "dup_key": len(rows) - len(by_key),
        "stored_unacked": sum(1 for key in by_key if key not in ack_by_key),
    }


def summarise(result: dict, seconds: float) -> dict:
    recs = result["records"]
    start, stop, t_kill, t_up = result["start"], result["stop"], result["t_kill"], result["t_up"]
    windows = [(start + WARMUP, t_kill), (t_up + WARMUP, stop)]
    steady_len = sum(max(0.0, b - a) for a, b in windows)

    def steady(r: dict) -> bool:
        return any(a <= r["t1"] < b for a, b in windows)

    ok = [r for r in recs if r["status"] in (200, 201) and r["no"]]
    ok_steady = [r for r in ok if steady(r)]
    lat_steady = [(r["t1"] - r["t0"]) * 1000 for r in ok_steady]
    lat_all = [(r["t1"] - r["t0"]) * 1000 for r in ok]
    pair_steady = [(r["t1"] - r["t0"]) * 1000 + r["get_ms"] for r in ok_steady if r["get_ms"] is not None]
    failed = [r for r in recs if not (r["status"] in (200, 201) and r["no"])]
    errors: dict[str, int] = {}
    for r in failed:
        name = r["error"] or f"HTTP {r['status']}"
        errors[name] = errors.get(name, 0) + 1
    retried_keys = {r["key"] for r in recs if r["attempt"] > 1}
    return {
        "steady_rate": len(ok_steady) / steady_len if steady_len else 0.0,
        "overall_rate": len(ok) / seconds,
        "p50": _pct(lat_steady, 0.50), "p99": _pct(lat_steady, 0.99), "p99_all": _pct(lat_all, 0.99),
        "max_all": max(lat_all) if lat_all else float("nan"),
        "pair_p99": _pct(pair_steady, 0.99) if pair_steady else None,
        "replayed_200": sum(1 for r in ok if r["status"] == 200),
        "retried_filings": len(retried_keys), "errors": errors,
        "error_total": len(failed), "gave_up": sum(1 for r in recs if r.get("gave_up")),
        "down_s": t_up - t_kill,
    }


# ---------------------------------------------------------------- setup, profile, main

def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def create_database(instance: Path) -> float:
    t0 = time.monotonic()
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {DB_NAME}")
    env = _env(instance, 0, 1)
    for args in (["init-db"], ["seed-demo", "--no-cases"]):
        subprocess.run([str(VENV_BIN / "sunshine"), *args], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def profile_posts(instance: Path, posts: int) -> dict:
    """``posts`` filings through the Flask test client, timed, then again under cProfile.

    Returns ms and CPU ms per post, SQL statements per post, /healthz ms, and the top costs
    (the project's own functions by cumulative time, everything by own time).
    """
    import cProfile
    import io
    import pstats

    os.environ.update(_env(instance, 0, 1))
    from sqlalchemy import event

    from sunshine.site import create_app
    from sunshine.site.db import db

    app = create_app()
    client = app.test_client()
    page = _page_fields(client.get(FORM_PATH).get_data(as_text=True))

    def body(i: int) -> dict[str, str]:
        return {"csrf_token": str(page["csrf_token"]), "submission": "bprof-" + secrets.token_urlsafe(18),
                "department": page["departments"][i % len(page["departments"])], "item": "",
                "category": page["categories"][i % len(page["categories"])], "subject": SUBJECTS[i % 5],
                "content": CONTENTS[i % 3], "contact_name": NAMES[i % 5], "contact_phone": "13981234567",
                "website": ""}

    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_a: statements.__setitem__(0, statements[0] + 1))
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(posts):
        response = client.post(FORM_PATH, data=body(i))
        assert response.status_code == 201, response.status_code
    wall, cpu = (time.perf_counter() - wall) * 1000 / posts, (time.process_time() - cpu) * 1000 / posts
    per_post_sql = statements[0] / posts
    t0 = time.perf_counter()
    for _ in range(posts):
        client.get("/healthz")
    healthz = (time.perf_counter() - t0) * 1000 / posts
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(posts):
        client.post(FORM_PATH, data=body(i))
    profiler.disable()
    own, everything = io.StringIO(), io.StringIO()
    pstats.Stats(profiler, stream=own).sort_stats("cumulative").print_stats(str(ROOT / "site"), 12)
    pstats.Stats(profiler, stream=everything).sort_stats("tottime").print_stats(10)

    def table(out: io.StringIO) -> str:
        text = re.sub(r"\S*/site-packages/", "", out.getvalue()).replace(str(ROOT) + "/", "")
        return text[text.find("   ncalls"):].rstrip()

    return {"ms": wall, "cpu_ms": cpu, "sql": per_post_sql, "healthz_ms": healthz,
            "own": table(own), "all": table(everything)}


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts to compare")
    parser.add_argument("--clients", type=int, default=12, help="concurrent client processes")
    parser.add_argument("--seconds", type=float, default=30.0, help="load per worker count")
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--fresh-seconds", type=float, default=20.0, help="GET+POST per filing run; 0 = skip")
    parser.add_argument("--bare-seconds", type=float, default=10.0,
                        help="the bare reference endpoint per worker count (bench/bare_form_app.py); 0 = skip")
    parser.add_argument("--profile-posts", type=int, default=500, help="0 = skip the profile")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {DB_NAME} at the end")
    parser.add_argument("--keep-files", action="store_true", help="keep the temp dir (gunicorn logs, records)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.seconds <= 120 and args.fresh_seconds <= 120
            and args.profile_posts <= 5000):
        parser.error("bounded: 1-64 clients, at most 120 s per run, at most 5000 profiled posts")
    workers = [int(w) for w in args.workers.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="sunshine-bench-intake-"))
    instance = tmp / "instance"
    port = _free_port()
    began = time.monotonic()
    rows: list[tuple[str, dict, dict, dict]] = []
    bare: dict[int, dict[str, float]] = {}
    server = None
    try:
        setup_s = create_database(instance)
        print(f"database {DB_NAME} created, migrated and seeded in {setup_s:.1f} s; port {port}; "
              f"{args.clients} client processes; rate limits OFF (SUNSHINE_RATELIMIT_ENABLED=0)", flush=True)
        plan = [(f"{w}", w, args.seconds, False) for w in workers]
        if args.fresh_seconds:
            plan.append((f"{workers[0]}f", workers[0], args.fresh_seconds, True))
        for run, count, seconds, fresh in plan:
            if args.bare_seconds and not fresh and count not in bare:
                server = BareServer(port, count, tmp / f"gunicorn-bare-{count}.log")
                server.start()
                bare[count] = bare_run(port, args.clients, args.bare_seconds, tmp)
                server.stop()
                server = None
                print(f"bare reference, {count} workers: {json.dumps(bare[count])}", flush=True)
            server = Server(_env(instance, port, count), tmp / f"gunicorn-{run}.log")
            server.start()
            base = baseline(port, args.clients, args.baseline_seconds, tmp)
            result = load_run(run, server, port, args.clients, seconds, fresh, tmp)
            result["fresh_keys"] = fresh
            server.stop()
            server = None
            stats, check = summarise(result, seconds), verify(run, result)
            stats["boot"], stats["killed"] = result["boot"], result["killed"]
            rows.append((run, base, stats, check))
            print(f"run {run}: {json.dumps({**stats, **check}, ensure_ascii=False)}", flush=True)
        profile = profile_posts(instance, args.profile_posts) if args.profile_posts else None
    finally:
        if server is not None:
            server.stop()
        if not args.keep_db:
            _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if args.keep_files:
            print(f"gunicorn logs and client records kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"Intake load, gunicorn sync workers on PostgreSQL, {args.clients} client processes, "
          f"SIGKILL of master+workers midway, {os.cpu_count()} cores, {time.monotonic() - began:.0f} s in all")
    head = ("run", "healthz/s", "hz p99", "filings/s", "ratio", "p50 ms", "p99 ms", "p99 all", "max all",
            "down s", "retried", "200 replay", "errors", "acked", "rows", "missing", "dup no", "dup key",
            "unacked")
    print(" | ".join(head))
    for run, base, s, c in rows:
        label = f"w{run[:-1]} GET+POST" if run.endswith("f") else f"w{run} token"
        cells = (label, _fmt(base["rate"], 0), _fmt(base["p99"]), _fmt(s["steady_rate"]),
                 _fmt(s["steady_rate"] / base["rate"], 2), _fmt(s["p50"]), _fmt(s["p99"]), _fmt(s["p99_all"]),
                 _fmt(s["max_all"], 0), _fmt(s["down_s"], 2), str(s["retried_filings"]), str(s["replayed_200"]),
                 str(s["error_total"]), str(c["acked_filings"]), str(c["rows"]), str(c["missing"]),
                 str(c["dup_no"]), str(c["dup_key"]), str(c["stored_unacked"]))
        print(" | ".join(cells))
    print("filings/s and p50/p99: acknowledged filings in the steady windows (2 s after each start to the kill, "
          "and to the end); p99 all / max all include the crash and the retries; errors: failed attempts "
          "(connection refused/reset while the server was down), all retried with the same key.")
    for run, _base, s, _c in rows:
        if s["pair_p99"] is not None:
            print(f"w{run[:-1]} GET+POST: {2 * s['steady_rate']:.1f} requests/s; p99 of GET+POST pair "
                  f"{s['pair_p99']:.1f} ms")
        print(f"run {run}: errors by kind {s['errors']}; gave up {s['gave_up']}; killed {s['killed']} processes; "
              f"restart to healthy {s['boot']:.2f} s")
    for count, ref in bare.items():
        ours = next(s["steady_rate"] for run, _b, s, _c in rows if run == str(count))
        print(f"bare reference endpoint (one insert, no CSRF/forms/templates; bench/bare_form_app.py), w{count}: "
              f"{ref['rate']:.1f} filings/s, p99 {ref['p99']:.1f} ms, {ref['errors']} errors; the intake "
              f"(w{count} token) reaches {ours / ref['rate']:.0%} of it")
    best = max(rows, key=lambda row: row[2]["steady_rate"])
    lost = sum(c["missing"] + c["dup_no"] + c["dup_key"] for *_, c in rows)
    rate, p99 = best[2]["steady_rate"], best[2]["p99"]
    print(f"goal ≥{GOAL_RATE:.0f} filings/s with p99 <{GOAL_P99_MS:.0f} ms, zero lost: best w{best[0]} "
          f"{rate:.1f}/s ({rate / GOAL_RATE:.0%} of goal), p99 {p99:.1f} ms; lost or duplicated: {lost} -> "
          f"{'MET' if rate >= GOAL_RATE and p99 < GOAL_P99_MS and lost == 0 else 'NOT MET'}")
    if profile:
        print(f"\nprofile, in-process (Flask test client, PostgreSQL, no server): {args.profile_posts} posts at "
              f"{profile['ms']:.2f} ms each ({profile['cpu_ms']:.2f} ms CPU, {profile['sql']:.1f} SQL statements); "
              f"GET /healthz {profile['healthz_ms']:.2f} ms. Under cProfile, the project's own functions by "
              f"cumulative time:\n{profile['own']}\nall functions by own time:\n{profile['all']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
