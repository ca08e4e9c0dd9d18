"""Feed: an Atom feed of the notices (通知公告), built deterministically from the
snapshot (ids derived from notice codes, times from the records, no build clock).

Links are root-relative because the site is built without a fixed domain; the
feed sets ``xml:base`` to its own location. Never imports Flask or the site.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from xml.etree import ElementTree as ET

from sunshine.contract.urls import url_for

from .catalog import Catalog
from .labels import TIMEZONE
from .markup import render_markdown

ATOM = "http://www.w3.org/2005/Atom"
_ID_NAMESPACE = uuid.UUID("6f1c8f5e-3b1a-5d0e-9c57-5a6e2c1b7d40")


def _rfc3339(value: str, fallback_date: str) -> str:
    """Snapshot time → RFC 3339; a date-only fallback means midnight in Asia/Shanghai."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = datetime.fromisoformat(fallback_date)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    return moment.isoformat(timespec="seconds")


def _entry_id(region: str, code: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_ID_NAMESPACE, f"{region}/notices/{code}"))


def notices_atom(catalog: Catalog, limit: int = 50) -> bytes:
    """The Atom document for the newest ``limit`` notices."""
    ET.register_namespace("", ATOM)
    site = catalog.site
    notices = catalog.notices[:limit]
    feed = ET.Element(
        f"{{{ATOM}}}feed",
        {
            "{http://www.w3.org/XML/1998/namespace}base": url_for("notices_feed"),
            "{http://www.w3.org/XML/1998/namespace}lang": "zh-CN",
        },
    )
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{site['name']} · 通知公告"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _entry_id(site["region"], "")
    updated = max(
        (_rfc3339(n["published_at"], n["date"]) for n in notices),
        default=_rfc3339(catalog.generated_at, "1970-01-01"),
    )
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": url_for("notices"), "rel": "alternate"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": url_for("notices_feed"), "rel": "self"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site["name"]
    for notice in notices:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = notice["title"]
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _entry_id(site["region"], notice["code"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(
            notice["published_at"], notice["date"]
        )
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(notice["date"], notice["date"])
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {"href": url_for("notice", notice["code"]), "rel": "alternate"},
        )
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": notice["category"]})
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "html"}).text = str(
            render_markdown(notice["body"])
        )
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
