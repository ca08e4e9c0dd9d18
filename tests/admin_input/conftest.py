"""Fixtures of the back-office input tests: the back office's own (records read back, forms read from pages)."""

from tests.admin.conftest import (  # noqa: F401  (fixtures shared with tests/admin)
    form_of,
    item_url,
    load_complaint,
    load_item,
    load_notice,
    load_question,
    move_complaint,
    new_complaint,
    new_question,
)
