"""The records that go into the search indexes and the hits that come out of them.

Plain dataclasses: the site turns its models (back office) or the published snapshot (public
index) into SearchDoc values, so this package never imports Flask or the models.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS: frozenset[str] = frozenset({"item", "department", "notice", "channel", "complaint", "question"})

#: Chinese label of each kind, as users type it after 类型: and as results show it.
KIND_LABELS: dict[str, str] = {
    "item": "事项",
    "department": "部门",
    "notice": "公告",
    "channel": "渠道",
    "complaint": "投诉",
    "question": "问答",
}


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One record to index. ``department`` is "" for records that belong to no office.

    ``keywords`` are the aliases people search with (one per line or space separated);
    ``department_names`` the office's full and short name (for 部门: and pinyin); ``names`` the
    words the user dictionary should know (item, department and fee names) so queries are cut
    the way the record was; ``public_url`` the record's page on the public site ("" when none);
    ``department_name``, ``time_limit`` and ``fee`` are shown with a public hit.
    """

    id: str
    kind: str
    department: str
    state: str
    title: str
    body: str
    url: str
    keywords: str = ""
    department_names: str = ""
    item_type: str = ""
    public_url: str = ""
    department_name: str = ""
    time_limit: str = ""
    fee: str = ""
    names: tuple[str, ...] = ()

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
    #: The record's page on the public site (a path such as /items/XK-001/), "" when it has none.
    public_url: str = ""
    department_name: str = ""
    item_type: str = ""
    time_limit: str = ""
    fee: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits with what the user should see around them.

    ``total`` counts every match (not just this page); ``relaxed`` is True when not all query
    words matched together and hits are ranked by how many did; ``suggestions`` are queries the
    user may have meant (您是不是要找), offered when little or nothing was found; ``corrected`` is
    set when nothing matched the query as typed and the hits are those of its first suggestion.
    """

    hits: list[Hit]
    total: int
    relaxed: bool = False
    suggestions: tuple[str, ...] = ()
    #: When nothing matched what was typed but a correction did: the corrected query the hits are for.
    corrected: str = ""
