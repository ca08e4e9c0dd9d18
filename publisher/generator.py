"""Generator: the Pelican plugin that turns a snapshot into the public pages
(home, item catalog and item guides, the filtered item lists, the withdrawal
notices of withdrawn items, departments and notices, departments, fees, complaint channels, notices, figures,
rectifications and complaint outcomes, online questions, search, open data,
sitemap.xml and robots.txt).

Pelican calls ``register()`` (PLUGINS setting); the ``get_generators`` signal
then adds ``SunshineGenerator``, which reads ``SUNSHINE_SNAPSHOT``. It writes its pages as Pelican's
writer would (``page_files.PageFiles``: the same context and bytes, hashed as written) and other
files into the output, never appends to ``context["pages"]``, and never imports Flask, SQLAlchemy or
the site.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from pelican.generators import Generator
from pelican.plugins import signals

from sunshine.contract.urls import ITEM_TYPE_SLUGS, page_save_as, save_as, search_url, url_for
from sunshine.search.analysis import Synonyms, analysis, fold, pinyin_terms, repo_synonyms
from sunshine.search.static_terms import (
    MENTION_WEIGHTS,
    OFFICE_WEIGHTS,
    SearchFields,
    pinyin_data,
    query_data,
    search_block,
    summary_text,
    t2s_map,
)
from sunshine.search.terms import CHANNEL_WORDS, DEPARTMENT_QUESTIONS, QUESTION_WORDS

from . import figure_charts, markup, parallel
from .catalog import Catalog, FeePage, build_catalog
from .feed import notices_atom
from .incremental import IncrementalPages, Ledger, PageEntry, RecordingMapping, code_key, swapped
from .labels import CASE_TYPE_NOTES, CASE_TYPES, search_kind_label, speedup_percent, workdays
from .opendata import csv_tables, write_open_data
from .page_files import PageFiles
from .search_store import SearchBlockStore, analyser_key
from .sitemap import SitemapEntry, robots_txt, sitemap_xml
from .snapshot import SnapshotError, parse_snapshot, read_snapshot_bytes

SNAPSHOT_SETTING = "SUNSHINE_SNAPSHOT"
# Set by build_site for incremental output: the previous complete build and its ledger (or None),
# where to write this build's ledger (or None), and a dict the generator fills with how many pages it
# rendered and reused.
PREVIOUS_BUILD_SETTING = "SUNSHINE_PREVIOUS_BUILD"
PREVIOUS_LEDGER_SETTING = "SUNSHINE_PREVIOUS_LEDGER"
LEDGER_SETTING = "SUNSHINE_WRITE_LEDGER"
#: True: the ledger is not written but handed back in the stats (``"ledger"``), for deploy.py to write
#: once the build is live (``publish(ledger_later=True)``).
LEDGER_LATER_SETTING = "SUNSHINE_LEDGER_LATER"
STATS_SETTING = "SUNSHINE_INCREMENTAL_STATS"
#: True when the output directory is the sparse half of a standby build (standby.py): the reused
#: pages are in the standby already, so they are noted in the ledger and not linked.
SPARSE_SETTING = "SUNSHINE_SPARSE_OUTPUT"
#: The web root's store of analysed search blocks (search_store.SearchBlockStore), or None.
SEARCH_STORE_SETTING = "SUNSHINE_SEARCH_STORE"
#: Code whose change must re-render every page (templates are hashed through the theme directory).
#: The search code (and its data) is in the search blocks' salt instead (``SEARCH_CODE``): a change
#: there analyses every block again and re-renders only the pages whose block changed.
CODE_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "contract")
SEARCH_CODE = Path(__file__).resolve().parent.parent / "search"
#: The search page's folding data (static_terms.query_data), at the site's root.
SEARCH_DATA_FILE = "search-data.json"
SEARCH_DATA_URL = "/" + SEARCH_DATA_FILE
#: The characters' readings for finding homophone typos (static_terms.pinyin_data), loaded lazily.
SEARCH_PINYIN_FILE = "search-pinyin.json"
SEARCH_PINYIN_URL = "/" + SEARCH_PINYIN_FILE
# Set by build_site: SHA-256 of the snapshot bytes it has already validated (saves a second pass).
VALIDATED_SHA256_SETTING = "SUNSHINE_SNAPSHOT_VALIDATED_SHA256"
PARSED_SNAPSHOT_SETTING = "SUNSHINE_SNAPSHOT_PARSED"  # and the data it decoded from them
HOME = ("首页", url_for("home"))
#: Context key of the site's public base URL ("" when unknown): canonical links and the sitemap.
BASE_URL_CONTEXT = "site_base_url"


@dataclass(frozen=True)
class PageJob:
    """A page to render: its output file, template, values and their digest (for the ledger)."""

    name: str
    template: str
    values: dict[str, Any]
    values_digest: str


class SharedDependencies:
    """One object per distinct dependency of the ledger, shared by every page that read it.

    A city's ledger notes 160,000 dependencies but only about 4,000 distinct ones (every page reads the
    centre's name and phone; every filter page reads every filter's label). Kept as one list per page
    and per process, they were the largest part of a full build's peak memory (a render process's
    pages, decoded in the parent, took 90 MB). Here each distinct (dependency, digest) pair and its
    JSON form exist once; a page's entry holds references to them, and a render process sends them
    once, pages naming them by index. The ledger's contents are the same.
    """

    def __init__(self) -> None:
        self.known: dict[tuple, tuple[tuple, list]] = {}  # (dependency, digest) → (itself, its JSON form)

    def share(self, entry: PageEntry) -> None:
        """Point a page's entry, just rendered here, at the shared forms of its dependencies."""
        parsed = entry.dependencies()
        known = self.known
        shared = [known.setdefault(pair, (pair, json)) for pair, json in zip(parsed, entry.deps, strict=True)]
        entry.parsed = [pair for pair, _json in shared]
        entry.deps = [json for _pair, json in shared]

    def table(self, entries: dict[str, PageEntry]) -> tuple[list[list], dict[str, list]]:
        """A render process's pages for the parent: the distinct dependencies once, each page's by index."""
        index: dict[int, int] = {}  # id of a shared JSON form → its place in the table
        table: list[list] = []
        pages: dict[str, list] = {}
        for name, entry in entries.items():
            places = []
            for json in entry.deps:
                place = index.get(id(json))
                if place is None:
                    place = index[id(json)] = len(table)
                    table.append(json)
                places.append(place)
            pages[name] = [entry.template, entry.values, places]
        return table, pages

    def entries(self, table: list[list], pages: dict[str, list]) -> dict[str, PageEntry]:
        """The entries a render process sent (``table``), sharing the dependencies known here."""
        known = self.known
        shared = [known.setdefault(pair, (pair, json))
                  for pair, json in zip(PageEntry("", "", table).dependencies(), table, strict=True)]
        return {name: PageEntry(template, values, [shared[i][1] for i in places], [shared[i][0] for i in places])
                for name, (template, values, places) in pages.items()}


def record_getattr(environment: Any) -> Callable[[Any, str], Any]:
    """Jinja's ``environment.getattr`` (``item.name`` in a template), quicker for records.

    Jinja tries the attribute first and the key after it: for a record (a dict, or the catalog's
    recording view of one) every ``item.name`` raised and caught an AttributeError first — two and a
    half million times in a city's build. The attributes such an object can have are its type's
    (neither has an instance ``__dict__``), so for any other name the key is looked up directly. The
    result is the same object, or the same undefined, in the same order of lookups.
    """
    plain = environment.getattr
    attributes = {kind: frozenset(dir(kind)) for kind in (dict, RecordingMapping)}

    def getattr_(obj: Any, attribute: str) -> Any:
        names = attributes.get(type(obj))
        if names is None or attribute in names:
            return plain(obj, attribute)
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return environment.undefined(obj=obj, name=attribute)

    return getattr_


def _pelican_collectors() -> list[Any]:
    """The handlers collecting this build's Pelican warnings and errors (build.py's collector)."""
    return [h for h in logging.getLogger("pelican").handlers if hasattr(h, "errors") and hasattr(h, "warnings")]


