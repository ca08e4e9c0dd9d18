"""Turning what a user typed into a Whoosh query over the indexes' fields.

A query is cut by the one analysis (``analysis.query_words``: folded, so traditional and
full-width input work, question fillers dropped). Each word may match the title, the keywords,
the body or (for Latin letters: pinyin or its initials, ``yyzz``) the pinyin field by prefix;
a word of a synonym group also matches the group's other words. ``"quoted phrases"`` keep their
word order, ``-word`` or ``NOT word`` leaves records out, and ``部门:住建局`` / ``类型:事项`` (also
with a full-width colon) restrict by office and by kind or item type. Nothing here raises on what a
user types. Never imports Flask or the models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.query import (
    And,
    AndMaybe,
    DisjunctionMax,
    Not,
    Or,
    Phrase,
    Prefix,
    Query,
    Require,
    Term,
    Wildcard,
)

from .analysis import CJK_RUN, Synonyms, analysis, fold, is_latin_query

#: Text fields a query word is looked up in, with the weight of a match there.
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "keywords": 2.5, "body": 1.0}
#: A match through a synonym counts a little less than the word the user typed.
SYNONYM_WEIGHT = 0.8
SYNONYM_FIELDS = ("title", "keywords")
#: An exact pinyin term (the whole name's initials) counts more than a prefix of one.
PINYIN_EXACT, PINYIN_PREFIX = 2.5, 1.5
#: A word naming the record's office (住建局) matches, weakly, every record of that office.
DEPARTMENT_WORD = 0.5
#: ... and the office's own record most of all.
DEPARTMENT_RECORD = 6.0

#: What users type after 类型: → the record kind it means.
TYPE_KINDS: dict[str, str] = {
    "事项": "item", "服务事项": "item", "办事": "item", "item": "item",
    "部门": "department", "部门信息": "department", "窗口": "department", "department": "department",
    "公告": "notice", "通知": "notice", "通知公告": "notice", "notice": "notice",
    "渠道": "channel", "投诉渠道": "channel", "channel": "channel",
    "投诉": "complaint", "complaint": "complaint",
    "问答": "question", "咨询": "question", "question": "question",
}
FIELD_NAMES: dict[str, str] = {"部门": "department", "department": "department", "dept": "department",
                               "类型": "type", "type": "type", "kind": "type"}

# Quotes and spaces a Chinese input method produces, mapped to the ASCII ones.
_NORMALIZE = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"', "\u3000": " "})
_FIELDED = re.compile(r"(部门|类型|department|dept|type|kind)\s*:\s*(\"[^\"]*\"|[^\s\"]+)")
_QUOTED = re.compile(r'"([^"]*)"')
_EXCLUDED = re.compile(r"(?:(?<=\s)|^)(?:-|not\s+)([^\s\"-][^\s\"]*)")
_OPERATORS = frozenset({"and", "or", "not"})


def normalize(text: str) -> str:
    """Map full-width quotes and spaces to ASCII, strip the ends."""
    return text.translate(_NORMALIZE).strip()


@dataclass
class ParsedQuery:
    """What a query asks for, before it becomes a Whoosh query."""

    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    item_types: list[str] = field(default_factory=list)
    #: Every word typed outside quotes and restrictions, fillers included (for 您是不是要找).
    typed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to look for and nothing to restrict by."""
        return not (self.words or self.phrases or self.departments or self.kinds or self.item_types)

    @property
    def has_terms(self) -> bool:
        return bool(self.words or self.phrases)


def parse(text: str) -> ParsedQuery:
    """Split user input into words, phrases, exclusions and 部门:/类型: restrictions."""
    parsed = ParsedQuery()
    # fold() keeps the length and maps 部門/類型 and the full-width colon to 部门/类型 and ":".
    rest = fold(normalize(text))

    def fielded(match: re.Match[str]) -> str:
        name, value = FIELD_NAMES[match.group(1)], match.group(2).strip('"').strip()
        if not value:
            return " "
        if name == "department":
            parsed.departments.append(value)
        elif value in TYPE_KINDS:
            parsed.kinds.append(TYPE_KINDS[value])
        else:
            parsed.item_types.append(value)
        return " "

    rest = _FIELDED.sub(fielded, rest)

    def quoted(match: re.Match[str]) -> str:
        words = analysis().segment(match.group(1))
        if len(words) > 1:
            parsed.phrases.append(words)
        elif words:
            parsed.words.extend(words)
        return " "

    rest = _QUOTED.sub(quoted, rest)

    def excluded(match: re.Match[str]) -> str:
        parsed.excluded.extend(analysis().segment(match.group(1)))
        return " "

    rest = _EXCLUDED.sub(excluded, rest)
    rest = rest.replace('"', " ")  # an unclosed quote: search its words
    words = [w for w in analysis().query_words(rest) if w not in _OPERATORS]
    parsed.typed = [w for w in analysis().segment(rest) if w not in _OPERATORS]
    parsed.words = list(dict.fromkeys([*parsed.words, *words]))
    return parsed


