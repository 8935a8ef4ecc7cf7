"""Helpers for the plan-import tests: where the shared sample plans live.

The shared directory sits beside the repository clone (CI checks it out there); tests
that need it skip cleanly when it is absent rather than reading fixed paths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def plan_extraction_dir() -> Path | None:
    configured = os.environ.get("XIAONENG_PLAN_EXTRACTION_DIR")
    candidate = Path(configured) if configured else REPO.parent / "shared" / "plan-extraction"
    if (candidate / "docs").is_dir() and (candidate / "gold").is_dir():
        return candidate
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    found = plan_extraction_dir()
    if found is None:
        pytest.skip("shared plan-extraction samples not found (set XIAONENG_PLAN_EXTRACTION_DIR)")
    return found
