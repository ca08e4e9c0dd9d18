"""``python -m tests.search.relevance [--failures]``: seed the demo into a scratch SQLite database,
build both indexes, run the query set and print recall@5 / MRR per kind for both engines."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from flask_migrate import upgrade

from sunshine.site import MIGRATIONS_DIR, create_app
from sunshine.site.config import PROJECT_ROOT
from sunshine.site.seed import seed_demo

from .engines import prepare
from .run import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--failures", action="store_true", help="list every query an engine got wrong")
    parser.add_argument("--workdir", type=Path, help="keep the database, index and site here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sunshine-relevance-") as scratch:
        work = args.workdir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        app = create_app({
            "TESTING": True, "SECRET_KEY": "relevance", "INSTANCE_PATH": str(work / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'demo.sqlite3'}",
            "SUNSHINE_SEARCH_INDEX": str(work / "search-index"),
        })
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
            seed_demo(PROJECT_ROOT / "content" / "demo")
        prepared = prepare(app, work)
        measurement = run(prepared)
        print(f"indexed {prepared.indexed} records in {prepared.whoosh_seconds:.2f} s (Whoosh); "
              f"site with Pagefind built in {prepared.site_seconds:.2f} s")
        print(measurement.text(failures=args.failures))


if __name__ == "__main__":
    main()
