"""Catalog: a read-only, sorted view of one validated snapshot, shaped for the
pages (departments with their items, the fee catalog, combined bills, the
latest notices, the figures, the published rectification work orders, the
published complaint outcomes and questions grouped by department, item and
category, the withdrawn items, departments, notices and channels, the filtered item lists, counts).

Every list here has a fixed order so that the same snapshot always gives the
same pages. Pure data; never writes files, never imports Flask or the site.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import operator
import re
import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sunshine.contract.codes import CASE_TYPES, COMPLAINT_CATEGORIES, COMPLAINT_OUTCOMES, ITEM_TYPES
from sunshine.contract.urls import (
    FEE_CATEGORY_SLUGS,
    ITEM_TYPE_SLUGS,
    case_lookup_url,
    complaint_url,
    lookup_url,
    page_url,
    question_lookup_url,
    question_url,
    rate_url,
    url_for,
)

from .figures import Figures, build_figures
from .labels import CHANNEL_ORDER, FEE_CATEGORIES

Record = dict[str, Any]


@dataclass(frozen=True)
class FeeRow:
    """One fee of one item, with the item and department it belongs to."""

    fee: Record
    item: Record
    department: Record


@dataclass(frozen=True)
class ListedFee:
    """A fee as the fee lists show it: the fee, its item's code and name, its department. Not the whole
    item: an edit of the item's other text or of its other fees leaves the pages of this fee alone."""

    fee: Record
    item_code: str
    item_name: str
    department: Record

    @classmethod
    def of(cls, row: FeeRow) -> ListedFee:
        return cls(row.fee, row.item["code"], row.item["name"], row.department)


@dataclass(frozen=True)
class Bill:
    """A combined bill (一单收费): several fees paid on one bill."""

    name: str
    rows: list[FeeRow]


@dataclass(frozen=True)
class ItemFilter:
    """One value of one filter of the item list, with its own static page (no JavaScript needed)."""

    group: str  # key of FILTER_GROUPS
    kind: str  # route kind of contract.urls.ROUTES
    code: str | None  # the code in the address, None for the yes/no filters
    label: str  # the link text: 住建局, 行政许可, 即办件, 可网上办理 …
    title: str  # the page's heading
    items: list[Record]

    @property
    def url(self) -> str:
        return url_for(self.kind, self.code)

    @property
    def param(self) -> str:
        """Its name in the items page's query string (items.js): the group for a list of values
        (``department=zjj``), the filter itself for a yes/no one (``online=1``)."""
        return self.group if self.code is not None else self.kind.removeprefix("items_")

    @property
    def page_count(self) -> int:
        return page_count(len(self.items), ITEMS_PER_PAGE)

    def pages(self) -> list[FilterPage]:
        """The filter's list in pages of ITEMS_PER_PAGE items, each with its own static page."""
        return [
            FilterPage(self.group, self.kind, self.code, self.title, len(self.items), number, count, chosen)
            for number, count, chosen in paginate(self.items, ITEMS_PER_PAGE)
        ]


#: Above this many items the items page stops listing them all (``Catalog.lists_every_item``).
FULL_LIST_LIMIT = 500
#: Items on one page of a filtered list. A city's "可网上办理" list has thousands of items: one page
#: of them all was megabytes on a phone, and one edited item re-rendered it whole.
ITEMS_PER_PAGE = 100


#: Fees on one page of a fee category or of the combined bills: a fee's row (standard, basis,
#: approving document, exemptions) is several times an item's, so fewer than ITEMS_PER_PAGE.
FEES_PER_PAGE = 50


