"""Pages live first, their search index after (issue 7: an edit live in under a second, the search
index current within five seconds).

``publish(search_later=True)`` makes the new pages live with the live build's search index, the
changed pages noted as pending (search/static_delta.py ``carry_static_index``); ``publish_search``
then makes a build of the same files with the index of those pages and swaps it in. The resident
publisher does both, answering between them (service.py ``after_answer``). Real publishes of the small
snapshot with Pagefind; searches run the search page's own code under Node.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from sunshine.publisher import service
from sunshine.publisher.build import BuildError
from sunshine.publisher.deploy import complete_builds, live_dir, publish, publish_search
from sunshine.publisher.verify import verify_site
from sunshine.search.static_delta import DELTA_STATE_NAME, DELTA_SUBDIR, search_pending
from tests.search.static_engine import StaticEngine

EDITED = "511623-ZJ-0001"
EDITED_PAGE = f"items/{EDITED}/index.html"
#: A word no page of the small snapshot has, given to the edited item.
NEW_WORD = "智慧联办"

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the search page's code")


def _state(build: Path) -> dict[str, Any]:
    return json.loads((build / DELTA_SUBDIR / DELTA_STATE_NAME).read_bytes())


def _files(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*")) if p.is_file()}


@pytest.fixture
def edited(snapshot_data: dict[str, Any], write_snapshot: Callable[[dict[str, Any]], Path]) -> Callable[[str], Path]:
    """The small snapshot with the edited item's conditions ending in ``words``."""

    def make(words: str) -> Path:
        data = copy.deepcopy(snapshot_data)
        item = next(i for i in data["items"] if i["code"] == EDITED)
        item["conditions"] = f"{item['conditions']}\n\n可通过{words}一次办好。"
        return write_snapshot(data)

    return make


@pytest.fixture
def indexed(snapshot_file: Path, web_root: Path) -> Path:
    """A web root whose live build has a current search index (a full one)."""
    publish(snapshot_file, web_root, durable=False)
    return web_root


def test_a_search_later_publish_makes_the_page_live_with_the_previous_index(indexed, edited):
    before = live_dir(indexed)
    result = publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    assert result.search_pending is True
    assert NEW_WORD in (result.live / EDITED_PAGE).read_text(encoding="utf-8")
    entry = "pagefind/pagefind-entry.json"
    assert os.path.samefile(result.live / entry, before / entry)
    assert EDITED_PAGE in _state(result.live)["pending"]


def test_the_carried_state_is_a_new_file_and_the_previous_build_keeps_its_own(indexed, edited):
    before = live_dir(indexed)
    state_before = (before / DELTA_SUBDIR / DELTA_STATE_NAME).read_bytes()
    result = publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    assert (before / DELTA_SUBDIR / DELTA_STATE_NAME).read_bytes() == state_before
    assert not os.path.samefile(result.live / DELTA_SUBDIR / DELTA_STATE_NAME, before / DELTA_SUBDIR / DELTA_STATE_NAME)
    assert "pending" not in _state(before)


def test_a_site_whose_search_is_pending_still_verifies(indexed, edited):
    result = publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    verified = verify_site(result.live)
    assert verified.ok, verified.line()
    assert verified.search_checked_only > 0


def test_publish_search_swaps_in_a_build_with_the_index_and_no_pending_pages(indexed, edited):
    pending = publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    followed = publish_search(indexed, durable=False)
    assert followed is not None
    assert followed.previous == pending.live
    assert live_dir(indexed) == followed.live
    assert search_pending(followed.live) is False
    assert EDITED_PAGE in _state(followed.live)["pages"]


def test_publish_search_when_the_index_is_current_makes_no_build(indexed):
    builds = complete_builds(indexed)
    assert publish_search(indexed, durable=False) is None
    assert complete_builds(indexed) == builds


def test_two_steps_give_the_files_of_one_publish(snapshot_file, edited, tmp_path):
    """Byte for byte, every file, after edits published both ways (the third edit recycles a fallback)."""
    one, two = tmp_path / "one", tmp_path / "two"
    for web in (one, two):
        publish(snapshot_file, web, durable=False)
    for n, words in enumerate(("一窗受理", "容缺受理", NEW_WORD)):
        snapshot = edited(words)
        publish(snapshot, one, durable=False)
        result = publish(snapshot, two, search_later=True, durable=False)
        assert result.search_pending is True
        followed = publish_search(two, durable=False)
        assert (followed.recycled is not None) is (n >= 1)
    assert _files(live_dir(two)) == _files(live_dir(one))


