"""Markdown converted once per text, not once per build: a store of converted fields kept beside
the builds of one web root (``<web_root>/cache/markdown.json``).

A record's text is the same until the record changes, and its HTML depends on the text and the
converter alone (``markup.py``: Python-Markdown, then nh3 and the contract's link rule). A full
rebuild — a template change, ``publish --full`` — used to convert every field of a city's ten
thousand items again; with the store it converts only texts it has never seen. The store is keyed
by the SHA-256 of each text and valid for one *renderer key* (the converter's source and the
versions of Markdown and nh3): any change there starts an empty store. An entry is a pure function
of its text, so a store written by a build that failed later is still right, and a build with or
without it writes the same bytes (tested; ``verify`` rebuilds without one).

The store is not published and holds only public text. Like the live site, it is trusted as written
by the publisher: whoever can write the web root can change the site itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

import orjson

STORE_VERSION = 1
#: Past this many entries a build that rendered only some pages also drops the texts it did not use
#: (superseded versions of edited records accumulate between full renders).
MAX_ENTRIES = 200_000


@cache
def renderer_key() -> str:
    """What the converted HTML depends on besides the text: the converter's code and libraries."""
    h = hashlib.sha256(f"markdown-store-{STORE_VERSION}".encode())
    here = Path(__file__).resolve().parent
    for source in (here / "markup.py", here.parent / "contract" / "links.py"):
        h.update(source.read_bytes())
    for package in ("markdown", "nh3"):
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=?".encode())
    return h.hexdigest()[:32]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


#: The store last read or written in this process, by file identity: a running publisher does not
#: read its own thirty megabytes back at every publish.
_RECENT: dict[str, tuple[tuple[int, int, int, int], dict[str, str]]] = {}


def file_identity(path: Path) -> tuple[int, int, int, int] | None:
    """A file's device, inode, mtime and size (None when it is missing): a store this process read or
    wrote is known again by it (here and in search_store.py)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size


class MarkdownStore:
    """The converted texts of one web root, for one build at a time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, str] = self._load()
        self.new: dict[str, str] = {}  # converted in this build (insertion-ordered)
        self.used: dict[str, None] = {}  # keys looked up in this build (an ordered set)

    def _load(self) -> dict[str, str]:
        identity = file_identity(self.path)
        if identity is None:
            return {}
        recent = _RECENT.get(str(self.path))
        if recent is not None and recent[0] == identity:
            return recent[1]
        try:
            data = orjson.loads(self.path.read_bytes())
            entries = data["entries"] if data.get("renderer") == renderer_key() else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # unreadable or another converter's: convert again
        entries = entries if isinstance(entries, dict) else {}
        _RECENT.clear()
        _RECENT[str(self.path)] = (identity, entries)  # a build that adds nothing does not write it again
        return entries

    def rendered(self, text: str, convert: Callable[[str], str]) -> str:
        key = text_key(text)
        self.used[key] = None
        html = self.entries.get(key)
        if html is None:
            html = self.entries[key] = self.new[key] = convert(text)
        return html

    def mark(self) -> tuple[int, int]:
        """Where this process's additions start (before a share of pages is rendered)."""
        return len(self.new), len(self.used)

    def since(self, mark: tuple[int, int]) -> dict[str, object]:
        """What a share added since ``mark``, to send to the parent process (``adopt``)."""
        return {"new": list(self.new.items())[mark[0]:], "used": list(self.used)[mark[1]:]}

    def adopt(self, added: dict) -> None:
        for key, html in added["new"]:
            self.entries[key] = self.new[key] = html
        self.used.update(dict.fromkeys(added["used"]))

    def save(self, *, rendered_everything: bool) -> None:
        """Write the store (atomically) when it gained texts or can shed some.

        A build that rendered every page used exactly the texts of its snapshot: only those are kept.
        Otherwise the unused entries may belong to reused pages, and stay (up to ``MAX_ENTRIES``).
        """
        keep = self.entries
        if rendered_everything or len(keep) > MAX_ENTRIES:
            keep = {key: keep[key] for key in self.used if key in keep}
        if not self.new and len(keep) == len(self.entries):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps({"version": STORE_VERSION, "renderer": renderer_key(), "entries": keep}))
        os.replace(tmp, self.path)
        identity = file_identity(self.path)
        if identity is not None:
            _RECENT.clear()
            _RECENT[str(self.path)] = (identity, keep)
        self.entries = keep
