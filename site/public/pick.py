"""The department and item selects of the complaint and question forms, cheaply.

Rendering a form offers every published department and item (``choices.options``, cached); a post
needs only the two it names (``choices.chosen``, from the same cached lists), which become the selects' only
choices, so a tampered or withdrawn code gets the select's own Chinese message. A form shown
again after an error gets the full lists back.
"""

from __future__ import annotations

from flask import request

from .choices import Option, Options, chosen, options
from .form_base import prefill


def offer_all(form, empty_item: str = "不涉及具体事项", listed: Options | None = None) -> Options:
    """Every published department and item as the form's choices (rendering)."""
    listed = listed or options()
    form.department.choices = listed.department_choices()
    form.item.choices = listed.item_choices(empty_item)
    return listed


def offer_chosen(form) -> tuple[Option | None, Option | None]:
    """The posted department and item (None when not published) as the form's only choices."""
    department, item = chosen(form.department.data or None, form.item.data or None)
    form.department.choices = [("", "请选择")] + ([(department.code, department.name)] if department else [])
    form.item.choices = [("", "")] + ([(item.code, f"{item.name}（{item.code}）")] if item else [])
    return department, item


def prefill_from_address(form, listed: Options) -> Option | None:
    """?item= selects the item and its department, ?department= the department; the item when found."""
    item = listed.item(request.args.get("item", ""))
    if item is not None:
        form.item.data = item.code
        form.department.data = item.department
    elif request.args.get("department"):
        form.department.data = prefill(request.args["department"], 40)
    return item


def item_outside(department: Option, item: Option | None) -> bool:
    return item is not None and item.department != department.code


ITEM_OUTSIDE = "所选事项不属于所选部门，请重新选择。"
