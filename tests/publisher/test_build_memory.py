"""What keeps a city's full build small (issue 7): a dependency read by many pages exists once in the
ledger, a render process sends it once, and a build with nothing to reuse makes each search block
where its page renders (the parent keeps no text of the blocks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sunshine.publisher.build import build_site
from sunshine.publisher.generator import SharedDependencies, SiteSearch
from sunshine.publisher.incremental import Ledger, PageEntry
from sunshine.publisher.parallel import PROCESSES_ENV
from tests.publisher.conftest import SMALL_SNAPSHOT
from tests.publisher.test_long_lists import city_sized

PHONE = ["v", [["r", "sunshine"], ["a", "site"], ["k", "phone"]], "3131897b3cbbc94c18f12c7318d61957"]
NAME = ["v", [["r", "sunshine"], ["a", "site"], ["k", "name"]], "3b67490eaecb5a8c6a9b7d7ca2dc6da4"]
DEPARTMENT = ["v", [["r", "sunshine"], ["a", "department_by_code"], ["k", "zjj"], ["k", "name"]],
              "0e56d55b7e6130bf9803340aa28a3805"]


def entry(*deps: list) -> PageEntry:
    """A page's entry as IncrementalPages.render leaves it: the JSON form and the parsed form."""
    copied = [json.loads(json.dumps(dep)) for dep in deps]
    return PageEntry("item", "values-digest", copied, PageEntry("", "", [json.loads(json.dumps(d)) for d in deps])
                     .dependencies())


def test_two_pages_reading_the_centres_phone_share_one_dependency():
    shared = SharedDependencies()
    first, second = entry(NAME, PHONE), entry(PHONE)
    shared.share(first)
    shared.share(second)
    assert first.deps[1] is second.deps[0]
    assert first.parsed[1] is second.parsed[0]


def test_sharing_keeps_the_entrys_dependencies_and_their_order():
    shared = SharedDependencies()
    page = entry(DEPARTMENT, NAME, PHONE)
    shared.share(page)
    assert page.deps == [DEPARTMENT, NAME, PHONE]
    assert page.dependencies() == PageEntry("", "", [DEPARTMENT, NAME, PHONE]).dependencies()


def test_a_render_process_sends_each_dependency_once_and_its_pages_by_index():
    child = SharedDependencies()
    pages = {"items/a/index.html": entry(NAME, PHONE), "items/b/index.html": entry(PHONE, DEPARTMENT)}
    for page in pages.values():
        child.share(page)
    table, by_index = child.table(pages)
    assert table == [NAME, PHONE, DEPARTMENT]
    assert by_index == {"items/a/index.html": ["item", "values-digest", [0, 1]],
                        "items/b/index.html": ["item", "values-digest", [1, 2]]}


def test_the_parent_rebuilds_a_render_processs_entries_sharing_what_it_knows():
    parent = SharedDependencies()
    own = entry(PHONE)
    parent.share(own)
    table = json.loads(json.dumps([NAME, PHONE]))  # as decoded from the render process's payload
    adopted = parent.entries(table, {"items/a/index.html": ["item", "values-digest", [0, 1]]})
    page = adopted["items/a/index.html"]
    assert page == PageEntry("item", "values-digest", [NAME, PHONE])
    assert page.deps[1] is own.deps[0]
    assert page.parsed[1] is own.parsed[0]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "city.json"
    path.write_text(json.dumps(city_sized(), ensure_ascii=False), encoding="utf-8")
    return path


def test_a_full_build_in_two_processes_keeps_every_blocks_digest_and_no_block_text(city, tmp_path, monkeypatch,
                                                                                    spy):
    monkeypatch.setenv(PROCESSES_ENV, "2")
    kept = spy(SiteSearch, "keep")  # (search, ledger) of each call
    result = build_site(city, tmp_path / "site", static_index=False, ledger=tmp_path / "ledger.json")
    ledger = Ledger._read(tmp_path / "ledger.json")
    assert kept[0][0].texts == {}
    assert len(ledger.search_blocks) == result.search_analysed == 540  # as with the blocks made beforehand


def test_the_snapshot_is_decoded_with_the_collector_paused(monkeypatch, tmp_path):
    """A running publisher keeps millions of objects from its last publish; a collection triggered by
    the snapshot's decoding walked them all."""
    import gc

    from sunshine.publisher import build

    seen: list[bool] = []
    real = build.parse_snapshot

    def parse(raw: bytes, source: Path, **options) -> dict:
        seen.append(gc.isenabled())
        return real(raw, source, **options)

    monkeypatch.setattr(build, "parse_snapshot", parse)
    build.build_site(SMALL_SNAPSHOT, tmp_path / "site", static_index=False)
    assert seen == [False]
    assert gc.isenabled()


def test_the_ledger_file_holds_each_distinct_dependency_once(tmp_path):
    """Equal dependencies noted by pages of different builds (other objects) are one row of the file;
    read back, the pages are the same and share their dependencies."""
    ledger = Ledger("code-key", {"items/511623-ZJ-0001/index.html": entry(DEPARTMENT, NAME, PHONE),
                                 "items/511623-ZJ-0002/index.html": entry(NAME, PHONE),
                                 "notices/N2024-001/index.html": entry(PHONE)})
    ledger.dump(tmp_path / "ledger.json")
    data = json.loads((tmp_path / "ledger.json").read_text("utf-8"))
    assert data["deps"] == [DEPARTMENT, NAME, PHONE]
    assert data["pages"] == {"items/511623-ZJ-0001/index.html": ["item", "values-digest", [0, 1, 2]],
                             "items/511623-ZJ-0002/index.html": ["item", "values-digest", [1, 2]],
                             "notices/N2024-001/index.html": ["item", "values-digest", [2]]}
    again = Ledger._read(tmp_path / "ledger.json")
    assert again.pages == ledger.pages
    pages = list(again.pages.values())
    assert pages[0].dependencies() == entry(DEPARTMENT, NAME, PHONE).dependencies()
    assert pages[2].deps[0] is pages[1].deps[1] is pages[0].deps[2]
    assert pages[2].dependencies()[0] is pages[0].dependencies()[2]


def test_a_ledger_naming_a_dependency_it_does_not_hold_is_not_read(tmp_path):
    path = tmp_path / "ledger.json"
    Ledger("code-key", {"items/511623-ZJ-0001/index.html": entry(NAME, PHONE)}).dump(path)
    data = json.loads(path.read_text("utf-8"))
    for place in (2, -1, "1"):
        data["pages"]["items/511623-ZJ-0001/index.html"][2] = [0, place]
        path.write_text(json.dumps(data), encoding="utf-8")
        assert Ledger._read(path) is None
