"""Shared fixtures: paths to the fixture pages and to the optional shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    # CI runs the same examples every time, so a run passes or fails on the code, not the draw;
    # local runs keep drawing new examples, and what they find becomes a regression test.
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
SHARED = Path(__file__).resolve().parents[2] / "shared"
"""``../shared`` beside the checkout: the corpus and seed page, absent on a bare clone."""


@pytest.fixture
def shared() -> Path:
    """The shared folder; tests that need it are skipped when it is not there."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared/corpus is not present beside this checkout")
    return SHARED
