"""All models, importable from one place (Alembic autogenerate sees them here)."""

from sunshine.contract.codes import (
    CASE_TYPES,
    CHANNEL_KINDS,
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    FEE_CATEGORIES,
    ITEM_TYPES,
    MATERIAL_FORMS,
    NOTICE_CATEGORIES,
    RATING_LEVELS,
)

from .api_token import ApiToken
from .attachment import Attachment
from .audit import AuditEntry
from .case import CASE_PRIVATE_FIELDS, CaseEvent, CaseFee, ServiceCase
from .channel import Channel
from .complaint import Complaint, ComplaintEvent
from .department import Department
from .item import Fee, Material, ServiceItem, Step
from .notice import Notice
from .publish_job import JOB_STATE_LABELS, PublishJob
from .question import QUESTION_PRIVATE_FIELDS, Question
from .rating import RATING_PRIVATE_FIELDS, Rating
from .rectification import Rectification
from .revision import Revision
from .search_synonym import SearchSynonym
from .site_profile import SiteProfile
from .supervision import URGE_TARGETS, Urge
from .user import ROLES, User
from .user_grant import UserGrant
from .user_session import UserSession
from .workflow import (
    DRAFT,
    EDITING,
    PUBLISHED,
    REJECTED,
    REVIEW_LABELS,
    REVIEW_STATES,
    SCHEDULED,
    STATE_LABELS,
    STATES,
    SUBMITTED,
    WITHDRAWN,
    Disclosure,
)

__all__ = [
    "SearchSynonym",
    "CASE_PRIVATE_FIELDS", "JOB_STATE_LABELS", "PublishJob", "RATING_PRIVATE_FIELDS", "URGE_TARGETS", "ApiToken", "CaseEvent", "CaseFee",
    "Rectification", "ServiceCase", "Urge", "Question", "QUESTION_PRIVATE_FIELDS",
    "CASE_TYPES", "CHANNEL_KINDS", "COMPLAINT_CATEGORIES", "COMPLAINT_STATUSES", "DRAFT",
    "FEE_CATEGORIES", "ITEM_TYPES", "MATERIAL_FORMS", "NOTICE_CATEGORIES", "PUBLISHED",
    "RATING_LEVELS", "ROLES", "STATES", "STATE_LABELS", "WITHDRAWN", "Channel", "Complaint",
    "ComplaintEvent", "Department", "Disclosure", "Fee", "Material", "Notice", "Rating",
    "ServiceItem", "SiteProfile", "Step", "User",
    "Attachment", "AuditEntry", "Revision", "UserGrant", "UserSession", "EDITING", "SUBMITTED", "REJECTED", "SCHEDULED", "REVIEW_LABELS",
    "REVIEW_STATES",
]
