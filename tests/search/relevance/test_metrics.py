"""recall@5, MRR and none-precision, on hand-made outcomes with known figures."""

from __future__ import annotations

import pytest

from .metrics import measure, normalise_url, rank, table
from .queryset import Query

FOOD = Query("colloquial", "开饭馆要办什么证", ("/items/SCJG-XK-001/",))
ID_CARD = Query("traditional", "身份證補辦", ("/items/GA-QR-001/",))
HOUSE = Query("colloquial", "盖房子要什么手续", ("/items/GTZY-XK-001/", "/items/ZJJ-XK-001/"))
FUND = Query("none", "公积金", ())
VISA = Query("none", "签证", ())


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/items/GA-QR-001/", "/items/GA-QR-001/"),
        ("/items/GA-QR-001/index.html", "/items/GA-QR-001/"),
        ("https://zwfw.example.cn/items/GA-QR-001/#fees", "/items/GA-QR-001/"),
        ("/intake/question?item=GA-QR-001", "/intake/question"),
        ("", ""),
    ],
)
def test_result_urls_are_compared_by_path(url, path):
    assert normalise_url(url) == path


def test_rank_is_the_position_of_the_first_expected_page():
    assert rank(["/fees/", "/items/ZJJ-XK-001/", "/items/GTZY-XK-001/"], HOUSE.expected) == 2


def test_an_expected_page_below_the_fifth_result_does_not_count():
    results = ["/a/", "/b/", "/c/", "/d/", "/e/", "/items/SCJG-XK-001/"]
    assert rank(results, FOOD.expected) is None


def test_recall_and_mrr_over_answered_queries():
    report = measure("e", [FOOD, ID_CARD, HOUSE], [
        ["/items/SCJG-XK-001/"],  # rank 1
        ["/fees/", "/notices/N2025-008/", "/items/GA-QR-001/"],  # rank 3
        ["/items/GA-XK-002/"],  # not found
    ])
    overall = report.overall()
    assert (overall.n, overall.recall, round(overall.mrr, 4)) == (3, 2 / 3, round((1 + 1 / 3) / 3, 4))


def test_figures_per_kind():
    report = measure("e", [FOOD, ID_CARD, HOUSE], [["/items/SCJG-XK-001/"], [], ["/x/", "/items/ZJJ-XK-001/"]])
    colloquial = report.by_kind("colloquial")
    assert (colloquial.n, colloquial.recall, colloquial.mrr) == (2, 1.0, 0.75)
    assert (report.by_kind("traditional").recall, report.by_kind("traditional").mrr) == (0.0, 0.0)


def test_a_none_query_counts_only_when_nothing_is_returned():
    report = measure("e", [FUND, VISA, FOOD], [[], ["/items/GA-XK-001/"], ["/items/SCJG-XK-001/"]])
    assert report.by_kind("none").none_precision == 0.5
    assert report.overall().none_precision == 0.5


def test_none_queries_stay_out_of_recall_and_mrr():
    report = measure("e", [FUND, FOOD], [["/notices/N2025-008/"], ["/x/", "/items/SCJG-XK-001/"]])
    overall = report.overall()
    assert (overall.n, overall.recall, overall.mrr) == (1, 1.0, 0.5)


def test_a_hit_without_a_public_page_takes_a_slot():
    report = measure("e", [FOOD], [["", "", "", "", "", "/items/SCJG-XK-001/"]])
    assert report.overall().recall == 0.0


def test_a_result_list_per_query_is_required():
    with pytest.raises(ValueError, match="2 queries but 1 result lists"):
        measure("e", [FOOD, FUND], [[]])


def test_the_table_lists_kinds_in_order_with_both_engines():
    first = measure("back", [FOOD, ID_CARD, FUND], [["/items/SCJG-XK-001/"], [], []])
    second = measure("static", [FOOD, ID_CARD, FUND], [[], ["/items/GA-QR-001/"], ["/x/"]])
    lines = table([first, second]).splitlines()
    assert lines[2].split() == ["colloquial", "1", "1.00", "1.00", "0.00", "0.00"]
    assert lines[3].split() == ["traditional", "1", "0.00", "0.00", "1.00", "1.00"]
    assert lines[4].split() == ["none", "1", "none-precision", "1.00", "none-precision", "0.00"]
    assert lines[5].split() == ["overall", "2", "0.50", "0.50", "0.50", "0.50"]
    assert lines[6].split() == ["none-prec.", "1.00", "0.00"]
