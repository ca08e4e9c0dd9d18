"""The command line: one summary line on success, one error line and status 1 on failure."""

from __future__ import annotations

import shutil
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
    assert out.startswith("已生成 51 个页面")
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


def test_verify_command_prints_one_ok_line(site_dir, capsys):
    status = main(["verify", "--site", str(site_dir)])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    assert captured.out.count("\n") == 1
    assert captured.out.startswith("校验通过：清单列出的 ")


def test_verify_command_prints_the_mismatch_and_exits_1(site_dir, tmp_path, capsys):
    site = shutil.copytree(site_dir, tmp_path / "site")
    (site / "fees/index.html").write_text("<p>收费标准以窗口公示为准</p>", encoding="utf-8")
    status = main(["verify", "--site", str(site)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == (
        "校验失败：1 处不一致：fees/index.html（内容与清单不符）"
        " / verification failed: 1 problem: fees/index.html (differs from the manifest)\n"
    )


def test_verify_command_without_a_manifest_gives_one_error_line(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    status = main(["verify", "--site", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err == (
        f"错误 / error: 找不到网站文件清单：{tmp_path / 'data/site-manifest.json'}"
        f" / site manifest not found: {tmp_path / 'data/site-manifest.json'}\n"
    )
