"""A side-by-side comparison of two revisions (版本对比), field by field, for people.

Both sides are the dicts ``public_fields`` stored in ``Revision.data``. Each value becomes
lines of text (a row of materials is one line, its cells joined by "｜"); lines are matched
with ``difflib.SequenceMatcher`` and, inside a changed line, characters are matched again,
because in Chinese a changed word is a few characters, not a whitespace-separated token.
Field names come from the forms' own labels (one place for them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from .forms.channels import ChannelForm
from .forms.departments import DepartmentForm
from .forms.items import FeeRow, ItemForm, MaterialRow, StepRow
from .forms.notices import NoticeForm

#: Segment: (kind, text) with kind "same", "del" or "ins".
Segment = tuple[str, str]

_FORMS = {"service_item": ItemForm, "department": DepartmentForm, "channel": ChannelForm, "notice": NoticeForm}
_ROWS = {"materials": (MaterialRow, _l("申请材料")), "steps": (StepRow, _l("办理流程")), "fees": (FeeRow, _l("收费项目"))}
_EXTRA_LABELS = {"chief": _l("首席代表"), "backup": _l("AB角（B角）"), "fee_required": _l("是否收费"),
                 "department": _l("所属部门"), "keywords": _l("群众常用说法（检索关键词）")}


def _label(form_class: type, name: str) -> str:
    """The field's label in the user's language (labels are lazy: made a string here, in the request)."""
    unbound = getattr(form_class, name, None)
    if isinstance(unbound, UnboundField):
        return str(unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else name))
    if name in _ROWS:
        return str(_ROWS[name][1])
    return str(_EXTRA_LABELS.get(name, name))


def field_label(record_type: str, name: str) -> str:
    """The label people know a field of ``record_type`` by (from its form)."""
    return _label(_FORMS[record_type], name)


def _lines(name: str, value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [_("是") if value else _("否")]
    if isinstance(value, dict):  # a person: name, post, phone
        return ["｜".join(str(v) for v in value.values() if v)]
    if isinstance(value, list):
        if name in _ROWS:
            return [f"{n}. " + "｜".join(_cell(v) for v in row.values()) for n, row in enumerate(value, start=1)]
        return [str(v) for v in value]
    return str(value).split("\n")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value) if value not in (None, "") else "—"


@dataclass
class Line:
    left: list[Segment] = field(default_factory=list)
    right: list[Segment] = field(default_factory=list)
    changed: bool = False


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list[Line]


def _chars(old: str, new: str) -> Line:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    line = Line(changed=True)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            line.left.append(("same", old[a1:a2]))
            line.right.append(("same", new[b1:b2]))
        else:
            if a2 > a1:
                line.left.append(("del", old[a1:a2]))
            if b2 > b1:
                line.right.append(("ins", new[b1:b2]))
    return line


def _field_lines(old: list[str], new: list[str]) -> list[Line]:
    lines: list[Line] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(Line([("same", text)], [("same", text)]) for text in old[a1:a2])
            continue
        left, right = old[a1:a2], new[b1:b2]
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else None
            b = right[index] if index < len(right) else None
            if a is not None and b is not None:
                lines.append(_chars(a, b))
            elif a is not None:
                lines.append(Line([("del", a)], [], True))
            else:
                lines.append(Line([], [("ins", b)], True))
    return lines


def compare(record_type: str, old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ between two revisions' data, in the record's field order."""
    form_class = _FORMS[record_type]
    names = list(new) + [name for name in old if name not in new]
    diffs = []
    for name in names:
        if name == "code" or old.get(name) == new.get(name):
            continue
        lines = _field_lines(_lines(name, old.get(name)), _lines(name, new.get(name)))
        diffs.append(FieldDiff(name, _label(form_class, name), lines))
    return diffs
