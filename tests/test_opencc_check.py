"""pagetidy refuses to run on the look-alike opencc-python-reimplemented."""

from __future__ import annotations

import sys
import types

import pytest

from pagetidy import PagetidyError
from pagetidy._opencc_check import check_opencc


def test_official_opencc_passes() -> None:
    check_opencc()


def test_lookalike_module_fails_with_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    lookalike = types.ModuleType("opencc")
    lookalike.OpenCC = type("OpenCC", (), {"convert": lambda self, text: text})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "opencc", lookalike)
    with pytest.raises(PagetidyError, match="opencc-python-reimplemented"):
        check_opencc()


def test_missing_opencc_fails_with_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opencc", None)
    with pytest.raises(PagetidyError, match="pip install opencc"):
        check_opencc()
