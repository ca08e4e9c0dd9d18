"""Generator: the Pelican plugin that turns a snapshot into the public pages
(home, item catalog and item guides, the filtered item lists, withdrawn items'
notices, departments, fees, complaint channels, notices, figures,
rectifications and complaint outcomes, online questions, search, open data,
sitemap.xml and robots.txt).

Pelican calls ``register()`` (PLUGINS setting); the ``get_generators`` signal
then adds ``SunshineGenerator``, which reads ``SUNSHINE_SNAPSHOT``. It writes
only through Pelican's writer or into ``data/`` of the output, never appends
to ``context["pages"]``, and never imports Flask, SQLAlchemy or the site.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pelican.generators import Generator
from pelican.plugins import signals

from sunshine.contract.urls import ITEM_TYPE_SLUGS, page_save_as, save_as, url_for

from . import figure_charts, parallel
from .catalog import Catalog, build_catalog
from .feed import notices_atom
from .incremental import IncrementalPages, PageEntry, code_key, swapped
from .labels import CASE_TYPE_NOTES, CASE_TYPES, speedup_percent
from .opendata import csv_tables, write_open_data
from .sitemap import SitemapEntry, robots_txt, sitemap_xml
from .snapshot import SnapshotError, parse_snapshot, read_snapshot_bytes

SNAPSHOT_SETTING = "SUNSHINE_SNAPSHOT"
# Set by build_site for incremental output: the previous complete build and its ledger (or None),
# where to write this build's ledger (or None), and a dict the generator fills with how many pages it
# rendered and reused.
PREVIOUS_BUILD_SETTING = "SUNSHINE_PREVIOUS_BUILD"
PREVIOUS_LEDGER_SETTING = "SUNSHINE_PREVIOUS_LEDGER"
LEDGER_SETTING = "SUNSHINE_WRITE_LEDGER"
VALID_RECORDS_SETTING = "SUNSHINE_VALID_RECORDS"  # digests of the records build_site validated
STATS_SETTING = "SUNSHINE_INCREMENTAL_STATS"
#: Code whose change must re-render every page (templates are hashed through the theme directory).
CODE_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "contract")
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


def _pelican_collectors() -> list[Any]:
    """The handlers collecting this build's Pelican warnings and errors (build.py's collector)."""
    return [h for h in logging.getLogger("pelican").handlers if hasattr(h, "errors") and hasattr(h, "warnings")]


def _describe_failure(exc: BaseException) -> str:
    """A failure in a render process, in one line, named as build.py names one here."""
    from .build import one_line, template_place  # build imports this module

    if isinstance(exc, SnapshotError):
        return one_line(exc)
    return f"{template_place(exc)}：{type(exc).__name__}: {one_line(exc)}"


class SunshineGenerator(Generator):
    """Writes every page that comes from the snapshot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot_file = Path(self.settings[SNAPSHOT_SETTING])
        self.catalog: Catalog | None = None
        self.snapshot_bytes = b""
        self.sitemap: list[SitemapEntry] = []
        self.pages: IncrementalPages | None = None
        self.jobs: list[PageJob] = []  # pages to render, noted by _write

    def generate_context(self) -> None:
        # Read once: the bytes validated are the bytes published as open data.
        self.snapshot_bytes = read_snapshot_bytes(self.snapshot_file)
        trusted = self.settings.get(VALIDATED_SHA256_SETTING)
        parsed = self.settings.get(PARSED_SNAPSHOT_SETTING)
        if trusted and hashlib.sha256(self.snapshot_bytes).hexdigest() == trusted:
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
                                      self.settings.get(PREVIOUS_LEDGER_SETTING))
        self.jobs = []
        self._write_pages(writer, catalog)  # links unchanged pages, collects the others
        self._render_jobs(writer)
        if self.settings.get(LEDGER_SETTING):
            self.pages.save(Path(self.settings[LEDGER_SETTING]), self.settings.get(VALID_RECORDS_SETTING) or set())
        stats = self.settings.get(STATS_SETTING)
        if isinstance(stats, dict):
            stats.update(rendered=self.pages.stats.rendered, reused=self.pages.stats.reused)

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
        values_digest = self.pages.reuse(name, template, values)
        if values_digest is not None:
            self.jobs.append(PageJob(name, template, values, values_digest))

    def _render(self, writer: Any, job: PageJob) -> None:
        def render(catalog_view: Any) -> None:
            with swapped(self.context, "sunshine", catalog_view):
                writer.write_file(
                    job.name,
                    self.get_template(job.template),
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    **job.values,
                )

        self.pages.render(job.name, job.template, job.values, job.values_digest, render)

    def _render_jobs(self, writer: Any) -> None:
        """Render the pages noted by ``_write``: here when few, else shared among forked processes
        (parallel.py), which send back what each page read for the ledger."""
        jobs, self.jobs = self.jobs, []
        count = parallel.processes()
        if count < 2 or len(jobs) < parallel.MIN_PAGES:
            for job in jobs:
                self._render(writer, job)
            return
        logs = _pelican_collectors()

        def work(share: list[PageJob]) -> bytes:
            seen = [(len(c.errors), len(c.warnings)) for c in logs]
            for job in share:
                self._render(writer, job)
            entries = {job.name: self.pages.ledger.pages[job.name] for job in share}
            return orjson.dumps({
                "pages": {name: [e.template, e.values, e.deps] for name, e in entries.items()},
                "errors": [m for c, (e, _w) in zip(logs, seen, strict=True) for m in c.errors[e:]],
                "warnings": [m for c, (_e, w) in zip(logs, seen, strict=True) for m in c.warnings[w:]],
            })

        payloads = parallel.run_shares(parallel.split(jobs, count), work, _describe_failure)
        log = logging.getLogger("pelican.sunshine")
        for payload in payloads[1:]:  # the first share was rendered here, into this ledger
            data = orjson.loads(payload)
            self.pages.adopt({name: PageEntry(*entry) for name, entry in data["pages"].items()})
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
        **values: Any,
    ) -> None:
        """Write one public page and list it in the sitemap (``lastmod``: its record's date)."""
        url = url_for(kind, code)
        self._write(writer, save_as(kind, code), template, page_url=url, **values)
        self.sitemap.append(SitemapEntry(url, lastmod))

    # -- page kinds ----------------------------------------------------------

    def _write_home(self, writer: Any, catalog: Catalog) -> None:
        self._page(writer, "home", "home", title="首页", section="home", crumbs=[])

    def _write_items(self, writer: Any, catalog: Catalog) -> None:
        crumbs = [HOME, ("办事指南", url_for("items"))]
        self._page(
            writer,
            "items",
            "items",
            title="办事指南",
            section="items",
            crumbs=crumbs[:1],
            case_types=CASE_TYPES,
            case_type_notes=CASE_TYPE_NOTES,
            item_type_slugs=ITEM_TYPE_SLUGS,
        )
        for item in catalog.items:
            self._page(writer, "item", "item", item["code"], lastmod=item["published_at"] or None,
                       **item_page_values(catalog, item))
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
        for item_filter in catalog.item_filters:
            for page in item_filter.pages():
                title = item_filter.title if page.number == 1 else f"{item_filter.title}（第 {page.number} 页）"
                self._write(writer, page_save_as(item_filter.url, page.number), "items_filter",
                            page_url=page.page_url, title=title, section="items", crumbs=crumbs,
                            current_filter=page)
                self.sitemap.append(SitemapEntry(page.page_url, None))

    def _write_departments(self, writer: Any, catalog: Catalog) -> None:
        crumbs = [HOME, ("部门窗口", url_for("departments"))]
        self._page(
            writer,
            "departments",
            "departments",
            title="部门窗口",
            section="departments",
            crumbs=crumbs[:1],
        )
        for department in catalog.departments:
            self._page(writer, "department", "department", department["code"],
                       **department_page_values(catalog, department))

    def _write_fees(self, writer: Any, catalog: Catalog) -> None:
        self._page(
            writer,
            "fees",
            "fees",
            title="收费公示",
            section="fees",
            crumbs=[HOME],
            fee_groups=catalog.fees_by_category(),
            bills=catalog.bills(),
            free_items=catalog.free_items(),
        )

    def _write_channels(self, writer: Any, catalog: Catalog) -> None:
        self._page(writer, "channels", "channels", **channels_page_values(catalog))

    def _write_notices(self, writer: Any, catalog: Catalog) -> None:
        crumbs = [HOME, ("通知公告", url_for("notices"))]
        self._page(
            writer, "notices", "notices", title="通知公告", section="notices", crumbs=crumbs[:1]
        )
        for notice in catalog.notices:
            self._page(writer, "notice", "notice", notice["code"], lastmod=notice["published_at"] or None,
                       **notice_page_values(catalog, notice))
        feed = Path(self.output_path) / save_as("notices_feed")
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_bytes(notices_atom(catalog))

    def _write_figures(self, writer: Any, catalog: Catalog) -> None:
        figures = catalog.figures
        crumbs = [HOME, ("办件统计", url_for("figures"))]
        self._page(
            writer,
            "figures",
            "figures",
            title="办件统计",
            section="figures",
            crumbs=crumbs[:1],
            figures=figures,
            charts={
                "cases": figure_charts.cases_chart("chart-centre-cases", figures.centre),
                "satisfaction": figure_charts.satisfaction_chart(
                    "chart-centre-satisfaction", figures.centre, figures.veto_percent
                ),
                "on_time": figure_charts.on_time_chart("chart-on-time", figures),
                "dissatisfaction": figure_charts.dissatisfaction_chart(
                    "chart-dissatisfaction", figures
                ),
            },
        )
        self._page(
            writer,
            "rectifications",
            "rectifications",
            title="差评整改情况",
            section="figures",
            crumbs=crumbs,
            figures=figures,
        )
        self._page(
            writer,
            "outcomes",
            "outcomes",
            title="投诉办理结果公开",
            section="figures",
            crumbs=crumbs,
            complaint_url=catalog.complaint_url(),
            lookup_url=catalog.lookup_url(),
        )

    def _write_questions(self, writer: Any, catalog: Catalog) -> None:
        crumbs = [HOME, ("网上咨询", url_for("questions"))]
        self._page(
            writer,
            "questions",
            "questions",
            title="网上咨询",
            section="questions",
            crumbs=crumbs[:1],
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
        self._page(writer, "search", "search", title="搜索", section="search", crumbs=[HOME])

    def _write_open_data(self, writer: Any, catalog: Catalog) -> None:
        data_dir = Path(self.output_path) / Path(save_as("data")).parent
        manifest = write_open_data(catalog, self.snapshot_bytes, data_dir)
        self._page(
            writer,
            "data",
            "data",
            title="开放数据",
            section="data",
            crumbs=[HOME],
            manifest=manifest,
            tables=csv_tables(catalog),
        )

    def _write_site_files(self, catalog: Catalog) -> None:
        """sitemap.xml (every page written above and the hand-written pages) and robots.txt."""
        base = self.context[BASE_URL_CONTEXT]
        pages = [SitemapEntry("/" + page.url) for page in self.context.get("pages", [])]
        output = Path(self.output_path)
        (output / save_as("sitemap")).write_bytes(sitemap_xml(self.sitemap + pages, base))
        (output / save_as("robots")).write_bytes(robots_txt(base, catalog.intake_url))


# -- the values of one record's page (the build's and the preview's, preview.py) ----------------


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
        figures=catalog.figures,
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
