"""The publisher's only input is the snapshot: it never loads Flask, SQLAlchemy or the site."""

from __future__ import annotations

import subprocess
import sys

MODULES = (
    "snapshot",
    "markup",
    "figures",
    "charts",
    "figure_charts",
    "labels",
    "catalog",
    "opendata",
    "feed",
    "generator",
    "settings",
    "build",
    "deploy",
    "cli",
)


def test_publisher_imports_no_web_app_or_database_code():
    imports = "; ".join(f"import sunshine.publisher.{name}" for name in MODULES)
    check = (
        f"{imports}; import sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy'} "
        "or m.startswith('sunshine.site')); print(bad)"
    )
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
