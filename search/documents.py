"""The records that go into the back-office index and the hits that come out of it.

Plain dataclasses: the site turns its models into SearchDoc values, so this package never
imports Flask or the models.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS: frozenset[str] = frozenset({"item", "department", "notice", "channel", "complaint"})


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One record to index. ``department`` is "" for records that belong to no office."""

    id: str
    kind: str
    department: str
    state: str
    title: str
    body: str
    url: str

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("检索记录缺少 id（SearchDoc.id is empty）")
        if self.kind not in KINDS:
            raise ValueError(
                f"未知的记录类型：{self.kind!r}（kind must be one of {sorted(KINDS)}）"
            )


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``snippet`` is HTML: matches in <mark>, everything else escaped."""

    id: str
    kind: str
    department: str
    state: str
    title: str
    url: str
    snippet: str
    score: float