def _describe_failure(exc: BaseException) -> str:
    """A failure in a render process, in one line, named as build.py names one here."""
    from .build import one_line, template_place  # build imports this module

    if isinstance(exc, SnapshotError):
        return one_line(exc)
    return f"{template_place(exc)}：{type(exc).__name__}: {one_line(exc)}"


@dataclass(frozen=True, slots=True)
class HandPageLink:
    """A hand-written page as every page's footer reads it (``p.url``, ``p.title``): Pelican's
    ``Page.url`` is worked out from the settings at each read, twice per page for ten thousand pages."""

    url: str
    title: str


class SunshineGenerator(Generator):
    """Writes every page that comes from the snapshot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.getattr = record_getattr(self.env)
        self.snapshot_file = Path(self.settings[SNAPSHOT_SETTING])
        self.catalog: Catalog | None = None
        self.snapshot_bytes = b""
        self.snapshot_sha256 = ""
        self.sitemap: list[SitemapEntry] = []
        self.pages: IncrementalPages | None = None
        self.jobs: list[PageJob] = []  # pages to render, noted by _write
        #: Searchable pages waiting for their search blocks (_write_searchable): name, template, fields, values.
        self.searchable: list[tuple[str, str, SearchFields, dict[str, Any]]] = []
        self.search: SiteSearch | None = None
        self.dependencies = SharedDependencies()
        #: Pelican's hand-written pages as the footer of every page links them (``_render_jobs``).
        self.hand_pages: list[HandPageLink] = []
        #: This build's rendered pages and their hashes (``generate_output``).
        self.page_files = PageFiles(self.output_path, bool(self.settings.get("RELATIVE_URLS")))

    def generate_context(self) -> None:
        # Read once: the bytes validated are the bytes published as open data.
        self.snapshot_bytes = read_snapshot_bytes(self.snapshot_file)
        trusted = self.settings.get(VALIDATED_SHA256_SETTING)
        parsed = self.settings.get(PARSED_SNAPSHOT_SETTING)
        self.snapshot_sha256 = hashlib.sha256(self.snapshot_bytes).hexdigest()  # also the open data's
        if trusted and self.snapshot_sha256 == trusted:
            # build_site validated these very bytes (and hands over what it decoded)
            data = parsed if parsed is not None else orjson.loads(self.snapshot_bytes)
        else:
            data = parse_snapshot(self.snapshot_bytes, self.snapshot_file)
        self.use_snapshot(data)

    def use_snapshot(self, data: dict[str, Any]) -> None:
        """Make a validated snapshot this generator's: its catalog and the context the pages read
        (also the preview's way in, preview.py, which has the snapshot as data, not as a file)."""
        self.catalog = build_catalog(data)
        # Shared with PagesGenerator, so hand-written pages get the header and footer data.
        self.context["sunshine"] = self.catalog
        # The snapshot's own address of the site first: a rebuild from the published snapshot
        # (open data) then gives the same canonical links wherever it runs.
        self.context[BASE_URL_CONTEXT] = (
            self.catalog.site["site_url"] or self.settings.get("SITEURL") or ""
        ).rstrip("/")

    def _code_key(self) -> str:
        """Everything but the snapshot that shapes a page: theme, code, hand-written pages, settings."""
        content_pages = Path(self.settings["PATH"]) / "pages"
        settings = {"base_url": self.context[BASE_URL_CONTEXT], "relative": self.settings["RELATIVE_URLS"],
                    "siteurl": self.settings.get("SITEURL", ""), "lang": self.settings.get("DEFAULT_LANG")}
        packages = [*CODE_PACKAGES, content_pages] if content_pages.is_dir() else list(CODE_PACKAGES)
        return code_key(Path(self.settings["THEME"]), settings, packages)

    def generate_output(self, writer: Any) -> None:
        catalog = self.catalog
        if catalog is None:  # generate_context was not called
            raise RuntimeError("SunshineGenerator.generate_output before generate_context")
        self.pages = IncrementalPages(catalog, Path(self.output_path), self._code_key(),
                                      self.settings.get(PREVIOUS_BUILD_SETTING),
                                      self.settings.get(PREVIOUS_LEDGER_SETTING),
                                      link=not self.settings.get(SPARSE_SETTING))
        self.jobs = []
        self.dependencies = SharedDependencies()
        self.page_files = PageFiles(self.output_path, bool(self.settings["RELATIVE_URLS"]))
        self.search = SiteSearch(catalog, self.pages.ledger.code_key, self.pages.previous,
                                 store=self.settings.get(SEARCH_STORE_SETTING))
        self.searchable = []
        self._write_pages(writer, catalog)  # links unchanged pages, collects the others
        self._write_searchable(writer)
        (Path(self.output_path) / SEARCH_DATA_FILE).write_bytes(self.search.query_data())
        (Path(self.output_path) / SEARCH_PINYIN_FILE).write_bytes(_pinyin_data())
        # The reused pages are in place before any render process forks; a file the live build lost is rendered.
        self.jobs.extend(PageJob(*lost) for lost in self.pages.finish_links())
        self._render_jobs(writer)
        kept = None
        if self.settings.get(LEDGER_SETTING):
            self.search.keep(self.pages.ledger)
            later = bool(self.settings.get(LEDGER_LATER_SETTING))
            saved = self.pages.save(Path(self.settings[LEDGER_SETTING]), write=not later)
            kept = saved if later else None
        stats = self.settings.get(STATS_SETTING)
        if isinstance(stats, dict):
            stats.update(rendered=self.pages.stats.rendered, reused=self.pages.stats.reused,
                         search_analysed=self.search.analysed, pages=set(self.pages.ledger.pages), ledger=kept,
                         written=self.page_files.hashed)

    def _write_pages(self, writer: Any, catalog: Catalog) -> None:
        self._write_home(writer, catalog)
        self._write_items(writer, catalog)
        self._write_departments(writer, catalog)
        self._write_fees(writer, catalog)
        self._write_channels(writer, catalog)
        self._write_notices(writer, catalog)
        self._write_figures(writer, catalog)
        self._write_questions(writer, catalog)
        self._write_search(writer)
        self._write_open_data(writer, catalog)
        self._write(
            writer, save_as("not_found"), "404", title="页面不存在", section=None, crumbs=[]
        )
        self._write_site_files(catalog)

    # -- helpers -------------------------------------------------------------

    def _write(self, writer: Any, name: str, template: str, **values: Any) -> None:
        """Hard-link one page from the previous build when nothing it reads changed; else note it
        for rendering (``_render_jobs``, after every page is known)."""
        self._write_values(writer, name, template, values)

    def _write_values(self, writer: Any, name: str, template: str, values: dict[str, Any]) -> None:
        """``_write`` of ``values`` as they are: the very dict of the last publish is known at once
        (``IncrementalPages.reuse``), where a dict made anew is compared value by value."""
        block = values.get("search_block")
        if self.pages.previous is None or (isinstance(block, SearchBlock) and block.ledger_digest is None):
            # Nothing to reuse (or its block is made where the page renders): digested there, in the
            # render processes' share of the work rather than before they fork.
            self.jobs.append(PageJob(name, template, values, ""))
            return
        values_digest = self.pages.reuse(name, template, values)
        if values_digest is not None:
            self.jobs.append(PageJob(name, template, values, values_digest))

    def _render(self, writer: Any, job: PageJob) -> None:
        values_digest = job.values_digest
        block = job.values.get("search_block")
        if not values_digest:
            if isinstance(block, SearchBlock):
                block.make()  # its text, and the digest the page's values are known by
            values_digest = self.pages.reuse(job.name, job.template, job.values)  # nothing to reuse: the digest

        def render(catalog_view: Any) -> None:
            with swapped(self.context, "sunshine", catalog_view), swapped(self.context, "pages", self.hand_pages):
                self.page_files.write(job.name, self.get_template(job.template), self.context, job.values)

        self.pages.render(job.name, job.template, job.values, values_digest, render)
        self.dependencies.share(self.pages.ledger.pages[job.name])
        if isinstance(block, SearchBlock):
            block.release()

    def _render_jobs(self, writer: Any) -> None:
        """Render the pages noted by ``_write``: here when few, else shared among forked processes
        (parallel.py), which send back what each page read for the ledger."""
        jobs, self.jobs = self.jobs, []
        self.hand_pages = [HandPageLink(page.url, page.title) for page in self.context.get("pages") or ()]
        count = parallel.processes()
        if count < 2 or len(jobs) < parallel.MIN_PAGES:
            for job in jobs:
                self._render(writer, job)
            return
        logs = _pelican_collectors()
        if self.search is not None:
            self.search.warm()  # loaded once, before the fork, and shared by the render processes

        def work(share: list[PageJob]) -> bytes:
            seen = [(len(c.errors), len(c.warnings)) for c in logs]
            analysed = self.search.analysed if self.search is not None else 0
            made = len(self.search.made) if self.search is not None else 0
            store = markup.current_store()
            mark = store.mark() if store is not None else (0, 0)
            blocks = self.search.store if self.search is not None else None
            blocks_mark = blocks.mark() if blocks is not None else 0
            files_mark = self.page_files.mark()
            for job in share:
                self._render(writer, job)
            entries = {job.name: self.pages.ledger.pages[job.name] for job in share}
            table, pages = self.dependencies.table(entries)
            return orjson.dumps({
                "analysed": (self.search.analysed if self.search is not None else 0) - analysed,
                "markdown": store.since(mark) if store is not None else None,
                "deps": table,
                "pages": pages,
                "blocks": self.search.made[made:] if self.search is not None else [],
                "stored": blocks.since(blocks_mark) if blocks is not None else [],
                "files": self.page_files.since(files_mark),
                "errors": [m for c, (e, _w) in zip(logs, seen, strict=True) for m in c.errors[e:]],
                "warnings": [m for c, (_e, w) in zip(logs, seen, strict=True) for m in c.warnings[w:]],
            })

        shares = parallel.split(jobs, count)
        payloads = parallel.run_shares(shares, work, _describe_failure)
        log = logging.getLogger("pelican.sunshine")
        for share, payload in zip(shares[1:], payloads[1:], strict=True):  # the first was rendered here
            data = orjson.loads(payload)
            self.pages.adopt(self.dependencies.entries(data["deps"], data["pages"]))
            # The values digested there, as the process's next publish compares them (as if digested here);
            # not those holding a block made there (this process's copy of it has no text).
            self.pages.note_values((job.name, job.values) for job in share
                                   if not job.values_digest and not isinstance(job.values.get("search_block"), SearchBlock))
            self.page_files.adopt(data["files"])  # the pages written there, hashed as written
            if self.search is not None:
                self.search.analysed += data["analysed"]  # blocks made while rendering there
                self.search.digests.update(data["blocks"])  # blocks first made there
                if self.search.store is not None:
                    self.search.store.adopt(data["stored"])  # and their texts, for the next build
            store = markup.current_store()
            if store is not None and data["markdown"] is not None:
                store.adopt(data["markdown"])  # texts converted there
            for message in data["errors"]:
                log.error("%s", message)  # the build fails on it, as if logged here
            for message in data["warnings"]:
                log.warning("%s", message)

    def _page(
        self,
        writer: Any,
        kind: str,
        template: str,
        code: str | None = None,
        *,
        lastmod: str | None = None,
        search: SearchFields | None = None,
        **values: Any,
    ) -> None:
        """Write one public page and list it in the sitemap (``lastmod``: its record's date).

        ``search``: what the site's search indexes of the page (its hidden block); a page without
        it is not indexed. The block is one of the page's values, so a page whose terms change
        (new synonyms, a new name cut whole) is rendered again.
        """
        url = url_for(kind, code)
        if search is not None and self.search is not None:
            self.searchable.append((save_as(kind, code), template, search, {"page_url": url, **values}))
        else:
            self._write(writer, save_as(kind, code), template, page_url=url, **values)
        self.sitemap.append(SitemapEntry(url, lastmod))

    def _record_page(self, writer: Any, template: str, page: RecordPage) -> None:
        """``_page`` for a record's page made by ``item_page`` and the like: its address, values and
        sitemap entry are the last publish's objects when the record is unchanged."""
        if self.search is not None:
            self.searchable.append((page.name, template, page.fields, page.page_values))
        else:
            self._write(writer, page.name, template, **page.page_values)
        self.sitemap.append(page.entry)

    def _write_searchable(self, writer: Any) -> None:
        """The searchable pages, once all their blocks are made: the blocks the previous build did not
        have are analysed together, shared among processes (SiteSearch.blocks_of)."""
        pages, self.searchable = self.searchable, []
        if self.search is None:
            return
        # With no ledger to reuse pages from, every page renders: its block is made there, not before,
        # so that no process holds every block's text (a city's are 30 MB).
        deferred = self.pages is not None and self.pages.previous is None
        blocks = self.search.blocks_of([fields for _name, _template, fields, _values in pages], deferred=deferred)
        _forget_fields_keys(keep=bool(self.settings.get(LEDGER_SETTING)))
        remembered: dict[str, tuple[dict[str, Any], SearchBlock, dict[str, Any]]] = {}
        for (name, template, _fields, values), block in zip(pages, blocks, strict=True):
            earlier = _SEARCHABLE_VALUES.get(name)
            if (earlier is not None and earlier[0] is values and block.ledger_digest is not None
                    and earlier[1].ledger_digest == block.ledger_digest):
                # The record's page is the last publish's and its block has the same text: the page's
                # values are the last publish's dict, its block swapped for this build's (equal) one.
                page_values = earlier[2]
                page_values["search_block"] = block
            else:
                page_values = {"search_block": block, **values}
            remembered[name] = (values, block, page_values)
            self._write_values(writer, name, template, page_values)
        _remember(_SEARCHABLE_VALUES, remembered, keep=bool(self.settings.get(LEDGER_SETTING)))

    # -- page kinds ----------------------------------------------------------

    def _write_home(self, writer: Any, catalog: Catalog) -> None:
        self._page(writer, "home", "home", title="首页", section="home", crumbs=[])

    def _write_items(self, writer: Any, catalog: Catalog) -> None:
        crumbs = _crumbs("办事指南", "items")
        self._page(
            writer,
            "items",
            "items",
            title="办事指南",
            section="items",
            crumbs=_crumbs(),
            case_types=CASE_TYPES,
            case_type_notes=CASE_TYPE_NOTES,
            item_type_slugs=ITEM_TYPE_SLUGS,
        )
        remembered: dict[str, RecordPage] = {}
        for item in catalog.items:
            page = remembered[item["code"]] = item_page(catalog, item)
            self._record_page(writer, "item", page)
        _remember(_ITEM_PAGES, remembered, keep=bool(self.settings.get(LEDGER_SETTING)))
        for withdrawn in catalog.withdrawn_items:
            self._page(
                writer,
                "item",
                "item_withdrawn",
                withdrawn["code"],
                lastmod=withdrawn["withdrawn_at"],
                title=f"{withdrawn['name']}（已撤回）",
                section="items",
                crumbs=crumbs,
                withdrawn=withdrawn,
                department=catalog.department_of(withdrawn),
            )
        listed: dict[tuple, Any] = {}
        for item_filter in catalog.item_filters:
            for page in item_filter.pages():
                page = _listed(_FILTER_PAGES, listed, _filter_page_key(page), page)
                title = item_filter.title if page.number == 1 else f"{item_filter.title}（第 {page.number} 页）"
                self._write(writer, page_save_as(item_filter.url, page.number), "items_filter",
                            page_url=page.page_url, title=title, section="items", crumbs=crumbs,
                            current_filter=page)
                self.sitemap.append(SitemapEntry(page.page_url, None))
        _remember(_FILTER_PAGES, listed, keep=bool(self.settings.get(LEDGER_SETTING)))

    def _write_departments(self, writer: Any, catalog: Catalog) -> None:
        crumbs = _crumbs("部门窗口", "departments")
        self._page(
            writer,
            "departments",
            "departments",
            title="部门窗口",
            section="departments",
            crumbs=_crumbs(),
        )
        remembered: dict[str, RecordPage] = {}
        figures = _figures_inputs(catalog)
        for department in catalog.departments:
            page = remembered[department["code"]] = department_page(catalog, department, figures)
            self._record_page(writer, "department", page)
        _remember(_DEPARTMENT_PAGES, remembered, keep=bool(self.settings.get(LEDGER_SETTING)))
        for withdrawn in catalog.withdrawn_departments:  # the notice at the address it had
            self._page(writer, "department", "department_withdrawn", withdrawn["code"],
                       lastmod=withdrawn["withdrawn_at"], title=f"{withdrawn['name']}（已撤回）",
                       section="departments", crumbs=crumbs, withdrawn=withdrawn)

    def _write_fees(self, writer: Any, catalog: Catalog) -> None:
        """The fee overview (counts and links only: a city's fees were megabytes on one page, and every
        edit re-rendered it), each category's fees and the combined bills' fees in pages."""
        no_fee = next((f for f in catalog.item_filters if f.kind == "items_no_fee"), None)
        bills = catalog.bill_summaries()
        self._page(
            writer,
            "fees",
            "fees",
            title="收费公示",
            section="fees",
            crumbs=_crumbs(),
            categories=catalog.fee_categories(),
            bills=bills,
            free_items=len(no_fee.items) if no_fee else 0,
            free_items_url=no_fee.url if no_fee else None,
        )
        crumbs = _crumbs("收费公示", "fees")
        listed: dict[tuple, Any] = {}
        for page in catalog.fee_category_pages():
            page = _listed(_FEE_PAGES, listed, _fee_page_key(page), page)
            self._write_fee_page(writer, page, crumbs, page.title)
        for page in catalog.bill_pages():
            sections = catalog.bill_sections(page)
            key = ("sections", *((s.anchor, s.name, s.fees, s.continued, _fee_rows_key(s.rows)) for s in sections))
            page = _listed(_FEE_PAGES, listed, _fee_page_key(page), page)
            self._write_fee_page(writer, page, crumbs, "一单收费", sections=_listed(_FEE_PAGES, listed, key, sections))
        _remember(_FEE_PAGES, listed, keep=bool(self.settings.get(LEDGER_SETTING)))

    def _write_fee_page(self, writer: Any, page: FeePage, crumbs: list, title: str, **values: Any) -> None:
        """One page of a fee list, in the sitemap; page 2 on says its number in the title."""
        if page.number > 1:
            title = f"{title}（第 {page.number} 页）"
        self._write(writer, page_save_as(page.url, page.number), "fee_list", page_url=page.page_url,
                    title=title, section="fees", crumbs=crumbs, fee_page=page, **values)
        self.sitemap.append(SitemapEntry(page.page_url, None))

    def _write_channels(self, writer: Any, catalog: Catalog) -> None:
        self._page(writer, "channels", "channels", search=channels_search_fields(catalog),
                   **channels_page_values(catalog))

    def _write_notices(self, writer: Any, catalog: Catalog) -> None:
        crumbs = _crumbs("通知公告", "notices")
        self._page(
            writer, "notices", "notices", title="通知公告", section="notices", crumbs=_crumbs()
        )
        remembered: dict[str, RecordPage] = {}
        for notice in catalog.notices:
            page = remembered[notice["code"]] = notice_page(catalog, notice)
            self._record_page(writer, "notice", page)
        _remember(_NOTICE_PAGES, remembered, keep=bool(self.settings.get(LEDGER_SETTING)))
        for withdrawn in catalog.withdrawn_notices:  # the notice at the address it had
            self._page(writer, "notice", "notice_withdrawn", withdrawn["code"],
                       lastmod=withdrawn["withdrawn_at"], title=f"{withdrawn['title']}（已撤回）",
                       section="notices", crumbs=crumbs, withdrawn=withdrawn,
                       department=catalog.department_of(withdrawn))
        feed = Path(self.output_path) / save_as("notices_feed")
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_bytes(notices_atom(catalog))

    def _write_figures(self, writer: Any, catalog: Catalog) -> None:
        figures, charts = figures_and_charts(catalog)
        crumbs = _crumbs("办件统计", "figures")
        self._page(
            writer,
            "figures",
            "figures",
            title="办件统计",
            section="figures",
            crumbs=_crumbs(),
            search=intake_search_fields("figures", "办件统计", FIGURES_ALIASES),
            figures=figures,
            charts=charts,
        )
        self._page(
            writer,
            "rectifications",
            "rectifications",
            title="差评整改情况",
            section="figures",
            crumbs=crumbs,
            search=intake_search_fields("figures", "差评整改情况", RECTIFICATIONS_ALIASES),
            figures=figures,
        )
        self._page(
            writer,
            "outcomes",
            "outcomes",
            title="投诉办理结果公开",
            section="figures",
            crumbs=crumbs,
            search=intake_search_fields("figures", "投诉办理结果公开", OUTCOMES_ALIASES),
            complaint_url=catalog.complaint_url(),
            lookup_url=catalog.lookup_url(),
        )

    def _write_questions(self, writer: Any, catalog: Catalog) -> None:
        crumbs = _crumbs("网上咨询", "questions")
        self._page(
            writer,
            "questions",
            "questions",
            title="网上咨询",
            section="questions",
            crumbs=_crumbs(),
            search=intake_search_fields("questions", "网上咨询", QUESTION_WORDS),
            question_url=catalog.question_url(),
            question_lookup_url=catalog.question_lookup_url(),
        )
        for question in catalog.questions:
            item = catalog.item_by_code(question["item"])
            self._page(
                writer,
                "question",
                "question",
                question["code"],
                lastmod=question["answered_on"],
                search=question_search_fields(catalog, question, item),
                title=question["subject"],
                section="questions",
                crumbs=crumbs,
                question=question,
                department=catalog.department_by_code[question["department"]],
                item=item,
                # Ask about the same item, else the same department.
                question_url=catalog.question_url(item=item["code"])
                if item
                else catalog.question_url(department=question["department"]),
            )

    def _write_search(self, writer: Any) -> None:
        catalog = self.catalog
        self._page(writer, "search", "search", title="搜索", section="search", crumbs=_crumbs(),
                   search_data_url=SEARCH_DATA_URL, search_pinyin_url=SEARCH_PINYIN_URL, no_script_url=search_url(catalog.intake_url),
                   question_url=catalog.question_url(),
                   search_filters=_search_filters(catalog))

    def _write_open_data(self, writer: Any, catalog: Catalog) -> None:
        data_dir = Path(self.output_path) / Path(save_as("data")).parent
        manifest = write_open_data(catalog, self.snapshot_bytes, data_dir,
                                   snapshot_sha256=self.snapshot_sha256 or None)
        # Published: a city's 30 MB need not stay through the rendering (nor in each render process).
        self.snapshot_bytes = b""
        self._page(
            writer,
            "data",
            "data",
            title="开放数据",
            section="data",
            crumbs=[HOME],
            manifest=manifest,
            # What the page shows of each file: title, columns and the number of rows. Not the rows:
            # the page's values are digested, and digesting every record for a count cost a tenth
            # of a city's one-item publish.
            tables={name: (title, columns, range(len(rows)))
                    for name, (title, columns, rows) in csv_tables(catalog).items()},
        )

    def _write_site_files(self, catalog: Catalog) -> None:
        """sitemap.xml (every page written above and the hand-written pages) and robots.txt."""
        base = self.context[BASE_URL_CONTEXT]
        pages = [SitemapEntry("/" + page.url) for page in self.context.get("pages", [])]
        output = Path(self.output_path)
        (output / save_as("sitemap")).write_bytes(sitemap_xml(self.sitemap + pages, base))
        (output / save_as("robots")).write_bytes(robots_txt(base, catalog.intake_url))


# -- what the site's search indexes of a page (search/static_terms.py) ---------------------------


class SearchBlock:
    """A page's search block as the ledger knows it (the digest of its text) and as the page shows it
    (the text, made when the page is rendered, in whichever process renders it).

    A reused page never needs its block's text, so the ledger keeps digests only (a city's blocks are
    30 MB of text) and an edit analyses the blocks of the pages it renders, no others.
    """

    __slots__ = ("key", "ledger_digest", "fields", "_site", "_text")

    def __init__(self, site: SiteSearch, key: str, ledger_digest: str | None, fields: SearchFields) -> None:
        self.key, self.ledger_digest, self.fields, self._site = key, ledger_digest, fields, site
        self._text: str | None = None

    def make(self) -> None:
        """A deferred block (``ledger_digest`` None): make its text where its page renders, and its digest."""
        if self.ledger_digest is None:
            self._text, self.ledger_digest = self._site.made_here(self.key, self.fields)

    def release(self) -> None:
        """The page is written: its text need not stay."""
        self._text = None

    def __html__(self) -> str:
        if self._text is not None:
            return self._text
        return self._site.text(self.key, self.fields)

    __str__ = __html__

    def __bool__(self) -> bool:
        return True


#: The key of each page's search fields in this process, by identity: an unchanged item page's fields
#: are the last publish's very object (``item_page``). Each entry keeps its object alive, so an
#: identity is never reused; ``_forget_fields_keys`` keeps only the last build's.
_FIELDS_KEYS: dict[int, tuple[SearchFields, str]] = {}
_FIELDS_KEYS_USED: set[int] = set()


def _fields_key(fields: SearchFields) -> str:
    """A page's search fields as a key (their repr, hashed): a city has ten thousand."""
    hit = _FIELDS_KEYS.get(id(fields))
    if hit is None:
        hit = _FIELDS_KEYS[id(fields)] = (fields, hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()[:32])
    _FIELDS_KEYS_USED.add(id(fields))
    return hit[1]


def _forget_fields_keys(keep: bool) -> None:
    """After a build: with ``keep`` (a publish: the process may publish again) the keys of the fields
    it used stay for the next, the others are gone for good; else none stays (nor the characters
    counted for the search data, ``_CHARACTERS``, nor the catalog's names, ``_NAMES``)."""
    for key in [key for key in _FIELDS_KEYS if not keep or key not in _FIELDS_KEYS_USED]:
        del _FIELDS_KEYS[key]
    _FIELDS_KEYS_USED.clear()
    if not keep:
        _CHARACTERS.forget()
        _NAMES.forget()


def _characters_of(fields: SearchFields) -> str:
    """The distinct characters of a page's searchable texts, as one string (a set of a hundred
    characters takes ten times the memory, and a city's process keeps ten thousand)."""
    found = set(fields.title)
    found.update(fields.department)
    for text in (*fields.aliases, *fields.body):
        found.update(text)
    return "".join(found)


class CharacterCounts:
    """The characters of a set of pages' blocks, kept up to date from one build to the next.

    Every build's search data lists the characters of every searchable page. Adding each page's
    characters to a set was a quarter of a million set updates per city build, for a set that a
    one-item edit rarely changes. Here each character counts the pages (by fields key) that have
    it: a build adds the pages that are new since the last and removes those that are gone, and a
    character is listed while one page has it, exactly as a count from nothing would list it.
    """

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}  # fields key → its characters (``_characters_of``)
        self._counts: dict[str, int] = {}  # character → how many of those pages have it
        self._lock = threading.Lock()

    @property
    def pages(self) -> dict[str, str]:
        """The pages counted now: fields key → characters (not to be modified)."""
        return self._pages

    def union(self, pages: dict[str, str]) -> set[str]:
        """The characters of ``pages`` (fields key → characters), counted from the last call's."""
        with self._lock:
            try:
                old, counts = self._pages, self._counts
                for key in old.keys() - pages.keys():
                    for character in old[key]:
                        left = counts[character] - 1
                        if left:
                            counts[character] = left
                        else:
                            del counts[character]
                for key in pages.keys() - old.keys():
                    for character in pages[key]:
                        counts[character] = counts.get(character, 0) + 1
                self._pages = dict(pages)
                return set(counts)
            except BaseException:  # half counted: start from nothing next time
                self._pages, self._counts = {}, {}
                raise

    def forget(self) -> None:
        with self._lock:
            self._pages, self._counts = {}, {}


