"""The demo year: a reproducible year of service cases, ratings, work orders and appeals.

Two stages: ``plan`` turns ``content/demo/cases.yaml`` into a plan in memory
(pure, reproducible), ``seeding`` writes it through the lifecycle and handling
rules. This package only re-exports what the rest of the project uses; it never
adds logic of its own.
"""

from .plan import (
    DemoYearError,
    ItemInfo,
    PlannedCase,
    PlannedRating,
    PlannedStep,
    load_profile,
    plan_digest,
    plan_year,
    showcase_cases,
)
from .seeding import (
    SOURCE,
    YearReport,
    demo_year_exists,
    published_items,
    seed_demo_year,
    stored_digest,
)

__all__ = [
    "SOURCE",
    "DemoYearError",
    "ItemInfo",
    "PlannedCase",
    "PlannedRating",
    "PlannedStep",
    "YearReport",
    "demo_year_exists",
    "load_profile",
    "plan_digest",
    "plan_year",
    "published_items",
    "seed_demo_year",
    "showcase_cases",
    "stored_digest",
]
