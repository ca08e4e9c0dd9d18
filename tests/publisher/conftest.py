"""Fixtures for the publisher: the small Chinese snapshot, a way to write
variants of it, one shared site build, a web root published once, and a broken copy of the theme."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sunshine.publisher.build import BuildResult, build_site
from sunshine.publisher.deploy import PublishResult, publish
from sunshine.publisher.settings import default_theme_dir

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_SNAPSHOT = FIXTURES / "snapshot-small.json"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, with its bytes: builds compared whole."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def snapshot_file() -> Path:
    return SMALL_SNAPSHOT


@pytest.fixture
def snapshot_data() -> dict[str, Any]:
    """A fresh, mutable copy of the small snapshot."""
    return copy.deepcopy(json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8")))


@pytest.fixture
def write_snapshot(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write a (modified) snapshot dict to a file and return its path."""
    counter = iter(range(1000))

    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / f"snapshot-{next(counter)}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The small snapshot built once (without the search index) for read-only page tests."""
    out = tmp_path_factory.mktemp("site") / "out"
    return build_site(SMALL_SNAPSHOT, out, static_index=False)


@pytest.fixture(scope="session")
def site_dir(built: BuildResult) -> Path:
    return built.out_dir


@pytest.fixture
def page(site_dir: Path) -> Callable[[str], str]:
    """HTML text of the page at a root-relative URL such as ``/items/``."""

    def read(url: str) -> str:
        path = site_dir / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def broken_theme(tmp_path: Path) -> Callable[[str, str], Path]:
    """A copy of the theme with one template replaced by the given text."""

    def make(template: str, text: str) -> Path:
        theme = tmp_path / "broken-theme"
        if not theme.exists():
            shutil.copytree(default_theme_dir(), theme)
        (theme / "templates" / template).write_text(text, encoding="utf-8")
        return theme

    return make


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any, str], list[tuple]]:
    """``spy(owner, name)``: ``owner.name`` still runs, and the arguments of each call are appended to the
    list returned (a method's first is the instance)."""

    def watch(owner: Any, name: str) -> list[tuple]:
        calls: list[tuple] = []
        real = getattr(owner, name)

        def recording(*args: Any, **kwargs: Any) -> Any:
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recording)
        return calls

    return watch


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    return tmp_path / "web"


@pytest.fixture
def first(snapshot_data: dict[str, Any], write_snapshot: Callable[[dict[str, Any]], Path],
          web_root: Path) -> PublishResult:
    """The live site, published in full from the small snapshot (the next publish is incremental)."""
    return publish(write_snapshot(snapshot_data), web_root, static_index=False, durable=False)


def with_copies(model_code: str, numbers: range, name: Callable[[int], str]) -> dict[str, Any]:
    """The small snapshot with a copy of item ``model_code`` per number (code 511623-ZJ-<number>,
    named by ``name``), items sorted by code: a long list of fully written items."""
    data = json.loads(SMALL_SNAPSHOT.read_text(encoding="utf-8"))
    model = next(i for i in data["items"] if i["code"] == model_code)
    for n in numbers:
        item = copy.deepcopy(model)
        item["code"] = f"511623-ZJ-{n:04d}"
        item["name"] = name(n)
        data["items"].append(item)
    data["items"].sort(key=lambda i: i["code"])
    return data