#: The characters of the pages of this process's last build (``SiteSearch.characters``).
_CHARACTERS = CharacterCounts()
#: The last search data made in this process: (the characters it was made for, its bytes).
_QUERY_DATA: list[tuple[frozenset[str], bytes]] = []


def _department_names(department: dict[str, Any]) -> tuple[str, ...]:
    return department["name"], department.get("short_name") or ""


def _item_names(item: dict[str, Any]) -> tuple[str, ...]:
    return item["name"], *(fee["name"] for fee in item["fees"])


class CatalogNames:
    """The names the analysis cuts whole (departments', items', fees'), kept up to date from one
    build to the next by record: a running publisher's unchanged records are the last build's
    objects (interning.py), so a one-item edit reads the names of one item, not of ten thousand.

    ``distinct`` (sorted, each once: the search salt's) is made again only when a name comes or
    goes. Only the names of new records are offered to the analysis: it had the others, and it
    skips a name offered before, so it is given the same words in the same order as when offered
    every name of the catalog.
    """

    def __init__(self) -> None:
        self._engine: Any = None  # the analysis given the names
        self._records: dict[int, tuple[dict[str, Any], tuple[str, ...]]] = {}  # by identity (kept alive)
        self._counts: dict[str, int] = {}  # name → how many of those records have it
        self.distinct: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def update(self, catalog: Catalog, engine: Any) -> tuple[str, ...]:
        """The catalog's distinct names, sorted; ``engine`` (the analysis) has been given them."""
        with self._lock:
            try:
                return self._update(catalog, engine)
            except BaseException:  # half counted: start from nothing next time
                self._forget()
                raise

    def _update(self, catalog: Catalog, engine: Any) -> tuple[str, ...]:
        if engine is not self._engine:
            self._forget()
            self._engine = engine
        known, counts = self._records, self._counts
        ids = {*map(id, catalog.departments), *map(id, catalog.items)}
        changed = False
        for gone in known.keys() - ids:
            for name in known.pop(gone)[1]:
                left = counts[name] - 1
                if left:
                    counts[name] = left
                else:
                    del counts[name]
                    changed = True
        came = ids - known.keys()
        if came:
            offered: list[str] = []
            for records, names_of in ((catalog.departments, _department_names), (catalog.items, _item_names)):
                for record in records:
                    if id(record) not in came or id(record) in known:
                        continue
                    names = names_of(record)
                    known[id(record)] = (record, names)
                    offered += names
                    for name in names:
                        found = counts.get(name, 0)
                        counts[name] = found + 1
                        changed = changed or not found
            engine.add_words(name for name in offered if name)
        if changed:
            self.distinct = tuple(sorted(counts))
        return self.distinct

    def forget(self) -> None:
        with self._lock:
            self._forget()

    def _forget(self) -> None:
        self._engine, self._records, self._counts, self.distinct = None, {}, {}, ()


