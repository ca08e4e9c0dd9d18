"""URL map of the public site and of the public intake: every public address is
built here from stable codes (item code, department code, notice code), never
from titles.

Static pages are root-relative and directory style (they end with "/"); each
maps to an ``index.html`` under the output directory. Intake addresses are
paths of the Flask app's public blueprint, which registers its routes from
``INTAKE`` so the two sides cannot disagree. Nothing here reads files.
"""

from __future__ import annotations

from urllib.parse import urlencode

# kind -> URL pattern; "{code}" is filled in for per-record pages.
ROUTES: dict[str, str] = {
    "home": "/",
    "items": "/items/",
    # An item's page; a withdrawn item keeps it, with the withdrawal notice.
    "item": "/items/{code}/",
    # Filtered item lists (static pages, so filtering works without JavaScript). Outside /items/
    # so that no item code (any [A-Za-z0-9_-]) can ever take a filter page's address.
    "items_by_department": "/items-by/department/{code}/",
    "items_by_type": "/items-by/type/{code}/",  # code: ITEM_TYPE_SLUGS
    "items_by_case_type": "/items-by/case-type/{code}/",  # code: codes.CASE_TYPES
    "items_online": "/items-by/online/",
    "items_zero_visits": "/items-by/zero-visits/",
    "items_no_fee": "/items-by/no-fee/",
    "departments": "/departments/",
    "department": "/departments/{code}/",
    # The fee catalog's overview, and its long lists in pages (page N: page_url, as the filters).
    "fees": "/fees/",
    "fees_by_category": "/fees/{code}/",  # code: FEE_CATEGORY_SLUGS
    "fee_bills": "/fees/bills/",  # the fees charged on combined bills (一单收费)
    "channels": "/channels/",
    "notices": "/notices/",
    "notice": "/notices/{code}/",
    "notices_feed": "/notices/atom.xml",
    "search": "/search/",
    "data": "/data/",
    "data_file": "/data/{code}",
    "figures": "/figures/",
    "rectifications": "/figures/rectifications/",
    "outcomes": "/figures/complaints/",
    "questions": "/questions/",
    "question": "/questions/{code}/",
    # A published attachment (contract/files.py); code: "<sha256>/<name>".
    "file": "/files/{code}",
    "stylesheet": "/theme/css/site.css",
    # Display mode (长者模式): every page links /display.css after its other stylesheets; the server
    # answers it by the visitor's cookie with one of the two theme files below (the demo's Flask
    # static_site blueprint, or nginx: deploy/nginx-display.conf). The switch is a small route of the
    # intake (INTAKE display_*), linked root-relative so that its cookie lands on the static site's host.
    "display_css": "/display.css",
    "display_standard_css": "/theme/css/display-standard.css",
    "display_elder_css": "/theme/css/elder.css",
    "display_standard": "/intake/display/standard",
    "display_elder": "/intake/display/elder",
    "search_script": "/theme/js/search.js",
    "questions_script": "/theme/js/questions.js",
    "items_script": "/theme/js/items.js",
    "sitemap": "/sitemap.xml",
    "robots": "/robots.txt",
    "not_found": "/404.html",
}

#: 事项类型 (stored as the Chinese word, codes.ITEM_TYPES) → the ASCII slug of its filter page
#: (pinyin initials), so that addresses never depend on percent-encoded Chinese.
ITEM_TYPE_SLUGS: dict[str, str] = {
    "行政许可": "xzxk",
    "行政给付": "xzgf",
    "行政确认": "xzqr",
    "行政征收": "xzzs",
    "行政奖励": "xzjl",
    "行政裁决": "xzcj",
    "其他行政权力": "qtxzql",
    "公共服务": "ggfw",
}

#: 收费类别 (stored as the Chinese word, codes.FEE_CATEGORIES) → the ASCII slug of its page
#: (pinyin initials); never "bills", the combined bills' page.
FEE_CATEGORY_SLUGS: dict[str, str] = {
    "行政事业性收费": "xzsyxsf",
    "政府性基金": "zfxjj",
    "经营服务性收费": "jyfwxsf",
}

