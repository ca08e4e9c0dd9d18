"""A full build renders its pages in several processes (both cores of a county's server): the same
bytes and ledger as one process, and a failure in a render process fails the build with its reason."""

from __future__ import annotations

import json
import logging
import os
import signal
from pathlib import Path

import pytest

from sunshine.publisher import incremental
from sunshine.publisher.build import BuildError, build_site
from sunshine.publisher.generator import SunshineGenerator
from sunshine.publisher.incremental import Ledger
from sunshine.publisher.parallel import PROCESSES_ENV
from tests.publisher.conftest import tree
from tests.publisher.test_long_lists import city_sized


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "city.json"
    path.write_text(json.dumps(city_sized(), ensure_ascii=False), encoding="utf-8")
    return path


def test_two_processes_build_the_same_bytes_and_ledger_as_one(city, tmp_path, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "1")
    one = build_site(city, tmp_path / "one", static_index=False, ledger=tmp_path / "one.json")
    monkeypatch.setenv(PROCESSES_ENV, "2")
    two = build_site(city, tmp_path / "two", static_index=False, ledger=tmp_path / "two.json")
    assert one.rendered == two.rendered == 743
    assert tree(one.out_dir) == tree(two.out_dir)
    ledgers = [Ledger._read(tmp_path / f"{n}.json") for n in ("one", "two")]
    assert ledgers[0].pages == ledgers[1].pages


def _in_child(action):
    """Wrap SunshineGenerator._render so that ``action`` runs in a render process, not here."""
    parent, real = os.getpid(), SunshineGenerator._render

    def render(self, writer, job):
        if os.getpid() != parent and job.name.startswith("items/511623-ZJ-1"):
            action()
        return real(self, writer, job)

    return render


def test_an_error_in_a_render_process_fails_the_build_with_its_reason(city, tmp_path, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "2")
    def fail():
        raise ValueError("材料清单格式不对")
    monkeypatch.setattr(SunshineGenerator, "_render", _in_child(fail))
    with pytest.raises(BuildError, match="页面生成失败：.*ValueError: 材料清单格式不对"):
        build_site(city, tmp_path / "out", static_index=False)
    assert not (tmp_path / "out").exists()


def test_a_killed_render_process_fails_the_build(city, tmp_path, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "2")
    monkeypatch.setattr(SunshineGenerator, "_render", _in_child(lambda: os.kill(os.getpid(), signal.SIGKILL)))
    with pytest.raises(BuildError, match="渲染进程异常退出"):
        build_site(city, tmp_path / "out", static_index=False)


def test_an_error_logged_in_a_render_process_fails_the_build(city, tmp_path, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "2")
    monkeypatch.setattr(SunshineGenerator, "_render",
                        _in_child(lambda: logging.getLogger("pelican.writers").error("无法写入页面")))
    with pytest.raises(BuildError, match="页面生成出错：无法写入页面"):
        build_site(city, tmp_path / "out", static_index=False)


def test_a_bad_process_count_is_refused_in_words(city, tmp_path, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "两个")
    with pytest.raises(BuildError, match="SUNSHINE_PUBLISH_PROCESSES 必须是正整数"):
        build_site(city, tmp_path / "out", static_index=False)


def test_the_values_digested_in_a_render_process_are_kept_for_the_next_publish(city, tmp_path, monkeypatch):
    # A full build digests its pages' values where they render; the next publish of the process finds the
    # digests of the pages without a search block as if one process had made them all.
    kept = {}
    for processes in ("1", "2"):
        monkeypatch.setenv(PROCESSES_ENV, processes)
        build_site(city, tmp_path / processes, static_index=False, ledger=tmp_path / f"{processes}.json")
        kept[processes] = {name: (values, found) for name, (values, found) in incremental._VALUES.items()}
    plain = {name for name, (values, _found) in kept["1"].items() if "search_block" not in values}
    assert len(plain) > 50
    assert all(kept["2"][name][1] == kept["1"][name][1] for name in plain)
    assert all(kept["2"][name][0].keys() == kept["1"][name][0].keys() for name in plain)


def test_after_a_parallel_full_publish_the_live_ledgers_checks_are_made_before_the_next(city, tmp_path, monkeypatch):
    """The pages rendered in the other process come back as data; ``prepare_next_publish`` (after the
    resident publisher's answer) makes their checks, so the next publish finds every page's made."""
    from sunshine.publisher.deploy import ledger_of, live_dir, prepare_next_publish, publish

    monkeypatch.setenv(PROCESSES_ENV, "2")
    web = tmp_path / "web"
    publish(city, web, static_index=False, durable=False, full=True)
    ledger = Ledger.load(ledger_of(web, live_dir(web)))
    unmade = sum(1 for entry in ledger.pages.values() if entry._checks is None)
    assert unmade > 0
    assert prepare_next_publish(web) == unmade
    assert all(entry._checks is not None for entry in ledger.pages.values())
    assert prepare_next_publish(web) == 0