def page_count(total: int, per_page: int) -> int:
    """Pages a list of ``total`` rows takes (an empty list still has its one page)."""
    return max(1, -(-total // per_page))


def paginate(rows: list[Any], per_page: int) -> list[tuple[int, int, list[Any]]]:
    """A list split into pages of ``per_page`` rows: (number, from 1; page count; that page's rows).

    The one place where long lists are cut (the item filters, the fee categories, the combined bills).
    """
    count = page_count(len(rows), per_page)
    return [(n, count, rows[(n - 1) * per_page:n * per_page]) for n in range(1, count + 1)]


class Paged:
    """What the pager (macros.html ``pager``) and a page's "第 a–b 个" line read of one page of a list:
    the list's address (``url``, its first page), ``number``, ``page_count`` and ``per_page``."""

    url: str
    number: int
    page_count: int
    per_page: ClassVar[int]

    @property
    def page_url(self) -> str:
        return page_url(self.url, self.number)

    def url_of(self, number: int) -> str:
        return page_url(self.url, number)

    @property
    def first_position(self) -> int:
        """The position (1-based) in the whole list of this page's first row."""
        return (self.number - 1) * self.per_page + 1


@dataclass(frozen=True)
class FilterPage(Paged):
    """One page of a filtered item list: what its page shows (not the other pages' items, so that an
    edit re-renders only the page that lists the item)."""

    per_page: ClassVar[int] = ITEMS_PER_PAGE
    group: str
    kind: str
    code: str | None
    title: str
    total: int  # items the whole filter selects
    number: int  # 1-based
    page_count: int
    items: list[Record]  # this page's items

    @property
    def url(self) -> str:  # type: ignore[override]
        """The filter's address (its first page): the filter links mark it as current."""
        return url_for(self.kind, self.code)


@dataclass(frozen=True)
class FeePage(Paged):
    """One page of a fee category's fees, or of the fees charged on combined bills: only its own rows,
    so that a fee's edit re-renders only the page that lists it."""

    per_page: ClassVar[int] = FEES_PER_PAGE
    kind: str  # "fees_by_category" or "fee_bills" (contract.urls.ROUTES)
    code: str | None  # FEE_CATEGORY_SLUGS value; None for the bills
    title: str
    total: int  # fees of the whole list
    number: int  # 1-based
    page_count: int
    rows: list[ListedFee]  # this page's fees

    @property
    def url(self) -> str:  # type: ignore[override]
        return url_for(self.kind, self.code)


@dataclass(frozen=True)
class BillSection:
    """One combined bill's fees on one page of the bills' list (a long bill goes on over pages)."""

    anchor: str  # "bill-<n>", n its place among the bills from 1: the overview links it
    name: str
    fees: int  # fees of the whole bill
    continued: bool  # its first fees are on an earlier page
    rows: list[ListedFee]


@dataclass(frozen=True)
class FeeSummary:
    """A line of the fee overview: a category or a combined bill, its counts and where it is listed
    (counts only, so that the overview renders again only when a count changes)."""

    name: str
    fees: int
    items: int  # items that charge at least one of its fees
    url: str  # its page (for a bill: the page and anchor where its fees begin)


#: Filter groups of the item list, in display order: key → Chinese name (a select's label;
#: the links are headed "按" + name).
FILTER_GROUPS: dict[str, str] = {
    "department": "部门",
    "item_type": "事项类型",
    "case_type": "办件类型",
    "convenience": "办理方式",
}


@dataclass(frozen=True)
class Catalog:
    """Sorted collections and lookups over one snapshot."""

    snapshot: Record
    departments: list[Record]
    items: list[Record]
    channels: list[Record]
    notices: list[Record]
    department_by_code: dict[str, Record]
    item_index: dict[str, Record]  # items by code
    items_by_department: dict[str, list[Record]]
    notices_by_department: dict[str, list[Record]]
    fee_rows: list[FeeRow]
    figures: Figures
    rectifications: list[Record]  # newest first (by work-order code)
    rectifications_by_department: dict[str, list[Record]]
    complaint_outcomes: list[Record]  # latest closed first
    outcomes_by_department: dict[str, list[Record]]
    outcomes_by_item: dict[str, list[Record]]
    questions: list[Record]  # latest answered first
    questions_by_department: dict[str, list[Record]]
    questions_by_item: dict[str, list[Record]]
    withdrawn_items: list[Record] = field(default_factory=list)  # by code
    withdrawn_departments: list[Record] = field(default_factory=list)  # by code
    withdrawn_notices: list[Record] = field(default_factory=list)  # by code
    # Latest withdrawn first (the channels page's 已停用的渠道), then by code.
    withdrawn_channels: list[Record] = field(default_factory=list)
    # In FILTER_GROUPS order; values that select no item are left out.
    item_filters: list[ItemFilter] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def site(self) -> Record:
        return self.snapshot["site"]

    @property
    def lists_every_item(self) -> bool:
        """Whether the items page lists every item (a county), or leads to the lists by department
        and condition (a city: thousands of rows were megabytes on a phone)."""
        return len(self.items) <= FULL_LIST_LIMIT

    @property
    def generated_at(self) -> str:
        return self.snapshot["generated_at"]

    @functools.cached_property
    def intake_url(self) -> str:  # once: every item page reads it several times
        return self.site["intake_url"]

    def department_of(self, record: Record) -> Record | None:
        """The department an item or notice belongs to (None for the center itself)."""
        code = record.get("department")
        return self.department_by_code.get(code) if code else None

    def complaint_url(self, *, item: str | None = None, department: str | None = None) -> str:
        return complaint_url(self.intake_url, item=item, department=department)

    def lookup_url(self) -> str:
        return lookup_url(self.intake_url)

    def case_lookup_url(self) -> str:
        """The 办件查询 form of the intake."""
        return case_lookup_url(self.intake_url)

    def rate_url(self, *, item: str | None = None, department: str | None = None) -> str:
        """The rating form (好差评) of the intake, about one item or department."""
        return rate_url(self.intake_url, item=item, department=department)

    def question_url(self, *, item: str | None = None, department: str | None = None) -> str:
        """The online question form (网上咨询) of the intake, about one item or department."""
        return question_url(self.intake_url, item=item, department=department)

    def question_lookup_url(self) -> str:
        """The question lookup form (咨询查询) of the intake."""
        return question_lookup_url(self.intake_url)

    def outcomes_by_category(self, department: str) -> list[tuple[str, list[Record]]]:
        """One department's published outcomes by complaint category, in the code list's
        order; empty categories left out."""
        rows = self.outcomes_by_department.get(department, [])
        groups = [(c, [r for r in rows if r["category"] == c]) for c in COMPLAINT_CATEGORIES]
        return [(category, found) for category, found in groups if found]

    def outcome_tally(self, rows: list[Record]) -> dict[str, Any]:
        """How a list of published outcomes ended (``outcomes``: code → count, in the code
        list's order), with the answers on time and the complaints reopened."""
        return {
            "total": len(rows),
            "outcomes": {c: sum(1 for r in rows if r["outcome"] == c) for c in COMPLAINT_OUTCOMES},
            "on_time": sum(1 for r in rows if r["on_time"]),
            "reopened": sum(1 for r in rows if r["reopened"]),
        }

    def item_by_code(self, code: str | None) -> Record | None:
        """A published item, or None (a work order may name an item no longer published)."""
        return self.item_index.get(code) if code else None

    def fees_by_category(self) -> list[tuple[str, list[FeeRow]]]:
        """Fee rows grouped by category in the official order; empty categories left out."""
        groups = [(c, [r for r in self.fee_rows if r.fee["category"] == c]) for c in FEE_CATEGORIES]
        return [(category, rows) for category, rows in groups if rows]

    def fee_category_pages(self) -> list[FeePage]:
        """Every page of every fee category's list, category by category in the official order."""
        return [
            FeePage("fees_by_category", FEE_CATEGORY_SLUGS[category], category, len(rows), number, count,
                    [ListedFee.of(row) for row in chosen])
            for category, rows in self.fees_by_category()
            for number, count, chosen in paginate(rows, FEES_PER_PAGE)
        ]

    def fee_categories(self) -> list[FeeSummary]:
        """The fee overview's categories: fees and items of each, linked to its first page."""
        return [
            FeeSummary(category, len(rows), len({r.item["code"] for r in rows}),
                       url_for("fees_by_category", FEE_CATEGORY_SLUGS[category]))
            for category, rows in self.fees_by_category()
        ]

    def bills(self) -> list[Bill]:
        """Combined bills by name, each with the fees charged on it."""
        return self._bills

    @functools.cached_property
    def _bills(self) -> list[Bill]:  # grouped once: every page of the bills' list reads them
        by_name: dict[str, list[FeeRow]] = {}
        for row in self.fee_rows:
            if row.fee["combined_bill"]:
                by_name.setdefault(row.fee["combined_bill"], []).append(row)
        return [Bill(name, by_name[name]) for name in sorted(by_name)]

    def bill_pages(self) -> list[FeePage]:
        """The fees charged on combined bills, bill after bill (by name), in pages."""
        rows = [row for bill in self.bills() for row in bill.rows]
        if not rows:
            return []
        return [
            FeePage("fee_bills", None, "一单收费", len(rows), number, count, [ListedFee.of(r) for r in chosen])
            for number, count, chosen in paginate(rows, FEES_PER_PAGE)
        ]

    def bill_sections(self, page: FeePage) -> list[BillSection]:
        """A page of the bills' list (``bill_pages``) cut by bill, each part with its bill's heading."""
        sections: list[BillSection] = []
        first = page.first_position - 1  # place of the page's first row in the whole list
        last = first + len(page.rows)  # past the page's last row
        position = 0
        for n, bill in enumerate(self.bills(), start=1):
            start, end = position, position + len(bill.rows)
            position = end
            if end <= first or start >= last:
                continue  # a bill on other pages: not a row of it looked at (a city has thousands)
            chosen = [ListedFee.of(r) for r in bill.rows[max(first, start) - start:min(last, end) - start]]
            sections.append(BillSection(f"bill-{n}", bill.name, len(bill.rows), start < first, chosen))
        return sections

    def bill_summaries(self) -> list[FeeSummary]:
        """The combined bills by name: fees and items of each, linked to the page (and the anchor
        ``bill-<n>``, n from 1 in this order) where its fees begin."""
        summaries, position = [], 0
        for n, bill in enumerate(self.bills(), start=1):
            page = position // FEES_PER_PAGE + 1
            url = f"{page_url(url_for('fee_bills'), page)}#bill-{n}"
            summaries.append(FeeSummary(bill.name, len(bill.rows), len({r.item["code"] for r in bill.rows}), url))
            position += len(bill.rows)
        return summaries

    def latest_notices(self, limit: int = 5) -> list[Record]:
        return self.notices[:limit]

    def filter_groups(self) -> list[tuple[str, list[ItemFilter]]]:
        """The item filters by group (Chinese heading, filters), groups without a filter left out."""
        groups = [
            (label, [f for f in self.item_filters if f.group == key])
            for key, label in FILTER_GROUPS.items()
        ]
        return [(label, filters) for label, filters in groups if filters]


def _window_key(department: Record) -> tuple[int, str, str]:
    """Order departments as the hall does: by window number (3号窗口 before 12号窗口)."""
    match = re.search(r"\d+", department["window"])
    number = int(match.group()) if match else sys.maxsize
    return number, department["window"], department["code"]


def _channel_key(channel: Record) -> tuple[int, str]:
    kind = channel["kind"]
    rank = CHANNEL_ORDER.index(kind) if kind in CHANNEL_ORDER else len(CHANNEL_ORDER)
    return rank, channel["code"]


def _latest_first(records: list[Record], day: str) -> list[Record]:
    """Newest ``day`` first; the code breaks ties so the order never depends on export order."""
    ordered = sorted(records, key=lambda r: r["code"])
    ordered.sort(key=lambda r: r[day], reverse=True)
    return ordered


def _grouped(records: list[Record], key: str, codes: list[str]) -> dict[str, list[Record]]:
    """Records by the code in ``key`` (a department or an item); every code gets a list."""
    groups: dict[str, list[Record]] = {code: [] for code in codes}
    for record in records:
        if record[key] is not None:
            groups[record[key]].append(record)
    return groups


def item_filters(departments: list[Record], items: list[Record]) -> list[ItemFilter]:
    """Every filter value that selects at least one item, in FILTER_GROUPS order.

    Department, item type and case type follow their own order (window number, the code
    lists); a value with no item gets no page, so no list is ever empty. Each list keeps the
    catalog's order (by code).

    The items are read in one pass, each put in the lists of the values it has: a city has ten
    thousand items, and a pass per value (fifteen) was a tenth of the catalog's time.
    """
    filters: list[ItemFilter] = []

    def add(
        group: str, kind: str, code: str | None, label: str, title: str, chosen: list[Record]
    ) -> None:
        if chosen:
            filters.append(ItemFilter(group, kind, code, label, title, chosen))

    by_department: dict[str, list[Record]] = {department["code"]: [] for department in departments}
    by_type: dict[Any, list[Record]] = {item_type: [] for item_type in ITEM_TYPES}
    by_case: dict[Any, list[Record]] = {case_type: [] for case_type in CASE_TYPES}
    online: list[Record] = []
    zero_visits: list[Record] = []
    no_fee: list[Record] = []
    no_list: list[Record] = []  # a value no filter has (the schema allows none)
    for item in items:
        by_department.setdefault(item["department"], []).append(item)
        by_type.get(item["item_type"], no_list).append(item)
        by_case.get(item["case_type"], no_list).append(item)
        if item["online"]:
            online.append(item)
        if item["visits_required"] == 0:
            zero_visits.append(item)
        if not item["fee_required"]:
            no_fee.append(item)
    for department in departments:
        chosen = by_department[department["code"]]
        add(
            "department",
            "items_by_department",
            department["code"],
            department["short_name"] or department["name"],
            f"{department['name']}的办事事项",
            chosen,
        )
    for item_type in ITEM_TYPES:
        add(
            "item_type",
            "items_by_type",
            ITEM_TYPE_SLUGS[item_type],
            item_type,
            f"{item_type}事项",
            by_type[item_type],
        )
    for case_type, label in CASE_TYPES.items():
        add("case_type", "items_by_case_type", case_type, label, f"{label}事项", by_case[case_type])
    add("convenience", "items_online", None, "可网上办理", "可网上办理的事项", online)
    add("convenience", "items_zero_visits", None, "零跑腿", "零跑腿（不用到现场）的事项", zero_visits)
    add("convenience", "items_no_fee", None, "不收费", "不收费的事项", no_fee)
    return filters


_ONLINE = operator.itemgetter("online")
_VISITS = operator.itemgetter("visits_required")
_CASE_TYPE = operator.itemgetter("case_type")
_FEES = operator.itemgetter("fees")


class _FiguresMemo:
    """The figures of the last catalog built, with the objects they were made from.

    ``build_figures`` reads the snapshot's ``figures`` and ``site`` records and the departments (in
    window order). A running publisher's snapshot is interned (interning.py): a record unchanged since
    the last build is that build's very object, and records are never modified, so the same objects
    in the same order make the same figures — shaping a city's (forty departments, a year of months)
    each publish cost a tenth of the catalog. The objects are kept, so an identity is never another's.
    """

    def __init__(self) -> None:
        self._last: tuple[Any, Any, list[Record], Figures] | None = None

    def figures(self, snapshot: Record, departments: list[Record]) -> Figures:
        data, site, last = snapshot["figures"], snapshot["site"], self._last
        if (
            last is not None
            and last[0] is data
            and last[1] is site
            and len(last[2]) == len(departments)
            and all(map(operator.is_, last[2], departments))
        ):
            return last[3]
        figures = build_figures(snapshot, departments)
        self._last = (data, site, list(departments), figures)  # one assignment: thread-safe
        return figures

    def forget(self) -> None:
        self._last = None


#: This process's figures of its last catalog (``_FiguresMemo``).
FIGURES_MEMO = _FiguresMemo()
_figures = FIGURES_MEMO.figures


class _ByItemMemo:
    """The last few groupings of records by item (``_grouped`` with ``"item"``), kept for the next
    catalog.

    Such a grouping has a list for every item code: ten thousand lists at a city's size, each
    publish, for the few dozen complaint outcomes and questions (a tenth of the catalog's time).
    The same records (the very objects, interning.py: never modified) grouped over the same codes in
    the same order are the same grouping, which the pages only read. The records are kept, so an
    identity is never another object's.
    """

    KEPT = 2  # the complaint outcomes and the questions

    def __init__(self) -> None:
        self._last: list[tuple[list[Record], list[str], dict[str, list[Record]]]] = []

    def grouped(self, records: list[Record], codes: list[str]) -> dict[str, list[Record]]:
        """``_grouped(records, "item", codes)``, or the same grouping made for a recent catalog."""
        last = self._last
        for kept, kept_codes, groups in last:
            if len(kept) == len(records) and all(map(operator.is_, kept, records)) and kept_codes == codes:
                return groups
        groups = _grouped(records, "item", codes)
        self._last = [*last[1 - self.KEPT:], (list(records), codes, groups)]  # one assignment: thread-safe
        return groups

    def forget(self) -> None:
        self._last = []


#: This process's recent groupings of records by item (``_ByItemMemo``).
_BY_ITEM = _ByItemMemo()


@dataclass(frozen=True)
class _ItemParts:
    """What the catalog derives from the items alone (and the departments they name)."""

    items: list[Record]  # by code
    index: dict[str, Record]
    by_department: dict[str, list[Record]]
    fee_rows: list[FeeRow]
    codes: list[str]
    counts: dict[str, int]
    filters: list[ItemFilter]
    fee_starts: list[int]  # where each item's fee rows begin in ``fee_rows``


def _item_parts(items: list[Record], departments: list[Record], by_code: dict[str, Record]) -> _ItemParts:
    """The parts of a catalog made from the items (``build_catalog``), from scratch."""
    ordered = sorted(items, key=_CODE)
    by_department: dict[str, list[Record]] = {code: [] for code in by_code}
    for item in ordered:
        by_department[item["department"]].append(item)
    fee_rows = [FeeRow(fee, item, by_code[item["department"]]) for item in ordered for fee in item["fees"]]
    counts = {
        # Counted without a Python step per item (a city has ten thousand): sums of booleans.
        "online_items": sum(map(bool, map(_ONLINE, ordered))),
        "one_visit_items": sum(map(operator.le, map(_VISITS, ordered), itertools.repeat(1))),
        "immediate_items": sum(map(operator.eq, map(_CASE_TYPE, ordered), itertools.repeat("immediate"))),
        "free_items": sum(map(operator.not_, map(_FEES, ordered))),
    }
    return _ItemParts(
        ordered, {item["code"]: item for item in ordered}, by_department, fee_rows, list(map(_CODE, ordered)),
        counts, item_filters(departments, ordered),
        list(itertools.accumulate(map(len, map(_FEES, ordered)), initial=0)),
    )


def _same_place(old: Record, new: Record) -> bool:
    """Whether ``new`` (an edit of ``old``) sits where ``old`` did in every list of ``_ItemParts`` and
    counts the same: the same code and department, the same filters, as many fees."""
    return (
        old["code"] == new["code"]
        and old["department"] == new["department"]
        and old["item_type"] == new["item_type"]
        and old["case_type"] == new["case_type"]
        and bool(old["online"]) == bool(new["online"])
        and (old["visits_required"] == 0) == (new["visits_required"] == 0)
        and (old["visits_required"] <= 1) == (new["visits_required"] <= 1)
        and bool(old["fee_required"]) == bool(new["fee_required"])
        and len(old["fees"]) == len(new["fees"])
    )


def _replaced_in(records: list[Record], old: Record, new: Record) -> list[Record] | None:
    """A copy of ``records`` (by code) with ``old`` replaced by ``new``; None if ``old`` is not there."""
    index = bisect.bisect_left(records, old["code"], key=_CODE)
    if index == len(records) or records[index] is not old:
        return None
    copied = list(records)
    copied[index] = new
    return copied


class _ItemsMemo:
    """The items' parts of the last catalog built, and the items list and departments they came from.

    A clerk's save changes one item's text: its code, department, filters and number of fees stay.
    The records of an interned snapshot (interning.py) are the last build's very objects where
    unchanged, so the items that changed are found by identity, in C, and each is put in the place
    of the one it replaces in copies of the lists that hold it — ten thousand items sorted, grouped,
    filtered and indexed again each publish cost half the catalog. Anything else (an item added,
    removed, moved, or more than ``PATCHED`` changed; other departments) is made from scratch.
    Records are never modified, and the kept ones are alive, so an identity is never another's.
    """

    PATCHED = 64

    def __init__(self) -> None:
        self._last: tuple[list[Record], list[Record], _ItemParts] | None = None

    def parts(self, items: list[Record], departments: list[Record], by_code: dict[str, Record]) -> _ItemParts:
        last = self._last
        parts = self._patched(last, items, departments, by_code) if last is not None else None
        if parts is None:
            parts = _item_parts(items, departments, by_code)
        self._last = (list(items), list(departments), parts)  # one assignment: thread-safe
        return parts

    def _patched(
        self, last: tuple[list[Record], list[Record], _ItemParts], items: list[Record],
        departments: list[Record], by_code: dict[str, Record],
    ) -> _ItemParts | None:
        kept_items, kept_departments, parts = last
        if len(kept_items) != len(items) or len(kept_departments) != len(departments):
            return None
        if not all(map(operator.is_, kept_departments, departments)):
            return None
        changed = list(itertools.compress(range(len(items)), map(operator.is_not, kept_items, items)))
        if len(changed) > self.PATCHED:
            return None
        pairs = [(kept_items[i], items[i]) for i in changed]
        if not all(_same_place(old, new) for old, new in pairs):
            return None
        ordered, index = list(parts.items), dict(parts.index)
        by_department, fee_rows = dict(parts.by_department), list(parts.fee_rows)
        filters = list(parts.filters)
        for old, new in pairs:
            place = bisect.bisect_left(ordered, old["code"], key=_CODE)
            if place == len(ordered) or ordered[place] is not old or index.get(old["code"]) is not old:
                return None  # (two items of one code: not a validated snapshot)
            ordered[place] = new
            index[new["code"]] = new
            group = _replaced_in(by_department[new["department"]], old, new)
            if group is None:
                return None
            by_department[new["department"]] = group
            start = parts.fee_starts[place]
            department = by_code[new["department"]]
            fee_rows[start:start + len(new["fees"])] = [FeeRow(fee, new, department) for fee in new["fees"]]
            for n, item_filter in enumerate(filters):
                chosen = _replaced_in(item_filter.items, old, new)
                if chosen is not None:
                    filters[n] = dataclasses.replace(item_filter, items=chosen)
        return _ItemParts(ordered, index, by_department, fee_rows, parts.codes, parts.counts, filters, parts.fee_starts)

    def forget(self) -> None:
        self._last = None


#: This process's items' parts of its last catalog (``_ItemsMemo``).
_ITEMS_MEMO = _ItemsMemo()
_CODE = operator.itemgetter("code")


def build_catalog(snapshot: Record) -> Catalog:
    """Sort and index a validated snapshot (see snapshot.load_snapshot)."""
    departments = sorted(snapshot["departments"], key=_window_key)
    channels = sorted(snapshot["channels"], key=_channel_key)
    # Newest first; the code breaks ties so the order never depends on export order.
    notices = sorted(snapshot["notices"], key=lambda n: n["code"])
    notices.sort(key=lambda n: n["date"], reverse=True)
    by_code = {d["code"]: d for d in departments}
    parts = _ITEMS_MEMO.parts(snapshot["items"], departments, by_code)
    items, items_by_department, fee_rows, item_codes = parts.items, parts.by_department, parts.fee_rows, parts.codes
    notices_by_department: dict[str, list[Record]] = {code: [] for code in by_code}
    for notice in notices:
        if notice["department"]:
            notices_by_department[notice["department"]].append(notice)
    rectifications = sorted(snapshot["rectifications"], key=lambda r: r["code"], reverse=True)
    rectifications_by_department: dict[str, list[Record]] = {code: [] for code in by_code}
    for work_order in rectifications:
        rectifications_by_department[work_order["department"]].append(work_order)
    outcomes = _latest_first(snapshot["complaint_outcomes"], "closed_on")
    questions = _latest_first(snapshot["questions"], "answered_on")
    counts = {
        "departments": len(departments),
        "items": len(items),
        **parts.counts,
        "fees": len(fee_rows),
        "channels": len(channels),
        "notices": len(notices),
        "rectifications": len(rectifications),
        "complaint_outcomes": len(outcomes),
        "questions": len(questions),
    }
    return Catalog(
        snapshot=snapshot,
        departments=departments,
        items=items,
        channels=channels,
        notices=notices,
        department_by_code=by_code,
        item_index=parts.index,
        items_by_department=items_by_department,
        notices_by_department=notices_by_department,
        fee_rows=fee_rows,
        figures=_figures(snapshot, departments),
        rectifications=rectifications,
        rectifications_by_department=rectifications_by_department,
        complaint_outcomes=outcomes,
        outcomes_by_department=_grouped(outcomes, "department", list(by_code)),
        outcomes_by_item=_BY_ITEM.grouped(outcomes, item_codes),
        questions=questions,
        questions_by_department=_grouped(questions, "department", list(by_code)),
        questions_by_item=_BY_ITEM.grouped(questions, item_codes),
        withdrawn_items=sorted(snapshot["withdrawn_items"], key=lambda w: w["code"]),
        withdrawn_departments=sorted(snapshot["withdrawn_departments"], key=lambda w: w["code"]),
        withdrawn_notices=sorted(snapshot["withdrawn_notices"], key=lambda w: w["code"]),
        withdrawn_channels=sorted(sorted(snapshot["withdrawn_channels"], key=lambda w: w["code"]),
                                  key=lambda w: dt.datetime.fromisoformat(w["withdrawn_at"]), reverse=True),
        item_filters=parts.filters,
        counts=counts,
    )
