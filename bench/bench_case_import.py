"""Benchmark: importing 10,000 cases from CSV and from .xlsx.

Run by hand (never in the suite):
    .venv/bin/python bench/bench_case_import.py [--rows 10000] [--with-demo-year]

It writes N realistic rows over the demo items (CSV and xlsx, into a temp
dir), then imports each into a fresh SQLite database migrated to head with the
demo data seeded, and prints rows/s. Machines here are noisy, so the figures
are also given as ratios to a baseline measured in the same run: reading and
checking the CSV without storing anything. A third run re-imports the CSV
after every open case moved on (the update path).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-23T10:00:00+08:00"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("秀英", "建国", "海燕", "志强", "丽华", "伟", "敏", "静", "磊", "洋", "桂兰", "玉梅", "晓东", "春梅")
COMPANIES = ("润泽置业有限公司", "恒通建设工程有限公司", "绿源食品有限公司", "新安物流有限公司", "华信科技有限公司")
FEES = ("城市基础设施配套费", "防空地下室易地建设费", "新型墙体材料专项基金", "散装水泥专项基金")
NOTES = {"extended": "需组织专家论证", "rejected": "不属于本机关职权范围，已告知向有关部门申请"}



def _resident_id(first17: str) -> str:
    from sunshine.site.contacts import resident_id_check

    return first17 + resident_id_check(first17)

def make_rows(items: list[tuple[str, str]], n: int, today: dt.date, seed: int = 20261123) -> list[dict]:
    """N rows as the approval system exports them: a year of cases, most decided, some running."""
    from sunshine.site.cases.records import COLUMNS
    from sunshine.site.deadlines import add_working_days, is_working_day

    rng = random.Random(seed)
    headers = [c.header for c in COLUMNS]
    rows = []
    for i in range(1, n + 1):
        code, dept = items[i % len(items)]
        received = today - dt.timedelta(days=rng.randint(1, 330))
        while not is_working_day(received):
            received -= dt.timedelta(days=1)
        roll = rng.random()
        status = ("completed" if roll < 0.6 else "processing" if roll < 0.8 else "accepted" if roll < 0.9
                  else "extended" if roll < 0.95 else "rejected")
        status_on = "" if status == "accepted" else min(today, add_working_days(received, rng.randint(0, 8)))
        company = rng.random() < 0.4
        values = {
            "办件编号": f"BENCH-{dept.upper()}-{i:06d}", "事项编码": code, "收件日期": received.isoformat(),
            "状态": {"completed": "办结", "processing": "办理中", "accepted": "受理", "extended": "延期",
                     "rejected": "不予受理"}[status],
            "状态日期": status_on.isoformat() if status_on else "",
            "说明": NOTES.get(status, ""), "延期工作日": "5" if status == "extended" else "",
            "当场办结": "", "申请人": (rng.choice(SURNAMES[:10]) + "城" + rng.choice(COMPANIES)) if company
            else rng.choice(SURNAMES) + rng.choice(GIVEN),
            "联系电话": f"139{rng.randint(0, 99_999_999):08d}",
            "证件号码": _resident_id(f"330106{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
                                     f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"),
            "收费明细": ";".join(f"{rng.choice(FEES)}={rng.randint(100, 500_000)}.{rng.randint(0, 99):02d}"
                             for _ in range(rng.randint(1, 3))) if rng.random() < 0.3 else "",
            "查询码": "",
        }
        rows.append({h: values.get(h, "") for h in headers})
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_xlsx(rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(rows[0]))
    for row in rows:
        cells = list(row.values())
        cells[2] = dt.date.fromisoformat(cells[2])  # 收件日期 as a date cell, as Excel keeps it
        if cells[4]:
            cells[4] = dt.date.fromisoformat(cells[4])
        if cells[6]:
            cells[6] = int(cells[6])
        sheet.append(cells)
    book.save(path)


def fresh_app(workdir: Path, label: str, with_year: bool):
    from sunshine.site import create_app
    from sunshine.site.bootstrap import init_database, load_demo

    instance = workdir / f"instance-{label}"
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite3'}",
                      "SUNSHINE_SEARCH_INDEX": str(instance / "idx")})
    init_database(app)
    load_demo(app, cases=with_year)
    return app


def timed(label: str, n: int, fn) -> float:
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label:<34} {n:>6} rows {seconds:7.2f} s {n / seconds:9.0f} rows/s   {result}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--with-demo-year", action="store_true", help="seed the generated demo year of cases too")
    args = parser.parse_args()

    from sqlalchemy import select

    from sunshine.site import clock
    from sunshine.site.cases.importing import import_file
    from sunshine.site.cases.table_files import read_table
    from sunshine.site.db import db
    from sunshine.site.models import ServiceItem

    clock.set_now(TODAY)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        workdir = Path(tmp)
        os.environ["SUNSHINE_INSTANCE_PATH"] = str(workdir / "instance")
        app = fresh_app(workdir, "csv", args.with_demo_year)
        with app.app_context():
            items = [(i.code, i.department.code)
                     for i in db.session.scalars(select(ServiceItem).order_by(ServiceItem.code))]
        rows = make_rows(items, args.rows, clock.today())
        csv_path, xlsx_path = workdir / "cases.csv", workdir / "cases.xlsx"
        write_csv(rows, csv_path)
        write_xlsx(rows, xlsx_path)
        print(f"{args.rows} rows over {len(items)} demo items; CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
              f"xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB")
        csv_data, xlsx_data = csv_path.read_bytes(), xlsx_path.read_bytes()

        with app.app_context():
            baseline = timed("baseline: read CSV only", args.rows, lambda: len(read_table("cases.csv", csv_data)))
            xlsx_read = timed("read xlsx only", args.rows, lambda: len(read_table("cases.xlsx", xlsx_data)))
            csv_s = timed("import CSV (fresh db)", args.rows,
                          lambda: import_file("cases.csv", csv_data).summary())

        app_x = fresh_app(workdir, "xlsx", args.with_demo_year)
        with app_x.app_context():
            xlsx_s = timed("import xlsx (fresh db)", args.rows,
                           lambda: import_file("cases.xlsx", xlsx_data).summary())

        moved = [{**r, "状态": "办结", "状态日期": clock.today().isoformat(), "说明": "", "延期工作日": ""}
                 if r["状态"] in ("办理中", "受理", "延期") else r for r in rows]
        write_csv(moved, csv_path)
        with app.app_context():
            update_s = timed("re-import CSV (open cases → 办结)", args.rows,
                             lambda: import_file("cases.csv", csv_path.read_bytes()).summary())

    print(f"ratios: import CSV / read CSV = {csv_s / baseline:.1f}x; import xlsx / import CSV = "
          f"{xlsx_s / csv_s:.2f}x; read xlsx / read CSV = {xlsx_read / baseline:.1f}x; "
          f"re-import / import CSV = {update_s / csv_s:.2f}x")


if __name__ == "__main__":
    main()