#: The names of the last catalog searched in this process (``SiteSearch``).
_NAMES = CatalogNames()


class SiteSearch:
    """The search side of one build: the analysis knows the data's names, synonyms are merged.

    Collects the characters of every page's searchable text so that the search page's
    traditional → simplified map only holds what can be found.
    """

    def __init__(self, catalog: Catalog, code: str = "", previous: Ledger | None = None,
                 store: SearchBlockStore | None = None) -> None:
        self.analysis = analysis()
        names = _NAMES.update(catalog, self.analysis)
        self.synonyms: Synonyms = repo_synonyms().merged(
            Synonyms.parse(catalog.snapshot.get("search_synonyms", []) or []))
        self._synonym_characters: set[str] = set()
        for group in self.synonyms.groups:
            for word in group:
                self._synonym_characters.update(word)
        #: The characters of each page noted (``blocks_of``), by fields key.
        self._noted: dict[str, str] = {}
        self.terms: dict[str, list[str]] = {}  # text → its index words, for this build's dictionary
        # A block depends on its fields, the code, the names cut whole and the synonyms: with the
        # same salt, the previous build's blocks are this build's (known by their digests).
        self.salt = _salt(code, names, tuple(" ".join(group) for group in self.synonyms.groups))
        self.previous = previous.search_blocks if previous is not None and previous.search_salt == self.salt else {}
        self.digests: dict[str, str] = {}  # this build's blocks: fields key → digest of the text
        self.texts: dict[str, str] = {}  # the texts made in this process
        self.made: list[tuple[str, str]] = []  # deferred blocks made in this process: (key, digest)
        self.analysed = 0
        #: The web root's blocks analysed by earlier builds (search_store.py): valid for this build's
        #: analysis (its code, names and synonyms), whatever the publisher's code and theme.
        self.store = store
        if store is not None:
            groups = tuple(" ".join(group) for group in self.synonyms.groups)
            store.use(analyser_key(_search_code_key(), names, groups))

    @property
    def characters(self) -> set[str]:
        """The characters a block can hold: those of the synonym words and of every page's texts
        noted (their folded forms are added in ``query_data``). The same for a full and an
        incremental build, which need not know the text of a reused page's block."""
        return self._synonym_characters | _CHARACTERS.union(self._noted)

    def block(self, fields: SearchFields) -> str:
        """The text of one page's block (the preview's way in). The keys a publish keeps for the
        next one (``_FIELDS_KEYS``) stay: the preview shares the publisher's process."""
        known = id(fields) in _FIELDS_KEYS
        try:
            return str(self.blocks_of([fields])[0])
        finally:
            if not known:
                _FIELDS_KEYS.pop(id(fields), None)
                _FIELDS_KEYS_USED.discard(id(fields))

    def text(self, key: str, fields: SearchFields) -> str:
        """A block's text: made in this process, else analysed by an earlier build (the store: a page
        re-rendered with the same fields, its department's list after an edit say), else analysed now."""
        found = self.texts.get(key)
        if found is None:
            stored = self.store.get(key) if self.store is not None else None
            if stored is not None:
                found = self.texts[key] = stored
            else:
                found = self.texts[key] = search_block(fields, self.synonyms, self.analysis, self.terms)
                self.analysed += 1
        return found

    def blocks_of(self, pages: list[SearchFields], *, deferred: bool = False) -> list[SearchBlock]:
        """The blocks of ``pages``, in order. A block whose fields and salt the previous build had
        is known by its digest; the others are analysed now, together, shared among processes
        (about 1 ms a page: a city's first build spent a third of its time here, in one process).

        ``deferred`` (every page will render: nothing to reuse): the others are made where their
        pages render (``SearchBlock.make``), and their digest is known only then.
        """
        keys = [_fields_key(fields) for fields in pages]
        previous, texts, digests, noted, store = self.previous, self.texts, self.digests, self._noted, self.store
        counted = _CHARACTERS.pages
        missing: dict[str, SearchFields] = {}
        if store is not None:
            store.note(keys)
        for key, fields in zip(keys, pages, strict=True):
            if key not in noted:  # the characters of a page counted before are not read again
                noted[key] = counted.get(key) or _characters_of(fields)
            if key not in previous and key not in texts:
                stored = store.get(key) if store is not None else None
                if stored is not None:
                    texts[key] = stored  # analysed by an earlier build of this web root
                else:
                    missing[key] = fields
        if deferred:
            self.analysed += len(missing)
        else:
            self._analyse(list(missing.items()))
        out = []
        for key, fields in zip(keys, pages, strict=True):
            found = digests.get(key) or previous.get(key)
            if found is None:
                if deferred and key in missing:
                    out.append(SearchBlock(self, key, None, fields))
                    continue
                found = hashlib.sha256(texts[key].encode("utf-8")).hexdigest()[:32]
            digests[key] = found
            out.append(SearchBlock(self, key, found, fields))
        return out

    def warm(self) -> None:
        """Load what making a block loads on first use (pypinyin's tables: 55 MB of Python objects), so
        that forked render processes share one copy instead of each loading its own. Pure: the output
        is the same with or without it."""
        self.analysis.index_terms("营业执照")
        pinyin_terms("营业执照")

    def made_here(self, key: str, fields: SearchFields) -> tuple[str, str]:
        """A deferred block's text and digest, made in the process that renders its page (counted
        when deferred; kept as a digest, for the ledger, not as text)."""
        text = self.texts.get(key)
        if text is None:
            text = search_block(fields, self.synonyms, self.analysis, self.terms)
            if self.store is not None:
                self.store.add(key, text)
        found = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        if key not in self.digests:
            self.digests[key] = found
            self.made.append((key, found))
        return text, found

    def _analyse(self, todo: list[tuple[str, SearchFields]]) -> None:
        def work(share: list[tuple[str, SearchFields]]) -> bytes:
            return orjson.dumps({key: search_block(fields, self.synonyms, self.analysis, self.terms)
                                 for key, fields in share})

        count = parallel.processes()
        shares = parallel.split(todo, count) if count > 1 and len(todo) >= parallel.MIN_PAGES else [todo]
        for payload in parallel.run_shares(shares, work, _describe_failure):
            made = orjson.loads(payload)
            self.texts.update(made)
            if self.store is not None:
                self.store.adopt(made.items())
        self.analysed += len(todo)

    def keep(self, ledger: Ledger) -> None:
        """Put this build's block digests into its ledger, for the next build."""
        ledger.search_salt, ledger.search_blocks = self.salt, self.digests

    def query_data(self) -> bytes:
        """The search page's folding data for this build's characters: the last build's bytes when
        its characters were the same (the map scans the whole CJK range)."""
        characters = frozenset(self.characters)
        if _QUERY_DATA and _QUERY_DATA[0][0] == characters:
            return _QUERY_DATA[0][1]
        wanted = characters | {fold(character) for character in characters}
        data = query_data(t2s_map(wanted))
        _QUERY_DATA[:] = [(characters, data)]
        return data


