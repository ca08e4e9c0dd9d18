"""Service: a publisher that stays running and publishes on request (``python -m sunshine.publisher serve``).

The back office's worker publishes again and again. A new publisher process for each publish
started Python and Pelican, read the live build's ledger from disk and compiled the theme every
time; a resident one keeps them (incremental.py's ledgers, settings.py's compiled templates,
markup.py's Markdown), so a one-item publish costs what changed. It stays a separate process:
the back office never imports Pelican, and a crashed or killed build takes only this process
down (the site starts another).

Protocol, one JSON object per line: a request on stdin —
``{"snapshot", "web_root", "content", "theme", "static_index", "full", "attachments", "search_later", "env"}``
(``env``: the caller's ``SUNSHINE_*`` variables, which this process takes over for the request) — and one
answer on stdout: ``{"ok": true, "line": …, "live": …, "search_pending": …}`` or ``{"ok": false, "error": …}``
with the same one-line message as the ``publish`` command. The answer comes as soon as the pages are live:
the new build's ledger is written after it (``deploy.write_ledger``), and with ``search_later`` the search
index of the changed pages is made and swapped in after that, then old builds are pruned and, in a web root
with no old build to recycle yet, spares of the live build are made (``deploy.make_spares``), all before the
next request is read (``after_answer``). ``"op": "search"`` only makes a pending live index current; ``"op": "warm"`` (a new publisher, asked by the
worker as it starts) rebuilds the live site once from its own snapshot, so that the first clerk's publish
finds what it needs in memory — thrown away, or made live when the program changed since (warm.py). A request with ``"op": "preview"``
renders one record's page instead (``preview.answer``). Anything else the build prints goes to
stderr. End of input ends the service. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import os
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import IO, Any

import orjson

from .deploy import (
    make_spares,
    prepare_next_publish,
    prune_builds,
    publish,
    publish_search,
    write_ledger,
)
from .preview import answer as preview_answer
from .warm import warm

#: Environment variables a request carries from the caller (the publisher's settings).
ENV_PREFIX = "SUNSHINE_"


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer every request line of ``requests`` on ``answers``, until end of input."""
    for line in requests:
        if not line.strip():
            continue
        with redirect_stdout(sys.stderr):  # the answers' stream carries answers only
            answer = handle(line)
        answers.write(orjson.dumps(answer) + b"\n")
        answers.flush()
        after_answer(answer)