def test_pending_pages_add_up_until_the_index_catches_up(indexed, edited, write_snapshot):
    first = edited(NEW_WORD)
    publish(first, indexed, search_later=True, durable=False)
    data = json.loads(first.read_bytes())
    data["notices"][0]["body"] += "\n\n本公告自发布之日起施行。"  # only the notice changes now
    second = publish(write_snapshot(data), indexed, search_later=True, durable=False)
    assert _state(second.live)["pending"] == [
        "data/index.html", EDITED_PAGE, f"notices/{data['notices'][0]['code']}/index.html"]


def test_without_an_index_to_keep_the_index_is_made_at_once(snapshot_file, web_root, edited):
    publish(snapshot_file, web_root, static_index=False, durable=False)
    result = publish(edited(NEW_WORD), web_root, search_later=True, durable=False)
    assert result.search_pending is False
    assert result.build.search_pages == 22
    assert (result.live / "pagefind/pagefind-entry.json").is_file()


def test_a_full_publish_never_waits_for_its_index(indexed, edited):
    result = publish(edited(NEW_WORD), indexed, search_later=True, full=True, durable=False)
    assert result.search_pending is False
    assert "pending" not in _state(result.live)


@needs_node
def test_the_edited_page_is_found_by_its_old_text_then_by_its_new(indexed, edited):
    engine_before = StaticEngine(publish(edited(NEW_WORD), indexed, search_later=True, durable=False).live)
    assert engine_before.search([NEW_WORD]) == [[]]
    followed = publish_search(indexed, durable=False)
    assert StaticEngine(followed.live).search([NEW_WORD]) == [[f"/items/{EDITED}/"]]


def test_the_service_answers_before_the_index_and_makes_it_current_after(indexed, edited):
    """The answer is written while the live index is still pending; the index is current once the
    service goes on to the next request."""
    seen: list[bool] = []

    class Answers(io.BytesIO):
        def write(self, data: bytes) -> int:  # what a reader of the answer finds live at that moment
            seen.append(search_pending(live_dir(indexed)))
            return super().write(data)

    request = {"snapshot": str(edited(NEW_WORD)), "web_root": str(indexed), "search_later": True}
    answers = Answers()
    service.serve(io.BytesIO(orjson.dumps(request) + b"\n"), answers)
    answer = orjson.loads(answers.getvalue())
    assert answer["ok"] is True and answer["search_pending"] is True
    assert seen == [True]
    assert search_pending(live_dir(indexed)) is False


def test_a_failed_index_leaves_the_pages_live_and_says_why(indexed, edited, monkeypatch, capsys):
    def broken(web_root: Path, **_kwargs: Any) -> None:
        raise BuildError("搜索索引生成失败：Pagefind 退出 / search index failed")

    monkeypatch.setattr(service, "publish_search", broken)
    request = {"snapshot": str(edited(NEW_WORD)), "web_root": str(indexed), "search_later": True}
    service.serve(io.BytesIO(orjson.dumps(request) + b"\n"), io.BytesIO())
    assert "搜索索引更新失败，下次发布时重试" in capsys.readouterr().err
    assert NEW_WORD in (live_dir(indexed) / EDITED_PAGE).read_text(encoding="utf-8")
    assert search_pending(live_dir(indexed)) is True


def test_a_recycled_build_keeps_the_search_folders_without_walking_them(indexed, edited, spy):
    """The oldest fallback, caught up with the live build by its manifest, holds the live index already:
    neither step walks the ten thousand files of a city's bundle to compare or link them again."""
    from sunshine.search import static_delta

    for words in ("一窗受理", "容缺受理"):
        publish(edited(words), indexed, durable=False)
    walks, links = spy(static_delta, "_relative_files"), spy(static_delta, "_link_tree")
    result = publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    followed = publish_search(indexed, durable=False)
    assert result.recycled is not None and followed.recycled is not None
    assert (walks, links) == ([], [])


def test_a_recycled_build_lists_only_the_delta_folder_anew_in_its_manifest(indexed, edited, spy):
    """The base bundle a recycled build kept is the live build's: its manifest rows are taken as they are,
    and only ``pagefind-delta/``, which the index writes, is walked — in both steps."""
    from sunshine.publisher import opendata

    for words in ("一窗受理", "容缺受理"):
        publish(edited(words), indexed, durable=False)
    walks = spy(opendata._Hashing, "walked")
    publish(edited(NEW_WORD), indexed, search_later=True, durable=False)
    followed = publish_search(indexed, durable=False)
    assert [call[2] for call in walks] == ["pagefind-delta/", "pagefind-delta/"]
    assert verify_site(followed.live).ok