#: The last salt made (``_salt``): its parts and itself.
_SALTS: list[tuple[tuple, str]] = []


def _salt(code: str, names: tuple[str, ...], groups: tuple[str, ...]) -> str:
    """The search blocks' salt: the analysis's code, the build's code, the names cut whole and the
    synonym groups. The last one's when made of the same parts (ten thousand names hashed again)."""
    parts = (_search_code_key(), code, names, groups)
    if _SALTS and _SALTS[0][0] == parts:
        return _SALTS[0][1]
    salt = hashlib.sha256(parts[0].encode())
    for part in (code, *names, *groups):
        salt.update(part.encode("utf-8") + b"\0")
    found = salt.hexdigest()
    _SALTS[:] = [(parts, found)]
    return found


@cache
def _search_code_key() -> str:
    """The analysis's code and data (search/): the blocks of a build made by other code are not this
    build's, even for the same fields. Read once per process (a code change restarts it)."""
    return code_key(SEARCH_CODE, {}, [])


@cache
def _pinyin_data() -> bytes:
    """The same bytes for every build of a process (the table depends on pypinyin alone)."""
    return pinyin_data()


#: Aliases of the pages that lead to the intake's forms and lookups, so a citizen finds them.
OUTCOMES_ALIASES = ("投诉结果", "投诉处理结果", "投诉办理结果", "办理结果公开")
RECTIFICATIONS_ALIASES = ("差评整改", "整改", "差评")
FIGURES_ALIASES = ("统计", "办件量", "满意度", "好差评统计", "按时办结率")


