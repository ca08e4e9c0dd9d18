"""The command line: one summary line on success, one error line and status 1 on failure."""

from __future__ import annotations

import subprocess
import sys

from sunshine.publisher.cli import main


def test_build_command_reports_the_pages(snapshot_file, tmp_path, capsys):
    status = main(
        [
            "build",
            "--snapshot",
            str(snapshot_file),
            "--out",
            str(tmp_path / "out"),
            "--no-search-index",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("已生成 30 个页面")
    assert (tmp_path / "out" / "index.html").is_file()


def test_publish_command_swaps_current(snapshot_file, tmp_path, capsys):
    status = main(
        [
            "publish",
            "--snapshot",
            str(snapshot_file),
            "--web-root",
            str(tmp_path),
            "--no-search-index",
        ]
    )
    assert status == 0
    assert "已上线" in capsys.readouterr().out
    assert (tmp_path / "current" / "index.html").is_file()


def test_bad_snapshot_gives_one_line_and_status_1(snapshot_data, write_snapshot, tmp_path, capsys):
    snapshot_data["items"][3]["case_type"] = "urgent"
    status = main(
        ["build", "--snapshot", str(write_snapshot(snapshot_data)), "--out", str(tmp_path / "out")]
    )
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("错误 / error: 快照格式错误：items[3].case_type")


def test_module_entry_point_fails_without_a_traceback(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sunshine.publisher",
            "check",
            "--snapshot",
            str(tmp_path / "nope.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        f"错误 / error: 快照文件不存在：{tmp_path / 'nope.json'} / snapshot not found: {tmp_path / 'nope.json'}"
    ]