#: Paths of the public intake (the Flask ``public`` blueprint), by purpose.
INTAKE: dict[str, str] = {
    "complaint": "/intake/complaint",
    "lookup": "/intake/lookup",
    "case_lookup": "/intake/case",
    "rate": "/intake/rate",
    "case_rate": "/intake/case/rate",
    "complaint_confirm": "/intake/lookup/confirm",
    "complaint_reopen": "/intake/lookup/reopen",
    "question": "/intake/question",
    "question_lookup": "/intake/question/lookup",
    # Search results as a plain page (no JavaScript needed), over the public search API's results.
    "search": "/intake/search",
    # The display-mode switch (sets a cookie, redirects back; site/public/display.py); the static
    # pages link the same paths through ROUTES.
    "display_standard": ROUTES["display_standard"],
    "display_elder": ROUTES["display_elder"],
}
#: The public JSON search API over published records (docs/openapi/search.yaml), served by the intake.
SEARCH_API = "/api/search"
#: Path prefix of every intake address (the ``public`` blueprint's url_prefix).
INTAKE_PREFIX = "/intake/"
#: Path prefixes of the back office and the approval system's API (the ``admin`` and ``api``
#: blueprints): never public pages, kept out of search engines by robots.txt.
BACK_OFFICE_PREFIXES: tuple[str, ...] = ("/admin/", "/api/")
INTAKE_COMPLAINT = INTAKE["complaint"]
INTAKE_LOOKUP = INTAKE["lookup"]


def url_for(kind: str, code: str | None = None) -> str:
    """Root-relative URL of a page kind, e.g. ``url_for("item", "511623-ZJ-0001")``."""
    pattern = ROUTES[kind]
    if "{code}" in pattern:
        if not code:
            raise ValueError(f"url_for({kind!r}) needs a code")
        return pattern.format(code=code)
    return pattern


def page_url(url: str, number: int) -> str:
    """Page ``number`` of a list split into pages: the list's own address for page 1, then
    ``<address><n>/`` (``/items-by/online/2/``)."""
    if number < 1:
        raise ValueError(f"page number must be ≥ 1, not {number}")
    return url if number == 1 else f"{url}{number}/"


def page_save_as(url: str, number: int) -> str:
    """Output file of page ``number`` of the list at ``url``."""
    return page_url(url, number).lstrip("/") + "index.html"


def absolute_url(base: str, path: str) -> str:
    """``path`` (root-relative) under the site's public base URL; unchanged when ``base`` is ""."""
    return base.rstrip("/") + path


def save_as(kind: str, code: str | None = None) -> str:
    """Output file (relative to the output directory) for a page kind."""
    url = url_for(kind, code).lstrip("/")
    return url + "index.html" if url.endswith("/") or not url else url


def complaint_url(
    intake_url: str, *, item: str | None = None, department: str | None = None
) -> str:
    """Link to the complaint form of the intake, optionally about one item or department."""
    query = {k: v for k, v in (("item", item), ("department", department)) if v}
    url = intake_url.rstrip("/") + INTAKE_COMPLAINT
    return f"{url}?{urlencode(query)}" if query else url


def lookup_url(intake_url: str) -> str:
    """Link to the complaint lookup form (投诉查询) of the intake."""
    return intake_url.rstrip("/") + INTAKE_LOOKUP


def question_url(intake_url: str, *, item: str | None = None, department: str | None = None) -> str:
    """Link to the online question form (网上咨询), optionally about one item or department."""
    query = {k: v for k, v in (("item", item), ("department", department)) if v}
    url = intake_url.rstrip("/") + INTAKE["question"]
    return f"{url}?{urlencode(query)}" if query else url


def question_lookup_url(intake_url: str) -> str:
    """Link to the question lookup form (咨询查询) of the intake."""
    return intake_url.rstrip("/") + INTAKE["question_lookup"]


def case_lookup_url(intake_url: str) -> str:
    """Link to the case lookup form (办件查询) of the intake."""
    return intake_url.rstrip("/") + INTAKE["case_lookup"]


def rate_url(intake_url: str, *, item: str | None = None, department: str | None = None) -> str:
    """Link to a rating form (好差评): about one item or one department, else about one's own
    case (一事一评, with its number and query code)."""
    query = {k: v for k, v in (("item", item), ("department", department)) if v}
    if not query:
        return intake_url.rstrip("/") + INTAKE["case_rate"]
    return f"{intake_url.rstrip('/')}{INTAKE['rate']}?{urlencode(query)}"


# Main navigation: (route kind, Chinese label), in display order.
NAV: tuple[tuple[str, str], ...] = (
    ("home", "首页"),
    ("items", "办事指南"),
    ("departments", "部门窗口"),
    ("fees", "收费公示"),
    ("channels", "投诉渠道"),
    ("questions", "网上咨询"),
    ("notices", "通知公告"),
    ("figures", "办件统计"),
    ("search", "搜索"),
    ("data", "开放数据"),
)


def search_url(intake_url: str, query: str = "") -> str:
    """Link to the plain search results page of the intake (works without JavaScript)."""
    url = intake_url.rstrip("/") + INTAKE["search"]
    return f"{url}?{urlencode({'q': query})}" if query else url
