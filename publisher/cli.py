"""Command line of the publisher: ``python -m sunshine.publisher build|publish|serve|check|verify``.

A thin layer: parse arguments, call one library function, print one result
line — or one clear error line on stderr and exit status 1, never a traceback.
Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import BuildResult, build_site
from .deploy import publish, publish_search
from .service import serve
from .snapshot import load_snapshot
from .socket_service import serve_socket
from .verify import verify_site


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sunshine.publisher",
        description="Build or publish the Sunshine (阳光政务) public site from a snapshot.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_site_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--snapshot", type=Path, required=True, help="snapshot JSON file")
        command.add_argument(
            "--content", type=Path, default=None, help="content directory (default: <repo>/content)"
        )
        command.add_argument(
            "--theme",
            type=Path,
            default=None,
            help="theme directory (default: <repo>/themes/sunshine)",
        )
        command.add_argument(
            "--no-search-index", action="store_true", help="skip the static search index"
        )
        command.add_argument(
            "--attachments", type=Path, default=None,
            help="attachment store the snapshot's attachments are copied from (SUNSHINE_ATTACHMENTS_DIR)",
        )

    build = commands.add_parser("build", help="build the site into an empty directory")
    add_site_options(build)
    build.add_argument(
        "--out", type=Path, required=True, help="output directory (must be empty or absent)"
    )

    deploy = commands.add_parser(
        "publish", help="build into <web-root>/builds and swap <web-root>/current"
    )
    add_site_options(deploy)
    deploy.add_argument("--web-root", type=Path, required=True, help="web root directory")
    deploy.add_argument(
        "--full",
        action="store_true",
        help="render every page (default: reuse the pages of the live build whose inputs did not change)",
    )
    deploy.add_argument(
        "--search-later",
        action="store_true",
        help="make the pages live with the live build's search index first; then run publish-search",
    )

    follow = commands.add_parser(
        "publish-search",
        help="make the live build's search index current after publish --search-later (a new build, swapped)",
    )
    follow.add_argument("--web-root", type=Path, required=True, help="web root directory")

    serve_command = commands.add_parser(
        "serve", help="stay running and publish on request (JSON lines on stdin and stdout; service.py)"
    )
    serve_command.add_argument(
        "--socket", type=Path, default=None,
        help="answer on this Unix socket instead, one request per connection (socket_service.py)",
    )
    serve_command.add_argument(
        "--idle", type=float, default=1800.0,
        help="with --socket: end after this many seconds without a request (default 1800)",
    )

    check = commands.add_parser("check", help="only validate a snapshot")
    check.add_argument("--snapshot", type=Path, required=True, help="snapshot JSON file")

    verify = commands.add_parser(
        "verify",
        help="rebuild a published site from its snapshot and check every file's SHA-256",
    )
    verify.add_argument(
        "--site", type=Path, required=True, help="the published site (its root directory)"
    )
    verify.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        help="snapshot to rebuild from (default: <site>/data/snapshot.json)",
    )
    verify.add_argument(
        "--content", type=Path, default=None, help="content directory (default: <repo>/content)"
    )
    verify.add_argument(
        "--theme", type=Path, default=None, help="theme directory (default: <repo>/themes/sunshine)"
    )
    verify.add_argument(
        "--attachments", type=Path, default=None,
        help="where the attachments are read from (default: the site's own files/, checked by SHA-256)",
    )
    return parser


def summary(result: BuildResult) -> str:
    reused = f"（其中 {result.reused} 个未变、沿用上一版）" if result.reused else ""
    return (
        f"已生成 {result.pages} 个页面{reused}，搜索索引 {result.search_pages} 页，用时 {result.seconds:.2f} 秒"
        f" / built {result.pages} pages ({result.rendered} rendered, {result.reused} reused),"
        f" {result.search_pages} indexed, {result.seconds:.2f} s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            data = load_snapshot(args.snapshot)
            print(f"快照有效：{len(data['items'])} 个事项 / snapshot is valid")
            return 0
        if args.command == "serve":
            if args.socket is not None:
                serve_socket(args.socket, args.idle)
            else:
                serve(sys.stdin.buffer, sys.stdout.buffer)
            return 0
        if args.command == "publish-search":
            followed = publish_search(args.web_root)
            if followed is None:
                print("搜索索引已是最新 / the live search index is current")
            else:
                print(f"搜索索引 {followed.build.search_pages} 页，用时 {followed.build.seconds:.2f} 秒 → 已上线 "
                      f"{followed.live} / search index of {followed.build.search_pages} pages live")
            return 0
        if args.command == "verify":
            verified = verify_site(
                args.site, snapshot=args.snapshot, content=args.content, theme=args.theme,
                attachments=args.attachments,
            )
            print(verified.line())
            return 0 if verified.ok else 1
        options = {
            "content": args.content,
            "theme": args.theme,
            "static_index": not args.no_search_index,
            "attachments": args.attachments,
        }
        if args.command == "build":
            result = build_site(args.snapshot, args.out, **options)
            print(f"{summary(result)} → {result.out_dir}")
        else:
            published = publish(args.snapshot, args.web_root, full=args.full, search_later=args.search_later,
                                **options)
            result = published.build
            print(f"{summary(result)} → 已上线 {published.live} / live")
        for warning in result.warnings:
            print(f"警告 / warning: {warning}", file=sys.stderr)
        return 0
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # one line, no traceback: the library messages are written for people
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"错误 / error: {message}", file=sys.stderr)
        return 1
