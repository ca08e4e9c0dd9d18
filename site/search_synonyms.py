"""Search synonym groups (检索同义词): the repository's groups plus those offices add in the back office.

``search/data/synonyms.txt`` holds the groups everyone needs (工商局 ↔ 市场监管局); an office knows
the everyday names of its own services better, so it adds groups of its own here. Both kinds are
merged into one ``Synonyms`` (``current_synonyms``) that the back-office index reads, and the
office groups enter the snapshot (``snapshot_lines``) so the public site's index reads them too.

A group is one line of space-separated words, the official name first, stored as the user typed
it after checking (``parse_words``); the analysis folds it (traditional → simplified, lower case)
wherever it is used. A word may belong to several groups; a group identical to an existing one
(the same words in any order) is refused, since it would change nothing.

Who may add or delete is the policy's ``MANAGE_SYNONYMS``: an office's staff for their own
department, the centre's administrator for any (and for the centre's own groups). Every change is
audited in the same transaction and followed by a rebuild of the back-office index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from sunshine.search.analysis import Synonyms, analysis, fold, repo_synonyms

from . import audit, clock
from .db import db
from .models import Department, SearchSynonym, User
from .policy import Action, may

#: At most this many words in a group, each at most ``MAX_WORD_LENGTH`` characters (so a line
#: always fits the 500-character column).
MAX_WORDS = 20
MIN_WORDS = 2
MAX_WORD_LENGTH = 20
#: Words are typed separated by spaces; the list commas people type anyway separate them too.
_SEPARATORS = re.compile(r"[\s、，,；;]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ALLOWED_CHAR = re.compile(f"[{_CJK}A-Za-z0-9]")


class SynonymError(ValueError):
    """A refused group, with the message for the user (in the user's language)."""


class SynonymRefused(PermissionError):
    """The user may not add or delete this group (the view answers 403 before this is reached)."""


# ---------------------------------------------------------------- reading


def office_groups() -> list[SearchSynonym]:
    """The groups offices added, oldest first (the order they are merged and published in)."""
    return list(db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)))


def snapshot_lines() -> list[str]:
    """The office groups as the snapshot carries them: one line of words per group, by id."""
    return [" ".join(group.words.split()) for group in office_groups()]


def office_synonyms() -> Synonyms:
    return Synonyms.parse(group.words for group in office_groups())


def current_synonyms() -> Synonyms:
    """The repository's groups merged with the offices' (ordered by id), for both engines.

    The office words also join the shared analysis's dictionary, so a name an office added
    (e.g. 一窗通办) is cut whole in the pages and queries that contain it.
    """
    office = office_synonyms()
    analysis().add_words(office.words())
    return repo_synonyms().merged(office)


@dataclass(frozen=True)
class GroupRow:
    """A group as the back-office list shows it."""

    id: int
    words: tuple[str, ...]
    department_id: int | None
    department_name: str
    created_by: str
    created_at: datetime | None


def group_rows() -> list[GroupRow]:
    """The office groups with their department and author names, oldest first."""
    stmt = (select(SearchSynonym, Department.name, User.display_name, User.username)
            .outerjoin(Department, Department.id == SearchSynonym.department_id)
            .outerjoin(User, User.id == SearchSynonym.created_by_id)
            .order_by(SearchSynonym.id))
    return [GroupRow(group.id, tuple(group.words.split()), group.department_id, department_name or "",
                     display_name or username or "", group.created_at)
            for group, department_name, display_name, username in db.session.execute(stmt)]


# ---------------------------------------------------------------- checking


