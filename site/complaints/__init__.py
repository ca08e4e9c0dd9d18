"""效能投诉: filing and lookup (``filing``), the lifecycle rules (``lifecycle``), the published,
anonymized outcomes (``outcomes``) and the citizen's deadline view (``progress``)."""

from .filing import Filed, file_complaint, lookup, new_tracking_no, normalise_tracking_no

__all__ = ["Filed", "file_complaint", "lookup", "new_tracking_no", "normalise_tracking_no"]