def intake_search_fields(section: str, title: str, aliases: tuple[str, ...],
                         body: tuple[str, ...] = ()) -> SearchFields:
    """A page about one of the intake's services (forms, lookups) or the site's data."""
    kind = search_kind_label(section)
    return SearchFields(kind=kind, title=title, aliases=aliases, body=body,
                        meta={"summary": summary_text(aliases)}, filters={"kind": kind})


def _fee_summary(item: dict[str, Any]) -> str:
    fees = item["fees"]
    if not fees:
        return "不收费"
    names = "、".join(fee["name"] for fee in fees[:2])
    return f"收费：{names}" + (f"等 {len(fees)} 项" if len(fees) > 2 else "")


def _markdown_text(text: str | None) -> str:
    """Markdown list and emphasis marks dropped: the summary is plain text."""
    lines = [line.strip().lstrip("-*+0123456789.、 ").strip() for line in (text or "").splitlines()]
    return "；".join(line for line in lines if line)


def item_search_fields(catalog: Catalog, item: dict[str, Any]) -> SearchFields:
    department = catalog.department_by_code[item["department"]]
    kind = search_kind_label("items")
    body = [
        item["item_type"], CASE_TYPES.get(item["case_type"], ""), item.get("service_object") or "",
        item.get("result_type") or "", _markdown_text(item["conditions"]),
        *(material["name"] for material in item["materials"]),
        *(fee["name"] for fee in item["fees"]), *(fee["combined_bill"] for fee in item["fees"]),
        *(step.get("name", "") for step in item.get("steps") or [] if isinstance(step, dict)),
        "收费" if item["fees"] else "不收费", "网上办理" if item["online"] else "",
        department.get("short_name") or "", department.get("window") or "",
    ]
    return SearchFields(
        kind=kind,
        title=item["name"],
        aliases=tuple(item.get("keywords") or ()),
        body=tuple(text for text in body if text),
        department=department["name"],
        meta={"limit": "承诺 " + workdays(item["promised_days"]), "fee": _fee_summary(item),
              "summary": summary_text([_markdown_text(item["conditions"]) or item.get("service_object") or ""])},
        filters={"department": department["code"], "item_type": item["item_type"],
                 "case_type": item["case_type"], "kind": kind},
    )


