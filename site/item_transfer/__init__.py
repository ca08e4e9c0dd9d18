"""Bulk import and export of a department's service items (.xlsx, or a .zip of CSVs).

The stages, one module each: ``columns`` (the tables and headers), ``reading``
(file → rows per table), ``cells`` (a cell ↔ a form value), ``validating``
(every row through the item form's own rules, all problems at once),
``storing`` (drafts and working copies, revisions and the audit entry, in one
transaction) and ``writing`` (exports and the template). Who may import or
export which department is ``policy``'s; the views and the CLI only call these.
An import never publishes anything.
"""

from .problems import Problem, TransferRejected
from .storing import ImportReport, import_items
from .writing import (
    XLSX_MIMETYPE,
    department_items,
    export_xlsx,
    export_zip,
    template_xlsx,
    template_zip,
)

__all__ = [
    "XLSX_MIMETYPE", "ImportReport", "Problem", "TransferRejected", "department_items", "export_xlsx",
    "export_zip", "import_items", "template_xlsx", "template_zip",
]
