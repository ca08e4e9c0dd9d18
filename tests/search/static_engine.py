"""The public site's search as the relevance suite and the tests run it: ``StaticEngine``.

    engine = StaticEngine(site_dir)          # a built site: <site_dir>/pagefind/ (+ pagefind-delta/)
    engine.search(["营业执照", "yyzz"])       # → [["/items/…/", …], […]]: result URL paths, best first

It runs Node (``node`` on PATH) once per ``search`` call over ``static_engine.mjs``, which loads the
theme's real ``search.js`` (its pure functions: fold with the site's ``search-data.json``, query
pieces, a lookup per piece, merging, filters, base + delta) and the site's real Pagefind bundle, with
``fetch`` reading the site's files. Nothing is re-implemented in Python, so what it returns is what
the search page lists (before paging). ``filters`` narrows like the search page's selects:
``{"department": "<code>", "item_type": "行政许可", "case_type": "immediate", "kind": "事项"}``.
``last_pieces`` and ``last_suggestions`` hold the pieces looked up and the empty-state suggestions of
the last call, per query.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).with_name("static_engine.mjs")


class StaticEngineError(RuntimeError):
    """Node failed or is missing."""


class StaticEngine:
    """The built site's static search (search.js + Pagefind) under Node."""

    def __init__(self, site_dir: Path, *, timeout: float = 300.0) -> None:
        self.site_dir = Path(site_dir)
        if not (self.site_dir / "pagefind" / "pagefind.js").is_file():
            raise StaticEngineError(f"no Pagefind bundle in {self.site_dir}")
        node = shutil.which("node")
        if node is None:
            raise StaticEngineError("node is not on PATH")
        self.node = node
        self.timeout = timeout
        self.last_pieces: list[list[str]] = []
        self.last_suggestions: list[list[str]] = []

    def search(self, queries: list[str], limit: int = 5, filters: dict[str, str] | None = None) -> list[list[str]]:
        """Result URL paths (at most ``limit``) for each query, in the order of ``queries``."""
        request = json.dumps({"queries": list(queries), "limit": limit, "filters": filters or {}}, ensure_ascii=False)
        run = subprocess.run([self.node, str(SCRIPT), str(self.site_dir)], input=request.encode(),
                             capture_output=True, timeout=self.timeout, check=False)
        if run.returncode != 0:
            raise StaticEngineError(f"node exited {run.returncode}: {run.stderr.decode(errors='replace')[-2000:]}")
        answer = json.loads(run.stdout)
        self.last_pieces = answer["pieces"]
        self.last_suggestions = answer["suggestions"]
        return answer["results"]