def department_search_fields(catalog: Catalog, department: dict[str, Any]) -> SearchFields:
    kind = search_kind_label("departments")
    items = catalog.items_by_department[department["code"]]
    return SearchFields(
        kind=kind,
        title=department["name"],
        aliases=(*(a for a in (department.get("short_name"),) if a), *DEPARTMENT_QUESTIONS),
        body=(department.get("duties") or "", department.get("window") or "", department.get("address") or "",
              department.get("consult_phone") or "", department.get("complaint_phone") or "",
              *(item["name"] for item in items)),
        meta={"summary": summary_text([department.get("window") or "", "咨询电话 " + department["consult_phone"]
                                       if department.get("consult_phone") else "", department.get("duties") or ""])},
        filters={"department": department["code"], "kind": kind},
        weights=OFFICE_WEIGHTS,
    )


def notice_search_fields(catalog: Catalog, notice: dict[str, Any]) -> SearchFields:
    kind = search_kind_label("notices")
    department = catalog.department_of(notice)
    return SearchFields(
        kind=kind, title=notice["title"], body=(notice.get("category") or "", notice["body"]),
        department=department["name"] if department else "",
        meta={"summary": summary_text([notice["date"], _markdown_text(notice["body"])])},
        filters={"department": department["code"] if department else "", "kind": kind},
        weights=MENTION_WEIGHTS,
    )


def question_search_fields(catalog: Catalog, question: dict[str, Any],
                           item: dict[str, Any] | None) -> SearchFields:
    kind = search_kind_label("questions")
    department = catalog.department_by_code[question["department"]]
    return SearchFields(
        kind=kind, title=question["subject"], aliases=(item["name"],) if item else (),
        body=(question["question"], question["answer"]), department=department["name"],
        meta={"summary": summary_text([question["answer"]])},
        filters={"department": department["code"], "kind": kind},
        weights=MENTION_WEIGHTS,
    )


def channels_search_fields(catalog: Catalog) -> SearchFields:
    body = []
    for channel in catalog.channels:
        body += [channel["name"], channel.get("office") or "", channel.get("contact") or "", channel.get("notes") or ""]
    return intake_search_fields("channels", "投诉渠道", CHANNEL_WORDS, tuple(t for t in body if t))


def hand_page_search_block(page: Any) -> str:
    """The search block of a hand-written page (content/pages: 关于本站, 隐私说明): its title and
    text. Rendered by Pelican's own generator, so the repository's synonyms only."""
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]+>", " ", str(getattr(page, "content", "") or "")))
    fields = SearchFields(kind=search_kind_label(None), title=str(page.title), body=(text,),
                          meta={"summary": summary_text([text])})
    return search_block(fields, repo_synonyms(), analysis())


