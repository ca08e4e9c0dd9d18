"""Publish the public site: export the snapshot, then run the publisher.

The publisher runs in its own process (``python -m sunshine.publisher``): the
back office never imports Pelican, a crashed build cannot take the web process
down with it, and the live site is swapped atomically by the publisher.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from sunshine.contract.schema import ContractError

from .export import build_snapshot, write_snapshot


class PublishError(Exception):
    """The site could not be rebuilt; the live site is unchanged."""


@dataclass
class PublishOutcome:
    snapshot: Path
    live_dir: Path
    seconds: float
    items: int


def publish_site(app: Flask, *, full: bool = False) -> PublishOutcome:
    """Export and rebuild the public site; raises PublishError with a one-line reason.

    The publisher reuses the live build's unchanged pages unless ``full`` (see publisher/incremental.py).
    """
    started = time.perf_counter()
    cfg = app.config
    with app.app_context():
        try:
            snapshot = build_snapshot(intake_url=cfg["SUNSHINE_INTAKE_URL"])
        except ContractError as exc:
            raise PublishError(str(exc)) from None
    snapshot_path = write_snapshot(Path(cfg["SUNSHINE_SNAPSHOT_PATH"]), snapshot)
    web_root = Path(cfg["SUNSHINE_WEB_ROOT"])
    cmd = [
        sys.executable, "-m", "sunshine.publisher", "publish",
        "--snapshot", str(snapshot_path),
        "--web-root", str(web_root),
        "--content", cfg["SUNSHINE_CONTENT_DIR"],
        "--theme", cfg["SUNSHINE_THEME_DIR"],
    ]
    if not cfg["SUNSHINE_STATIC_SEARCH"]:
        cmd.append("--no-search-index")
    if full:
        cmd.append("--full")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if ln.strip()]
        raise PublishError(lines[-1] if lines else f"发布程序退出码 {proc.returncode}")
    return PublishOutcome(
        snapshot=snapshot_path,
        live_dir=(web_root / "current").resolve(),
        seconds=time.perf_counter() - started,
        items=len(snapshot["items"]),
    )