def handle(line: bytes) -> dict[str, Any]:
    """One request: publish, and say how it went (never raises, except to end the process)."""
    from .cli import summary  # the same words as the publish command

    try:
        request = orjson.loads(line)
        _take_environment(request.get("env") or {})
        if request.get("op") == "preview":  # one record's page, not a publish (preview.py)
            return preview_answer(request)
        if request.get("op") == "search":  # the live index, if pending (a worker's periodic check)
            followed = publish_search(Path(request["web_root"]), prune=False)
            line = ("搜索索引已是最新 / the live search index is current" if followed is None else
                    f"搜索索引已更新 → 已上线 {followed.live} / search index live")
            return {"ok": True, "line": line, "live": str(followed.live) if followed else None,
                    "web_root": str(request["web_root"])}
        if request.get("op") == "warm":  # a new publisher rebuilds the live site once (warm.py)
            return _warm_answer(request)
        published = publish(
            Path(request["snapshot"]),
            Path(request["web_root"]),
            full=bool(request.get("full")),
            static_index=bool(request.get("static_index", True)),
            search_later=bool(request.get("search_later")),
            ledger_later=True,  # written after the answer (serve)
            prune=False,  # after the answer (serve)
            **_site_options(request),
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 — every failure is an answer, in the command's words
        message = " ".join(str(exc).split()) or type(exc).__name__
        return {"ok": False, "error": f"错误 / error: {message}"}
    return {"ok": True, "line": f"{summary(published.build)} → 已上线 {published.live} / live",
            "live": str(published.live), "live_seconds": published.live_seconds,
            "search_pending": published.search_pending, "web_root": str(request["web_root"])}


def _warm_answer(request: dict[str, Any]) -> dict[str, Any]:
    warmed = warm(Path(request["web_root"]), static_index=bool(request.get("static_index", True)),
                  **_site_options(request))
    answer: dict[str, Any] = {"ok": True, "web_root": str(request["web_root"]), "published": False}
    if warmed is None:
        answer["line"] = "没有可预热的上线版本 / nothing live to warm for"
    elif not warmed.published:
        answer["line"] = (f"已预热：上线版本 {warmed.live.name}，复用 {warmed.reused} 页，用时 {warmed.seconds:.1f} 秒"
                          f" / warm for the live build")
    else:
        answer.update(published=True, live=str(warmed.live), live_seconds=warmed.seconds,
                      search_pending=warmed.search_pending,
                      line=f"程序或模板已更新：已按现行程序重新生成 {warmed.rendered} 页并上线 {warmed.live.name}，"
                           f"用时 {warmed.seconds:.1f} 秒 / rebuilt by this program and live")
    return answer


def _site_options(request: dict[str, Any]) -> dict[str, Path | None]:
    """The site's own files a request names: its hand-written pages, theme and attachments."""
    return {name: Path(request[name]) if request.get(name) else None for name in ("content", "theme", "attachments")}


def after_answer(answer: dict[str, Any]) -> None:
    """What a publish leaves for after its answer: the new build's ledger, the search index of the pages
    it noted as pending (``search_later``), old builds, spares for the next publishes to recycle when there
    is no old build to spare, and the live ledger's checks made for the next publish. Done before the next
    request is read, so the ledger is on disk before anything reads it, the index is never more than one
    publish behind, and a publish that made it current already leaves nothing to do."""
    if not answer.get("web_root"):
        return
    web_root = Path(answer["web_root"])
    save_ledger(web_root)
    if answer.get("search_pending"):
        follow_search(web_root)
    prune_after_answer(web_root)
    spare_after_answer(web_root)
    try:
        prepare_next_publish(web_root)
    except Exception as exc:  # noqa: BLE001 — only the next publish's speed is at stake
        print(f"警告 / warning: 发布记录预处理失败 / preparing the ledger failed: {exc}", file=sys.stderr)


def save_ledger(web_root: Path) -> None:
    """Write the ledger the publish kept in memory (deploy.py ``write_ledger``). A failure leaves the live
    build without one: reported, and the next publish renders every page once."""
    try:
        write_ledger(web_root)
    except Exception as exc:  # noqa: BLE001 — the published pages stay live either way
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"警告 / warning: 发布记录写入失败 / writing the ledger failed: {message}", file=sys.stderr)


def follow_search(web_root: Path) -> None:
    """Make the live search index current (deploy.py ``publish_search``). A failure leaves the pages
    live and the index one publish behind; it is reported, and the next publish tries again (the
    pending pages accumulate)."""
    try:
        with redirect_stdout(sys.stderr):
            publish_search(web_root, prune=False)
    except Exception as exc:  # noqa: BLE001 — the published pages stay live either way
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"警告 / warning: 搜索索引更新失败，下次发布时重试 / search index update failed: {message}",
              file=sys.stderr)


def prune_after_answer(web_root: Path) -> None:
    """Old builds are removed after the answer: renamed under the lock, then deleted by a thread
    while the next request is read and built (deleting a city's build took 2–3 s, which the next
    publish of a busy day waited for)."""
    try:
        prune_builds(web_root, background=True)
    except Exception as exc:  # noqa: BLE001 — a failed clean-up is retried by the next publish
        print(f"警告 / warning: 旧版本清理失败 / pruning old builds failed: {exc}", file=sys.stderr)


def spare_after_answer(web_root: Path) -> None:
    """Spares of the live build while the web root has no old build to recycle (deploy.py ``make_spares``):
    after the first publish of a new web root the next one-item publishes (and their search follow-ups)
    are made out of them instead of linking ten thousand pages each. A failure is reported; the next
    publish then links as before."""
    try:
        make_spares(web_root)
    except Exception as exc:  # noqa: BLE001 — the published pages stay live either way
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"警告 / warning: 备用版本准备失败 / making a spare build failed: {message}", file=sys.stderr)


def _take_environment(env: dict[str, str]) -> None:
    """Make this process's ``SUNSHINE_*`` variables the caller's (set, changed or removed)."""
    for name in [name for name in os.environ if name.startswith(ENV_PREFIX) and name not in env]:
        del os.environ[name]
    for name, value in env.items():
        if name.startswith(ENV_PREFIX):
            os.environ[name] = str(value)
