"""Writing a ledger after a one-page change costs that page (incremental.py ``Ledger.dump``,
``_DepTable``): the pages it shares with the last ledger written (or read) keep their places in the
carried table of dependencies, and the file reads back as the ledger written."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from sunshine.publisher import incremental
from sunshine.publisher.incremental import Ledger, PageEntry


def _dep(path: str, found: str) -> list:
    return ["r", [["a", step] for step in path.split(".")], found]


def _entry(number: int, found: str = "d0") -> PageEntry:
    """A page reading two dependencies every page reads and one of its own."""
    return PageEntry("item.html", f"v{number}", [_dep("site.phone", "p"), _dep("site.name", "n"),
                                                 _dep(f"department_by_code.D{number}", found)])


@pytest.fixture(autouse=True)
def fresh_table(monkeypatch):
    monkeypatch.setattr(incremental, "_TABLE", incremental._DepTable())


def _pages(ledger: Ledger) -> dict[str, tuple[str, str, list]]:
    return {name: (entry.template, entry.values, entry.deps) for name, entry in ledger.pages.items()}


def _written(path: Path) -> Ledger:
    read = Ledger._read(path)
    assert read is not None
    return read


def test_a_ledger_sharing_pages_with_the_last_one_reads_back_as_written(tmp_path):
    first = Ledger("code", {f"p{n}": _entry(n) for n in range(3)})
    first.dump(tmp_path / "1.json")
    second = Ledger("code", {**first.pages, "p1": _entry(1, "d1"), "p3": _entry(3)})
    second.dump(tmp_path / "2.json")
    assert _pages(_written(tmp_path / "2.json")) == _pages(second)


def test_only_the_pages_new_since_the_last_ledger_are_looked_up(tmp_path, spy):
    first = Ledger("code", {f"p{n}": _entry(n) for n in range(3)})
    first.dump(tmp_path / "1.json")
    looked_up = spy(incremental._DepTable, "_places")
    changed = _entry(1, "d1")
    Ledger("code", {**first.pages, "p1": changed}).dump(tmp_path / "2.json")
    assert [call[1] for call in looked_up] == [changed.deps]


def test_the_pages_of_a_ledger_read_from_disk_are_not_looked_up(tmp_path, spy):
    Ledger("code", {f"p{n}": _entry(n) for n in range(3)}).dump(tmp_path / "1.json")
    read = _written(tmp_path / "1.json")  # a publisher started anew
    looked_up = spy(incremental._DepTable, "_places")
    read.dump(tmp_path / "2.json")
    assert looked_up == []
    assert _pages(_written(tmp_path / "2.json")) == _pages(read)


def test_a_table_grown_by_a_quarter_is_made_anew(tmp_path):
    ledger = Ledger("code", {f"p{n}": _entry(n) for n in range(100)})
    ledger.dump(tmp_path / "0.json")  # 102 dependencies
    sizes = []
    for version in range(1, 100):  # each a new dependency for page 0, the last one's no page names any more
        ledger = Ledger("code", {**ledger.pages, "p0": _entry(0, f"d{version}")})
        ledger.dump(tmp_path / f"{version}.json")
        sizes.append(len(incremental._TABLE.table))
    assert sizes[:3] == [103, 104, 105]
    assert max(sizes) == 192  # 1.25 × 102 + 64, then made anew
    assert sizes[89:91] == [192, 102]
    assert sizes[-1] == 110
    assert _pages(_written(tmp_path / "99.json")) == _pages(ledger)


def test_a_ledger_sharing_no_page_with_the_last_one_holds_only_its_own_dependencies(tmp_path):
    Ledger("code", {f"p{n}": _entry(n) for n in range(3)}).dump(tmp_path / "1.json")
    Ledger("other", {"q": _entry(7)}).dump(tmp_path / "2.json")  # another site, or a full render
    assert orjson.loads((tmp_path / "2.json").read_bytes())["deps"] == _entry(7).deps
