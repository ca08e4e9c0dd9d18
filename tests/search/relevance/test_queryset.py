"""The query set itself: big enough, every kind present, answers that exist, honest none-queries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sunshine.contract.urls import INTAKE
from sunshine.search.analysis import analysis, fold, repo_synonyms
from sunshine.site.config import PROJECT_ROOT

from .queryset import KINDS, NONE_KIND, Query, QuerySetError, load_queries, parse_queries

QUERIES = load_queries()
DEMO = PROJECT_ROOT / "content" / "demo"


def test_the_set_holds_at_least_170_queries():
    assert len(QUERIES) >= 170


def test_every_kind_has_at_least_12_queries():
    counts = Counter(q.kind for q in QUERIES)
    assert {kind: counts[kind] >= 12 for kind in KINDS} == dict.fromkeys(KINDS, True)


def test_no_query_is_listed_twice():
    assert [text for text, n in Counter(q.text for q in QUERIES).items() if n > 1] == []


def test_a_line_is_read_into_its_kind_query_and_pages():
    assert parse_queries(["# comment", "", "fee\t身份证补办多少钱\t/items/GA-QR-001/ /notices/N2025-008/"]) == [
        Query("fee", "身份证补办多少钱", ("/items/GA-QR-001/", "/notices/N2025-008/"))
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("slang\t整点薯条\t/items/A/", "unknown kind"),
        ("none\t公积金\t/items/A/", "must not list pages"),
        ("fee\t办证多少钱\t", "must list pages"),
        ("fee\t办证多少钱\titems/A/", "root-relative"),
        ("fee\t办证多少钱", "3 tab-separated columns"),
    ],
)
def test_malformed_lines_are_refused_with_the_reason(line, reason):
    with pytest.raises(QuerySetError, match=reason):
        parse_queries([line])


def test_every_expected_page_is_a_page_of_the_demo_site_or_an_intake_form(relevance):
    prepared, _ = relevance
    intake = set(INTAKE.values())
    missing = sorted({
        url for q in QUERIES for url in q.expected
        if url not in intake and not (prepared.site_dir / url.lstrip("/") / "index.html").is_file()
    })
    assert missing == []


def _demo_text() -> str:
    """Every word the demo data set has, drafts and complaints included (the back office
    searches those too); the generated year of cases and the accounts are not searched."""
    files = [p for p in sorted(DEMO.glob("*.yaml")) if p.name not in {"cases.yaml", "users.yaml"}]
    files += sorted((PROJECT_ROOT / "content" / "pages").glob("*.md"))
    return fold("\n".join(p.read_text(encoding="utf-8") for p in files))


def test_each_none_query_asks_for_a_word_the_demo_data_never_uses():
    """So nothing in the demo answers it: at least one of its words, and each synonym of that
    word, occurs nowhere in the data."""
    text = _demo_text()
    synonyms = repo_synonyms()
    answered = []
    for query in (q for q in QUERIES if q.kind == NONE_KIND):
        words = analysis().query_words(query.text)
        if not any(all(w not in text for w in (word, *synonyms.alternatives(word))) for word in words):
            answered.append(query.text)
    assert answered == []


def test_the_query_file_is_utf8_with_tabs():
    raw = (Path(__file__).with_name("queries.tsv")).read_bytes()
    assert raw.decode("utf-8").count("\t") == 2 * (len(QUERIES) + 1)  # + the header comment
