"""Shared fixtures: paths to the fixture pages and to the optional shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

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
