"""Incremental output: render only the pages whose inputs changed, hard-link the rest.

Pelican has no selective writing (``WRITE_SELECTED`` was removed in 4.9, ../shared/PELICAN-NOTES.md),
so the generator decides page by page. A page's inputs are

* the **code and theme** (``code_key``: every template and static file of the theme, the publisher's
  and the contract's Python source, the build settings): any change there rebuilds everything;
* the **values** the generator passes to its template (the item, its department, its questions…);
* what the template **reads from the catalog** (``sunshine.site.phone``, ``sunshine.department_by_code[c]``,
  ``sunshine.filter_groups()``…): recorded while the page renders, through ``RecordingCatalog``, as a
  list of dependencies (an attribute, one key of a mapping, one call with its arguments).

The ledger of a build (``<web_root>/ledgers/<build id>.json``, never inside the build: the site's
manifest lists every file of the site) keeps, per output file, the digest of its values and its
dependencies with their digests. The next build reuses a page when the code key is the same, the
values digest is the same and every recorded dependency still has the same digest in the new catalog;
it then hard-links the previous file (complete builds are never modified in place), otherwise it
renders. Output is byte-identical to a full build of the same snapshot (tested): a page is reused only
when everything it read is unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import operator
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from .interning import record_ids

LEDGER_VERSION = 4

#: A dependency: (kind, path[, key]) — kind "v" (the value at the path), "len", "keys" or "has";
#: the path starts at a root ("r", "sunshine" | "values") and goes on by ("a", attribute),
#: ("k", key), ("i", index) and ("c", call arguments as JSON).
Dep = tuple


def _default(value: Any) -> Any:
    known = getattr(value, "ledger_digest", None)  # a value that names its own digest (generator.SearchBlock)
    if isinstance(known, str):
        return {"$digest": known}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if callable(value):
        return f"<{getattr(value, '__qualname__', type(value).__name__)}>"
    return str(value)


_DIGEST_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def digest(value: Any) -> str:
    """A stable digest of template input (records, lists, dataclasses, strings, numbers).

    orjson: a build digests hundreds of thousands of values, and json.dumps was its largest cost.
    """
    try:
        data = orjson.dumps(value, default=_default, option=_DIGEST_OPTIONS)
    except TypeError:  # what orjson refuses (an int beyond 64 bits…): the standard encoder
        data = b"json:" + json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default,
                                     separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


class Fingerprints:
    """Digests of template input, each catalog record hashed once per build however many pages show it.

    A department page, a filter page and an item page all pass the same item records; memoizing by
    object identity (the objects are kept alive here, so an id is never reused within the build)
    turns a list of ten thousand records into ten thousand dictionary lookups.
    """

    def __init__(self, carried: dict[int, tuple[Any, str]] | None = None) -> None:
        self.memo: dict[int, tuple[Any, str]] = dict(carried or {})
        #: The objects whose digests are carried to the next build besides the snapshot's records
        #: (``pin``), by identity.
        self.pinned: set[int] = set()
        #: Digests of sequences by content, when every part is a string: the same breadcrumbs or the
        #: same empty list, made anew for each of ten thousand pages, are hashed once.
        self.sequences: dict[tuple[bool, tuple[str, ...]], str] = {}

    def carry(self, ids: set[int]) -> dict[int, tuple[Any, str]]:
        """The digests of the objects named by ``ids`` (a snapshot's records) and of those pinned
        (``pin``), for the next build.

        Only whole records and pages' values are carried: they are never modified, and
        ``interning.py`` makes an unchanged record of the next snapshot the very same object, so its
        digest is found again.
        """
        pinned = self.pinned
        return {key: hit for key, hit in self.memo.items() if key in ids or key in pinned}

    def pin(self, value: Any) -> None:
        """Carry the digest of ``value`` (once made) to the next build too: a page's value that other
        pages share and the next build hands them again, the very object (the city's figures, on
        every department page: hashing them was 35 ms of each one-item publish). The values of
        pages are never modified once made, as the snapshot's records."""
        if not isinstance(value, LEAVES):
            self.pinned.add(id(value))

    def __call__(self, value: Any) -> Any:
        if isinstance(value, LEAVES):
            return value
        hit = self.memo.get(id(value))
        if hit is not None:
            return hit[1]
        if isinstance(value, dict):
            found = digest(value)
        elif isinstance(value, (list, tuple)):
            parts = [self(v) for v in value]
            if all(type(part) is str for part in parts):  # not 1 and True, which are equal keys
                key = (isinstance(value, list), tuple(parts))
                found = self.sequences.get(key) or self.sequences.setdefault(key, digest(parts))
            else:
                found = digest(parts)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            found = digest({f.name: self(getattr(value, f.name)) for f in dataclasses.fields(value)})
        else:
            known = getattr(value, "ledger_digest", None)  # a value that names its own digest (SearchBlock)
            found = f"$digest:{known}" if isinstance(known, str) else digest(value)
        self.memo[id(value)] = (value, found)
        return found


def code_key(theme: Path, settings: dict[str, Any], sources: list[Path]) -> str:
    """Digest of everything that is not data: theme files, source trees (code, hand-written pages), settings."""
    h = hashlib.sha256(f"ledger-{LEDGER_VERSION}".encode())
    for root in [Path(theme), *map(Path, sources)]:
        files = (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for path in sorted(files):
            h.update(str(path.relative_to(root)).encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(digest({k: settings.get(k) for k in sorted(settings)}).encode())
    return h.hexdigest()[:32]


MISSING = {"$missing": True}
#: How a page's own values appear inside recorded call arguments (see ``_args_json``).
VALUES_ROOT_JSON = orjson.dumps(["r", "values"]).decode()
LEAVES = (str, int, float, bool, type(None))


class _Recorder:
    def __init__(self) -> None:
        self.deps: dict[Dep, None] = {}  # insertion-ordered set

    def add(self, dep: Dep) -> None:
        self.deps.setdefault(dep, None)


def _args_json(args: tuple, kwargs: dict) -> str:
    """Arguments of a recorded call; a recorded value passed back in is named by its path."""
    return orjson.dumps([list(args), kwargs], default=_path_or_default, option=_DIGEST_OPTIONS).decode()


def _path_or_default(value: Any) -> Any:
    if isinstance(value, _Recording):
        value._rec.add(("v", value._path))  # the call depends on the whole argument
        return {"$path": list(value._path)}
    return _default(value)


class _Recording:
    """Base of the recording views: a real value, the path that reaches it, the page's recorder."""

    __slots__ = ("_value", "_path", "_rec")

    def __init__(self, value: Any, path: tuple, rec: _Recorder) -> None:
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_rec", rec)


def _wrap(value: Any, path: tuple, rec: _Recorder) -> Any:
    """What a template gets for ``value``: a leaf (recorded), or a recording view of a container."""
    if isinstance(value, LEAVES):
        rec.add(("v", path))
        return value
    if isinstance(value, dict):
        return RecordingMapping(value, path, rec)
    if isinstance(value, (list, tuple)):
        return RecordingSequence(value, path, rec)
    if dataclasses.is_dataclass(value) or len(path) == 1:  # the catalog itself, and its row types
        return RecordingObject(value, path, rec)
    if callable(value) and not isinstance(value, type):
        def call(*args: Any, **kwargs: Any) -> Any:
            step = ("c", _args_json(args, kwargs))
            return _wrap(value(*_unwrap(args), **_unwrap(kwargs)), (*path, step), rec)
        return call
    rec.add(("v", path))  # any other value (a Fraction, a date, Markup…) is read whole, as a leaf
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, _Recording):
        return value._value
    if isinstance(value, tuple):
        return tuple(_unwrap(v) for v in value)
    if isinstance(value, dict) and not isinstance(value, _Recording):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


class RecordingMapping(_Recording, Mapping):
    """A dict as a template reads it: each key read is a dependency; iterating depends on the keys."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        if key not in self._value:
            self._rec.add(("has", self._path, key))  # a missing key is read too (Jinja: undefined)
        return _wrap(self._value[key], (*self._path, ("k", key)), self._rec)

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self._value:
            return self[key]
        self._rec.add(("has", self._path, key))
        return default

    def __contains__(self, key: Any) -> bool:
        self._rec.add(("has", self._path, key))
        return key in self._value

    def __iter__(self) -> Iterator:
        self._rec.add(("keys", self._path))
        return iter(self._value)

    def __len__(self) -> int:
        self._rec.add(("keys", self._path))
        return len(self._value)

    def __getattr__(self, name: str) -> Any:
        """Jinja tries an attribute first, then the key: only the mapping's own methods are attributes."""
        if hasattr(Mapping, name):
            return getattr(Mapping, name).__get__(self)
        raise AttributeError(name)


class RecordingSequence(_Recording, Sequence):
    """A list as a template reads it: its length, and each element read."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            self._rec.add(("len", self._path))
            return [self[i] for i in range(*index.indices(len(self._value)))]
        return _wrap(self._value[index], (*self._path, ("i", index)), self._rec)

    def __len__(self) -> int:
        self._rec.add(("len", self._path))
        return len(self._value)

    def __iter__(self) -> Iterator:
        self._rec.add(("len", self._path))
        return (self[i] for i in range(len(self._value)))

    def __add__(self, other: Any) -> list:  # ``unit.months + [unit.total]``
        return [*self, *other]

    def __radd__(self, other: Any) -> list:
        return [*other, *self]


class RecordingObject(_Recording):
    """Any other object (the catalog, a dataclass): each attribute read is a dependency."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return _wrap(getattr(self._value, name), (*self._path, ("a", name)), self._rec)


def on_catalog(path: tuple) -> bool:
    """Whether a recorded path depends on the catalog alone (not on a value of the page, even as a
    call's argument): its digest is the same for every page of a build."""
    return path[0] == ("r", "sunshine") and not any(kind == "c" and VALUES_ROOT_JSON in arg for kind, arg in path[1:])


#: Each distinct group of catalog dependencies with their digests (``PageEntry.checks``), and each
#: distinct part of one, as one object; ``IncrementalPages.save`` lets go of those no page of the last
#: ledger has any more.
_CATALOG_GROUPS: dict[tuple, tuple] = {}


def _catalog_group(pairs: Iterator[tuple[Dep, str]]) -> tuple[tuple[tuple[Dep, str], ...], ...]:
    """Catalog dependencies as an interned tuple of interned parts, one part per catalog attribute
    read (``site``, ``filter_groups()``, ``department_by_code``…), in the order first read.

    Pages differ in a few parts (an item page reads its own department) and share the others: a
    filter page's two hundred reads of ``filter_groups()`` are one part, checked once per build
    however many groups hold it.
    """
    parts: dict[tuple, list[tuple[Dep, str]]] = {}
    for pair in pairs:
        path = pair[0][1]
        parts.setdefault(path[1] if len(path) > 1 else path[0], []).append(pair)
    group = tuple(_intern(tuple(part)) for part in parts.values())
    return _intern(group)


def _intern(value: tuple) -> tuple:
    return _CATALOG_GROUPS.setdefault(value, value)


def _keep_groups(ledger: Ledger) -> None:
    """Forget the groups of catalog dependencies (and their parts) that no page of ``ledger`` (the
    last saved) has, and what the last checks of those parts found (``_PART_ROOTS``)."""
    live: set[int] = set()
    for entry in ledger.pages.values():
        if entry._checks is not None and id(group := entry._checks[1]) not in live:
            live.add(id(group))
            live.update(map(id, group))
    for value in [value for value in _CATALOG_GROUPS.values() if id(value) not in live]:
        del _CATALOG_GROUPS[value]
    for key in [key for key in _PART_ROOTS if key not in live]:
        del _PART_ROOTS[key]


#: The last check of each part of catalog dependencies (``_Evaluator._check_part``), by the part's
#: identity: (the part, the path of the catalog attribute all its dependencies go on from by keys
#: and indexes alone or None, that attribute's value then, whether the part was valid). Each entry
#: keeps its part and value alive, so an identity is never reused while it is here.
_PART_ROOTS: dict[int, tuple[tuple, tuple | None, Any, bool]] = {}

#: The steps and kinds of dependency that depend on nothing but the value they start from.
_DATA_STEPS = frozenset({"k", "i"})
_DATA_KINDS = frozenset({"v", "len", "keys", "has"})


def _data_root(part: tuple[tuple[Dep, str], ...]) -> tuple | None:
    """The path of the catalog attribute (``sunshine.notices``) every dependency of ``part`` reads
    on from by keys and indexes alone, so that they all are functions of its value; else None (a
    call, ``sunshine.department_of(…)``, or an attribute of a record may read anything)."""
    root = None
    for dep, _digest in part:
        path = dep[1]
        if dep[0] not in _DATA_KINDS or len(path) < 2 or path[0] != ("r", "sunshine") or path[1][0] != "a":
            return None
        if root is None:
            root = path[:2]
        elif path[:2] != root:
            return None
        if any(step[0] not in _DATA_STEPS for step in path[2:]):
            return None
    return root


class _Evaluator:
    """Values and digests of recorded dependencies in one build (its catalog, each page's values).

    Values reached from the catalog are kept for the whole build (every page asks for the site's
    phone; ten thousand paths start with the same call), those reached from a page's values for
    that page only.
    """

    def __init__(self, catalog: Any, fingerprint: Fingerprints) -> None:
        self.catalog = catalog
        self.fingerprint = fingerprint
        self.catalog_values: dict[tuple, Any] = {}
        self.catalog_digests: dict[Dep, str] = {}
        self.catalog_paths: dict[tuple, bool] = {}
        #: ``still_valid`` of each group of catalog dependencies (and part of one) checked in this
        #: build, by identity.
        self.groups: dict[int, tuple[tuple, bool]] = {}
        #: The containers of this build's catalog found equal (or not) to the last build's (``_same``).
        self.same_memo: dict[tuple[int, int], tuple] = {}

    def on_catalog(self, path: tuple) -> bool:
        """Whether ``path`` depends on the catalog alone (not on a value of the page, even as an argument)."""
        known = self.catalog_paths.get(path)
        if known is None:
            known = self.catalog_paths[path] = on_catalog(path)
        return known

    def still_valid(self, group: tuple[tuple[tuple[Dep, str], ...], ...]) -> bool:
        """Whether every catalog dependency of ``group`` (``PageEntry.checks``) has its digest still.

        Memoised by identity for the build, the group's and each of its parts': they are interned,
        so the pages that read the same catalog dependencies with the same digests are checked once.
        The memo keeps what it names alive, so an identity is never reused while it is here.
        """
        known = self.groups.get(id(group))
        if known is None:
            known = self.groups[id(group)] = (group, all(self._part_valid(part) for part in group))
        return known[1]

    def _part_valid(self, part: tuple[tuple[Dep, str], ...]) -> bool:
        known = self.groups.get(id(part))
        if known is None:
            known = self.groups[id(part)] = (part, self._check_part(part))
        return known[1]

    def _check_part(self, part: tuple[tuple[Dep, str], ...]) -> bool:
        """Whether every dependency of ``part`` has its digest still: the last build's answer when
        the catalog attribute the part reads by keys and indexes alone is the same as then.

        A city's pages read seven thousand catalog dependencies in a few hundred parts, two thousand
        five hundred of them the notices' fields (the notices list), two thousand five hundred the
        departments'; a one-item edit changes none of them, and evaluating and hashing each again
        was a third of the reuse decisions' time. The values compared (``_same``) are the snapshot's
        records, the very objects when unchanged (interning.py), and lists and mappings of them.
        """
        earlier = _PART_ROOTS.get(id(part))
        root = earlier[1] if earlier is not None else _data_root(part)
        if root is None:
            valid = all(self.digest(dep, {}, {}) == old for dep, old in part)
            _PART_ROOTS[id(part)] = (part, None, None, valid)
            return valid
        value = self.value_at(root, {}, {})
        if earlier is not None and earlier[1] is not None and _same(value, earlier[2], self.same_memo, 0):
            valid = earlier[3]
        else:
            valid = all(self.digest(dep, {}, {}) == old for dep, old in part)
        kind = _PART_KINDS.get(type(value), -1)
        if kind < 0:
            kind = _part_kind(type(value))
        # Kept for the next build: data only (what is compared by identity alone could be, or hold, this
        # build's catalog).
        _PART_ROOTS[id(part)] = (part, root, value, valid) if kind != _OTHER else (part, None, None, valid)
        return valid

    def digest(self, dep: Dep, values: dict[str, Any], page_values: dict[tuple, Any]) -> str:
        on_catalog = self.on_catalog(dep[1])
        if on_catalog and dep in self.catalog_digests:
            return self.catalog_digests[dep]
        value = self.value_at(dep[1], values, page_values)
        if value is not MISSING:
            kind = dep[0]
            if kind == "len":
                value = len(value)
            elif kind == "keys":
                value = list(value)
            elif kind == "has":
                value = dep[2] in value
        found = digest(self.fingerprint(value))
        if on_catalog:
            self.catalog_digests[dep] = found
        return found

    def value_at(self, path: tuple, values: dict[str, Any], page_values: dict[tuple, Any]) -> Any:
        memo = self.catalog_values if self.on_catalog(path) else page_values
        if path in memo:
            return memo[path]
        if len(path) == 1:
            value = self.catalog if path[0][1] == "sunshine" else values
        else:
            parent = self.value_at(path[:-1], values, page_values)
            value = MISSING if parent is MISSING else self._step(parent, path[-1], values, page_values)
        memo[path] = value
        return value

    def _step(self, value: Any, step: tuple, values: dict[str, Any], page_values: dict[tuple, Any]) -> Any:
        kind, arg = step
        try:
            if kind in ("k", "i"):
                return value[arg]
            if kind == "a":
                return getattr(value, arg)
            args, kwargs = _call_args(arg)  # "c"
            return value(*self._resolve(args, values, page_values), **self._resolve(kwargs, values, page_values))
        except (KeyError, IndexError, AttributeError, TypeError, ValueError):
            return MISSING

    def _resolve(self, value: Any, values: dict[str, Any], page_values: dict[tuple, Any]) -> Any:
        if isinstance(value, dict):
            if set(value) == {"$path"}:
                return self.value_at(_path(value["$path"]), values, page_values)
            return {k: self._resolve(v, values, page_values) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, values, page_values) for v in value]
        return value


@functools.lru_cache(maxsize=65536)
def _call_args(arg: str) -> tuple[list, dict]:
    """Recorded call arguments, parsed once however many pages recorded the same call."""
    args, kwargs = orjson.loads(arg)
    return args, kwargs


def _path(steps: list) -> tuple:
    return tuple((step[0], step[1]) for step in steps)


def _dep_to_json(dep: Dep, found: str) -> list:
    return [dep[0], [list(step) for step in dep[1]], *dep[2:], found]


def _dep_from_json(item: list) -> tuple[Dep, str]:
    return (item[0], _path(item[1]), *item[2:-1]), item[-1]


@dataclass
class PageEntry:
    template: str
    values: str  # digest of the values the generator passed (the page's own record, whole)
    deps: list[list]  # what the template read from the catalog, with the digest of each
    #: ``deps`` as (dependency, digest) pairs, made once: a running worker checks them every publish.
    parsed: list[tuple[Dep, str]] | None = field(default=None, compare=False, repr=False)
    #: ``checks()``, made once from ``parsed`` (which it names, so a new ``parsed`` makes them again).
    _checks: tuple[list, tuple, list] | None = field(default=None, compare=False, repr=False)

    def dependencies(self) -> list[tuple[Dep, str]]:
        if self.parsed is None:
            self.parsed = [_dep_from_json(item) for item in self.deps]
        return self.parsed

    def checks(self) -> tuple[tuple[tuple[tuple[Dep, str], ...], ...], list[tuple[Dep, str]]]:
        """The dependencies as (those on the catalog alone, the others): the first interned
        (``_catalog_group``).

        A city's ten thousand pages read about fourteen catalog dependencies each, but in a few
        hundred distinct combinations (an item page reads its department, the centre's name and
        phone…). Equal combinations are one object, so a build checks each combination once
        (``_Evaluator.still_valid``) and every other page costs a dictionary lookup.
        """
        parsed = self.dependencies()
        made = self._checks
        if made is None or made[0] is not parsed:
            group = _catalog_group(pair for pair in parsed if on_catalog(pair[0][1]))
            others = [pair for pair in parsed if not on_catalog(pair[0][1])]
            made = self._checks = (parsed, group, others)
        return made[1], made[2]


@dataclass
class Ledger:
    code_key: str
    pages: dict[str, PageEntry] = field(default_factory=dict)
    #: The digests of the pages' search blocks (generator.SiteSearch), by their fields' digest, valid for
    #: ``search_salt`` (the dictionary and synonyms they were cut with): a reused page is known by them
    #: without analysing its text again (10,000 pages: seconds).
    search_salt: str = ""
    search_blocks: dict[str, str] = field(default_factory=dict)

    def prepare(self) -> int:
        """Make every page's dependency checks (``PageEntry.checks``) now, for the next build to find made;
        returns how many were not. A full build's pages rendered in forked processes come back with their
        dependencies as data: the first publish after it grouped eleven thousand of them in a clerk's
        wait. A resident publisher calls this after its answer (deploy.py ``prepare_next_publish``)."""
        fresh = 0
        for entry in self.pages.values():
            made = entry._checks
            if made is None or made[0] is not entry.parsed:
                entry.checks()
                fresh += 1
        return fresh

    @classmethod
    def load(cls, path: Path) -> Ledger | None:
        """The ledger at ``path``, or None.

        Read once per file version: a build asks twice, and a long-running publisher (the worker)
        finds the ledger it wrote itself in memory, keyed by inode, mtime and size, which the
        rename of a finished build keeps.
        """
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        key = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if key not in _RECENT_LEDGERS:
            _remember(key, cls._read(Path(path)))
        return _RECENT_LEDGERS[key]

    @classmethod
    def _read(cls, path: Path) -> Ledger | None:
        try:
            data = orjson.loads(path.read_bytes())
            if data.get("version") != LEDGER_VERSION:
                return None
            table = data["deps"]
            pairs = [_dep_from_json(item) for item in table]
            pages = {}
            read = _DepTable(table)
            read.fresh_size = len(table)
            for name, (template, values, places) in data["pages"].items():
                if not all(type(place) is int and 0 <= place < len(table) for place in places):
                    return None
                entry = pages[name] = PageEntry(template, values, [table[place] for place in places],
                                                [pairs[place] for place in places])
                read.placed[id(entry)] = (entry, [template, values, places])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None
        blocks = data.get("search_blocks") or {}
        global _TABLE
        _TABLE = read  # a publisher started anew: its first ledger reuses these places
        return cls(data["code_key"], pages, str(data.get("search_salt") or ""),
                   blocks if isinstance(blocks, dict) else {})

    def dump(self, path: Path, *, durable: bool = False) -> None:
        """Write the ledger: each distinct dependency once (``deps``), each page naming its own by place.

        A city's pages note 160,000 dependencies, about 4,000 distinct: written out per page they
        were 20 MB for every one-item publish to write (and sync), and to read on a publisher's start.
        The table is the one this process last wrote or read (``_DepTable``), new dependencies added at its
        end, so a page of that ledger (the same ``PageEntry``: every reused page) keeps its places
        instead of looking up its fourteen dependencies again (that loop was most of a city's 0.05–0.1 s).
        A ledger sharing no page with that one (a full render, another site) gets a table of its own, and
        a table grown by a quarter since it was made (dependencies of pages gone, mostly) is made anew.
        Written whole under a temporary name, then renamed: a reader finds the complete ledger or none.
        ``durable`` flushes it first (a ledger written after its build went live is not flushed with
        it, deploy.py ``write_ledger``).
        """
        global _TABLE
        carried = _TABLE
        if not carried.shares(self.pages) or len(carried.table) > _GROWTH_AT_MOST * (carried.fresh_size or 0) + 64:
            carried = _DepTable()
        pages = carried.place(self.pages)
        _TABLE = carried
        table = carried.table
        data = {"version": LEDGER_VERSION, "code_key": self.code_key, "deps": table, "pages": pages,
                "search_salt": self.search_salt, "search_blocks": self.search_blocks}
        tmp = path.with_name(path.name + ".tmp")
        try:
            with open(tmp, "wb") as handle:
                handle.write(orjson.dumps(data))
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            stat = tmp.stat()
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _remember((stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size), self)


class _DepTable:
    """The dependency table of the ledger this process last wrote or read (``Ledger.dump``), and each
    page of that ledger as written (template, values digest, places in the table), by the identity of
    its ``PageEntry`` (kept alive here, so an identity is never reused while it is here)."""

    def __init__(self, table: list[list] | None = None) -> None:
        self.table: list[list] = [] if table is None else table
        #: How long ``table`` was when made (None: not yet made), for ``_GROWTH_AT_MOST``.
        self.fresh_size: int | None = None
        #: The place of each dependency's JSON form in ``table``, by identity and by its bytes.
        self.places_of: dict[int, int] = {}
        self.by_value: dict[bytes, int] | None = None if table else {}
        self.placed: dict[int, tuple[PageEntry, list]] = {}

    def shares(self, entries: dict[str, PageEntry]) -> bool:
        """Whether any of ``entries`` is a page of the last ledger (a one-item edit's first is)."""
        known = self.placed
        return bool(known) and any((found := known.get(id(entry))) is not None and found[0] is entry
                                   for entry in entries.values())

    def place(self, entries: dict[str, PageEntry]) -> dict[str, list]:
        """Each page as written: the last dump's row for the same entry, else made (the table grown by
        what is new). Only these entries are remembered for the next dump."""
        pages: dict[str, list] = {}
        placed: dict[int, tuple[PageEntry, list]] = {}
        known = self.placed
        for name, entry in entries.items():  # not sorted: 11,000 names took longer than the rest
            found = known.get(id(entry))
            if found is None or found[0] is not entry:
                found = (entry, [entry.template, entry.values, self._places(entry.deps)])
            placed[id(entry)] = found
            pages[name] = found[1]
        self.placed = placed
        if self.fresh_size is None:
            self.fresh_size = len(self.table)
        return pages

    def _places(self, deps: list[list]) -> list[int]:
        places_of, table = self.places_of, self.table
        if self.by_value is None:  # a table read from disk: its forms by their bytes, once
            self.by_value = {orjson.dumps(item): place for place, item in enumerate(table)}
            for place, item in enumerate(table):
                places_of.setdefault(id(item), place)
        by_value = self.by_value
        places = []
        for index, item in enumerate(deps):
            place = places_of.get(id(item))
            if place is None:
                key = orjson.dumps(item)
                place = by_value.get(key)
                if place is None:
                    place = by_value[key] = len(table)
                    table.append(item)
                    places_of[id(item)] = place
                else:  # an equal form made by another build: the table's from now on (found by identity)
                    deps[index] = table[place]
            places.append(place)
        return places


#: How many times its size when made a carried table may grow before it is made anew.
_GROWTH_AT_MOST = 1.25
_TABLE = _DepTable()


#: The last ledgers read or written in this process (a build reads one and writes one).
_RECENT_LEDGERS: dict[tuple[int, int, int, int], Ledger | None] = {}


def _remember(key: tuple[int, int, int, int], ledger: Ledger | None) -> None:
    _RECENT_LEDGERS[key] = ledger
    while len(_RECENT_LEDGERS) > 2:
        del _RECENT_LEDGERS[next(iter(_RECENT_LEDGERS))]


def _link(source: str, target: str) -> None:
    """Hard-link ``source`` to ``target``, making the folder (one per page) when it is missing."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)


class _Linker:
    """Hard-links the reused pages in a thread while the build goes on deciding about the next ones.

    A city's one-item publish links ten thousand pages, each into a folder of its own: ``mkdir`` and
    ``link`` are kernel work (about a second on ext4) during which the thread lets go of the GIL, so
    the CPU-bound reuse checks of the other pages run meanwhile. Pairs go over in batches, so that
    the two threads rarely hand the GIL to each other. A page whose previous file is gone is only
    noted (``lost``): the build renders it instead.
    """

    BATCH = 256

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[list[tuple[str, str, str]] | None] = queue.SimpleQueue()
        self._batch: list[tuple[str, str, str]] = []
        self._thread: threading.Thread | None = None
        self._failure: OSError | None = None
        self.lost: list[str] = []

    def link(self, name: str, source: str, target: str) -> None:
        """Link ``source`` (a path) to ``target``: strings, since a ``Path`` per page cost a tenth of a
        city's one-item publish."""
        self._batch.append((name, source, target))
        if len(self._batch) >= self.BATCH:
            self._send()

    def _send(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sunshine-link-pages", daemon=True)
            self._thread.start()
            _LINKERS.add(self)
        self._queue.put(self._batch)
        self._batch = []

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._failure is not None:
                continue  # the build fails anyway: drain the queue
            for name, source, target in batch:
                try:
                    _link(source, target)
                except FileNotFoundError:
                    if os.path.exists(source):  # the new build's side failed
                        folder = os.path.dirname(target)
                        self._failure = OSError(f"无法创建页面目录：{folder} / cannot create the page's folder: {folder}")
                        break
                    self.lost.append(name)  # the previous build lost the file
                except OSError as exc:
                    self._failure = exc
                    break

    def finish(self) -> list[str]:
        """Every page handed over is linked; returns the pages whose previous file was gone (or
        raises the first failure)."""
        if self._batch:
            self._send()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            _LINKERS.discard(self)
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        lost, self.lost = self.lost, []
        return lost


#: Linkers whose thread runs (a build that fails half-way must stop its linker before its
#: directory is removed: ``settle_links``).
_LINKERS: set[_Linker] = set()


def settle_links() -> None:
    """Stop every linking thread of this process (after a build, whether it succeeded or not)."""
    for linker in list(_LINKERS):
        with suppress(OSError):
            linker.finish()


@dataclass
class Stats:
    rendered: int = 0
    reused: int = 0


class IncrementalPages:
    """Decides, page by page, whether to render or to hard-link the previous build's file."""

    def __init__(self, catalog: Any, out_dir: Path, code: str, previous_dir: Path | None = None,
                 previous_ledger: Path | None = None, *, link: bool = True) -> None:
        self.catalog = catalog
        self.out_dir = Path(out_dir)
        self._out_prefix = os.path.join(out_dir, "")
        self.ledger = Ledger(code)
        self.previous_dir = Path(previous_dir) if previous_dir else None
        self._previous_prefix = os.path.join(previous_dir, "") if previous_dir else ""
        previous = Ledger.load(Path(previous_ledger)) if self.previous_dir and previous_ledger else None
        self.previous = previous if previous is not None and previous.code_key == code else None
        self.fingerprint = Fingerprints(_CARRIED)
        self.evaluator = _Evaluator(catalog, self.fingerprint)
        self._groups = self.evaluator.groups  # ``_Evaluator.still_valid``'s answers, looked up per page
        self.stats = Stats()
        self.linker = _Linker()
        #: False when the reused pages are in place already (a standby build, standby.py): noted only.
        self.link = link
        #: What each page handed to the linker was made of, until it is linked (a lost file is rendered).
        self._linked: dict[str, tuple[str, dict[str, Any], str]] = {}
        #: Each page's values and their digest, for the process's next publish (``_VALUES``).
        self._values: dict[str, tuple[dict[str, Any], str]] = {}
        #: The containers of this build's values found equal (or not) to the last publish's (``_same``).
        self._same_memo: dict[tuple[int, int], tuple] = {}
        #: The JSON form of each (dependency, digest) pair a page rendered here read (``render``): a city's
        #: pages read 160,000 dependencies, about 4,000 distinct ones. A function of the pair alone.
        self._dep_json: dict[tuple, list] = {}

    def _reusable(self, name: str, template: str, values: dict[str, Any], values_digest: str) -> str | None:
        """The previous build's file of ``name`` when its ledger entry says nothing it read changed.

        Called for every page of a build (a city: eleven thousand, nearly all reused), so the
        common case costs dictionary lookups: the entry's checks as made last time, the group's
        answer as found for an earlier page of this build."""
        if self.previous is None:
            return None
        entry = self.previous.pages.get(name)
        if entry is None or entry.template != template or entry.values != values_digest:
            return None
        made = entry._checks
        if made is not None and made[0] is entry.parsed:
            group, others = made[1], made[2]
        else:
            group, others = entry.checks()
        known = self._groups.get(id(group))
        if not (known[1] if known is not None else self.evaluator.still_valid(group)):
            return None
        if others:
            page_values: dict[tuple, Any] = {}
            for dep, old in others:
                if self.evaluator.digest(dep, values, page_values) != old:
                    return None
        return self._previous_prefix + name

    def reuse(self, name: str, template: str, values: dict[str, Any]) -> str | None:
        """Hard-link ``name`` from the previous build when nothing it was made from changed (None);
        else the digest of its values, for ``render``. The values are compared whole: they are the
        page's own record, small, and hashing them once is cheaper than recording every field a
        template reads."""
        values_digest = self._values_digest(name, values)
        source = self._reusable(name, template, values, values_digest)
        if source is None:
            return values_digest
        if self.link:
            self.linker.link(name, source, self._out_prefix + name)
            self._linked[name] = (template, values, values_digest)
        self.ledger.pages[name] = self.previous.pages[name]
        self.stats.reused += 1
        return None

    def _values_digest(self, name: str, values: dict[str, Any]) -> str:
        """The digest of a page's values: the last publish's when they are the same values.

        A running publisher hands an unchanged item page the very objects it handed it last time
        (interned records, ``generator.item_page``), even the very dict of them (the generator's
        ``_write_searchable``); comparing them (``_same_values``) is far cheaper than hashing them
        again. The entry keeps the values alive, so an identity is never reused.
        """
        earlier = _VALUES.get(name)
        if earlier is not None and (values is earlier[0] or _same_values(values, earlier[0], self._same_memo)):
            found = earlier[1]
        else:
            fingerprint = self.fingerprint
            found = digest({k: fingerprint(value) for k, value in values.items()})
            if earlier is not None:  # a page of the last publish, changed: its shared values are likely the next's
                for value in values.values():
                    fingerprint.pin(value)
        self._values[name] = (values, found)
        return found

    def finish_links(self) -> list[tuple[str, str, dict[str, Any], str]]:
        """Wait until every reused page is linked: before pages are rendered in forked processes (a
        fork copies no thread) and before the build is complete. Returns the pages to render after
        all, as (name, template, values, values digest): those whose file the previous build lost.
        Raises the first failed link."""
        lost = self.linker.finish()
        linked, self._linked = self._linked, {}
        for name in lost:
            del self.ledger.pages[name]
            self.stats.reused -= 1
        return [(name, *linked[name]) for name in lost]

    def render(self, name: str, template: str, values: dict[str, Any], values_digest: str,
               render: Callable[[Any], None]) -> None:
        """Render ``name`` with a recording view of the catalog and note what it read."""
        rec = _Recorder()
        render(_wrap(self.catalog, (("r", "sunshine"),), rec))
        page_values: dict[tuple, Any] = {}
        parsed = [(dep, self.evaluator.digest(dep, values, page_values)) for dep in rec.deps]
        known = self._dep_json
        deps = []
        for pair in parsed:
            json = known.get(pair)
            if json is None:
                json = known[pair] = _dep_to_json(*pair)
            deps.append(json)
        self.ledger.pages[name] = PageEntry(template, values_digest, deps, parsed)
        self.stats.rendered += 1

    def adopt(self, entries: dict[str, PageEntry]) -> None:
        """Pages rendered by another process of this build (generator.py's parallel rendering)."""
        self.ledger.pages.update(entries)
        self.stats.rendered += len(entries)

    def note_values(self, pages: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """The values of pages adopted (``adopt``) whose digest another process made from them (its copy
        of the very objects): kept for the process's next publish as if digested here (``_values_digest``)."""
        entries = self.ledger.pages
        for name, values in pages:
            self._values[name] = (values, entries[name].values)

    def save(self, path: Path, *, write: bool = True) -> Ledger:
        """Write the ledger, and keep the digests of this snapshot's records for the process's next
        build (a running publisher: the next one-item publish finds nine thousand of them). Returns the
        ledger; without ``write`` it is only returned, for the caller to ``dump`` once the build is live
        (writing a city's ledger took 0.05–0.1 s of a one-item publish, deploy.py ``ledger_later``)."""
        if self.finish_links():
            raise RuntimeError("finish_links() was not called before rendering: lost pages were not rendered")
        if write:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.ledger.dump(Path(path))
        snapshot = getattr(self.catalog, "snapshot", None)
        _CARRIED.clear()
        if isinstance(snapshot, dict):
            _CARRIED.update(self.fingerprint.carry(record_ids(snapshot)))
        _VALUES.clear()
        _VALUES.update(self._values)
        self._same_memo.clear()
        _keep_groups(self.ledger)
        return self.ledger


#: Digests of the last saved build's records (``Fingerprints.carry``), by object identity; each entry
#: keeps its object alive, so an identity is never reused while it is here.
_CARRIED: dict[int, tuple[Any, str]] = {}
#: The last saved build's page values, by page: (the values, their digest) (``_values_digest``).
_VALUES: dict[str, tuple[dict[str, Any], str]] = {}


#: How values are compared, by type (``_same``): by type and value, by their own digest (a search
#: block), part by part (lists and tuples, dicts, frozen dataclasses), or by identity (anything else).
_LEAF, _REPR, _NAMED, _SEQUENCE, _MAPPING, _DATACLASS, _OTHER = range(7)
_PART_KINDS: dict[type, int] = {}
#: Values nested deeper than this are not compared (never in practice): the page's values are hashed.
_PART_DEPTH = 32


def _part_kind(kind: type) -> int:
    if issubclass(kind, float) or issubclass(kind, (Decimal, datetime.date, datetime.time)):
        found = _REPR  # -0.0 == 0.0, Decimal("1.0") == Decimal("1.00"): equal, yet printed differently
    elif issubclass(kind, LEAVES):
        found = _LEAF
    elif hasattr(kind, "ledger_digest"):
        found = _NAMED
    elif issubclass(kind, (list, tuple)):
        found = _SEQUENCE
    elif kind is dict:
        found = _MAPPING
    elif dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen:
        found = _DATACLASS
    else:
        found = _OTHER
    _PART_KINDS[kind] = found
    return found


_ABSENT = object()


def _same_values(new: dict[str, Any], old: dict[str, Any], memo: dict[tuple[int, int], tuple] | None = None) -> bool:
    """Whether a page's values are those of the last publish: mostly the very same objects (interned
    records, ``generator.item_page``), else made anew of equal parts (breadcrumbs, a page of a
    filtered list, a department's figures and charts, a page of bills' sections).

    Equal means printed alike: parts are compared by type and value (``_same``), never by ``==``
    alone (1, 1.0 and True are equal keys). ``memo`` (one build's) remembers the containers compared,
    so that what many pages share (the figures of every department page) is compared once.
    """
    if len(new) != len(old):
        return False
    if memo is None:
        memo = {}
    for key, value in new.items():
        earlier = old.get(key, _ABSENT)
        if value is earlier:
            continue
        if type(value) is str:  # the page's address, its title: made anew, compared here (ten thousand pages)
            if type(earlier) is not str or value != earlier:
                return False
        elif not _same(value, earlier, memo, 0):
            return False
    return True


def _same(new: Any, old: Any, memo: dict[tuple[int, int], tuple], depth: int) -> bool:
    if new is old:
        return True
    kind = type(new)
    if kind is not type(old):
        return False
    found = _PART_KINDS.get(kind, -1)
    if found < 0:
        found = _part_kind(kind)
    if found == _LEAF:
        return bool(new == old)
    if found == _REPR:
        return repr(new) == repr(old)
    if found == _NAMED:
        known = new.ledger_digest
        return isinstance(known, str) and known == old.ledger_digest
    if found == _OTHER or depth >= _PART_DEPTH:
        return False
    # A container: compared once per build (the memo keeps both alive, so their identities stay theirs).
    key = (id(new), id(old))
    hit = memo.get(key)
    if hit is not None:
        return hit[2]
    depth += 1
    if found == _SEQUENCE:
        same = len(new) == len(old) and (all(map(operator.is_, new, old)) or _same_parts(new, old, memo, depth))
    elif found == _MAPPING:
        same = (len(new) == len(old) and all(type(k) is type(j) and k == j for k, j in zip(new, old, strict=True))
                and _same_parts(new.values(), old.values(), memo, depth))
    else:
        fields = _FIELDS.get(kind) or _fields_of(kind)
        same = _same_parts(fields(new), fields(old), memo, depth)
    memo[key] = (new, old, same)
    return same


def _same_parts(new: Any, old: Any, memo: dict[tuple[int, int], tuple], depth: int) -> bool:
    """``_same`` of the parts of two containers in order: a loop, not a call per part (the figures'
    thousand rows of a city's department pages, compared once a build)."""
    for a, b in zip(new, old, strict=True):
        if a is not b and not _same(a, b, memo, depth):
            return False
    return True


#: How to read the fields of each frozen dataclass compared, all at once, as a tuple.
_FIELDS: dict[type, Callable[[Any], tuple]] = {}


def _fields_of(kind: type) -> Callable[[Any], tuple]:
    names = tuple(f.name for f in dataclasses.fields(kind))
    if len(names) > 1:
        found = operator.attrgetter(*names)
    else:
        def found(value: Any) -> tuple:
            return tuple(getattr(value, name) for name in names)
    _FIELDS[kind] = found
    return found


@contextmanager
def swapped(mapping: dict, key: str, value: Any) -> Iterator[None]:
    """``mapping[key] = value`` for the duration of the block (the shared Pelican context)."""
    saved = mapping.get(key)
    mapping[key] = value
    try:
        yield
    finally:
        mapping[key] = saved
