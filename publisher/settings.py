"""Settings: the Pelican configuration of the public site, in one place.

Built on Pelican's own defaults (``read_settings(override=...)``), with every
Pelican feature we do not use switched off. Also resolves the project's
default content and theme directories. Never imports Flask or the site.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, StrictUndefined
from jinja2.bccache import Bucket
from pelican.settings import read_settings

from sunshine.contract.urls import NAV, url_for

from .flowchart import flowchart_svg
from .generator import SNAPSHOT_SETTING, hand_page_search_block
from .labels import jinja_filters

PLUGIN_MODULE = "sunshine.publisher.generator"
ROOT_ENV = "SUNSHINE_ROOT"
#: Where Pelican copies the theme's static/ folder in the output (THEME_STATIC_DIR).
THEME_STATIC_DIR = "theme"


def theme_url(path: str) -> str:
    """Root-relative URL of a file under the theme's static/ folder, e.g. ``css/item.css``.

    Derived from the contract's stylesheet address (``/theme/css/site.css``), so the theme's
    other assets can never be published somewhere the contract's URL map does not expect.
    """
    stylesheet = url_for("stylesheet")
    prefix = stylesheet[: stylesheet.index("/css/") + 1]
    if prefix != f"/{THEME_STATIC_DIR}/":
        raise ValueError(
            f"主题静态文件目录与网址表不一致：{prefix} / theme static dir mismatch: {prefix}"
        )
    return prefix + path.lstrip("/")


def theme_filters() -> dict[str, object]:
    """The theme's Jinja filters: the labels' words and formats (``labels.jinja_filters``) plus
    the steps' flowchart (``flowchart.flowchart_svg``), a drawing rather than a label, and the
    search block of a hand-written page (``generator.hand_page_search_block``)."""
    return {**jinja_filters(), "flowchart": flowchart_svg, "page_search_block": hand_page_search_block}


def project_root(root: Path | None = None) -> Path:
    """The repository root: the argument, else $SUNSHINE_ROOT, else the folder above publisher/."""
    if root is not None:
        return Path(root)
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV])
    return Path(__file__).resolve().parent.parent


def default_content_dir(root: Path | None = None) -> Path:
    """Hand-written pages live in <root>/content (pages in content/pages)."""
    return project_root(root) / "content"


def default_theme_dir(root: Path | None = None) -> Path:
    """The public theme: <root>/themes/sunshine."""
    return project_root(root) / "themes" / "sunshine"


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process.

    Pelican makes new Jinja environments for every build, and compiling the theme took most of a
    one-item publish in the worker that publishes again and again. Jinja checks each entry against
    the checksum of the template's source, so an edited template is compiled afresh. One cache
    serves environments with the same options only: the options are the constant ones below.
    """

    LIMIT = 512  # templates of a few themes (tests build with copies of the theme)

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self._codes) >= self.LIMIT:
            self._codes.clear()
        self._codes[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = MemoryBytecodeCache()


def pelican_settings(snapshot: Path, output: Path, *, content: Path, theme: Path) -> dict[str, Any]:
    """Complete Pelican settings for one build of ``snapshot`` into ``output``."""
    no_output = {
        name: ""
        for name in (
            "ARTICLE_URL",
            "ARTICLE_SAVE_AS",
            "ARTICLE_LANG_URL",
            "ARTICLE_LANG_SAVE_AS",
            "DRAFT_URL",
            "DRAFT_SAVE_AS",
            "DRAFT_LANG_URL",
            "DRAFT_LANG_SAVE_AS",
            "DRAFT_PAGE_URL",
            "DRAFT_PAGE_SAVE_AS",
            "DRAFT_PAGE_LANG_URL",
            "DRAFT_PAGE_LANG_SAVE_AS",
            "CATEGORY_URL",
            "CATEGORY_SAVE_AS",
            "TAG_URL",
            "TAG_SAVE_AS",
            "AUTHOR_URL",
            "AUTHOR_SAVE_AS",
            "ARCHIVES_SAVE_AS",
            "AUTHORS_SAVE_AS",
            "CATEGORIES_SAVE_AS",
            "TAGS_SAVE_AS",
            "INDEX_SAVE_AS",
            "YEAR_ARCHIVE_SAVE_AS",
            "MONTH_ARCHIVE_SAVE_AS",
            "DAY_ARCHIVE_SAVE_AS",
        )
    }
    no_feeds = {
        name: None
        for name in (
            "FEED_ATOM",
            "FEED_RSS",
            "FEED_ALL_ATOM",
            "FEED_ALL_RSS",
            "CATEGORY_FEED_ATOM",
            "CATEGORY_FEED_RSS",
            "AUTHOR_FEED_ATOM",
            "AUTHOR_FEED_RSS",
            "TAG_FEED_ATOM",
            "TAG_FEED_RSS",
            "TRANSLATION_FEED_ATOM",
            "TRANSLATION_FEED_RSS",
        )
    }
    override: dict[str, Any] = {
        "PATH": str(Path(content).resolve()),
        "OUTPUT_PATH": str(Path(output).resolve()),
        "THEME": str(Path(theme).resolve()),
        "PAGE_PATHS": ["pages"],
        "ARTICLE_PATHS": [],
        "STATIC_PATHS": [],
        "THEME_STATIC_DIR": THEME_STATIC_DIR,
        "THEME_STATIC_PATHS": ["static"],
        "SITENAME": "阳光政务",
        "SITEURL": "",
        "RELATIVE_URLS": False,
        "DEFAULT_LANG": "zh-cn",
        "TIMEZONE": "Asia/Shanghai",
        "LOCALE": ["C.UTF-8", "C"],
        "PAGE_URL": "pages/{slug}/",
        "PAGE_SAVE_AS": "pages/{slug}/index.html",
        "PAGE_LANG_URL": "pages/{slug}-{lang}/",
        "PAGE_LANG_SAVE_AS": "pages/{slug}-{lang}/index.html",
        "DIRECT_TEMPLATES": [],
        "PAGINATED_TEMPLATES": {},
        "DISPLAY_CATEGORIES_ON_MENU": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "OUTPUT_SOURCES": False,
        "TEMPLATE_PAGES": {},
        "PLUGINS": [PLUGIN_MODULE],
        SNAPSHOT_SETTING: str(Path(snapshot).resolve()),
        "JINJA_ENVIRONMENT": {
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "undefined": StrictUndefined,
            "extensions": [],
            "bytecode_cache": COMPILED_TEMPLATES,
            # Each build has environments of its own: a template need not be checked against its
            # file (a stat per import, five per page) within one.
            "auto_reload": False,
        },
        "JINJA_FILTERS": theme_filters(),
        "JINJA_GLOBALS": {"url_for": url_for, "NAV": NAV, "theme_url": theme_url},
        "MARKDOWN": {
            "extension_configs": {
                "markdown.extensions.extra": {},
                "markdown.extensions.meta": {},
                "markdown.extensions.sane_lists": {},
            },
            "output_format": "html5",
        },
        **no_output,
        **no_feeds,
    }
    return read_settings(override=override)
