"""Warming a new publisher (warm.py): the live site rebuilt once from its own snapshot — thrown away when it is
the same site (nothing public changes, and the next publish finds what it needs in the process's memory), made
live when the program changed since."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from sunshine.publisher import service
from sunshine.publisher.deploy import BUILDS, LEDGERS, complete_builds, ledger_of, live_dir, publish
from sunshine.publisher.settings import default_theme_dir
from sunshine.publisher.warm import warm
from tests.publisher.conftest import tree

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web(snapshot_file: Path, tmp_path: Path) -> Path:
    """A web root with one live build of the small snapshot (and its ledger)."""
    web = tmp_path / "web"
    publish(snapshot_file, web, static_index=False, durable=False)
    return web


def _settled(web: Path) -> list[str]:
    """The entries of builds/ once the background removal of the warm-up's copy is done."""
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".") for p in (web / BUILDS).iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return sorted(p.name for p in (web / BUILDS).iterdir())


def test_warming_rebuilds_the_live_site_with_every_page_reused(web):
    live = live_dir(web)
    warmed = warm(web, static_index=False)
    assert warmed is not None
    assert (warmed.live, warmed.published, warmed.rendered) == (live, False, 0)
    assert warmed.reused == len(json.loads((web / LEDGERS / f"{live.name}.json").read_bytes())["pages"])


def test_warming_leaves_the_web_root_as_it_was(web):
    live = live_dir(web)
    before, builds, ledgers = tree(live), _settled(web), sorted(p.name for p in (web / LEDGERS).iterdir())
    warm(web, static_index=False)
    assert live_dir(web) == live
    assert tree(live) == before
    assert _settled(web) == builds
    assert sorted(p.name for p in (web / LEDGERS).iterdir()) == ledgers


def test_nothing_live_nothing_to_warm(tmp_path):
    assert warm(tmp_path / "web") is None


def test_a_live_build_without_its_ledger_is_not_warmed_for(web):
    (web / LEDGERS / f"{live_dir(web).name}.json").unlink()
    assert warm(web, static_index=False) is None
    assert complete_builds(web) == [live_dir(web)]


def test_the_service_answers_a_warm_request_in_words(web):
    answers = io.BytesIO()
    request = {"op": "warm", "web_root": str(web), "static_index": False}
    service.serve(io.BytesIO(orjson.dumps(request) + b"\n"), answers)
    answer = orjson.loads(answers.getvalue())
    assert (answer["ok"], answer["published"]) == (True, False)
    assert answer["line"].startswith(f"已预热：上线版本 {live_dir(web).name}，复用 ")


@pytest.fixture
def new_release(tmp_path: Path) -> Path:
    """The theme as a new release changed it: one more line at the end of every page's main part."""
    theme = tmp_path / "new-theme"
    shutil.copytree(default_theme_dir(), theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</main>", "<p>本站已升级</p></main>", 1),
                    encoding="utf-8")
    return theme


def test_after_a_new_release_the_rebuild_goes_live(web, new_release):
    old = live_dir(web)
    warmed = warm(web, static_index=False, theme=new_release)
    assert warmed.published is True
    assert warmed.live == live_dir(web) != old
    assert warmed.reused == 0  # every page rendered again: the program changed
    assert "<p>本站已升级</p>" in (warmed.live / "index.html").read_text(encoding="utf-8")
    assert ledger_of(web, warmed.live).is_file()
    assert complete_builds(web) == [old, warmed.live]


def test_the_build_a_new_release_made_live_is_that_of_a_full_build(web, new_release, tmp_path):
    from sunshine.publisher.build import build_site

    warmed = warm(web, static_index=False, theme=new_release)
    full = build_site(warmed.live / "data" / "snapshot.json", tmp_path / "full", static_index=False,
                      theme=new_release)
    assert tree(warmed.live) == tree(full.out_dir)


def test_the_service_says_a_new_release_went_live(web, new_release):
    answers = io.BytesIO()
    request = {"op": "warm", "web_root": str(web), "static_index": False, "theme": str(new_release)}
    service.serve(io.BytesIO(orjson.dumps(request) + b"\n"), answers)
    answer = orjson.loads(answers.getvalue())
    assert (answer["ok"], answer["published"], answer["live"]) == (True, True, str(live_dir(web)))
    assert answer["line"].startswith("程序或模板已更新：已按现行程序重新生成 ")


#: A fresh process publishes one edited item — ``cold`` at once, ``warm`` after a warm-up, ``running`` after
#: publishing the live snapshot once more itself (a publisher that has been running) — and prints how many
#: digests the publish computed, pages rendered and reused.
_EDIT_IN_A_NEW_PROCESS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from sunshine.publisher import incremental
    from sunshine.publisher.deploy import live_dir, publish
    from sunshine.publisher.warm import warm
    web, snapshot, before = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    if before == "warm":
        warm(web, static_index=False)
    elif before == "running":
        publish(live_dir(web) / "data" / "snapshot.json", web, static_index=False, durable=False)
    hashed = []
    real = incremental.digest
    incremental.digest = lambda value: hashed.append(1) or real(value)
    result = publish(snapshot, web, static_index=False, durable=False)
    print(json.dumps({"hashed": len(hashed), "rendered": result.build.rendered, "reused": result.build.reused}))
""")


def _edit_in_a_new_process(web: Path, snapshot: Path, before: str) -> dict:
    run = subprocess.run([sys.executable, "-c", _EDIT_IN_A_NEW_PROCESS, str(web), str(snapshot), before],
                         capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
                         env={**os.environ, "SUNSHINE_PUBLISH_PROCESSES": "1"})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_a_warm_publishers_first_publish_does_the_work_of_a_running_ones(snapshot_data, write_snapshot, tmp_path):
    """The same edit published by three new processes: warmed, it computes as few digests as a publisher
    that had published before, and fewer than one that had not."""
    web = {name: tmp_path / name for name in ("cold", "warm", "running")}
    for root in web.values():
        publish(write_snapshot(snapshot_data), root, static_index=False, durable=False)
    snapshot_data["items"][0]["promised_note"] = "材料齐全的，当场办结"
    snapshot_data["generated_at"] = "2026-12-08T09:30:00+08:00"
    edited = write_snapshot(snapshot_data)
    done = {name: _edit_in_a_new_process(root, edited, name) for name, root in web.items()}
    assert len({(d["rendered"], d["reused"]) for d in done.values()}) == 1
    assert done["warm"]["hashed"] == done["running"]["hashed"]
    assert done["warm"]["hashed"] < done["cold"]["hashed"]
