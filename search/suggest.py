"""您是不是要找: queries the user may have meant, from the index's own vocabulary.

The common Chinese misspelling is a homophone typed by a pinyin input method (身分证, 营业只照):
every stretch of the query's Chinese whose pinyin is the pinyin of a title or keyword word of
the index, but whose characters differ, is replaced by that word. A Latin word that matches no
pinyin is corrected by Whoosh's spelling corrector over the pinyin field, then shown as the
name it spells. Pure: never imports Flask or the models.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from whoosh.searching import Searcher

from .analysis import CJK_RUN, fold

#: Fields whose words are offered (names and aliases, not the free text of bodies).
VOCABULARY_FIELDS = ("title", "keywords")
#: Longest stretch of a query (in characters) compared by pinyin.
MAX_SPAN = 8


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text, errors=lambda chars: ["?"] * len(chars))


@dataclass
class Vocabulary:
    """Title and keyword words of an index by pinyin, with how many records hold each."""

    by_pinyin: dict[str, list[tuple[int, str]]]
    by_latin: dict[str, list[tuple[int, str]]]
    words: frozenset[str]

    @classmethod
    def read(cls, searcher: Searcher) -> Vocabulary:
        from pypinyin import lazy_pinyin

        reader = searcher.reader()
        frequency: dict[str, int] = defaultdict(int)
        for name in VOCABULARY_FIELDS:
            if name not in reader.schema:
                continue
            for raw, info in reader.iter_field(name):
                word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                if len(word) >= 2 and CJK_RUN.fullmatch(word):
                    frequency[word] = max(frequency[word], info.doc_frequency())
        by_pinyin: dict[str, list[tuple[int, str]]] = defaultdict(list)
        by_latin: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for word, count in frequency.items():
            syllables = lazy_pinyin(word)
            by_pinyin[" ".join(syllables)].append((count, word))
            by_latin["".join(syllables)].append((count, word))
            by_latin["".join(s[0] for s in syllables if s)].append((count, word))
        for table in (by_pinyin, by_latin):
            for entries in table.values():
                entries.sort(key=lambda entry: (-entry[0], entry[1]))
        return cls(dict(by_pinyin), dict(by_latin), frozenset(frequency))


_cache: dict[tuple[str, int], Vocabulary] = {}
_cache_lock = threading.Lock()


def vocabulary(searcher: Searcher, key: tuple[str, int]) -> Vocabulary:
    """The vocabulary of index ``key`` = (path, generation), read once per generation."""
    cache_key = key
    with _cache_lock:
        cached = _cache.get(cache_key)
    if cached is None:
        cached = Vocabulary.read(searcher)
        with _cache_lock:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            _cache[cache_key] = cached
    return cached


def _correct_run(run: str, vocab: Vocabulary) -> str:
    """The run with its stretches that sound like a known word replaced by that word."""
    syllables = _syllables(run)
    if len(syllables) != len(run):
        return run
    out, i = [], 0
    while i < len(run):
        replaced = False
        for j in range(min(len(run), i + MAX_SPAN), i + 1, -1):  # longest stretch first
            stretch = run[i:j]
            if stretch in vocab.words:
                out.append(stretch)
                i, replaced = j, True
                break
            entries = vocab.by_pinyin.get(" ".join(syllables[i:j]))
            if entries:
                out.append(entries[0][1])
                i, replaced = j, True
                break
        if not replaced:
            out.append(run[i])
            i += 1
    return "".join(out)


def suggest(searcher: Searcher, query_words: list[str], *, key: tuple[str, int], limit: int = 3) -> list[str]:
    """Queries the user may have meant, best first; [] when nothing better is known.

    ``query_words`` are the words typed (folded; fillers kept, since a typo may cut a name into
    something that looks like one: 营业执找 → 营业|执|找).
    """
    vocab = vocabulary(searcher, key)
    suggestions: dict[str, None] = {}
    corrected: list[str] = []
    changed = False
    # Re-join neighbouring Chinese words: a typo splits a name into pieces (营业|只|照).
    for word in query_words:
        if CJK_RUN.fullmatch(word) and corrected and CJK_RUN.fullmatch(corrected[-1]):
            corrected[-1] += word
        else:
            corrected.append(word)
    words_out: list[str] = []
    for word in corrected:
        if CJK_RUN.fullmatch(word):
            fixed = _correct_run(word, vocab)
            changed = changed or fixed != word
            words_out.append(fixed)
        elif word.isascii() and word.isalpha():
            options = vocab.by_latin.get(word)
            if options is None:
                fixed_latin = _correct_latin(searcher, word)
                options = vocab.by_latin.get(fixed_latin or "")
            if options and (options[0][1] != word):
                words_out.append(options[0][1])
                changed = True
            else:
                words_out.append(word)
        else:
            words_out.append(word)
    if changed:
        suggestions[" ".join(words_out)] = None
    original = fold(" ".join(query_words))
    return [s for s in suggestions if s != original][:limit]


def _correct_latin(searcher: Searcher, word: str) -> str | None:
    """The pinyin term of the index nearest to word (one or two edits), if any."""
    if "pinyin" not in searcher.schema or len(word) < 3:
        return None
    found = searcher.corrector("pinyin").suggest(word, limit=8, maxdist=2 if len(word) > 5 else 1)
    # Whoosh orders its candidates by frequency; the nearest spelling is the better guess.
    return min(found, key=lambda term: _distance(word, term)) if found else None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short strings: a plain table)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]
