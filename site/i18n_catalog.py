"""Keeping the English catalog complete: extract, merge the translated parts, compile (``make messages``).

``extract()`` finds every message the back office marks for translation (``babel.cfg``: Python
``_`` / ``gettext`` / ``lazy_gettext`` / ``ngettext`` / ``N_`` and the admin templates). ``build()`` writes
``translations/en/LC_MESSAGES/messages.po`` with, for each message, the English from the existing
catalog or from ``translations/parts/*.po`` (translations contributed per area), and compiles
``messages.mo`` from it. The suite calls ``extract`` and ``missing`` to keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
CATALOG = SITE / "translations" / "en" / "LC_MESSAGES"
PARTS = SITE / "translations" / "parts"
#: Marking functions: ``N_`` marks a label stored untranslated (``roles.N_``) that templates pass to ``_``.
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "N_": None, "ngettext": (1, 2),
            "lazy_ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("templates/admin/**.html", "jinja2")]


def extract() -> set[str]:
    """Every message id marked for translation in the back office (singular forms)."""
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(SITE), METHODS, keywords=KEYWORDS, options_map={"templates/admin/**.html": {"encoding": "utf-8"}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


#: The catalog's header dates, fixed: a compiled .mo must not change with the minute it was built in.
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.creation_date = catalog.revision_date = STAMP
    return catalog


def known_translations() -> dict[str, str]:
    """English of every message in the catalog and in the parts (the parts win: they are newer)."""
    known: dict[str, str] = {}
    sources = [CATALOG / "messages.po", *sorted(PARTS.glob("*.po"))]
    for path in sources:
        if path.exists():
            for message in _read(path):
                text = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
                if message.id and text:
                    known[message.id if isinstance(message.id, str) else message.id[0]] = text
    return known


def missing() -> list[str]:
    """Messages without an English translation in the built catalog."""
    built = {m.id: m.string for m in _read(CATALOG / "messages.po") if m.id} if (CATALOG / "messages.po").exists() else {}
    return sorted(m for m in extract() if not built.get(m))


def compiled(po: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, _read(po), use_fuzzy=False)
    return buffer.getvalue()


def build() -> list[str]:
    """Write messages.po and messages.mo; returns the messages still untranslated."""
    known = known_translations()
    catalog = Catalog(locale="en", project="sunshine", domain="messages")
    untranslated = []
    for message in sorted(extract()):
        catalog.add(message, known.get(message, ""))
        if not known.get(message):
            untranslated.append(message)
    CATALOG.mkdir(parents=True, exist_ok=True)
    with (CATALOG / "messages.po").open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=True, sort_output=True)
    (CATALOG / "messages.mo").write_bytes(compiled(CATALOG / "messages.po"))
    return untranslated


if __name__ == "__main__":
    left = build()
    print(f"{len(extract())} messages, {len(left)} without English")
    for message in left[:50]:
        print("  untranslated:", message)
    sys.exit(1 if left and "--strict" in sys.argv else 0)