def _is_latin(word: str) -> bool:
    return is_latin_query([word])


def word_query(word: str, synonyms: Synonyms) -> Query:
    """Records that contain word (or a synonym of it), in any text field or as pinyin."""
    # The best of the word and its synonyms counts, not their sum: a record naming three words
    # of a group is not three times as relevant.
    forms: list[Query] = [Or([Term(name, word, boost=weight) for name, weight in TEXT_FIELDS.items()])]
    # A synonym is looked up in names and aliases only: a record naming one word of a group has
    # the whole group among its aliases already (indexing adds them), and leaving the long body
    # text out keeps a query of a seven-word group fast at 10,000 records.
    for alternative in synonyms.alternatives(word):
        forms.append(Or([Term(name, alternative, boost=weight * SYNONYM_WEIGHT)
                         for name, weight in TEXT_FIELDS.items() if name in SYNONYM_FIELDS]))
    subs: list[Query] = [forms[0] if len(forms) == 1 else DisjunctionMax(forms)]
    if _is_latin(word) and not word.isdigit():
        subs.append(Term("pinyin", word, boost=PINYIN_EXACT))
        if len(word) >= 2:
            subs.append(Prefix("pinyin", word, boost=PINYIN_PREFIX))
    subs.append(Term("dept_terms", word, boost=DEPARTMENT_WORD))
    # A word that names an office (工商局, 社保局) is above all a question about the office itself.
    subs.append(Require(Term("dept_terms", word, boost=DEPARTMENT_RECORD), Term("kind", "department")))
    return Or(subs)


def phrase_query(words: list[str]) -> Query:
    return Or([Phrase(name, words, boost=weight) for name, weight in TEXT_FIELDS.items()])


def terms_query(parsed: ParsedQuery, synonyms: Synonyms, *, conjunctive: bool = True) -> Query | None:
    """The words and phrases, all of them (or any); None when there are none."""
    parts = [word_query(word, synonyms) for word in parsed.words]
    parts += [phrase_query(words) for words in parsed.phrases]
    if not parts:
        return None
    # A single Chinese character (在, 打, 证) is a word of a question more often than of its subject:
    # next to longer words it counts towards the score but is not required.
    single = [i for i, word in enumerate(parsed.words) if len(word) == 1 and CJK_RUN.fullmatch(word)]
    optional = [parts[i] for i in single] if conjunctive and len(single) < len(parts) else []
    required = [part for i, part in enumerate(parts) if not optional or i not in single]
    combined = required[0] if len(required) == 1 else (And(required) if conjunctive else Or(required))
    if optional:
        combined = AndMaybe(combined, optional[0] if len(optional) == 1 else Or(optional))
    if parsed.excluded:
        combined = And([combined, Not(Or([word_query(word, Synonyms()) for word in parsed.excluded]))])
    return combined


def department_query(value: str, synonyms: Synonyms) -> Query:
    """Records of the office named value: its code, full or short name, part of a name, or a synonym."""
    value = fold(value)
    names = [value, *synonyms.alternatives(value)]
    subs: list[Query] = []
    for name in names:
        subs.append(Term("dept_terms", name))
        if not _is_latin(name) and len(name) >= 2:
            subs.append(Wildcard("dept_terms", f"*{name}*"))
    return Or(subs)


def restriction_query(parsed: ParsedQuery, synonyms: Synonyms) -> Query | None:
    """The 部门:/类型: restrictions (any of the values of one kind, all kinds); None when none."""
    parts: list[Query] = []
    if parsed.departments:
        parts.append(Or([department_query(value, synonyms) for value in parsed.departments]))
    kinds = [Term("kind", kind) for kind in dict.fromkeys(parsed.kinds)]
    item_types = [Term("item_type", value) for value in dict.fromkeys(parsed.item_types)]
    if kinds or item_types:
        parts.append(Or(kinds + item_types))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def highlight_terms(parsed: ParsedQuery, synonyms: Synonyms) -> set[str]:
    """The words to mark in snippets: the query's words and phrases, and their synonyms."""
    terms = set(parsed.words)
    for word in parsed.words:
        terms.update(synonyms.alternatives(word))
    for words in parsed.phrases:
        terms.update(words)
    return {term for term in terms if term.strip()}


def word_matched(word: str, synonyms: Synonyms, matched: set[tuple[str, str]]) -> bool:
    """Whether a hit's matched (field, term) pairs include this query word (or its synonym)."""
    forms = {word, *synonyms.alternatives(word)}
    for name, text in matched:
        if name == "pinyin":
            if _is_latin(word) and text.startswith(word):
                return True
        elif text in forms:
            return True
    return False
