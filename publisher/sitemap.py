"""Sitemap and robots: ``sitemap.xml`` (every public HTML page) and ``robots.txt``,
built from what the generator wrote, never from the build clock.

A page's ``lastmod`` is its record's own date (an item's or notice's publication
time, a question's answer date, a withdrawal's time) and is left out for lists,
whose content has no single date: a clock would make every build differ
(ARCHITECTURE rule 4). Addresses are absolute when the site's public base URL is
known (the snapshot's ``site.site_url``, else Pelican's ``SITEURL``), as the
sitemap protocol asks; without one they stay root-relative and robots.txt names
no sitemap. Pure functions; never imports Flask or the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from sunshine.contract.urls import BACK_OFFICE_PREFIXES, INTAKE_PREFIX, absolute_url, url_for

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Characters kept as they are in a sitemap address (RFC 3986 path and sub-delimiters).
_SAFE = "/:@!$&'()*+,;=-._~%"


@dataclass(frozen=True, order=True)
class SitemapEntry:
    """One page: its root-relative address and, when its record has one, its date (W3C Datetime)."""

    path: str
    lastmod: str | None = None


def sitemap_xml(entries: list[SitemapEntry], base_url: str) -> bytes:
    """The sitemap document: one ``<url>`` per distinct address, sorted by address."""
    by_path: dict[str, SitemapEntry] = {}
    for entry in entries:
        by_path.setdefault(entry.path, entry)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    lines += [_url_line(base_url, path, by_path[path].lastmod) for path in sorted(by_path)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


@lru_cache(maxsize=1 << 16)
def _url_line(base_url: str, path: str, lastmod: str | None) -> str:
    """One page's ``<url>`` line. Cached: a running publisher lists the same ten thousand pages
    each build, and quoting and escaping each again was a tenth of a one-item edit's own work."""
    loc = escape(absolute_url(base_url, quote(path, safe=_SAFE)))
    found = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
    return f"  <url><loc>{loc}</loc>{found}</url>"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def intake_shares_host(intake_url: str, base_url: str) -> bool:
    """Whether the intake's forms are served on the static site's own host ("" = same origin)."""
    return not intake_url or (bool(base_url) and _origin(intake_url) == _origin(base_url))


def robots_txt(base_url: str, intake_url: str) -> bytes:
    """Allow every crawler everywhere except the intake's forms (when they share this host), the
    back office and the API, which are never public pages; name the sitemap when its absolute
    address is known."""
    lines = [
        "# 阳光政务公开网站：公开页面欢迎收录；网上投诉、咨询等表单和后台不收录。",
        "User-agent: *",
        "Allow: /",
    ]
    if intake_shares_host(intake_url, base_url):
        lines.append(f"Disallow: {INTAKE_PREFIX}")
    lines += [f"Disallow: {prefix}" for prefix in BACK_OFFICE_PREFIXES]
    if base_url:
        lines += ["", f"Sitemap: {absolute_url(base_url, url_for('sitemap'))}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
