"""The two page checkers of the suite: axe-core in the browser and the Nu HTML Checker (vnu.jar).

Both come from npm (``package.json`` at the root, installed by ``make test``); vnu.jar runs on Java.
Without them the checks skip — unless SUNSHINE_REQUIRE_BROWSER=1 (CI), where a missing tool fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(path: Path, what: str) -> None:
    if path.exists() and (path != VNU or shutil.which("java")):
        return
    message = f"{what} is missing ({path}{'' if shutil.which('java') else ', java'}): run `make install`"
    if os.environ.get("SUNSHINE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as loaded (every rule axe runs by default)."""
    require(AXE, "axe-core")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]} for v in result["violations"]]


def vnu_errors(paths: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors for the given HTML files (one Java run for all of them)."""
    require(VNU, "vnu.jar")
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    return [{"file": m.get("url", "").removeprefix("file:"), "line": m.get("lastLine"), "message": m.get("message")}
            for m in report["messages"] if m.get("type") == "error"]


def screenshot_dir() -> Path | None:
    """Where the browser tests save full-page screenshots: ``$SUNSHINE_SCREENSHOTS`` (created), or None."""
    folder = os.environ.get("SUNSHINE_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
