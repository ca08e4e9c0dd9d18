"""All models, importable from one place (Alembic autogenerate sees them here)."""

from .channel import CHANNEL_KINDS, Channel
from .complaint import COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, Complaint, ComplaintEvent
from .department import Department
from .item import (
    CASE_TYPES,
    FEE_CATEGORIES,
    ITEM_TYPES,
    MATERIAL_FORMS,
    Fee,
    Material,
    ServiceItem,
    Step,
)
from .notice import NOTICE_CATEGORIES, Notice
from .rating import RATING_LEVELS, Rating
from .site_profile import SiteProfile
from .user import ROLES, User
from .workflow import DRAFT, PUBLISHED, STATE_LABELS, STATES, WITHDRAWN, Disclosure

__all__ = [
    "CASE_TYPES", "CHANNEL_KINDS", "COMPLAINT_CATEGORIES", "COMPLAINT_STATUSES", "DRAFT",
    "FEE_CATEGORIES", "ITEM_TYPES", "MATERIAL_FORMS", "NOTICE_CATEGORIES", "PUBLISHED",
    "RATING_LEVELS", "ROLES", "STATES", "STATE_LABELS", "WITHDRAWN", "Channel", "Complaint",
    "ComplaintEvent", "Department", "Disclosure", "Fee", "Material", "Notice", "Rating",
    "ServiceItem", "SiteProfile", "Step", "User",
]