def parse_words(text: str) -> list[str]:
    """The words of a typed line, checked: 2–20 distinct words of 1–20 Chinese characters, letters
    or digits. Full-width letters and digits become half-width; a word typed twice counts once
    (compared as the analysis folds them, so 身份證 and 身份证 are the same word).
    Raises ``SynonymError`` with the first problem found.
    """
    raw = [word for word in _SEPARATORS.split(unicodedata.normalize("NFKC", text or "")) if word]
    if not raw:
        raise SynonymError(_("请填写同义词：一行一组，词与词之间用空格隔开。"))
    for word in raw:
        bad = next((ch for ch in word if not _ALLOWED_CHAR.fullmatch(ch)), None)
        if bad is not None:
            raise SynonymError(_("“%(word)s”中有“%(char)s”：词里只能用汉字、字母和数字，词与词之间用空格隔开。",
                                 word=word, char=bad))
        if len(word) > MAX_WORD_LENGTH:
            raise SynonymError(_("“%(word)s”太长：每个词最多%(max)s个字。", word=word, max=MAX_WORD_LENGTH))
    distinct: dict[str, str] = {}
    for word in raw:
        distinct.setdefault(fold(word), word)  # the first spelling is kept
    words = list(distinct.values())
    if len(words) < MIN_WORDS:
        raise SynonymError(_("一组同义词至少要有两个不同的词，词与词之间用空格隔开。"))
    if len(words) > MAX_WORDS:
        raise SynonymError(_("一组同义词最多%(max)s个词，现在有%(count)s个，请分成几组添加。",
                             max=MAX_WORDS, count=len(words)))
    return words


def _same_group(words: list[str]) -> str | None:
    """Who already has a group of exactly these words ("系统内置", a department, the centre), or None."""
    wanted = frozenset(fold(word) for word in words)
    if any(frozenset(group) == wanted for group in repo_synonyms().groups):
        return _("系统内置")
    for row in group_rows():
        if frozenset(fold(word) for word in row.words) == wanted:
            return row.department_name or _("中心")
    return None


# ---------------------------------------------------------------- changing


def add_group(words_text: str, department: Department | None, user: Any) -> SearchSynonym:
    """Check and store a group for ``department`` (None: the centre's own), audited, then reindex.

    Raises ``SynonymRefused`` when the user may not manage that department's synonyms and
    ``SynonymError`` when the words are refused; nothing is stored then.
    """
    department_id = department.id if department is not None else None
    if not may(user, Action.MANAGE_SYNONYMS, department_id=department_id):
        raise SynonymRefused(department_id)
    words = parse_words(words_text)
    owner = _same_group(words)
    if owner is not None:
        raise SynonymError(_("这组同义词已经有了（%(owner)s），不用重复添加。", owner=owner))
    line = " ".join(words)
    group = SearchSynonym(words=line, department_id=department_id, created_by_id=getattr(user, "id", None),
                          created_at=clock.now())
    db.session.add(group)
    audit.record("create", target=group, department_id=department_id, summary=f"添加检索同义词：{line}",
                 detail={"words": words}, user=_person(user))
    db.session.commit()
    reindex()
    return group


def delete_group(group: SearchSynonym, user: Any) -> None:
    """Delete a group (its department's staff or the centre's administrator), audited, then reindex."""
    if not may(user, Action.MANAGE_SYNONYMS, group):
        raise SynonymRefused(group.id)
    words = group.words.split()
    audit.record("delete", target_type=SearchSynonym.__tablename__, target_id=group.id,
                 department_id=group.department_id, summary=f"删除检索同义词：{' '.join(words)}",
                 detail={"words": words}, user=_person(user))
    db.session.delete(group)
    db.session.commit()
    reindex()


def _person(user: Any) -> User | None:
    """The account the audit entry names (the request's user is the default anyway)."""
    return user if isinstance(user, User) else None


def reindex() -> bool:
    """Queue a rebuild of the back-office index so it reads the changed groups; False when that failed.

    A rebuild takes about a minute at 10,000 items, so it runs on the job queue after the commit (in
    the request only where the queue is immediate: tests). A failure is logged and never undoes the
    change (``sunshine reindex`` or the next change rebuilds). The public site reads the groups from
    the next snapshot.
    """
    from .jobs.queue import job_queue

    try:
        job_queue(current_app._get_current_object()).reindex()
    except Exception:
        current_app.logger.exception("back-office reindex after a synonym change failed")
        return False
    return True
