"""Markup: render Markdown from the snapshot to sanitized HTML.

Every Markdown field of the snapshot goes through ``render_markdown`` before it
reaches a page. It must never let scripts, event-handler attributes, inline
styles or ``javascript:`` links through, and it never imports Flask or the site.

nh3 checks the scheme of a link but passes every relative URL, so ``/\\host/x``
or ``//host`` would lead off-site; each ``href`` therefore also goes through the
contract's one link rule (``sunshine.contract.links.safe_link``, with ``mailto:``
and ``tel:`` allowed) in nh3's attribute filter, which drops a refused link and
keeps the link text.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import markdown
import nh3
from markupsafe import Markup

from sunshine.contract.links import CONTACT_SCHEMES, safe_link

from .markdown_store import MarkdownStore

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MARKDOWN_EXTENSIONS = ["markdown.extensions.tables", "markdown.extensions.sane_lists"]

_HEADING = re.compile(r"<(/?)h([1-6])\b")

#: Characters that mean nothing to Markdown (no ASCII punctuation, no whitespace): Chinese characters,
#: the Chinese punctuation marks and the full-width forms. A plain piece of text starts with one.
_PLAIN_FIRST = (
    "\u3400-\u4dbf\u4e00-\u9fff\u3001\u3002\u3008-\u3011\u3014-\u301b"
    "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\uff01-\uff5e"
)
#: After the first: also ASCII letters, digits, "." and "%", and single spaces between them.
_PLAIN_REST = _PLAIN_FIRST + "A-Za-z0-9.%"
_PLAIN_PIECE = f"[{_PLAIN_FIRST}](?:[{_PLAIN_REST}]| (?=[{_PLAIN_REST}]))*"
#: A text that is one tight bulleted list of plain pieces, or one line of a plain piece.
_PLAIN_LIST = re.compile(f"(?:- {_PLAIN_PIECE}\n)*- {_PLAIN_PIECE}\n*")
_PLAIN_PARAGRAPH = re.compile(f"{_PLAIN_PIECE}\n*")
_LINK_SCHEMES = CONTACT_SCHEMES & URL_SCHEMES


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a link that the contract's rule refuses loses its ``href``."""
    if attribute == "href":
        return safe_link(value, extra_schemes=_LINK_SCHEMES)
    return value


_cleaner = nh3.Cleaner(
    # Headings 1-2 belong to the page; they are shifted down before cleaning.
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    clean_content_tags={"script", "style"},
    link_rel="noopener noreferrer",
    attribute_filter=_filter_attribute,
    strip_comments=True,
)


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread: building one costs more than converting a field."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        _local.converter = converter
    return converter


def _demote_headings(html: str) -> str:
    """Shift h1..h6 by two levels so record text never competes with the page's h1/h2."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}", html)


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment down to the conservative tag set."""
    return _cleaner.clean(_demote_headings(html))


def render_markdown(text: str | None) -> Markup:
    """Markdown source → sanitized HTML, safe to insert into an autoescaped template."""
    if not text:
        return Markup("")
    return Markup(_rendered(str(text)))


#: The build's store of converted texts (markdown_store.py), while a build that has one runs.
_store: MarkdownStore | None = None


@contextmanager
def markdown_store(store: MarkdownStore | None) -> Iterator[MarkdownStore | None]:
    """Convert through ``store`` for the duration of a build (and in the processes it forks)."""
    global _store
    saved, _store = _store, store
    try:
        yield store
    finally:
        _store = saved


def current_store() -> MarkdownStore | None:
    return _store


def _rendered(text: str) -> str:
    store = _store
    return store.rendered(text, _convert) if store is not None else _cached(text)


@functools.lru_cache(maxsize=20000)
def _cached(text: str) -> str:
    """Without a store, each text is converted once per process, not once per page or build: the
    worker publishes again and again, and a record's text is the same until the record changes
    (the output depends on the text alone)."""
    return _convert(text)


def _convert(text: str) -> str:
    html = _plain_markdown(text)
    if html is None:
        html = _converter().reset().convert(text)
    return sanitize_html(html).strip()


def _plain_markdown(text: str) -> str | None:
    """What Python-Markdown makes of a text with no Markdown in it but list marks — most records'
    conditions and legal bases: ``- 《条例》第三条……`` lines, or one line — or None for any other text.

    Python-Markdown spent a sixth of a city's full build on such texts, which hold none of the
    characters its block and inline rules look at (ASCII punctuation, whitespace runs, a digit and a
    full stop at a line's start): a tight list is ``<ul>`` with one ``<li>`` per line, a line a ``<p>``.
    The same HTML, byte for byte (tests/publisher/test_markup.py compares the two over generated
    texts; a change of ``MARKDOWN_EXTENSIONS`` must be checked there).
    """
    if _PLAIN_LIST.fullmatch(text):
        return "<ul>\n" + "".join(f"<li>{line[2:]}</li>\n" for line in text.rstrip("\n").split("\n")) + "</ul>"
    if _PLAIN_PARAGRAPH.fullmatch(text):
        return f"<p>{text.rstrip()}</p>"
    return None


def markdown_filter(text: str | None) -> Markup:
    """Jinja filter ``markdown``."""
    return render_markdown(text)