def search_filter_choices(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """The search page's filter selects: value → label, only values some page has."""
    item_types = sorted({item["item_type"] for item in catalog.items},
                        key=lambda t: list(ITEM_TYPE_SLUGS).index(t) if t in ITEM_TYPE_SLUGS else 99)
    present = {item["case_type"] for item in catalog.items}
    case_types = [code for code in CASE_TYPES if code in present]
    return {
        "department": [(d["code"], d["name"]) for d in catalog.departments],
        "item_type": [(t, t) for t in item_types],
        "case_type": [(c, CASE_TYPES[c]) for c in case_types],
    }


@cache
def _crumbs(title: str | None = None, kind: str | None = None) -> list[tuple[str, str]]:
    """Breadcrumbs: home, then the section's list when given. One list per trail in the process
    (never modified), so that the pages' values are the last build's objects."""
    return [HOME] if title is None else [HOME, (title, url_for(kind))]


#: The pages of the filtered item lists and of the fee lists of this process's last publish, by
#: what they show: the records (by identity, kept alive by the pages) and the numbers (``_listed``).
_FILTER_PAGES: dict[tuple, Any] = {}
_FEE_PAGES: dict[tuple, Any] = {}


def _listed(memo: dict[tuple, Any], listed: dict[tuple, Any], key: tuple, made: Any) -> Any:
    """The last publish's list page (or sections of one) of ``key`` in ``memo`` if it had one, else
    ``made``; noted in ``listed`` for the next publish. A page of the same records and numbers shows the
    same, and one the page's values already hold is not compared again, part by part."""
    found = listed[key] = memo.get(key, made)
    return found


def _filter_page_key(page: Any) -> tuple:
    """What a page of a filtered item list (catalog.FilterPage) shows: its numbers, its items by identity."""
    return (page.group, page.kind, page.code, page.title, page.total, page.number, page.page_count,
            tuple(map(id, page.items)))


def _fee_rows_key(rows: list) -> tuple:
    """What a fee list's rows show (catalog.ListedFee): the fee and department by identity, the item's code and name."""
    return tuple((id(row.fee), row.item_code, row.item_name, id(row.department)) for row in rows)


def _fee_page_key(page: FeePage) -> tuple:
    return (page.kind, page.code, page.title, page.total, page.number, page.page_count, _fee_rows_key(page.rows))


#: The search page's filter choices of this process's last build (``_search_filters``).
_SEARCH_FILTERS: list[dict[str, list[tuple[str, str]]]] = []


def _search_filters(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """``search_filter_choices``: the last build's object when equal, so that the search page's
    values are known by their identities (a new dict each build was digested again each build)."""
    choices = search_filter_choices(catalog)
    if _SEARCH_FILTERS and _SEARCH_FILTERS[0] == choices:
        return _SEARCH_FILTERS[0]
    _SEARCH_FILTERS[:] = [choices]
    return choices


#: The figures and the figures page's charts of this process's last build: (what they were made
#: of, those objects kept, the figures, the charts) (``figures_and_charts``).
_FIGURES: list[tuple[tuple, tuple, Any, dict[str, Any]]] = []


def figures_and_charts(catalog: Catalog) -> tuple[Any, dict[str, Any]]:
    """The catalog's figures and the figures page's charts: the last build's objects when made of
    the same snapshot figures, centre name and departments (``_figures_inputs``), so that the
    figures pages' values are known by their identities instead of digested again each build."""
    inputs, keep = _figures_inputs(catalog)
    if _FIGURES and _FIGURES[0][0] == inputs:
        return _FIGURES[0][2], _FIGURES[0][3]
    figures = catalog.figures
    charts = {
        "cases": figure_charts.cases_chart("chart-centre-cases", figures.centre),
        "satisfaction": figure_charts.satisfaction_chart(
            "chart-centre-satisfaction", figures.centre, figures.veto_percent
        ),
        "on_time": figure_charts.on_time_chart("chart-on-time", figures),
        "dissatisfaction": figure_charts.dissatisfaction_chart("chart-dissatisfaction", figures),
    }
    _FIGURES[:] = [(inputs, keep, figures, charts)]
    return figures, charts


# -- the values of one record's page (the build's and the preview's, preview.py) ----------------


@dataclass(frozen=True)
class RecordPage:
    """A record's page: its search fields, values and address, and the identities of what they
    were made from (``inputs``; ``keep`` holds those of them the values do not, so that an
    identity is never reused while it is compared)."""

    inputs: tuple
    fields: SearchFields
    values: dict[str, Any]
    name: str  # the output file
    page_values: dict[str, Any]  # the values with the page's address, as the page is written with
    entry: SitemapEntry
    keep: tuple = ()


#: The values of this process's last publish's searchable pages, by output file, with what they
#: were made of: (the page's values without its block, by identity, the block, the values)
#: (``SunshineGenerator._write_searchable``; a block made where its page rendered knows its digest
#: since). Each entry keeps what it names alive, so an identity is never reused while it is compared.
_SEARCHABLE_VALUES: dict[str, tuple[dict[str, Any], Any, dict[str, Any]]] = {}
#: The pages of this process's last publish, by record code (``item_page`` …).
_ITEM_PAGES: dict[str, RecordPage] = {}
_DEPARTMENT_PAGES: dict[str, RecordPage] = {}
_NOTICE_PAGES: dict[str, RecordPage] = {}


def _record_page(memo: dict[str, RecordPage], kind: str, code: str, inputs: tuple, lastmod: str | None,
                 make: Callable[[], tuple[SearchFields, dict[str, Any]]], keep: tuple = ()) -> RecordPage:
    """The last publish's page of record ``code`` when made from the same objects (``inputs``),
    else a new one of ``make()``'s fields and values. The values are never modified once made."""
    earlier = memo.get(code)
    if earlier is not None and earlier.inputs == inputs:
        return earlier
    fields, values = make()
    url = url_for(kind, code)
    return RecordPage(inputs, fields, values, save_as(kind, code), {"page_url": url, **values},
                      SitemapEntry(url, lastmod), keep)


def _remember(memo: dict[Any, Any], pages: dict[Any, Any], keep: bool) -> None:
    """This build's pages for the next (``keep``: a publish, the process may publish again); else none."""
    memo.clear()
    if keep:
        memo.update(pages)


def _item_inputs(catalog: Catalog, item: dict[str, Any]) -> tuple:
    """Everything ``item_page_values`` and ``item_search_fields`` read, by identity: the item, its
    department, the intake's address, the item's published questions and complaint outcomes.

    A running publisher's unchanged records are the last build's very objects (interning.py), so
    equal identities mean equal inputs. An entry of ``_ITEM_PAGES`` keeps every object named here
    alive (its values hold them), so an identity is never reused while it is compared.
    """
    code = item["code"]
    return (id(item), id(catalog.department_by_code[item["department"]]), catalog.intake_url,
            tuple(map(id, catalog.questions_by_item[code])), tuple(map(id, catalog.outcomes_by_item[code])))


def item_page(catalog: Catalog, item: dict[str, Any]) -> RecordPage:
    """The item page's fields and values: the last publish's when made from the same objects.

    A one-item publish in a city made ten thousand of each again (a tenth of its time) to find nine
    thousand nine hundred and ninety-nine unchanged.
    """
    return _record_page(_ITEM_PAGES, "item", item["code"], _item_inputs(catalog, item), item["published_at"] or None,
                        lambda: (item_search_fields(catalog, item), item_page_values(catalog, item)))


def _figures_inputs(catalog: Catalog) -> tuple[tuple, tuple]:
    """What the catalog's figures are made of (figures.build_figures), by identity: the snapshot's
    figures, the centre's name, the departments in window order; and those objects, to keep."""
    figures = catalog.snapshot["figures"]
    return (id(figures), catalog.site["name"], tuple(map(id, catalog.departments))), (figures, catalog.departments)


def _department_inputs(catalog: Catalog, department: dict[str, Any], figures: tuple) -> tuple:
    """Everything ``department_page_values`` and ``department_search_fields`` read, by identity:
    the department, the intake's address, the figures (``_figures_inputs``), the department's
    items, notices, rectifications, complaint outcomes and questions."""
    code = department["code"]
    return (id(department), catalog.intake_url, figures,
            *(tuple(map(id, records[code])) for records in (
                catalog.items_by_department, catalog.notices_by_department, catalog.rectifications_by_department,
                catalog.outcomes_by_department, catalog.questions_by_department)))


def department_page(catalog: Catalog, department: dict[str, Any],
                    figures: tuple[tuple, tuple] | None = None) -> RecordPage:
    """The department page's fields and values: the last publish's when made from the same objects.

    Its figures and charts were made anew each build, so its values were digested again each
    build (every department, for an edit of one item's text). ``figures``: ``_figures_inputs``.
    """
    inputs, keep = figures if figures is not None else _figures_inputs(catalog)
    return _record_page(_DEPARTMENT_PAGES, "department", department["code"],
                        _department_inputs(catalog, department, inputs), None,
                        lambda: (department_search_fields(catalog, department),
                                 department_page_values(catalog, department)), keep)


def notice_page(catalog: Catalog, notice: dict[str, Any]) -> RecordPage:
    """The notice page's fields and values: the last publish's when made from the same objects
    (the notice and its department)."""
    department = catalog.department_of(notice)
    return _record_page(_NOTICE_PAGES, "notice", notice["code"], (id(notice), id(department)),
                        notice["published_at"] or None,
                        lambda: (notice_search_fields(catalog, notice), notice_page_values(catalog, notice)))


def item_page_values(catalog: Catalog, item: dict[str, Any]) -> dict[str, Any]:
    """What the item page of ``item`` reads besides the context (not its ``page_url``)."""
    return dict(
        title=item["name"],
        section="items",
        crumbs=[HOME, ("办事指南", url_for("items"))],
        item=item,
        department=catalog.department_by_code[item["department"]],
        speedup=speedup_percent(item["statutory_days"], item["promised_days"]),
        complaint_url=catalog.complaint_url(item=item["code"]),
        rate_url=catalog.rate_url(item=item["code"]),
        case_lookup_url=catalog.case_lookup_url(),
        question_url=catalog.question_url(item=item["code"]),
        item_questions=catalog.questions_by_item[item["code"]],
        item_outcomes=catalog.outcomes_by_item[item["code"]],
    )


def department_page_values(catalog: Catalog, department: dict[str, Any]) -> dict[str, Any]:
    """What the page of ``department`` reads besides the context (not its ``page_url``)."""
    code = department["code"]
    # The figures pages' figures when made of the same (``figures_and_charts``): the same object on every
    # department page from one publish to the next, so that their digest is carried (``Fingerprints.pin``)
    # instead of made again (35 ms) for the page of each edited item's department.
    figures = _FIGURES[0][2] if _FIGURES and _FIGURES[0][0] == _figures_inputs(catalog)[0] else catalog.figures
    unit = catalog.figures.of(code)
    return dict(
        title=department["name"],
        section="departments",
        crumbs=[HOME, ("部门窗口", url_for("departments"))],
        department=department,
        department_items=catalog.items_by_department[code],
        department_notices=catalog.notices_by_department[code],
        complaint_url=catalog.complaint_url(department=code),
        rate_url=catalog.rate_url(department=code),
        case_lookup_url=catalog.case_lookup_url(),
        figures=figures,
        unit=unit,
        unit_charts={
            "cases": figure_charts.cases_chart("chart-dept-cases", unit),
            "satisfaction": figure_charts.satisfaction_chart(
                "chart-dept-satisfaction", unit, catalog.figures.veto_percent
            ),
        },
        department_rectifications=catalog.rectifications_by_department[code],
        department_outcomes=catalog.outcomes_by_department[code],
        department_questions=catalog.questions_by_department[code],
        question_url=catalog.question_url(department=code),
    )


def notice_page_values(catalog: Catalog, notice: dict[str, Any]) -> dict[str, Any]:
    """What the page of ``notice`` reads besides the context (not its ``page_url``)."""
    return dict(
        title=notice["title"],
        section="notices",
        crumbs=[HOME, ("通知公告", url_for("notices"))],
        notice=notice,
        department=catalog.department_of(notice),
    )


def channels_page_values(catalog: Catalog) -> dict[str, Any]:
    """What the complaint channels page reads besides the context (not its ``page_url``)."""
    return dict(
        title="投诉渠道",
        section="channels",
        crumbs=[HOME],
        complaint_url=catalog.complaint_url(),
        lookup_url=catalog.lookup_url(),
        case_lookup_url=catalog.case_lookup_url(),
        rate_url=catalog.rate_url(),
    )


def get_generators(pelican: Any) -> type[SunshineGenerator] | None:
    """``get_generators`` receiver: add our generator when a snapshot is configured."""
    if not pelican.settings.get(SNAPSHOT_SETTING):
        return None
    return SunshineGenerator


def register() -> None:
    """Pelican plugin entry point; connecting twice is harmless (blinker dedupes)."""
    signals.get_generators.connect(get_generators)


def unregister() -> None:
    """Disconnect from Pelican's process-global signals after a build."""
    signals.get_generators.disconnect(get_generators)
