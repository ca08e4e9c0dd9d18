from __future__ import annotations

import json
from pathlib import Path

import pytest

SMALL = Path(__file__).parents[1] / "publisher" / "fixtures" / "snapshot-small.json"


@pytest.fixture
def snapshot() -> dict:
    """A fresh copy of the publisher's small snapshot."""
    return json.loads(SMALL.read_text(encoding="utf-8"))
