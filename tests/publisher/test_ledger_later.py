"""The ledger after the swap (issue 7: an edit live in under a second at a city's size).

``publish(ledger_later=True)`` keeps the new build's ledger in memory and makes the build live without
it; ``write_ledger`` writes it (the resident publisher: right after its answer), and so does this
process's next publish, search publish or prune of the web root before reading it. A build left without
its ledger (the process killed in between) costs the next publish a full render, never a wrong page.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.deploy import (
    ledger_of,
    live_dir,
    prune_builds,
    publish,
    publish_search,
    write_ledger,
)
from tests.publisher.conftest import tree

EDITED = "511623-ZJ-0001"


def _edited(data: dict[str, Any], words: str) -> dict[str, Any]:
    """A copy of ``data`` with the edited item's conditions ending in ``words``."""
    data = copy.deepcopy(data)
    item = next(i for i in data["items"] if i["code"] == EDITED)
    item["conditions"] = f"{item['conditions']}\n\n可通过{words}一次办好。"
    return data


@pytest.fixture
def later(first, snapshot_data: dict[str, Any], write_snapshot: Callable[[dict[str, Any]], Path],
          web_root: Path):
    """The live build of a publish whose ledger is still in memory (one item edited since ``first``)."""
    result = publish(write_snapshot(_edited(snapshot_data, "智慧联办")), web_root, static_index=False,
                     durable=False, ledger_later=True)
    yield result
    write_ledger(web_root)  # nothing of this test's web root left in the process


def test_the_build_goes_live_before_its_ledger_is_written(later, web_root):
    assert live_dir(web_root) == later.live
    assert later.ledger_pending is True
    assert not ledger_of(web_root, later.live).exists()


def test_a_publish_without_ledger_later_has_its_ledger_when_live(first, snapshot_data, write_snapshot, web_root):
    result = publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)
    assert result.ledger_pending is False
    assert ledger_of(web_root, result.live).is_file()


def test_write_ledger_writes_the_live_builds_ledger_once(later, web_root):
    assert write_ledger(web_root) is True
    assert len(orjson.loads(ledger_of(web_root, later.live).read_bytes())["pages"]) == 49
    assert write_ledger(web_root) is False


def test_a_ledger_written_later_is_the_ledger_written_at_once(
        snapshot_data, write_snapshot, tmp_path):
    snapshot = write_snapshot(snapshot_data)
    at_once = publish(snapshot, tmp_path / "a", static_index=False, durable=False)
    kept = publish(snapshot, tmp_path / "b", static_index=False, durable=False, ledger_later=True)
    write_ledger(tmp_path / "b")
    assert orjson.loads(ledger_of(tmp_path / "b", kept.live).read_bytes()) == \
        orjson.loads(ledger_of(tmp_path / "a", at_once.live).read_bytes())


def test_the_next_publish_writes_the_pending_ledger_and_reuses_its_pages(later, snapshot_data, write_snapshot,
                                                                         web_root):
    second = publish(write_snapshot(_edited(snapshot_data, "智慧联办")), web_root, static_index=False,
                     durable=False)
    assert ledger_of(web_root, later.live).is_file()
    assert (second.build.rendered, second.build.reused) == (0, 49)


def test_a_prune_writes_the_pending_ledger(later, web_root):
    prune_builds(web_root)
    assert ledger_of(web_root, later.live).is_file()


def test_a_search_publish_writes_the_pending_ledger_and_links_it(snapshot_data, write_snapshot, web_root):
    publish(write_snapshot(snapshot_data), web_root, durable=False)
    pages = publish(write_snapshot(_edited(snapshot_data, "智慧联办")), web_root, durable=False,
                    search_later=True, ledger_later=True)
    followed = publish_search(web_root, durable=False)
    assert followed is not None
    assert os.path.samefile(ledger_of(web_root, followed.live), ledger_of(web_root, pages.live))


def test_a_search_publish_of_a_build_without_ledger_makes_a_build_without_ledger(
        snapshot_data, write_snapshot, web_root):
    publish(write_snapshot(snapshot_data), web_root, durable=False)
    pages = publish(write_snapshot(_edited(snapshot_data, "智慧联办")), web_root, durable=False, search_later=True)
    ledger_of(web_root, pages.live).unlink()  # as a publisher killed before it wrote the ledger leaves it
    followed = publish_search(web_root, durable=False)
    assert followed is not None and live_dir(web_root) == followed.live
    assert not ledger_of(web_root, followed.live).exists()


def test_the_publish_after_a_build_without_ledger_renders_everything_as_a_full_build(
        later, snapshot_data, write_snapshot, web_root, tmp_path):
    from sunshine.publisher import deploy

    deploy._UNWRITTEN.clear()  # the process that kept it was killed
    data = _edited(snapshot_data, "智慧联办")
    second = publish(write_snapshot(data), web_root, static_index=False, durable=False)
    assert (second.build.rendered, second.build.reused) == (49, 0)
    full = build_site(write_snapshot(data), tmp_path / "full", static_index=False)
    assert tree(second.live) == tree(full.out_dir)


def test_a_pending_ledger_of_a_build_removed_meanwhile_is_dropped(later, web_root):
    import shutil

    shutil.rmtree(later.live)
    assert write_ledger(web_root) is True
    assert not ledger_of(web_root, later.live).exists()


def test_a_process_ending_with_a_ledger_in_memory_writes_it(snapshot_file, tmp_path):
    web = tmp_path / "web"
    script = ("import sys; from pathlib import Path; from sunshine.publisher.deploy import publish; "
              "r = publish(Path(sys.argv[1]), Path(sys.argv[2]), static_index=False, durable=False, "
              "ledger_later=True); print(r.live)")
    run = subprocess.run([sys.executable, "-c", script, str(snapshot_file), str(web)], capture_output=True,
                         text=True, timeout=120, check=True)
    assert ledger_of(web, Path(run.stdout.strip())).is_file()
