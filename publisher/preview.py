"""Preview: one record's public page as the next publish would write it, marked as a preview.

The back office sends a snapshot with the record's working copy in place of its published
version (``sunshine.site.preview``); the page comes from the build's own path — the same Pelican
settings and generators, the generator's page values (``generator.item_page_values`` …), the
theme and Pelican's writer — so its markup is the published page's. Only the preview's marks
are added: a banner, ``noindex``, and the public site's address before root-relative links
(the back office serves the preview under /admin/…). It writes no site: one file in a temporary
directory, read back. Never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from pelican.generators import PagesGenerator
from pelican.writers import Writer

from sunshine.contract.urls import save_as, url_for
from sunshine.search.static_terms import SearchFields

from .build import one_line, template_place
from .catalog import Catalog
from .generator import (
    SiteSearch,
    SunshineGenerator,
    channels_page_values,
    channels_search_fields,
    department_page_values,
    department_search_fields,
    item_page_values,
    item_search_fields,
    notice_page_values,
    notice_search_fields,
)
from .settings import default_content_dir, default_theme_dir, pelican_settings
from .snapshot import SnapshotError, validate_snapshot

BANNER_TEXT = "预览：以下为尚未发布的内容，公开网站上暂不显示"
#: Inserted right after <body>: the theme's own callout classes (the app's CSP allows no inline style).
BANNER = (f'<div class="wrap preview-banner"><div class="callout callout-strong" role="status">'
          f"<p><strong>{BANNER_TEXT}</strong></p></div></div>\n")
ROBOTS = '<meta name="robots" content="noindex">\n'
#: A root-relative address in an attribute (``href="/items/"``, not ``//host`` nor ``#part``).
#: Text and attribute values are autoescaped (``"`` is ``&#34;``), so only real attributes match.
ROOT_RELATIVE = re.compile(r'(\s(?:href|src|action|poster)=")/(?!/)')
#: Pelican wants a snapshot setting; the preview hands the generator its data instead.
SNAPSHOT_NAME = "preview-snapshot.json"

ValuesOf = Callable[[Catalog, dict[str, Any]], dict[str, Any]]
SearchOf = Callable[[Catalog, dict[str, Any]], SearchFields]


class PreviewError(ValueError):
    """The page cannot be previewed. One line, Chinese, saying what to do."""


def _find(records: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    return next((record for record in records if record["code"] == code), None)


#: Snapshot collection → (route kind, template, the record in the catalog, the page's values).
#: Channels have no page of their own: a channel is previewed on the channels page.
PAGES: dict[str, tuple[str, str, Callable[[Catalog, str], dict[str, Any] | None], ValuesOf, SearchOf]] = {
    "items": ("item", "item", lambda c, code: c.item_index.get(code), item_page_values, item_search_fields),
    "departments": ("department", "department", lambda c, code: c.department_by_code.get(code),
                    department_page_values, department_search_fields),
    "notices": ("notice", "notice", lambda c, code: _find(c.notices, code), notice_page_values,
                notice_search_fields),
    "channels": ("channels", "channels", lambda c, code: _find(c.channels, code),
                 lambda c, _record: channels_page_values(c), lambda c, _record: channels_search_fields(c)),
}


def render_preview(snapshot: dict[str, Any], collection: str, code: str, *,
                   content: Path | None = None, theme: Path | None = None) -> str:
    """The page showing record ``code`` of ``collection`` in ``snapshot``, marked as a preview.

    Raises PreviewError when the snapshot breaks the contract (the reason, as the build would
    give it) or does not hold the record.
    """
    if collection not in PAGES:
        raise PreviewError(f"无法预览：{collection} 没有公开页面。")
    try:
        validate_snapshot(snapshot)
    except SnapshotError as exc:
        reason = str(exc).split(" / ")[0]
        raise PreviewError(f"无法预览：{reason}。请修改后再预览。") from None
    html = render_page(snapshot, collection, code, content=content, theme=theme)
    return mark_preview(html, snapshot["site"]["site_url"])


def render_page(snapshot: dict[str, Any], collection: str, code: str, *,
                content: Path | None = None, theme: Path | None = None) -> str:
    """The public page of one record of a validated snapshot, byte for byte as a build writes it."""
    kind, template, find, values_of, search_of = PAGES[collection]
    content = Path(content) if content is not None else default_content_dir()
    theme = Path(theme) if theme is not None else default_theme_dir()
    with tempfile.TemporaryDirectory(prefix="sunshine-preview-") as out:
        settings = pelican_settings(Path(SNAPSHOT_NAME), Path(out), content=content, theme=theme)
        context = _build_context(settings)
        generator = SunshineGenerator(context=context, settings=settings, path=settings["PATH"],
                                      theme=settings["THEME"], output_path=out)
        generator.use_snapshot(snapshot)
        catalog = generator.catalog
        assert catalog is not None
        record = find(catalog, code)
        if record is None:
            raise PreviewError(f"无法预览：预览数据中没有编码为 {code} 的内容。")
        page_code = None if kind == "channels" else code
        name = save_as(kind, page_code)
        # The page's hidden search block, as the build writes it (the build's analysis knows the
        # snapshot's names and synonyms).
        block = SiteSearch(catalog).block(search_of(catalog, record))
        Writer(out, settings=settings).write_file(
            name, generator.get_template(template), context, relative_urls=settings["RELATIVE_URLS"],
            page_url=url_for(kind, page_code), search_block=block, **values_of(catalog, record))
        return (Path(out) / name).read_text(encoding="utf-8")


def _build_context(settings: dict[str, Any]) -> dict[str, Any]:
    """The context a build's pages see (``Pelican.run``), with the hand-written pages read: the
    footer of every page lists them."""
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={},
                   localsiteurl=settings["SITEURL"])
    PagesGenerator(context=context, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                   output_path=settings["OUTPUT_PATH"]).generate_context()
    return context


def mark_preview(html: str, site_url: str = "") -> str:
    """Mark a page as a preview: ``noindex``, the banner at the top, and — when the public site has
    an address of its own (``site_url``) — that address before every root-relative link, so its
    stylesheets, scripts and links work wherever the preview is served. (A ``<base href>`` would
    also send the page's ``#section`` links to the home page.)"""
    if site_url:
        html = ROOT_RELATIVE.sub(lambda m: m.group(1) + site_url.rstrip("/") + "/", html)
    head_end = html.find("</head>")
    body = re.search(r"<body[^>]*>\n?", html)
    if head_end < 0 or body is None:
        raise PreviewError("无法预览：页面模板缺少 <head> 或 <body>。")
    at = body.end()
    return html[:head_end] + ROBOTS + html[head_end:at] + BANNER + html[at:]


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The publisher service's answer to ``{"op": "preview", "snapshot", "collection", "code",
    "content", "theme"}``: ``{"ok": true, "html"}`` or ``{"ok": false, "error"}`` (Chinese)."""
    try:
        html = render_preview(
            request["snapshot"], request["collection"], request["code"],
            content=Path(request["content"]) if request.get("content") else None,
            theme=Path(request["theme"]) if request.get("theme") else None,
        )
    except PreviewError as exc:
        return {"ok": False, "error": str(exc)}
    except TemplateError as exc:  # the theme's fault, not the record's: named as the build names it
        return {"ok": False, "error": f"预览生成失败：{template_place(exc)}：{one_line(exc.message or exc)}"
                                      "（页面模板有误，请联系系统管理员）"}
    return {"ok": True, "html": html}
