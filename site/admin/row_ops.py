"""Adding, removing and reordering rows of a row table (materials, steps, fees) without saving.

Each row has 上移 / 下移 / 删除此行 buttons and each table an 添加一行 button: plain submit buttons
named ``row_op`` (``materials:add``, ``steps:2:up`` …), so it works without JavaScript. The edit
view answers such a POST by showing the form again with the rows changed and everything else as
typed; nothing is validated or stored until the user presses a save button.
"""

from __future__ import annotations

from typing import Any

from wtforms import FieldList

#: Name of the submit buttons that change rows.
ROW_OP = "row_op"
_MOVES = {"up": -1, "down": 1}


def apply_row_op(form: Any, op: str, tables: tuple[str, ...]) -> str | None:
    """Change the rows of ``form`` as ``op`` asks; returns the id of the field to focus, or None for a bad op."""
    parts = op.split(":")
    if not parts or parts[0] not in tables or parts[0] not in form:
        return None
    rows: FieldList = form[parts[0]]
    data = [dict(entry.form.data, delete=False) for entry in rows.entries]
    if parts[1:] == ["add"]:
        data.append({})
        target = len(data) - 1
    elif len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(data) and parts[2] in (*_MOVES, "remove"):
        index = int(parts[1])
        if parts[2] == "remove":
            del data[index]
            target = min(index, len(data) - 1)
        else:
            target = index + _MOVES[parts[2]]
            if not 0 <= target < len(data):
                return None
            data[index], data[target] = data[target], data[index]
    else:
        return None
    rows.entries = []
    rows.last_index = -1
    for row in data:
        rows.append_entry(row)
    return f"{rows.id}-{target}" if target >= 0 else rows.id
