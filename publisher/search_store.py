"""Search blocks analysed once per page text, not once per build: a store of the hidden search blocks
(search/static_terms.py ``search_block``) kept beside the builds of one web root
(``<web_root>/cache/search-blocks.json``), as ``markdown_store.py`` keeps converted Markdown.

A page's block is a pure function of its search fields and of the analysis: the search code and its
data, the names the analysis cuts whole, the synonym groups and the libraries that segment, fold and
spell (rjieba, OpenCC, pypinyin). A full rebuild — a template change, ``publish --full`` — analysed
every page of a city again (a fifth of its time); with the store it analyses only the pages whose
fields it has never seen. Entries are keyed by the digest of the fields (``generator._fields_key``)
and the whole store is valid for one *analyser key* (the parts above): a build with another key
starts an empty store. A block in the store is what analysing its fields gives, so a build with or
without the store writes the same bytes (tested; ``verify`` rebuilds without one).

Unlike the Markdown store, the publisher's own code and theme are not in the key: they shape what the
fields hold, and the fields are the entry's key. The store is not published and holds only public
text; like the live site, it is trusted as written by the publisher.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

import orjson

from .markdown_store import file_identity

STORE_VERSION = 1
#: An incremental build writes the store (tens of megabytes at a city's size) only when it analysed at
#: least this many blocks anew: a one-item edit does not rewrite it; the next full build keeps its block.
SAVE_AFTER = 256
#: The libraries whose versions shape a block besides the search code.
ANALYSER_DISTRIBUTIONS = ("rjieba", "OpenCC", "pypinyin")


@cache
def _versions() -> str:
    found = []
    for package in ANALYSER_DISTRIBUTIONS:
        try:
            found.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package}=?")
    return ";".join(found)


#: The last analyser key made: its parts and itself (ten thousand names hashed once per change).
_KEYS: list[tuple[tuple, str]] = []


def analyser_key(search_code: str, names: tuple[str, ...], groups: tuple[str, ...]) -> str:
    """What a block depends on besides its fields: the search code's key, the names cut whole, the
    synonym groups, the analysing libraries' versions and this store's format."""
    parts = (search_code, names, groups)
    if _KEYS and _KEYS[0][0] == parts:
        return _KEYS[0][1]
    h = hashlib.sha256(f"search-store-{STORE_VERSION}\0{_versions()}\0{search_code}\0".encode())
    for name in names:
        h.update(name.encode("utf-8") + b"\0")
    h.update(b"\1")
    for group in groups:
        h.update(group.encode("utf-8") + b"\0")
    found = h.hexdigest()[:32]
    _KEYS[:] = [(parts, found)]
    return found


#: The store last read or written in this process, by file identity: a running publisher does not
#: read its own tens of megabytes back at every publish.
_RECENT: dict[str, tuple[tuple[int, int, int, int], str, dict[str, str]]] = {}


class SearchBlockStore:
    """The analysed search blocks of one web root, for one build at a time.

    The file is read when the build knows its analyser key (``use``: the names come from the
    catalog); until then, and for another key, the store is empty.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.key: str | None = None
        self.entries: dict[str, str] = {}
        self.new: dict[str, str] = {}  # analysed in this build (insertion-ordered)
        self.used: set[str] = set()  # the fields keys of this build's searchable pages
        self._loaded_key: str | None = None  # the key of the file as read

    def use(self, key: str) -> None:
        """Take the stored blocks made for ``key`` (none when the file has another key)."""
        self.key = key
        self.entries = self._load(key)
        self.new = {}
        self.used = set()

    def _load(self, key: str) -> dict[str, str]:
        identity = file_identity(self.path)
        if identity is None:
            return {}
        recent = _RECENT.get(str(self.path))
        if recent is not None and recent[0] == identity:
            self._loaded_key = recent[1]
            return dict(recent[2]) if recent[1] == key else {}
        try:
            data = orjson.loads(self.path.read_bytes())
            stored_key, entries = data["analyser"], data["entries"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # unreadable: analyse again
        if not isinstance(entries, dict) or not isinstance(stored_key, str):
            return {}
        self._loaded_key = stored_key
        _RECENT.clear()
        _RECENT[str(self.path)] = (identity, stored_key, entries)
        return dict(entries) if stored_key == key else {}

    def get(self, fields_key: str) -> str | None:
        return self.entries.get(fields_key)

    def note(self, fields_keys: Iterable[str]) -> None:
        """The build's searchable pages (all of them, reused or not): the entries a save keeps."""
        self.used.update(fields_keys)

    def add(self, fields_key: str, text: str) -> None:
        if fields_key not in self.entries:
            self.entries[fields_key] = self.new[fields_key] = text

    def mark(self) -> int:
        """Where this process's additions start (before a share of pages is rendered)."""
        return len(self.new)

    def since(self, mark: int) -> list[tuple[str, str]]:
        """What a share added since ``mark``, to send to the parent process (``adopt``)."""
        return list(self.new.items())[mark:]

    def adopt(self, added: Iterable[Iterable[str]]) -> None:
        for fields_key, text in added:
            self.add(fields_key, text)

    def save(self, *, rendered_everything: bool) -> bool:
        """Write the store (atomically), keeping only the blocks of this build's pages; returns
        whether it was written.

        Written when a build rendered every page and the store differs, or when it analysed at least
        ``SAVE_AFTER`` blocks anew (the names changed, say): an edit's one new block waits.
        """
        if self.key is None:
            return False  # the build never reached its search blocks
        keep = {key: text for key, text in self.entries.items() if key in self.used}
        same = self._loaded_key == self.key and not self.new and len(keep) == len(self.entries)
        if same or not (rendered_everything or len(self.new) >= SAVE_AFTER):
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as out:  # entry by entry: a city's store is not held twice, as text and as JSON
            out.write(b'{"version":%d,"analyser":%b,"entries":{' % (STORE_VERSION, orjson.dumps(self.key)))
            for n, (key, text) in enumerate(keep.items()):
                out.write(b"%b%b:%b" % (b"," if n else b"", orjson.dumps(key), orjson.dumps(text)))
            out.write(b"}}")
        os.replace(tmp, self.path)
        identity = file_identity(self.path)
        _RECENT.clear()
        if identity is not None:
            _RECENT[str(self.path)] = (identity, self.key, keep)
        self.entries, self.new, self._loaded_key = dict(keep), {}, self.key
        return True
