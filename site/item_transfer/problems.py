"""Why an item file was refused: each problem placed at its table, row and column, in Chinese.

A clerk fixes a file in Excel, so a problem names what Excel shows: the sheet
(or the CSV of the same name in a .zip), the row number (header = row 1) and the
column header. Nothing here touches the database or echoes more than the
clerk's own cell values.
"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import TABLE_ORDER, column_order


@dataclass(frozen=True)
class Problem:
    """One reason to refuse a file: where (table, row, column header) and why."""

    table: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"「{self.table}」表" if self.table else ""
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


class TransferRejected(Exception):
    """Nothing was stored; ``problems`` says why, in the file's order (table, row, column)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=_order)


def _order(problem: Problem) -> tuple[int, int, int]:
    table = TABLE_ORDER.get(problem.table, -1)
    return (table, problem.row or 0, column_order(problem.table, problem.column))
